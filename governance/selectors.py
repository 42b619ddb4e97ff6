"""Every read of bodies, mandates and general assemblies, scoped through accounts.scoping."""

from __future__ import annotations

import calendar
from dataclasses import dataclass, field
from datetime import date

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from capital.selectors import statutes_for
from core.errors import NotFound
from governance.limits import ACCOUNTS_APPROVAL_MONTHS
from governance.models import (
    Assembly,
    AssemblyKind,
    AssemblyStatus,
    Attendance,
    Mandate,
    Resolution,
)
from governance.voting import quorum_met, resolution_passes
from registry.models import Cooperative, Membership, MembershipStatus, Stage
from registry.selectors import cooperative_list, cooperative_scope_q

OPERATING_STAGES = [Stage.IMMATRICULEE, Stage.EN_ACTIVITE, Stage.CONSOLIDEE]


def visible_cooperatives(actor) -> QuerySet[Cooperative]:
    return Cooperative.objects.filter(cooperative_scope_q(actor))


def members_count(cooperative: Cooperative, on: date) -> int:
    """Active members on ``on`` (joined by then, not left by then)."""
    return (
        Membership.objects.filter(cooperative=cooperative, joined_on__lte=on)
        .filter(Q(status=MembershipStatus.ACTIVE, left_on__isnull=True) | Q(left_on__gt=on))
        .values("person")
        .distinct()
        .count()
    )


def mandate_list(*, actor, cooperative: Cooperative | None = None) -> QuerySet[Mandate]:
    qs = Mandate.objects.filter(cooperative__in=visible_cooperatives(actor))
    if cooperative is not None:
        qs = qs.filter(cooperative=cooperative)
    return qs.select_related("person", "cooperative")


def mandate_get(*, actor, pk) -> Mandate:
    try:
        return mandate_list(actor=actor).get(pk=pk)
    except (Mandate.DoesNotExist, ValueError, TypeError):
        raise NotFound(_("Mandat introuvable.")) from None


def mandates_current(cooperative: Cooperative, on: date) -> QuerySet[Mandate]:
    return Mandate.objects.filter(
        cooperative=cooperative, starts_on__lte=on, ends_on__gt=on
    ).filter(Q(ended_on__isnull=True) | Q(ended_on__gt=on))


def assembly_list(
    *, actor, cooperative: Cooperative | None = None, kind: str | None = None
) -> QuerySet[Assembly]:
    qs = Assembly.objects.filter(cooperative__in=visible_cooperatives(actor))
    if cooperative is not None:
        qs = qs.filter(cooperative=cooperative)
    if kind:
        qs = qs.filter(kind=kind)
    return (
        qs.select_related("cooperative")
        .annotate(
            attendance_count=Count("attendances", distinct=True),
            resolution_count=Count("resolutions", distinct=True),
        )
        .order_by("-held_on", "-id")
    )


def assembly_get(*, actor, pk) -> Assembly:
    try:
        return (
            Assembly.objects.filter(cooperative__in=visible_cooperatives(actor))
            .select_related("cooperative__commune")
            .get(pk=pk)
        )
    except (Assembly.DoesNotExist, ValueError, TypeError):
        raise NotFound(_("Assemblée introuvable.")) from None


def resolution_get(*, actor, pk) -> Resolution:
    try:
        return (
            Resolution.objects.filter(assembly__cooperative__in=visible_cooperatives(actor))
            .select_related("assembly__cooperative__commune")
            .get(pk=pk)
        )
    except (Resolution.DoesNotExist, ValueError, TypeError):
        raise NotFound(_("Résolution introuvable.")) from None


def attendance_get(*, actor, pk) -> Attendance:
    try:
        return (
            Attendance.objects.filter(assembly__cooperative__in=visible_cooperatives(actor))
            .select_related("assembly__cooperative__commune", "person")
            .get(pk=pk)
        )
    except (Attendance.DoesNotExist, ValueError, TypeError):
        raise NotFound(_("Présence introuvable.")) from None


