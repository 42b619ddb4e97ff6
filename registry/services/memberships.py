"""Memberships: admission (one by one or a whole file at once), leaving, offices.

The office rules (one president, the committee's legal size) come from
:mod:`registry.ohada`; :func:`check_office_counts`, :func:`check_admission` and
:func:`office_tally` apply them to counts already read, for the bulk path and the imports.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.scoping import scope_for
from core import bulk
from core.errors import Conflict, Forbidden, NotFound, ValidationFailed
from core.services import service
from geo.changes import areas_touch
from registry import cleaners as clean
from registry import ohada, scope_text
from registry import rules as perms
from registry.errors import Code
from registry.models import (
    Cooperative,
    MemberRole,
    Membership,
    MembershipStatus,
    Person,
    Stage,
)
from registry.services.checks import actor_user, country, require, visible_cooperative


def _check_office(coop: Cooperative, role: str, *, active_after: int, exclude_pk=None) -> None:
    """One active president; the management committee's size (registry.ohada).

    Other offices may have several holders (a deputy secretary or treasurer is a second
    ``secretaire`` or ``tresorier``), within the committee's legal size.
    """
    if role not in ohada.COMMITTEE_ROLES:
        return
    holders = Membership.objects.filter(cooperative=coop, status=MembershipStatus.ACTIVE)
    if exclude_pk:
        holders = holders.exclude(pk=exclude_pk)
    counts = holders.aggregate(
        presidents=Count("id", filter=Q(role=MemberRole.PRESIDENT)),
        committee=Count("id", filter=Q(role__in=ohada.COMMITTEE_ROLES)),
    )
    check_office_counts(coop, role, active_after=active_after, **counts)


def check_office_counts(
    coop: Cooperative, role: str, *, active_after: int, presidents: int, committee: int
) -> None:
    """The office rules of :func:`_check_office` on counts already known (imports and
    bulk admissions count a whole file): ``presidents`` and ``committee`` are the other
    active holders."""
    if role not in ohada.COMMITTEE_ROLES:
        return
    if role == MemberRole.PRESIDENT and presidents:
        raise Conflict(
            _("Cette coopérative a déjà un(e) président(e) actif(ve)."),
            code=Code.ROLE_TAKEN,
            field="role",
        )
    ohada.check_committee(
        country=country(coop),
        legal_form=coop.legal_form,
        active_members=active_after,
        committee_size=committee + 1,
    )


def check_admission(coop: Cooperative, person: Person, *, merged: bool, member: bool) -> None:
    """The rules of admitting ``person`` to ``coop``, on facts already read: ``merged``
    (the person was folded into another), ``member`` (already an active member)."""
    if merged:
        raise Conflict(
            _("Cette personne a été fusionnée : choisissez la fiche conservée."),
            code=Code.PERSON_MERGED,
            field="person",
        )
    if coop.stage == Stage.DISSOUTE:
        raise Conflict(
            _("Une coopérative dissoute n'admet plus de membres."),
            code=Code.COOPERATIVE_DISSOLVED,
        )
    if member:
        raise Conflict(
            _("%(person)s est déjà membre actif de cette coopérative.") % {"person": person},
            code=Code.ALREADY_MEMBER,
            field="person",
        )


def check_left_after_joined(joined_on, left_on) -> None:
    if left_on and left_on < joined_on:
        raise ValidationFailed(
            _("La date de sortie précède la date d'adhésion."),
            code=Code.LEFT_BEFORE_JOINED,
            field="left_on",
        )


def office_tally(tally: dict, role: str, sign: int = 1) -> None:
    """Count a member with ``role`` in (``sign`` 1) or out (-1) of a cooperative's tally
    ``{"active", "presidents", "committee"}``."""
    tally["active"] += sign
    tally["presidents"] += sign * (role == MemberRole.PRESIDENT)
    tally["committee"] += sign * (role in ohada.COMMITTEE_ROLES)


def _role(value) -> str:
    return clean.choice(value, MemberRole, "role", _("Rôle"))


@service(texts=(Membership,), event_dates=("joined_on",))
def member_admit(
    *, actor, cooperative: Cooperative, person: Person, joined_on, role: str = "membre"
) -> Membership:
    coop = Cooperative.objects.select_for_update().select_related("commune").get(pk=cooperative.pk)
    visible_cooperative(actor, coop)
    require(perms.can_manage_members.test(actor, coop))
    role = _role(role)
    joined_on = clean.date(joined_on, "joined_on", _("La date d'adhésion"))
    merged = Person.objects.filter(pk=person.pk, merged_into__isnull=False).exists()
    counts = Membership.objects.filter(cooperative=coop, status=MembershipStatus.ACTIVE).aggregate(
        active=Count("id"), mine=Count("id", filter=Q(person=person))
    )
    check_admission(coop, person, merged=merged, member=bool(counts["mine"]))
    _check_office(coop, role, active_after=counts["active"] + 1)
    areas_touch([coop.commune_id], on=joined_on)
    membership = Membership.objects.create(
        cooperative=coop, person=person, joined_on=joined_on, role=role
    )
    scope_text.rebuild([person.pk])  # the cooperative's officers and area's agents see them
    return membership


@service(event_dates=("left_on",))
def member_leave(*, actor, membership: Membership, left_on) -> Membership:
    m = (
        Membership.objects.select_for_update()
        .select_related("cooperative__commune")
        .get(pk=membership.pk)
    )
    visible_cooperative(actor, m.cooperative)
    require(perms.can_manage_members.test(actor, m.cooperative))
    left_on = clean.date(left_on, "left_on", _("La date de sortie"))
    if m.status == MembershipStatus.LEFT:
        raise Conflict(_("Ce membre est déjà sorti."), code=Code.ALREADY_LEFT)
    check_left_after_joined(m.joined_on, left_on)
    m.status = MembershipStatus.LEFT
    m.left_on = left_on
    m.save()
    areas_touch([m.cooperative.commune_id], on=left_on)
    return m


@service
def member_role_change(*, actor, membership: Membership, role: str) -> Membership:
    m = (
        Membership.objects.select_for_update()
        .select_related("cooperative__commune")
        .get(pk=membership.pk)
    )
    coop = (
        Cooperative.objects.select_for_update().select_related("commune").get(pk=m.cooperative_id)
    )
    visible_cooperative(actor, coop)
    require(perms.can_manage_members.test(actor, coop))
    role = _role(role)
    if m.status != MembershipStatus.ACTIVE:
        raise Conflict(
            _("Seul un membre actif peut recevoir un rôle."), code=Code.MEMBERSHIP_INACTIVE
        )
    if role == m.role:
        return m
    active_count = Membership.objects.filter(
        cooperative=coop, status=MembershipStatus.ACTIVE
    ).count()
    _check_office(coop, role, active_after=active_count, exclude_pk=m.pk)
    m.role = role
    m.save()
    return m


# --------------------------------------------------------------------------- in bulk


@service
def members_admit_bulk(*, actor, rows) -> list[Membership]:
    """:func:`member_admit` for many rows at once (imports), with the same rules in a few
    queries whatever the number of rows.

    ``rows``: dicts with ``cooperative``, ``person``, ``joined_on``, ``role`` (default
    ``membre``) and optionally ``left_on`` (the member then leaves on that date, as
    :func:`member_leave` would). Rows are checked in order, each seeing the earlier rows of
    the batch as admitted (one president, the committee's size, already a member). The
    first violation raises the error ``member_admit`` (or ``member_leave``) would have
    raised for that row, with ``row`` set to its index in ``rows``; nothing is written.
    Writes the memberships and their history rows in bulk, and marks each commune once,
    from the earliest date of its rows.
    """
    rows = list(rows)
    if not rows:
        return []
    facts = _BulkFacts.read(actor, rows)
    plan = _BulkPlan()
    for index, row in enumerate(rows):
        try:
            admission = _bulk_check_row(actor, row, facts)
        except (Conflict, Forbidden, NotFound, ValidationFailed) as exc:
            exc.row = index
            raise
        plan.add(*admission, facts=facts)
    return plan.write(actor)


@dataclass
class _BulkFacts:
    """What the rules of a batch need, read once for all its rows (IN lists by chunks)."""

    coops: dict  # pk -> the cooperative, locked
    visible: set  # pks of the cooperatives the actor may see
    merged: set  # pks of the persons folded into another
    counts: dict  # cooperative pk -> {"active", "presidents", "committee"}
    members: set  # (cooperative pk, person pk) of the active memberships
    allowed: dict = field(default_factory=dict)  # cooperative pk -> may manage members

    @classmethod
    def read(cls, actor, rows) -> _BulkFacts:
        coop_ids = sorted({r["cooperative"].pk for r in rows})
        person_ids = sorted({r["person"].pk for r in rows})
        coops = {
            c.pk: c
            for chunk in bulk.chunks(coop_ids)
            for c in Cooperative.objects.select_for_update()
            .select_related("commune")
            .filter(pk__in=chunk)
            .order_by("pk")
        }
        merged = {
            pk
            for chunk in bulk.chunks(person_ids)
            for pk in Person.objects.filter(pk__in=chunk, merged_into__isnull=False).values_list(
                "pk", flat=True
            )
        }
        active = Membership.objects.filter(status=MembershipStatus.ACTIVE).order_by()
        members = {
            pair
            for chunk in bulk.chunks(person_ids)
            for pair in active.filter(person_id__in=chunk).values_list(
                "cooperative_id", "person_id"
            )
            if pair[0] in coops
        }
        return cls(
            coops=coops,
            visible=_visible_ids(actor, coop_ids),
            merged=merged,
            counts=_office_counts(rows, active),
            members=members,
        )


def _visible_ids(actor, coop_ids: list[int]) -> set[int]:
    from registry.selectors import cooperative_scope_q

    if scope_for(actor).national:
        return set(coop_ids)
    return {
        pk
        for chunk in bulk.chunks(coop_ids)
        for pk in Cooperative.objects.filter(cooperative_scope_q(actor), pk__in=chunk).values_list(
            "pk", flat=True
        )
    }


def _office_counts(rows, active) -> dict:
    """The active members and office holders of the cooperatives with an office in the
    batch (the counts only matter to the offices)."""
    office_coops = sorted(
        {r["cooperative"].pk for r in rows if r.get("role") in ohada.COMMITTEE_ROLES}
    )
    return {
        c["cooperative_id"]: c
        for chunk in bulk.chunks(office_coops)
        for c in active.filter(cooperative_id__in=chunk)
        .values("cooperative_id")
        .annotate(
            active=Count("id"),
            presidents=Count("id", filter=Q(role=MemberRole.PRESIDENT)),
            committee=Count("id", filter=Q(role__in=ohada.COMMITTEE_ROLES)),
        )
    }


def _bulk_check_row(actor, row: dict, facts: _BulkFacts) -> tuple:
    """The rules of :func:`member_admit` (and :func:`member_leave`) for one row, on the
    batch's facts: (cooperative, person, role, joined_on, left_on)."""
    coop, person = facts.coops.get(row["cooperative"].pk), row["person"]
    if coop is None or coop.pk not in facts.visible:
        raise NotFound(_("Coopérative introuvable."))
    if coop.pk not in facts.allowed:
        facts.allowed[coop.pk] = perms.can_manage_members.test(actor, coop)
    require(facts.allowed[coop.pk])
    role = row.get("role", MemberRole.MEMBRE)
    if role not in MemberRole.values:
        role = _role(role)
    joined_on = clean.date(row.get("joined_on"), "joined_on", _("La date d'adhésion"))
    check_admission(
        coop, person, merged=person.pk in facts.merged, member=(coop.pk, person.pk) in facts.members
    )
    state = facts.counts.setdefault(coop.pk, {"active": 0, "presidents": 0, "committee": 0})
    check_office_counts(
        coop,
        role,
        active_after=state["active"] + 1,
        presidents=state["presidents"],
        committee=state["committee"],
    )
    left_on = clean.date(row.get("left_on"), "left_on", _("La date de sortie"), required=False)
    check_left_after_joined(joined_on, left_on)
    return coop, person, role, joined_on, left_on


@dataclass
class _BulkPlan:
    """The memberships of a checked batch, those that leave at once, and the first date of
    each commune's rows."""

    objs: list = field(default_factory=list)
    leaving: list = field(default_factory=list)
    first_day: dict = field(default_factory=dict)

    def add(self, coop, person, role, joined_on, left_on, *, facts: _BulkFacts) -> None:
        membership = Membership(cooperative=coop, person=person, joined_on=joined_on, role=role)
        self.objs.append(membership)
        if left_on:
            self.leaving.append((membership, left_on))
        else:  # the later rows of the batch see this one as admitted
            facts.members.add((coop.pk, person.pk))
            office_tally(facts.counts[coop.pk], role)
        day = self.first_day.get(coop.commune_id)
        self.first_day[coop.commune_id] = joined_on if day is None else min(day, joined_on)

    def write(self, actor) -> list[Membership]:
        from simple_history.utils import bulk_update_with_history

        user, now = actor_user(actor), timezone.now()
        objs = Membership.objects.bulk_create(self.objs)
        bulk.history_copy_created(Membership, objs, user=user, on=now)
        scope_text.rebuild({m.person_id for m in objs})
        if self.leaving:
            for membership, left_on in self.leaving:
                membership.status, membership.left_on = MembershipStatus.LEFT, left_on
            bulk_update_with_history(
                [m for m, _left in self.leaving],
                Membership,
                ["status", "left_on"],
                default_user=user,
                default_date=now,
            )
        by_day: dict = {}
        for commune_id, day in self.first_day.items():
            by_day.setdefault(day, []).append(commune_id)
        for day, commune_ids in sorted(by_day.items()):
            areas_touch(commune_ids, on=day)
        return objs
