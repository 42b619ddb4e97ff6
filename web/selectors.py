"""What each role's home page shows: real figures, always within the actor's scope.

``home_context(actor=...)`` returns one *panel* per role assignment of the actor (a user
with two roles sees two panels). A panel is a dict with ``role``, ``template``
(``web/home/<role>.html``) and that role's data. To show more on a role's home (loans for
a lender, trainings for an officer...), add the figures to that role's ``_<role>_panel``
function below and to its template: web is the top layer, it may import any app's
selectors. Every count is computed from querysets already limited by
``registry.selectors.cooperative_scope_q`` (the one scoping mechanism), then narrowed to
the panel's area or cooperative.
"""

from __future__ import annotations

from django.db.models import Count, F, Q, QuerySet

from accounts.models import Role, RoleAssignment
from accounts.scoping import scope_for
from core.text import fold
from credit.selectors import home_figures as credit_home_figures
from geo.models import Area, AreaLevel
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


def figures(cooperatives: QuerySet[Cooperative]) -> dict:
    """Counts over ``cooperatives`` (already scoped): 2 queries whatever the size."""
    by_stage = dict(
        cooperatives.order_by().values("stage").annotate(n=Count("id")).values_list("stage", "n")
    )
    people = _active_members(cooperatives).aggregate(
        members=Count("person", distinct=True),
        women=Count("person", distinct=True, filter=Q(person__sex=Sex.F)),
    )
    return {
        "cooperatives": sum(by_stage.values()),
        "by_stage": [
            (Stage(code).label, by_stage[code]) for code in Stage.values if code in by_stage
        ],
        "members": people["members"],
        "women": people["women"],
        "women_share": people["women"] / people["members"] if people["members"] else None,
    }


def breakdown(cooperatives: QuerySet[Cooperative], parent: Area) -> list[dict]:
    """One row per child area of ``parent`` (zeros included): cooperatives, members, women.

    Members are distinct persons within each row; a person in two rows counts in both.
    """
    lookup = CHILD_LOOKUP.get(parent.level)
    if lookup is None:
        return []
    children = sorted(Area.objects.filter(parent=parent), key=lambda a: fold(a.name))
    coops = dict(
        cooperatives.order_by().values(lookup).annotate(n=Count("id")).values_list(lookup, "n")
    )
    people = {
        row["area"]: row
        for row in _active_members(cooperatives)
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
    return list(
        cooperatives.exclude(stage=Stage.DISSOUTE)
        .select_related("commune")
        .annotate(
            member_count=Count("memberships", filter=Q(memberships__status=MembershipStatus.ACTIVE))
        )
        .order_by("-created_at", "-id")[:RECENT_LIMIT]
    )


def _national_panel(actor) -> dict:
    coops = _cooperatives(actor)
    country = Area.objects.filter(level=AreaLevel.COUNTRY, code="SN").first()
    return {
        "figures": figures(coops),
        "country": country,
        "breakdown": breakdown(coops, country) if country else [],
    }


def _agent_panel(actor, area: Area) -> dict:
    coops = _cooperatives(actor).filter(commune__path__startswith=area.path)
    return {
        "area": area,
        "figures": figures(coops),
        "breakdown": breakdown(coops, area),
        "recent": _recent(coops),
    }


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
    credit = credit_home_figures(actor)  # the credit panel (credit/_home_panel.html)
    return {"scope": scope, "assignments": assignments, "panels": panels, "credit": credit}
