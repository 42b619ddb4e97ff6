"""What each role's home page shows: real figures, always within the actor's scope.

``home_context(actor=...)`` returns one *panel* per role assignment of the actor (a user
with two roles sees two panels). A panel is a dict with ``role``, ``template``
(``web/home/<role>.html``) and that role's data. To show more on a role's home (loans for
a lender, trainings for an officer...), add the figures to that role's ``_<role>_panel``
function below and to its template: web is the top layer, it may import any app's
selectors. Every count is computed from querysets already limited by
``registry.selectors.cooperative_scope_q`` (the one scoping mechanism), then narrowed to
the panel's area or cooperative.

Every panel uses the dashboard's definitions (monitoring, issue 14 point 11): a cooperative
counts when it exists on the day (founded by then, not dissolved: the dissolved ones are
shown apart), a member is a distinct person holding a membership that day in such a
cooperative. The national and agent panels read them from the monitoring rollups
(``monitoring.selectors.area_headlines``: the dashboard's stored figures of today, checked
against the actor's scope, kept fresh by the ``geo.changes`` marks), so the home and the
dashboard always show the same numbers. The officer's panel (one cooperative) counts its
rows directly with the same definitions (``monitoring.indicators.alive_q``,
``memberships_of_alive``):
:func:`figures` and :func:`breakdown` are the reference computation the rollup-based
panels are tested against.
"""

from __future__ import annotations

from django.db.models import Count, F, Q, QuerySet

from accounts.models import Role, RoleAssignment
from accounts.scoping import scope_for
from core import dates
from core.text import fold
from credit.selectors import home_figures as credit_home_figures
from geo.models import Area, AreaLevel
from health.selectors import staff_home as health_staff_home
from monitoring.indicators import alive_q, memberships_of_alive
from monitoring.selectors import area_headlines
from registry.models import Cooperative, Membership, MembershipStatus, Sex, Stage
from registry.selectors import cooperative_scope_q

# From a cooperative to the area of the level just below a panel's area.
CHILD_LOOKUP = {
    AreaLevel.COUNTRY: "commune__parent__parent",  # regions
    AreaLevel.REGION: "commune__parent",  # departments
    AreaLevel.DEPARTMENT: "commune",  # communes
}
RECENT_LIMIT = 10


def _cooperatives(actor) -> QuerySet[Cooperative]:
    """Cooperatives in the actor's scope, without joins (safe to group and count)."""
    return Cooperative.objects.filter(cooperative_scope_q(actor))


def _active_members(cooperatives: QuerySet[Cooperative]) -> QuerySet[Membership]:
    return Membership.objects.filter(cooperative__in=cooperatives, status=MembershipStatus.ACTIVE)


def _members_on(cooperatives: QuerySet[Cooperative], on) -> QuerySet[Membership]:
    """The dashboard's members (``monitoring.indicators.memberships_of_alive``) of these
    cooperatives."""
    return memberships_of_alive(on).filter(cooperative__in=cooperatives)


def _stage_rows(by_stage: dict[str, int]) -> list[tuple]:
    return [(Stage(code).label, by_stage[code]) for code in Stage.values if by_stage.get(code)]


def figures(cooperatives: QuerySet[Cooperative], on=None) -> dict:
    """Counts over ``cooperatives`` (already scoped) on ``on`` (default today), with the
    dashboard's definitions (monitoring): cooperatives existing that day (founded by then,
    not dissolved), members = distinct persons holding a membership that day. Dissolved
    cooperatives are counted apart (``dissolved``). 2 queries whatever the size."""
    on = on or dates.today()
    grouped = (
        cooperatives.order_by()
        .values("stage")
        .annotate(n=Count("id"), alive=Count("id", filter=alive_q(on)))
        .values_list("stage", "n", "alive")
    )
    by_stage, dissolved = {}, 0
    for stage, n, alive in grouped:
        by_stage[stage] = alive
        dissolved += n if stage == Stage.DISSOUTE else 0
    people = _members_on(cooperatives, on).aggregate(
        members=Count("person", distinct=True),
        women=Count("person", distinct=True, filter=Q(person__sex=Sex.F)),
    )
    return _totals(sum(by_stage.values()), by_stage, people["members"], people["women"], dissolved)


def _totals(cooperatives: int, by_stage: dict, members: int, women: int, dissolved: int) -> dict:
    return {
        "cooperatives": cooperatives,
        "by_stage": _stage_rows(by_stage),
        "members": members,
        "women": women,
        "women_share": women / members if members else None,
        "dissolved": dissolved,
    }


def breakdown(cooperatives: QuerySet[Cooperative], parent: Area, on=None) -> list[dict]:
    """One row per child area of ``parent`` (zeros included): cooperatives existing, members,
    women (the dashboard's definitions, as :func:`figures`).

    Members are distinct persons within each row; a person in two rows counts in both.
    """
    on = on or dates.today()
    lookup = CHILD_LOOKUP.get(parent.level)
    if lookup is None:
        return []
    children = sorted(Area.objects.filter(parent=parent), key=lambda a: fold(a.name))
    coops = dict(
        cooperatives.filter(alive_q(on))
        .order_by()
        .values(lookup)
        .annotate(n=Count("id"))
        .values_list(lookup, "n")
    )
    people = {
        row["area"]: row
        for row in _members_on(cooperatives, on)
        .order_by()
        .values(area=F(f"cooperative__{lookup}"))
        .annotate(
            members=Count("person", distinct=True),
            women=Count("person", distinct=True, filter=Q(person__sex=Sex.F)),
        )
    }
    return [
        {
            "area": child,
            "cooperatives": coops.get(child.pk, 0),
            "members": people.get(child.pk, {}).get("members", 0),
            "women": people.get(child.pk, {}).get("women", 0),
        }
        for child in children
    ]


