"""Every read of the network's governance (docs/networkgov.md). The list of members in
good standing is public (names only); arrears are the administrators'; an organisation's
membership is its accounts'; assemblies and consultations are read by the members'
accounts and the administrators, results of a consultation once it is closed."""

from __future__ import annotations

import datetime
from collections import Counter, defaultdict
from dataclasses import dataclass

from django.db.models import Min, QuerySet
from django.utils.translation import gettext as _

from core import dates
from core.errors import Conflict, Forbidden, NotFound
from governance.voting import quorum_met, resolution_passes
from network.models import Organisation, OrgStatus
from networkgov import rules
from networkgov.errors import Code
from networkgov.models import (
    AssemblyStatus,
    Consultation,
    Delegate,
    DuesTariff,
    Membership,
    NetworkAssembly,
    NetworkResolution,
    NetworkVote,
)
from networkgov.standing import Standing, YearDues, standing_on
from networkgov.statutes import statutes, year_due_on

# ------------------------------------------------------------------ membership, standing


def standings(as_of: datetime.date, organisation_ids=None) -> dict[int, Standing]:
    """Every organisation that ever joined (or those given): its standing on ``as_of``."""
    rows = Membership.objects.filter(year__lte=as_of.year)
    if organisation_ids is not None:
        rows = rows.filter(organisation_id__in=list(organisation_ids))
    first = dict(
        rows.values("organisation_id").annotate(y=Min("year")).values_list("organisation_id", "y")
    )
    years: dict[int, dict[int, YearDues]] = defaultdict(dict)
    for org_id, year, dues, paid, due_on in rows.filter(year__gte=as_of.year - 1).values_list(
        "organisation_id", "year", "dues", "paid", "due_on"
    ):
        years[org_id][year] = YearDues(dues, paid, due_on)
    return {
        org_id: _standing(as_of, years[org_id], first_year) for org_id, first_year in first.items()
    }


def _standing(as_of: datetime.date, years: dict, first_year: int | None) -> Standing:
    return standing_on(
        as_of,
        years.get(as_of.year),
        years.get(as_of.year - 1),
        joined_before=first_year is not None and first_year < as_of.year,
        statutory_due_on=year_due_on(as_of.year),
        lapse_days=statutes()["lapse_days"],
    )


def standing_of(organisation_id: int, as_of: datetime.date) -> Standing:
    found = standings(as_of, [organisation_id])
    return found.get(organisation_id) or _standing(as_of, {}, None)


def my_standings(*, actor, as_of: datetime.date) -> list[tuple[Organisation, Standing | None]]:
    """The approved organisations the actor acts for, each with its standing on ``as_of``
    (``None``: it never joined)."""
    ids = sorted(rules.network_scope(actor).organisation_ids)
    orgs = list(Organisation.objects.filter(pk__in=ids, status=OrgStatus.APPROVED).order_by("name"))
    found = standings(as_of, [o.pk for o in orgs])
    return [(o, found.get(o.pk)) for o in orgs]


def good_standing_ids(as_of: datetime.date) -> set[int]:
    return {pk for pk, s in standings(as_of).items() if s.good}


def members_in_good_standing(*, as_of: datetime.date | None = None) -> QuerySet[Organisation]:
    """Public: the approved organisations in good standing (names, country only)."""
    ids = good_standing_ids(as_of or dates.today())
    return (
        Organisation.objects.filter(pk__in=ids, status=OrgStatus.APPROVED)
        .only("name", "slug", "country")
        .order_by("name")
    )


@dataclass
class Arrear:
    organisation: Organisation
    standing: Standing
    membership: Membership | None
    remaining: int