def quorum_and_majority(assembly: Assembly) -> tuple[str, str]:
    """The statutes' quorum and majority for this assembly's type and convocation."""
    if assembly.status == AssemblyStatus.CLOSED and assembly.quorum_required:
        return assembly.quorum_required, assembly.majority_required
    s = statutes_for(assembly.cooperative)
    if assembly.kind == AssemblyKind.EXTRAORDINARY:
        quorum = (
            s.extraordinary_quorum_first
            if assembly.convocation == 1
            else (s.extraordinary_quorum_second)
        )
        return quorum, s.extraordinary_majority
    quorum = s.ordinary_quorum_first if assembly.convocation == 1 else s.ordinary_quorum_second
    return quorum, s.ordinary_majority


@dataclass
class ResolutionResult:
    resolution: Resolution
    passed: bool | None


@dataclass
class AssemblyResults:
    assembly: Assembly
    members: int
    present: int
    represented: int
    quorum: str
    majority: str
    quorum_reached: bool
    attendances: list[Attendance] = field(default_factory=list)
    resolutions: list[ResolutionResult] = field(default_factory=list)

    @property
    def voters(self) -> int:
        return self.present + self.represented


def assembly_results(assembly: Assembly) -> AssemblyResults:
    """Attendance, quorum and the result of each resolution (frozen once closed)."""
    attendances = list(
        assembly.attendances.select_related("person", "proxy_holder").order_by(
            "person__last_name", "person__first_name", "id"
        )
    )
    represented = sum(1 for a in attendances if a.proxy_holder_id)
    present = len(attendances) - represented
    closed = assembly.status == AssemblyStatus.CLOSED
    members = (
        assembly.members_count
        if closed and assembly.members_count is not None
        else members_count(assembly.cooperative, assembly.held_on)
    )
    quorum, majority = quorum_and_majority(assembly)
    reached = (
        bool(assembly.quorum_reached)
        if closed and assembly.quorum_reached is not None
        else quorum_met(present + represented, members, quorum)
    )
    results = []
    for r in assembly.resolutions.order_by("number"):
        if closed:
            passed = r.passed
        elif not r.voted:
            passed = None
        else:
            passed = resolution_passes(
                quorum_reached=reached,
                votes_for=r.votes_for,
                votes_against=r.votes_against,
                majority=majority,
            )
        results.append(ResolutionResult(r, passed))
    return AssemblyResults(
        assembly, members, present, represented, quorum, majority, reached, attendances, results
    )


def _add_months(d: date, months: int) -> date:
    month0 = d.month - 1 + months
    year, month = d.year + month0 // 12, month0 % 12 + 1
    return date(year, month, min(d.day, calendar.monthrange(year, month)[1]))


def last_year_end_due(month: int, as_of: date) -> tuple[date, date]:
    """The latest financial year end whose approval deadline has passed on ``as_of``."""
    year = as_of.year
    while True:
        end = date(year, month, calendar.monthrange(year, month)[1])
        deadline = _add_months(end, ACCOUNTS_APPROVAL_MONTHS)
        if deadline < as_of:
            return end, deadline
        year -= 1


@dataclass
class LateCooperative:
    cooperative: Cooperative
    year_end: date
    deadline: date


def accounts_approval_late_list(*, actor, as_of: date) -> list[LateCooperative]:
    """Operating cooperatives whose ordinary assembly has not approved the accounts of the
    last financial year whose 6-month deadline has passed on ``as_of``."""
    base = cooperative_list(actor=actor).filter(stage__in=OPERATING_STAGES)
    months = set(
        base.exclude(statutes__isnull=True).values_list(
            "statutes__fiscal_year_end_month", flat=True
        )
    )
    months.add(12)
    result = []
    for month in sorted(months):
        end, deadline = last_year_end_due(month, as_of)
        approved = Resolution.objects.filter(
            assembly__cooperative=OuterRef("pk"),
            assembly__kind=AssemblyKind.ORDINARY,
            assembly__status=AssemblyStatus.CLOSED,
            assembly__held_on__lte=as_of,
            approves_accounts_year=end.year,
            passed=True,
        )
        in_month = (
            Q(statutes__fiscal_year_end_month=month)
            if month != 12
            else Q(statutes__isnull=True) | Q(statutes__fiscal_year_end_month=12)
        )
        created_before = Q(founded_on__lte=end) | Q(
            founded_on__isnull=True, created_at__date__lte=end
        )
        coops = base.filter(in_month, created_before).filter(~Exists(approved))
        result += [LateCooperative(c, end, deadline) for c in coops]
    result.sort(key=lambda x: (x.deadline, x.cooperative.name))
    return result
