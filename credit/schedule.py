"""The repayment schedule engine: pure functions, whole francs, explicit rounding.

Nothing here touches the database. :func:`build_schedule` turns loan terms into a list of
instalments; :func:`effective_rate` gives the effective global rate (TEG) of a schedule,
fees included, for the usury check.

Rules (see docs/credit.md):

- Period rate. Day count 30/360 (default): a monthly period's rate is annual / 12, a weekly
  period's annual / 52. Actual/365: annual x days in the period / 365.
- Declining balance: each period's interest is the outstanding principal x the period
  rate, rounded half up to the franc. Equal instalments (annuity): the constant total
  ``A = P r / (1 - (1 + r)^-n)`` (generalised to uneven periods), rounded half up; each
  instalment's principal is ``A - interest``. Equal principal: ``P / n`` rounded down.
- Flat: each period's interest is the original principal x the period rate; principal
  ``P / n`` rounded down.
- The residue always goes on the last instalment, so the principal parts sum exactly to
  the principal and the last instalment closes the loan.
- Grace on principal: the first ``grace_periods`` instalments repay no principal (interest
  only). With ``grace_on_interest`` they pay no interest either: the interest accrued is
  deferred (never capitalised) and paid with the first instalment after the grace.
- Seasonal products (``repayment_months``): instalments falling in other months repay no
  principal and defer their interest, like a grace period; the loan ends with its last
  instalment in season (within the term).
- Fees at disbursement (a rate of the principal and/or a fixed amount) are instalment
  number 0, due on the disbursement date.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from core.money import round_xof

FLAT = "flat"
DECLINING = "declining"
ANNUITY = "annuity"
EQUAL_PRINCIPAL = "equal_principal"
MONTHLY = "monthly"
WEEKLY = "weekly"
DC_30_360 = "30/360"
DC_ACTUAL_365 = "actual/365"

PERIODS_PER_YEAR = {MONTHLY: 12, WEEKLY: 52}
HUNDRED = Decimal(100)


@dataclass(frozen=True)
class Terms:
    principal: int
    annual_rate: Decimal  # percent, e.g. Decimal("18")
    term_months: int
    disbursed_on: date
    interest_method: str = DECLINING
    amortization: str = ANNUITY
    frequency: str = MONTHLY
    day_count: str = DC_30_360
    grace_periods: int = 0
    grace_on_interest: bool = False
    fee_rate: Decimal = Decimal(0)  # percent of the principal
    fee_fixed: int = 0
    repayment_months: frozenset[int] = field(default_factory=frozenset)  # empty: every month
    first_due_on: date | None = None

    @property
    def periods(self) -> int:
        return instalment_count(self.term_months, self.frequency)


@dataclass(frozen=True)
class Instalment:
    number: int
    due_on: date
    principal: int
    interest: int
    fee: int = 0
    balance: int = 0  # principal outstanding after this instalment

    @property
    def total(self) -> int:
        return self.principal + self.interest + self.fee


def instalment_count(term_months: int, frequency: str) -> int:
    """12 months -> 12 monthly or 52 weekly instalments (weekly: months x 52 / 12, rounded)."""
    if frequency == WEEKLY:
        return max(1, round_xof(Decimal(term_months) * 52 / 12))
    return term_months


def add_months(day: date, months: int) -> date:
    """Same day ``months`` later, clamped to the month's last day (31/01 + 1 -> 28/02)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def due_dates(terms: Terms) -> list[date]:
    """Every due date counted from one anchor, never from the previous due date.

    The anchor is the disbursement date (instalment k falls k periods after it) or, when
    given, the first due date (instalment k falls k - 1 periods after it). Monthly dates are
    clamped to the month's end each time from the anchor, so a loan disbursed on 31/01 falls
    due on 28/02, 31/03, 30/04 (Fineract's LAST_DAY_OF_MONTH rule), never drifting to the
    28th; a chained ``add_months(previous, 1)`` would give 28/02, 28/03, 28/04.
    """
    n = terms.periods
    anchor, offset = (terms.first_due_on, 0) if terms.first_due_on else (terms.disbursed_on, 1)
    if terms.frequency == WEEKLY:
        return [anchor + timedelta(days=7 * (i + offset)) for i in range(n)]
    return [add_months(anchor, i + offset) for i in range(n)]


def period_rates(terms: Terms, dates: list[date]) -> list[Decimal]:
    """Each period's rate as a fraction (0.015 for 18 % a year monthly, 30/360)."""
    annual = Decimal(terms.annual_rate) / HUNDRED
    if terms.day_count == DC_ACTUAL_365:
        starts = [terms.disbursed_on, *dates[:-1]]
        return [
            annual * Decimal((end - start).days) / Decimal(365)
            for start, end in zip(starts, dates, strict=True)
        ]
    return [annual / PERIODS_PER_YEAR[terms.frequency]] * len(dates)


def disbursement_fee(terms: Terms) -> int:
    return round_xof(Decimal(terms.principal) * Decimal(terms.fee_rate) / HUNDRED) + int(
        terms.fee_fixed
    )


def annuity_payment(principal: int, rate: Decimal, periods: int) -> Decimal:
    """The textbook annuity ``P r / (1 - (1 + r)^-n)`` (unrounded); ``P / n`` when r = 0."""
    if rate == 0:
        return Decimal(principal) / periods
    return Decimal(principal) * rate / (1 - (1 + rate) ** -periods)


