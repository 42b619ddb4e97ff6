"""Counts of the mutual health insurance, never diagnoses: members covered (by sex, age,
cooperative, area), contribution recovery, loss ratio, average cost per member; and the
two indicators ``health_covered_persons`` and ``health_contribution_recovery``.

Through the reader's scope (``selectors.household_q``): the national role counts every
household, an agent those of their area, an officer their cooperative's, a mutual agent
their scheme's. "As of" is a parameter.
"""

from __future__ import annotations

import datetime
from collections import Counter
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Sum
from django.utils.translation import gettext_lazy as _

from health import coverage, services
from health.models import Claim, ClaimStatus, Contribution, Household
from health.selectors import household_q, member_cover

AGE_BANDS = [(0, 17, "0-17"), (18, 35, "18-35"), (36, 59, "36-59"), (60, 200, "60+")]
INDICATOR_DEFINITIONS = {
    "health_covered_persons": _(
        "Personnes couvertes (statut « couvert » à la date de calcul) dans les ménages "
        "enrôlés visibles du lecteur."
    ),
    "health_contribution_recovery": _(
        "Cotisations encaissées depuis le 1er janvier (droits d'adhésion compris) rapportées "
        "aux cotisations dues sur la même période : droits d'adhésion des personnes entrées "
        "dans l'année et mois écoulés depuis l'adhésion (ou le 1er janvier) pour les "
        "membres actuels."
    ),
}


def ratio(numerator: int, denominator: int) -> Decimal | None:
    if not denominator:
        return None
    return (Decimal(numerator) / Decimal(denominator)).quantize(
        Decimal("0.0001"), rounding=ROUND_HALF_UP
    )


@dataclass
class Report:
    as_of: datetime.date
    year: int
    covered: int = 0
    by_sex: Counter = field(default_factory=Counter)
    by_age: Counter = field(default_factory=Counter)
    by_cooperative: Counter = field(default_factory=Counter)
    by_area: Counter = field(default_factory=Counter)
    households: int = 0
    due: int = 0
    collected: int = 0
    claims_paid: int = 0
    claims_count: int = 0

    @property
    def recovery(self) -> Decimal | None:
        return ratio(self.collected, self.due)

    @property
    def loss_ratio(self) -> Decimal | None:
        return ratio(self.claims_paid, self.collected)

    @property
    def cost_per_member(self) -> int | None:
        return round(self.claims_paid / self.covered) if self.covered else None


def _months_elapsed(start: datetime.date, as_of: datetime.date) -> int:
    months = 0
    while months < 1200 and coverage.add_months(start, months) <= as_of:
        months += 1
    return months


def _due_in_year(household: Household, members, year_start, as_of) -> int:
    """Joining fees of the year's entrants, and the months of the year run so far."""
    fees = household.scheme.joining_fee * sum(
        1 for m in members if year_start <= m.joined_on <= as_of
    )
    cost = services.month_cost_function(household, members)
    first = _months_elapsed(household.enrolled_on, year_start - datetime.timedelta(days=1))
    last = _months_elapsed(household.enrolled_on, as_of)
    return fees + sum(cost(k) for k in range(first, last))


def _person_row(report: Report, member, household, as_of: datetime.date) -> None:
    person = member.person
    report.covered += 1
    report.by_sex[person.sex] += 1
    age = coverage.age_on(person.birth_date, as_of)
    band = next((label for lo, hi, label in AGE_BANDS if age is not None and lo <= age <= hi), "?")
    report.by_age[band] += 1
    report.by_cooperative[household.cooperative.name if household.cooperative else "—"] += 1
    commune = household.cooperative.commune if household.cooperative else person.commune
    report.by_area[commune.name if commune else "—"] += 1


def health_report(
    *, actor, as_of: datetime.date, scheme_id: int | None = None, area_path: str = ""
) -> Report:
    year_start = datetime.date(as_of.year, 1, 1)
    report = Report(as_of=as_of, year=as_of.year)
    households = Household.objects.filter(household_q(actor), enrolled_on__lte=as_of)
    if scheme_id:
        households = households.filter(scheme_id=scheme_id)
    if area_path:
        households = households.filter(cooperative__commune__path__startswith=area_path)
    households = households.select_related("scheme", "cooperative__commune").prefetch_related(
        "members__person__commune", "scheme__age_bands"
    )
    for household in households:
        report.households += 1
        members = [m for m in household.members.all() if m.left_on is None]
        for member in members:
            member.household = household
            if member_cover(member, as_of).status == coverage.Status.ACTIVE:
                _person_row(report, member, household, as_of)
        report.due += _due_in_year(household, members, year_start, as_of)
    ids = [h.pk for h in households]
    report.collected = (
        Contribution.objects.filter(
            household__in=ids, paid_on__gte=year_start, paid_on__lte=as_of
        ).aggregate(s=Sum("amount"))["s"]
        or 0
    )
    claims = Claim.objects.filter(
        household__in=ids,
        service_on__gte=year_start,
        service_on__lte=as_of,
        status__in=[ClaimStatus.VALUATED, ClaimStatus.PAID],
    )
    report.claims_paid = claims.aggregate(s=Sum("covered_amount"))["s"] or 0
    report.claims_count = claims.count()
    return report


