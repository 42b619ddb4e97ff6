"""Good standing by dates (networkgov/standing.py), with the statutes' defaults: dues due
by 31/03, 90 days of lateness before the lapse."""

import datetime

import pytest

from networkgov.standing import YearDues, standing_on
from networkgov.statutes import year_due_on

D = datetime.date
PAID_2025 = YearDues(25_000, 25_000, D(2025, 3, 31))
UNPAID_2026 = YearDues(25_000, 10_000, D(2026, 3, 31))
PAID_2026 = YearDues(25_000, 25_000, D(2026, 3, 31))


def status(as_of, current=None, previous=None, joined_before=False):
    return standing_on(
        as_of,
        current,
        previous,
        joined_before=joined_before,
        statutory_due_on=year_due_on(as_of.year),
        lapse_days=90,
    )


def test_the_due_date_is_the_last_day_of_march():
    assert year_due_on(2026) == D(2026, 3, 31)
    assert year_due_on(2028) == D(2028, 3, 31)


@pytest.mark.parametrize(
    ("as_of", "current", "previous", "expected"),
    [
        (D(2026, 1, 5), PAID_2026, None, "good"),  # paid: good all year
        (D(2026, 12, 31), PAID_2026, None, "good"),
        (D(2026, 2, 1), UNPAID_2026, PAID_2025, "good"),  # renewal period: last year paid
        (D(2026, 3, 31), None, PAID_2025, "good"),  # the due date itself, row not opened yet
        (D(2026, 2, 1), UNPAID_2026, None, "pending"),  # a new member who has not paid
        (D(2026, 4, 1), UNPAID_2026, PAID_2025, "late"),  # the day after the due date
        (D(2026, 6, 29), UNPAID_2026, None, "late"),  # 90 days after 31/03
        (D(2026, 6, 30), UNPAID_2026, None, "lapsed"),  # the 91st day
        (D(2026, 5, 1), None, PAID_2025, "late"),  # paid last year, nothing opened for 2026
        (D(2026, 7, 1), None, PAID_2025, "lapsed"),
        (D(2026, 2, 1), None, YearDues(25_000, 0, D(2025, 3, 31)), "lapsed"),  # 2025 unpaid
        (D(2026, 2, 1), None, None, "none"),  # never joined
    ],
)
def test_standing_by_dates(as_of, current, previous, expected):
    assert status(as_of, current, previous).status == expected


def test_a_member_of_long_ago_is_lapsed_not_unknown():
    assert status(D(2026, 2, 1), joined_before=True).status == "lapsed"


def test_the_dates_given_with_the_status():
    s = status(D(2026, 4, 10), UNPAID_2026, PAID_2025)
    assert (s.status, s.due_on, s.lapses_on) == ("late", D(2026, 3, 31), D(2026, 6, 30))
