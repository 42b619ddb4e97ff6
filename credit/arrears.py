"""Arrears and portfolio quality as of any date.

Pure part: :func:`loan_figures` (one loan) and :func:`portfolio_summary` (many).
Set-based part: :func:`figures_for` reads instalments and allocation lines of many loans in
three queries, so the nightly job and ``/portfolio`` never loop over queries.

Definitions (see docs/credit.md):

- An instalment is late on day D when its due date is before D and something of its
  principal, interest or fees remains unpaid by D (payments dated D or before count).
  Penalties do not make a loan late.
- The amount in arrears is the sum of those remainders; if it does not exceed the
  product's arrears tolerance, the loan counts as up to date.
- Days past due: D minus the due date of the oldest late instalment.
- PAR N: outstanding principal of loans more than N days late over all outstanding
  principal (active loans disbursed by D; written-off loans are out of the portfolio).
- Recovery rate of a period: what was collected (by D) on the instalments falling due in
  the period, over what fell due in it.
- Provisions: outstanding principal x the rate of the loan's aging bucket
  (``settings.CREDIT_PROVISION_RATES``; defaults below, unverified, configurable).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.db.models import Q, Sum

# (label, first day, last day) of each aging bucket; None = no upper bound.
BUCKETS = [
    ("1-30", 1, 30),
    ("31-90", 31, 90),
    ("91-180", 91, 180),
    ("181-365", 181, 365),
    (">365", 366, None),
]
CURRENT = "0"
# BCEAO SFD practice (unverified: configurable): 40 % from 3 months, 80 % from 6, 100 % from 12.
DEFAULT_PROVISION_RATES = {
    CURRENT: Decimal("0"),
    "1-30": Decimal("0"),
    "31-90": Decimal("0"),
    "91-180": Decimal("0.40"),
    "181-365": Decimal("0.80"),
    ">365": Decimal("1"),
}


def bucket_of(days_past_due: int) -> str:
    for label, low, high in BUCKETS:
        if days_past_due >= low and (high is None or days_past_due <= high):
            return label
    return CURRENT


def provision_rates() -> dict[str, Decimal]:
    rates = dict(DEFAULT_PROVISION_RATES)
    rates.update(
        {k: Decimal(str(v)) for k, v in getattr(settings, "CREDIT_PROVISION_RATES", {}).items()}
    )
    return rates


@dataclass(frozen=True)
class Due:
    """One instalment seen on day D: what it asks (principal + interest + fees) and what
    was paid on those components by D."""

    due_on: date
    amount: int
    paid: int


@dataclass(frozen=True)
class Figures:
    outstanding_principal: int
    arrears_amount: int
    days_past_due: int
    due_in_period: int = 0
    collected_in_period: int = 0

    @property
    def bucket(self) -> str:
        return bucket_of(self.days_past_due)


def loan_figures(
    *,
    principal: int,
    principal_paid: int,
    dues: Iterable[Due],
    as_of: date,
    tolerance: int = 0,
    period_start: date | None = None,
) -> Figures:
    late = [d for d in dues if d.due_on < as_of and d.amount > d.paid]
    arrears = sum(d.amount - d.paid for d in late)
    dpd = 0
    if late and arrears > tolerance:
        dpd = (as_of - min(d.due_on for d in late)).days
    due_in, collected = 0, 0
    if period_start is not None:
        in_period = [d for d in dues if period_start <= d.due_on <= as_of]
        due_in = sum(d.amount for d in in_period)
        collected = sum(min(d.paid, d.amount) for d in in_period)
    return Figures(
        outstanding_principal=principal - principal_paid,
        arrears_amount=arrears if dpd else 0,
        days_past_due=dpd,
        due_in_period=due_in,
        collected_in_period=collected,
    )


def ratio(numerator: int, denominator: int) -> Decimal:
    if not denominator:
        return Decimal("0")
    return (Decimal(numerator) / Decimal(denominator)).quantize(Decimal("0.0001"), ROUND_HALF_UP)


@dataclass
class Summary:
    outstanding: int = 0
    loans_count: int = 0
    par1: Decimal = Decimal(0)
    par30: Decimal = Decimal(0)
    par90: Decimal = Decimal(0)
    recovery_rate: Decimal = Decimal(0)
    due_in_period: int = 0
    collected_in_period: int = 0
    arrears_amount: int = 0
    provisions: int = 0
    arrears_buckets: list[dict] = field(default_factory=list)


# PAR 1, 30 and 90: the outstanding of loans more than 0, 30 and 90 days past due.
PAR_DAYS = (0, 30, 90)


@dataclass
class Part:
    """What a group of loans adds to the portfolio's quality: their count, outstanding
    principal, amount in arrears, and the outstanding of those more than 0, 30 and 90 days
    late. Parts of one aging bucket add up, whether they come from loans' figures computed
    here or from an aggregate of the stored figures (``credit.selectors.portfolio``)."""

    count: int = 0
    outstanding: int = 0
    arrears: int = 0
    par: list[int] = field(default_factory=lambda: [0] * len(PAR_DAYS))

    def add(self, other: Part) -> None:
        self.count += other.count
        self.outstanding += other.outstanding
        self.arrears += other.arrears
        self.par = [a + b for a, b in zip(self.par, other.par, strict=True)]


def empty_parts() -> dict[str, Part]:
    return {label: Part() for label in [CURRENT] + [b[0] for b in BUCKETS]}


def part_of(f: Figures) -> Part:
    """What one loan whose figures are known adds to its aging bucket."""
    return Part(
        count=1,
        outstanding=f.outstanding_principal,
        arrears=f.arrears_amount,
        par=[f.outstanding_principal if f.days_past_due > n else 0 for n in PAR_DAYS],
    )


def parts_of(figures: Iterable[Figures]) -> dict[str, Part]:
    """The parts by aging bucket of loans whose figures are known."""
    parts = empty_parts()
    for f in figures:
        parts[f.bucket].add(part_of(f))
    return parts


def summary_of_parts(parts: dict[str, Part], due: int = 0, collected: int = 0) -> Summary:
    """The portfolio's quality from its parts by aging bucket and the period's recovery."""
    rates = provision_rates()
    total = sum(p.outstanding for p in parts.values())
    at_risk = [sum(p.par[i] for p in parts.values()) for i in range(len(PAR_DAYS))]
    provisions = sum(
        (Decimal(p.outstanding) * rates.get(label, Decimal(0)) for label, p in parts.items()),
        Decimal(0),
    )
    return Summary(
        outstanding=total,
        loans_count=sum(p.count for p in parts.values()),
        par1=ratio(at_risk[0], total),
        par30=ratio(at_risk[1], total),
        par90=ratio(at_risk[2], total),
        recovery_rate=ratio(collected, due),
        due_in_period=due,
        collected_in_period=collected,
        arrears_amount=sum(p.arrears for p in parts.values()),
        provisions=int(provisions.quantize(Decimal(1), ROUND_HALF_UP)),
        arrears_buckets=[
            {
                "bucket": label,
                "count": p.count,
                "outstanding": p.outstanding,
                "provision_rate": str(rates.get(label, Decimal(0))),
            }
            for label, p in parts.items()
        ],
    )


def portfolio_summary(figures: Iterable[Figures]) -> Summary:
    figures = list(figures)
    return summary_of_parts(
        parts_of(figures),
        due=sum(f.due_in_period for f in figures),
        collected=sum(f.collected_in_period for f in figures),
    )


def figures_for(
    loans: Iterable[tuple[int, int, int]], as_of: date, period_start: date | None = None
) -> dict[int, Figures]:
    """Figures on ``as_of`` of ``loans`` given as ``(id, principal, tolerance)``.

    Two queries whatever the number of loans (call it in batches of a few thousand): the
    principal repaid per loan, and each instalment due by ``as_of`` with what was paid on
    it, summed by the database (one row per instalment, not per allocation line).
    """
    from credit.models import Allocation, Instalment

    loans = list(loans)
    ids = [loan_id for loan_id, _p, _t in loans]
    if not ids:
        return {}
    principal_paid = dict(
        Allocation.objects.filter(loan_id__in=ids, paid_on__lte=as_of, component="principal")
        .values("loan_id")
        .annotate(total=Sum("amount"))
        .values_list("loan_id", "total")
        .order_by()
    )
    instalments = (
        Instalment.objects.filter(loan_id__in=ids, superseded=False, due_on__lte=as_of)
        .values("id")
        .annotate(
            paid=Sum(
                "lines__amount",
                filter=Q(lines__paid_on__lte=as_of) & ~Q(lines__component="penalty"),
                default=0,
            )
        )
        .values_list("loan_id", "due_on", "principal_due", "interest_due", "fee_due", "paid")
        .order_by()
    )
    dues: dict[int, list[Due]] = defaultdict(list)
    for loan_id, due_on, p, i, f, paid in instalments:
        dues[loan_id].append(Due(due_on, p + i + f, paid))
    return {
        loan_id: loan_figures(
            principal=principal,
            principal_paid=principal_paid.get(loan_id, 0),
            dues=dues.get(loan_id, []),
            as_of=as_of,
            tolerance=tolerance,
            period_start=period_start,
        )
        for loan_id, principal, tolerance in loans
    }