def arrears(*, actor, as_of: datetime.date) -> list[Arrear]:
    """The administrators': organisations late or lapsed on ``as_of`` and what they owe
    for the year (late and lapsed first by due date)."""
    if not rules.is_admin(actor):
        raise Forbidden(_("Réservé aux administrateurs du réseau."))
    behind = {pk: s for pk, s in standings(as_of).items() if s.status in ("late", "lapsed")}
    current = {
        m.organisation_id: m
        for m in Membership.objects.filter(year=as_of.year, organisation_id__in=list(behind))
    }
    orgs = Organisation.objects.filter(pk__in=list(behind)).order_by("name")
    return [
        Arrear(
            o, behind[o.pk], current.get(o.pk), current[o.pk].remaining if o.pk in current else 0
        )
        for o in orgs
    ]


def tariff_list() -> QuerySet[DuesTariff]:
    return DuesTariff.objects.order_by("kind", "size")


def tariff_for(kind: str, size: str) -> DuesTariff | None:
    return DuesTariff.objects.filter(kind=kind, size=size).first()


def membership_list(*, actor) -> QuerySet[Membership]:
    """The memberships of the actor's organisations (an admin: every one)."""
    qs = Membership.objects.select_related("organisation")
    if not rules.is_admin(actor):
        qs = qs.filter(organisation_id__in=rules.network_scope(actor).organisation_ids)
    return qs.order_by("-year", "organisation__name")


def membership_get(*, actor, pk: int) -> Membership:
    membership = membership_list(actor=actor).filter(pk=pk).first()
    if membership is None:
        raise NotFound(_("Adhésion introuvable."))
    return membership


# ------------------------------------------------------------------------- assemblies


def assembly_list(*, actor) -> QuerySet[NetworkAssembly]:
    if not rules.follows_network(actor):
        raise Forbidden(_("Réservé aux organisations membres et aux administrateurs."))
    return NetworkAssembly.objects.order_by("-held_on", "-id")


def assembly_get(*, actor, pk: int) -> NetworkAssembly:
    assembly = None
    if rules.follows_network(actor):
        assembly = NetworkAssembly.objects.filter(pk=pk).first()
    if assembly is None:
        raise NotFound(_("Assemblée introuvable."))
    return assembly


@dataclass
class ResolutionResult:
    resolution: NetworkResolution
    votes_for: int
    votes_against: int
    abstentions: int
    passed: bool


@dataclass
class AssemblyResults:
    members: int
    voters: int
    quorum: str
    majority: str
    quorum_reached: bool
    resolutions: list[ResolutionResult]


def assembly_results(assembly: NetworkAssembly) -> AssemblyResults:
    """Members in good standing on the day, organisations that voted, quorum and each
    resolution's counts and outcome (governance.voting's rules; frozen once closed)."""
    closed = assembly.status == AssemblyStatus.CLOSED
    resolutions = list(assembly.resolutions.order_by("number"))
    counts = defaultdict(Counter)
    for res_id, choice in NetworkVote.objects.filter(resolution__assembly=assembly).values_list(
        "resolution_id", "choice"
    ):
        counts[res_id][choice] += 1
    if closed:
        members, voters = assembly.members_count or 0, assembly.voters_count or 0
        reached = bool(assembly.quorum_reached)
    else:
        members = len(good_standing_ids(assembly.held_on))
        voters = voters_count(assembly)
        reached = quorum_met(voters, members, assembly.quorum_required)
    lines = []
    for r in resolutions:
        c = counts[r.pk]
        f, a, ab = (
            (r.votes_for, r.votes_against, r.abstentions)
            if closed
            else (c["for"], c["against"], c["abstain"])
        )
        passed = (
            bool(r.passed)
            if closed
            else resolution_passes(
                quorum_reached=reached,
                votes_for=f,
                votes_against=a,
                majority=assembly.majority_required,
            )
        )
        lines.append(ResolutionResult(r, f or 0, a or 0, ab or 0, passed))
    return AssemblyResults(
        members, voters, assembly.quorum_required, assembly.majority_required, reached, lines
    )


