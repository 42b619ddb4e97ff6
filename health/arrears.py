"""A household's arrears of contributions on a day (docs/health.md, "Arrears").

A household is in arrears when its cover has run out (``covered_until`` before the day,
or nothing paid since enrolment) while it still has members. It owes, on the day: the
joining fees still unpaid, and every month begun since its cover ended (month *k* begins
on ``enrolled_on + k months``, as in the fixed rule), at the current members'
contributions; less the credit it holds. Since when: the day after ``covered_until`` (or
the enrolment day when nothing was ever paid).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from health import coverage
from health.services import month_cost_function

MAX_MONTHS = 1200  # a hundred years: bounds the work of one household


@dataclass(frozen=True)
class Arrears:
    since: datetime.date
    months: int  # months begun and not paid
    fees: int  # joining fees unpaid
    months_amount: int
    credit: int

    @property
    def owed(self) -> int:
        return max(self.fees + self.months_amount - self.credit, 0)


def arrears_of(household, members: list, as_of: datetime.date) -> Arrears | None:
    """``members``: the household's current members (persons and the scheme's age bands
    loaded). None when the household is not in arrears on ``as_of``."""
    if household.covered_until is not None:
        since = household.covered_until + datetime.timedelta(days=1)
    else:
        since = household.enrolled_on
    if since > as_of or not members:
        return None
    cost = month_cost_function(household, members)
    months = amount = 0
    k = household.months_paid
    while months < MAX_MONTHS and coverage.add_months(household.enrolled_on, k) <= as_of:
        amount += cost(k)
        months += 1
        k += 1
    fees = household.scheme.joining_fee * sum(1 for m in members if not m.joining_fee_paid)
    return Arrears(since, months, fees, amount, household.credit)