def _recent(cooperatives: QuerySet[Cooperative]) -> list[Cooperative]:
    """The latest cooperatives with their active members: the ten rows first, then one
    grouped count over those ten only (not over every cooperative of the area)."""
    recent = list(
        cooperatives.exclude(stage=Stage.DISSOUTE)
        .select_related("commune")
        .order_by("-created_at", "-id")[:RECENT_LIMIT]
    )
    counts = dict(
        Membership.objects.filter(
            cooperative__in=[c.pk for c in recent], status=MembershipStatus.ACTIVE
        )
        .order_by()
        .values("cooperative")
        .annotate(n=Count("id"))
        .values_list("cooperative", "n")
    )
    for coop in recent:
        coop.member_count = counts.get(coop.pk, 0)
    return recent


def area_panel_figures(actor, cooperatives: QuerySet[Cooperative], area: Area) -> tuple:
    """``(figures, breakdown)`` of ``area`` as :func:`figures` and :func:`breakdown` give
    them, read from the monitoring rollups (one read for the area and its children: the
    dashboard's own figures of today) plus one count of the dissolved cooperatives: three
    queries when the rows are fresh, whatever the size."""
    lookup = CHILD_LOOKUP.get(area.level)
    children = (
        sorted(Area.objects.filter(parent=area), key=lambda a: fold(a.name)) if lookup else []
    )
    heads = area_headlines(actor=actor, areas=[area, *children])
    head = heads[area.pk]
    dissolved = cooperatives.filter(stage=Stage.DISSOUTE).count()
    totals = _totals(
        head["cooperatives"], head["by_stage"], head["members"], head["women"], dissolved
    )
    rows = [
        {
            "area": child,
            "cooperatives": heads[child.pk]["cooperatives"],
            "members": heads[child.pk]["members"],
            "women": heads[child.pk]["women"],
        }
        for child in children
    ]
    return totals, rows


def _national_panel(actor) -> dict:
    coops = _cooperatives(actor)
    country = Area.objects.filter(level=AreaLevel.COUNTRY, code="SN").first()
    if country is None:  # no geography loaded: nothing stored to read
        return {"figures": figures(coops), "country": None, "breakdown": []}
    totals, rows = area_panel_figures(actor, coops, country)
    return {"figures": totals, "country": country, "breakdown": rows}


def _agent_panel(actor, area: Area) -> dict:
    coops = _cooperatives(actor).filter(commune__path__startswith=area.path)
    totals, rows = area_panel_figures(actor, coops, area)
    return {"area": area, "figures": totals, "breakdown": rows, "recent": _recent(coops)}


def _officer_panel(actor, cooperative: Cooperative) -> dict:
    coops = _cooperatives(actor).filter(pk=cooperative.pk)
    board = (
        _active_members(coops)
        .exclude(role="membre")
        .select_related("person")
        .order_by("role", "person__last_name")
    )
    return {"cooperative": cooperative, "figures": figures(coops), "board": list(board)}


def _lender_panel(actor, lender) -> dict:
    # The credit app adds its figures here (loans outstanding, arrears...) once it lands,
    # through its own scoped selectors, e.g. ``credit.selectors.loan_list(actor=actor)``.
    return {"lender": lender}


def _member_panel(actor, person) -> dict:
    memberships = (
        Membership.objects.filter(person=person, cooperative__in=_cooperatives(actor))
        .select_related("cooperative__commune")
        .order_by("status", "-joined_on")
    )
    return {"person": person, "memberships": list(memberships)}


def home_context(*, actor) -> dict:
    scope = scope_for(actor)
    assignments = list(
        RoleAssignment.objects.filter(user=actor).select_related(
            "area", "cooperative__commune", "cooperative__sector", "lender__area", "person"
        )
    )
    order = {role: i for i, role in enumerate(Role.values)}
    assignments.sort(key=lambda a: (order[a.role], a.id))
    panels = []
    for a in assignments:
        if a.role == Role.NATIONAL:
            if any(p["role"] == Role.NATIONAL for p in panels):
                continue
            data = _national_panel(actor)
        elif a.role == Role.AGENT:
            data = _agent_panel(actor, a.area)
        elif a.role == Role.OFFICER:
            data = _officer_panel(actor, a.cooperative)
        elif a.role == Role.LENDER:
            data = _lender_panel(actor, a.lender)
        else:
            data = _member_panel(actor, a.person)
        panels.append({"role": a.role, "template": f"web/home/{a.role}.html", **data})
    # Health staff (mutual agents, providers' staff) have no accounts role: their panels
    # come from the health app's own roles (health.HealthStaff). A user with an accounts
    # role sees that role's panels only.
    staff_panels = [] if assignments else health_staff_home(actor=actor, on=dates.today())
    for data in staff_panels:
        panels.append(
            {"role": f"health_{data['kind']}", "template": "health/_home_staff.html", **data}
        )
    credit = credit_home_figures(actor)  # the credit panel (credit/_home_panel.html)
    return {"scope": scope, "assignments": assignments, "panels": panels, "credit": credit}
