"""The fixed coverage rule (docs/health.md), as plain values.

A payment, added to the household's credit, settles the joining fees first (one per
member not yet settled, in order), then buys whole months counted from ``enrolled_on``,
each month costing the sum of the members' monthly contributions (``monthly_contribution``
× the members, or each person's age band); what is left waits as credit.
"""

from __future__ import annotations

import calendar
import datetime
from collections.abc import Callable
from dataclasses import dataclass

MAX_MONTHS_PER_PAYMENT = 120  # ten years: bounds the work a single payment can ask for


def add_months(day: datetime.date, months: int) -> datetime.date:
    """``day`` moved by whole months, clamped to the month's last day (31/01 + 1 = 28/02)."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return datetime.date(year, month + 1, min(day.day, last))


def covered_until(enrolled_on: datetime.date, months: int) -> datetime.date | None:
    """The last covered day after ``months`` whole months from ``enrolled_on``."""
    if months <= 0:
        return None
    return add_months(enrolled_on, months) - datetime.timedelta(days=1)


def age_on(birth_date: datetime.date | None, on: datetime.date) -> int | None:
    if birth_date is None:
        return None
    return on.year - birth_date.year - ((on.month, on.day) < (birth_date.month, birth_date.day))


@dataclass(frozen=True)
class Settlement:
    fees_settled: int  # how many joining fees this payment settled
    fees_amount: int
    months: int  # whole months bought
    months_amount: int
    credit: int  # what is left, waiting


def settle(
    *,
    amount: int,
    credit: int,
    fees_due: list[int],
    months_paid: int,
    month_cost: Callable[[int], int],
) -> Settlement:
    """Apply ``amount`` (plus the ``credit`` already held) by the fixed rule.

    ``fees_due``: the joining fees still owed, one per member, in order. ``month_cost(k)``:
    the cost of month ``k`` (0 = the month starting on ``enrolled_on``); a cost of 0 or
    less means nothing can be bought (no member).
    """
    pool = credit + amount
    fees_settled = fees_amount = 0
    for fee in fees_due:
        if pool < fee:
            return Settlement(fees_settled, fees_amount, 0, 0, pool)
        pool -= fee
        fees_settled += 1
        fees_amount += fee
    months = months_amount = 0
    while months < MAX_MONTHS_PER_PAYMENT:
        cost = month_cost(months_paid + months)
        if cost <= 0 or pool < cost:
            break
        pool -= cost
        months += 1
        months_amount += cost
    return Settlement(fees_settled, fees_amount, months, months_amount, pool)


class Status:
    ACTIVE = "active"
    WAITING = "waiting"
    LAPSED = "lapsed"
    NOT_ENROLLED = "not_enrolled"
    LEFT = "left"
    AGED_OUT = "aged_out"


@dataclass(frozen=True)
class PersonCover:
    status: str
    waiting_until: datetime.date  # first day claims are accepted
    covered_until: datetime.date | None


def person_cover(
    *,
    on: datetime.date,
    enrolled_on: datetime.date,
    joined_on: datetime.date,
    left_on: datetime.date | None,
    covered_until: datetime.date | None,
    waiting_days: int,
    is_child: bool,
    birth_date: datetime.date | None,
    child_age_limit: int,
) -> PersonCover:
    """A person's coverage on ``on``. Claims are accepted only when ``active``."""
    start = max(enrolled_on, joined_on)
    waiting_until = start + datetime.timedelta(days=waiting_days)

    def cover(status: str) -> PersonCover:
        return PersonCover(status, waiting_until, covered_until)

    if on < start:
        return cover(Status.NOT_ENROLLED)
    if left_on is not None and on >= left_on:
        return cover(Status.LEFT)
    age = age_on(birth_date, on)
    if is_child and age is not None and age >= child_age_limit:
        return cover(Status.AGED_OUT)
    if on < waiting_until:
        return cover(Status.WAITING)
    if covered_until is None or on > covered_until:
        return cover(Status.LAPSED)
    return cover(Status.ACTIVE)