def assembly_voting_open(assembly: NetworkAssembly, *, on: datetime.date) -> bool:
    """Votes are cast from the assembly's day until it is closed."""
    return assembly.status == AssemblyStatus.CONVENED and on >= assembly.held_on


def voters_count(assembly: NetworkAssembly) -> int:
    return (
        NetworkVote.objects.filter(resolution__assembly=assembly)
        .values("organisation_id")
        .distinct()
        .count()
    )


def my_votes(*, actor, assembly: NetworkAssembly) -> dict[int, dict[int, str]]:
    """{organisation id: {resolution id: choice}} for the actor's organisations."""
    ids = rules.network_scope(actor).organisation_ids
    found: dict[int, dict[int, str]] = {pk: {} for pk in ids}
    for org_id, res_id, choice in NetworkVote.objects.filter(
        resolution__assembly=assembly, organisation_id__in=ids
    ).values_list("organisation_id", "resolution_id", "choice"):
        found[org_id][res_id] = choice
    return found


def delegate_of(assembly: NetworkAssembly, organisation_id: int) -> Delegate | None:
    return (
        Delegate.objects.select_related("user")
        .filter(assembly=assembly, organisation_id=organisation_id)
        .first()
    )


# ---------------------------------------------------------------------- consultations


def consultation_list(*, actor) -> QuerySet[Consultation]:
    if not rules.follows_network(actor):
        raise Forbidden(_("Réservé aux organisations membres et aux administrateurs."))
    return Consultation.objects.select_related("project").order_by("-opens_on", "-id")


def consultation_get(*, actor, pk: int) -> Consultation:
    consultation = None
    if rules.follows_network(actor):
        consultation = Consultation.objects.select_related("project").filter(pk=pk).first()
    if consultation is None:
        raise NotFound(_("Consultation introuvable."))
    return consultation


def consultation_is_open(consultation: Consultation, on: datetime.date) -> bool:
    return consultation.opens_on <= on <= consultation.closes_on


@dataclass
class ConsultationResults:
    answers: int
    counts: list[tuple[str, int]]
    comments: list[tuple[str, str]]  # (organisation name or "", comment)


def consultation_results(
    consultation: Consultation, *, on: datetime.date
) -> ConsultationResults | None:
    """Published once the consultation has closed (``None`` before: nobody sees them)."""
    if on <= consultation.closes_on:
        return None
    answers = list(consultation.answers.select_related("organisation").order_by("answered_at"))
    tally = Counter(a.option for a in answers if a.option)
    counts = [(option, tally.get(option, 0)) for option in consultation.options]
    comments = [
        ("" if consultation.anonymous_comments else a.organisation.name, a.comment)
        for a in answers
        if a.comment
    ]
    return ConsultationResults(len(answers), counts, comments)


def consultation_results_published(
    consultation: Consultation, *, on: datetime.date
) -> ConsultationResults:
    """The results, once the consultation has closed; before: 409 ``not_closed``."""
    results = consultation_results(consultation, on=on)
    if results is None:
        raise Conflict(
            _("Les résultats sont publiés après la clôture (le %(day)s).")
            % {"day": consultation.closes_on.strftime("%d/%m/%Y")},
            code=Code.NOT_CLOSED,
        )
    return results


def my_answers(*, actor, consultation: Consultation) -> dict[int, object]:
    ids = rules.network_scope(actor).organisation_ids
    return {a.organisation_id: a for a in consultation.answers.filter(organisation_id__in=ids)}


def resolution_get(*, actor, pk: int, assembly_id: int | None = None) -> NetworkResolution:
    """A resolution (of ``assembly_id`` when given: another assembly's is not found)."""
    resolution = None
    if rules.follows_network(actor):
        qs = NetworkResolution.objects.select_related("assembly").filter(pk=pk)
        if assembly_id is not None:
            qs = qs.filter(assembly_id=assembly_id)
        resolution = qs.first()
    if resolution is None:
        raise NotFound(_("Résolution introuvable."))
    return resolution