def _paying(terms: Terms, dates: list[date]) -> list[bool]:
    """Which instalments repay principal (after the grace, in a repayment month)."""
    flags = []
    for i, d in enumerate(dates):
        in_season = not terms.repayment_months or d.month in terms.repayment_months
        flags.append(i >= terms.grace_periods and in_season)
    if not any(flags):
        flags[-1] = True  # the last instalment always closes the loan
    return flags


def _interest_paying(terms: Terms, dates: list[date]) -> list[bool]:
    flags = []
    for i, d in enumerate(dates):
        if i == len(dates) - 1:
            flags.append(True)
        elif i < terms.grace_periods:
            flags.append(not terms.grace_on_interest)
        elif terms.repayment_months and d.month not in terms.repayment_months:
            flags.append(False)
        else:
            flags.append(True)
    return flags


def _level_payment(principal: int, rates: list[Decimal], paying: list[bool]) -> Decimal:
    """The constant payment that amortises ``principal`` over the paying periods.

    The balance after the paying periods is ``alpha - beta * A`` (non-paying periods leave
    it unchanged: their interest is paid or deferred, never capitalised); solve for 0.
    With even periods this is exactly :func:`annuity_payment`.
    """
    alpha, beta = Decimal(principal), Decimal(0)
    for rate, pays in zip(rates, paying, strict=True):
        if pays:
            alpha, beta = alpha * (1 + rate), beta * (1 + rate) + 1
    return alpha / beta


def build_schedule(terms: Terms) -> list[Instalment]:
    """The instalments of a loan, number 0 being the disbursement fee when there is one."""
    if terms.principal <= 0:
        raise ValueError("principal must be positive")
    if terms.term_months <= 0:
        raise ValueError("term must be positive")
    dates = due_dates(terms)
    rates = period_rates(terms, dates)
    paying = _paying(terms, dates)
    end = max(i for i, pays in enumerate(paying) if pays) + 1
    # a seasonal loan ends with its last instalment in season
    dates, rates, paying = dates[:end], rates[:end], paying[:end]
    pays_interest = _interest_paying(terms, dates)
    paying_count = sum(paying)
    principal = terms.principal
    level = None
    if terms.interest_method == DECLINING and terms.amortization == ANNUITY:
        level = int(_level_payment(principal, rates, paying).quantize(Decimal(1), ROUND_HALF_UP))
    equal_part = principal // paying_count

    rows: list[Instalment] = []
    fee = disbursement_fee(terms)
    if fee:
        rows.append(Instalment(0, terms.disbursed_on, 0, 0, fee, principal))
    balance = principal
    deferred = 0
    paid_so_far = 0
    for i, (due_on, rate) in enumerate(zip(dates, rates, strict=True)):
        base = principal if terms.interest_method == FLAT else balance
        accrued = round_xof(Decimal(base) * rate)
        is_last = paid_so_far == paying_count - 1 and paying[i]
        if paying[i]:
            if is_last:
                part = balance
            elif level is not None:
                part = min(max(level - accrued, 0), balance)
            else:
                part = min(equal_part, balance)
            paid_so_far += 1
        else:
            part = 0
        if pays_interest[i]:
            interest, deferred = accrued + deferred, 0
        else:
            interest, deferred = 0, deferred + accrued
        balance -= part
        rows.append(Instalment(i + 1, due_on, part, interest, 0, balance))
    while rows[-1].total == 0 and len(rows) > 1 and rows[-2].balance == 0:
        rows.pop()  # a tiny loan closed early by rounding: no empty instalments
    return rows


def schedule_totals(rows: list[Instalment]) -> dict[str, int]:
    return {
        "principal": sum(r.principal for r in rows),
        "interest": sum(r.interest for r in rows),
        "fee": sum(r.fee for r in rows),
        "total": sum(r.total for r in rows),
    }


def effective_rate(terms: Terms, rows: list[Instalment] | None = None) -> Decimal:
    """The effective global rate (TEG) in percent a year, fees included.

    The period rate ``i`` solves ``principal - fees at disbursement = sum(flow_k / (1+i)^k)``
    over the instalments (k = instalment number, one period each); the TEG is the
    proportional annual rate ``i x periods per year``, as UEMOA and French practice compute
    it. Solved by bisection to 1e-10.
    """
    rows = rows if rows is not None else build_schedule(terms)
    upfront = sum(r.total for r in rows if r.number == 0)
    flows = [(r.number, Decimal(r.total)) for r in rows if r.number > 0]
    received = Decimal(terms.principal - upfront)

    def npv(i: Decimal) -> Decimal:
        return sum((f / (1 + i) ** k for k, f in flows), Decimal(0)) - received

    low, high = Decimal(0), Decimal(1)
    if npv(low) <= 0:
        return Decimal(0)
    while npv(high) > 0:
        high *= 2
    for _ in range(80):
        mid = (low + high) / 2
        if npv(mid) > 0:
            low = mid
        else:
            high = mid
    annual = (low + high) / 2 * PERIODS_PER_YEAR[terms.frequency] * HUNDRED
    return annual.quantize(Decimal("0.01"), ROUND_HALF_UP)