def indicators(report: Report) -> list[dict]:
    return [
        {
            "code": "health_covered_persons",
            "label": str(_("Personnes couvertes par une mutuelle de santé")),
            "unit": "persons",
            "value": report.covered,
            "definition": str(INDICATOR_DEFINITIONS["health_covered_persons"]),
        },
        {
            "code": "health_contribution_recovery",
            "label": str(_("Taux de recouvrement des cotisations santé")),
            "unit": "ratio",
            "value": str(report.recovery) if report.recovery is not None else None,
            "definition": str(INDICATOR_DEFINITIONS["health_contribution_recovery"]),
        },
    ]


def report_as_dict(report: Report) -> dict:
    def text(value):
        return str(value) if value is not None else None

    return {
        "as_of": report.as_of,
        "households": report.households,
        "covered": report.covered,
        "by_sex": dict(report.by_sex),
        "by_age": dict(report.by_age),
        "by_cooperative": dict(report.by_cooperative),
        "by_area": dict(report.by_area),
        "due": report.due,
        "collected": report.collected,
        "recovery": text(report.recovery),
        "claims_count": report.claims_count,
        "claims_paid": report.claims_paid,
        "loss_ratio": text(report.loss_ratio),
        "cost_per_member": report.cost_per_member,
        "indicators": indicators(report),
    }


# --- the dashboard's components (monitoring.rollups and monitoring.indicators) -----------

DASHBOARD_COMPONENTS = (
    "health_households",  # households enrolled by as_of
    "health_households_covered",  # of which at least one person covered on as_of
    "health_persons",  # persons covered on as_of (a person in two schemes counts twice)
    "health_due",  # contributions due in the year up to as_of
    "health_collected",  # contributions collected in the year up to as_of
    "health_claims",  # what the mutuals pay for claims of the year, valuated or paid
)


def area_q(path: str):
    """Households of an area: through their cooperative's commune, or the head's commune
    when enrolled directly (as ``selectors.household_q`` scopes agents)."""
    from django.db.models import Q

    return Q(cooperative__commune__path__startswith=path) | Q(
        cooperative__isnull=True, head__commune__path__startswith=path
    )


def commune_components(households, *, year: int, as_of: datetime.date) -> dict[int, Counter]:
    """Additive health components per commune (see DASHBOARD_COMPONENTS) of ``households``
    (a queryset, already limited to an area or a scope). Counts and amounts only."""
    year_start = datetime.date(year, 1, 1)
    base = households.filter(enrolled_on__lte=as_of)
    households = base.select_related("scheme", "cooperative", "head").prefetch_related(
        "members__person", "scheme__age_bands"
    )
    out: dict[int, Counter] = {}
    commune_of = {}
    for household in households:
        commune = household.cooperative.commune_id if household.cooperative_id else None
        commune = commune or household.head.commune_id
        commune_of[household.pk] = commune
        row = out.setdefault(commune, Counter())
        members = [m for m in household.members.all() if m.left_on is None]
        active = 0
        for member in members:
            member.household = household
            active += member_cover(member, as_of).status == coverage.Status.ACTIVE
        row["health_households"] += 1
        row["health_households_covered"] += bool(active)
        row["health_persons"] += active
        row["health_due"] += _due_in_year(household, members, year_start, as_of)
    period = {"paid_on__gte": year_start, "paid_on__lte": as_of}
    for hid, amount in (
        Contribution.objects.filter(household__in=base.values("pk"), **period)
        .order_by()
        .values_list("household_id")
        .annotate(s=Sum("amount"))
    ):
        out[commune_of[hid]]["health_collected"] += int(amount or 0)
    for hid, amount in (
        Claim.objects.filter(
            household__in=base.values("pk"),
            service_on__gte=year_start,
            service_on__lte=as_of,
            status__in=[ClaimStatus.VALUATED, ClaimStatus.PAID],
        )
        .order_by()
        .values_list("household_id")
        .annotate(s=Sum("covered_amount"))
    ):
        out[commune_of[hid]]["health_claims"] += int(amount or 0)
    return out


def components_total(households, *, year: int, as_of: datetime.date) -> Counter:
    total: Counter = Counter()
    for row in commune_components(households, year=year, as_of=as_of).values():
        total.update(row)
    return total
