"""Good standing by dates (pure: rows in, a status out; docs/networkgov.md).

For a day ``as_of`` and an organisation's memberships by year:

- the year's dues fully paid: **à jour** (good standing);
- not paid, on or before the year's due date: **à jour** when last year's dues were
  paid (the renewal period), else **en attente** (a new member who has not paid yet:
  no vote);
- not paid, after the due date and up to ``lapse_days`` after it: **en retard**;
- later: **radiée** (lapsed); an organisation that never joined: **non membre**.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

GOOD, PENDING, LATE, LAPSED, NONE = "good", "pending", "late", "lapsed", "none"


@dataclass(frozen=True)
class YearDues:
    dues: int
    paid: int
    due_on: datetime.date

    @property
    def settled(self) -> bool:
        return self.paid >= self.dues


@dataclass(frozen=True)
class Standing:
    status: str
    due_on: datetime.date | None = None  # the current year's due date
    lapses_on: datetime.date | None = None  # the first day of lapse if still unpaid

    @property
    def good(self) -> bool:
        return self.status == GOOD


def standing_on(
    as_of: datetime.date,
    current: YearDues | None,
    previous: YearDues | None = None,
    *,
    joined_before: bool = False,
    statutory_due_on: datetime.date,
    lapse_days: int,
) -> Standing:
    """``current``/``previous``: the dues of ``as_of``'s year and of the year before;
    ``joined_before``: the organisation had a membership of an earlier year."""
    if current is not None and current.settled:
        return Standing(GOOD, current.due_on)
    renewing = previous is not None and previous.settled
    due_on = current.due_on if current is not None else statutory_due_on
    lapses_on = due_on + datetime.timedelta(days=lapse_days + 1)
    if as_of <= due_on:
        if renewing:
            return Standing(GOOD, due_on, lapses_on)
        if current is not None:
            return Standing(PENDING, due_on, lapses_on)
    if (current is not None or renewing) and as_of < lapses_on:
        return Standing(LATE, due_on, lapses_on)
    if current is not None or previous is not None or joined_before:
        return Standing(LAPSED, due_on, lapses_on)
    return Standing(NONE, due_on, lapses_on)
