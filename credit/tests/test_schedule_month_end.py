"""Issue 14, point 8: due dates counted from the disbursement date, clamped to the month's end.

The worked examples are Apache Fineract's published month-end schedules (its end-to-end
feature "Loan month end due date strategy", the default LAST_DAY_OF_MONTH rule: UC3 on
30/360, UC5 on actual days, UC6 and UC7 for the dates). Fineract's figures are in cents of
a 10 000 EUR loan; 1 000 000 F gives the same digits, one franc for one cent. A chained
``add_months(previous due date, 1)`` drifted to 28/02, 28/03, 28/04.
"""

import io
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.management import call_command
from hypothesis import given, settings
from hypothesis import strategies as st

from credit import services
from credit.models import Instalment
from credit.schedule import (
    DC_30_360,
    DC_ACTUAL_365,
    MONTHLY,
    WEEKLY,
    Terms,
    add_months,
    build_schedule,
    due_dates,
)
from credit.tests.factories import active_loan, lender_staff, product


def fineract_terms(disbursed_on, day_count, months=3):
    return Terms(
        principal=1_000_000,
        annual_rate=Decimal("12"),
        term_months=months,
        disbursed_on=disbursed_on,
        day_count=day_count,
    )


def table(rows):
    return [(r.due_on, r.principal, r.interest, r.total, r.balance) for r in rows]


def test_fineract_uc5_actual_days_31_january_clamped_with_its_interest():
    # Fineract C111047 (LAST_DAY_OF_MONTH, actual days, 2025 is not a leap year)
    rows = build_schedule(fineract_terms(date(2025, 1, 31), DC_ACTUAL_365))
    assert table(rows) == [
        (date(2025, 2, 28), 330_577, 9_205, 339_782, 669_423),  # 28 days
        (date(2025, 3, 31), 332_959, 6_823, 339_782, 336_464),  # 31 days
        (date(2025, 4, 30), 336_464, 3_319, 339_783, 0),  # 30 days
    ]
    assert sum(r.interest for r in rows) == 19_347  # Fineract: 193.47


def test_the_drifted_dates_would_have_charged_other_interest():
    """With the old chained dates (28/03, 28/04) the periods have 28, 28, 31 days."""
    drifted = Terms(
        principal=1_000_000,
        annual_rate=Decimal("12"),
        term_months=3,
        disbursed_on=date(2025, 1, 31),
        day_count=DC_ACTUAL_365,
        first_due_on=date(2025, 2, 28),  # anchored on the 28th: what chaining produced
    )
    old = build_schedule(drifted)
    assert [r.due_on for r in old] == [date(2025, 2, 28), date(2025, 3, 28), date(2025, 4, 28)]
    new = build_schedule(fineract_terms(date(2025, 1, 31), DC_ACTUAL_365))
    assert [r.interest for r in old] != [r.interest for r in new]
    assert old[0].balance == 669_606 and old[1].interest == 6_164  # x 12 % x 28 / 365
    assert new[1].interest == 6_823  # 669 423 x 12 % x 31 / 365


def test_fineract_uc3_30_360_same_interest_every_month_whatever_its_days():
    # Fineract C111045, the clamp loan: 1 % a month on the balance
    rows = build_schedule(fineract_terms(date(2025, 1, 31), DC_30_360))
    assert table(rows) == [
        (date(2025, 2, 28), 330_022, 10_000, 340_022, 669_978),
        (date(2025, 3, 31), 333_322, 6_700, 340_022, 336_656),
        (date(2025, 4, 30), 336_656, 3_367, 340_023, 0),
    ]


@pytest.mark.parametrize(
    ("disbursed_on", "expected"),
    [
        # Fineract UC7: the 28th exists in every month, nothing to clamp
        (date(2025, 1, 28), [date(2025, 2, 28), date(2025, 3, 28), date(2025, 4, 28)]),
        (date(2025, 1, 29), [date(2025, 2, 28), date(2025, 3, 29), date(2025, 4, 29)]),
        (date(2025, 1, 30), [date(2025, 2, 28), date(2025, 3, 30), date(2025, 4, 30)]),
        (date(2025, 1, 31), [date(2025, 2, 28), date(2025, 3, 31), date(2025, 4, 30)]),
        # a leap year: February has its 29th
        (date(2024, 1, 31), [date(2024, 2, 29), date(2024, 3, 31), date(2024, 4, 30)]),
        (date(2024, 1, 30), [date(2024, 2, 29), date(2024, 3, 30), date(2024, 4, 30)]),
        # across the year's end
        (date(2025, 11, 30), [date(2025, 12, 30), date(2026, 1, 30), date(2026, 2, 28)]),
    ],
)
def test_month_end_due_dates(disbursed_on, expected):
    assert due_dates(fineract_terms(disbursed_on, DC_30_360)) == expected


def test_fineract_uc6_leap_day_anchor_keeps_the_29th_and_clamps_in_a_common_february():
    dates = due_dates(fineract_terms(date(2024, 2, 29), DC_30_360, months=12))
    assert dates[:11] == [add_months(date(2024, 3, 29), i) for i in range(11)]
    assert all(d.day == 29 for d in dates[:11])
    assert dates[11] == date(2025, 2, 28)  # Fineract's LAST_DAY_OF_MONTH (not 01/03)


def test_weekly_dates_count_from_the_disbursement_date():
    t = Terms(
        principal=100_000,
        annual_rate=Decimal("12"),
        term_months=3,
        disbursed_on=date(2025, 1, 31),
        frequency=WEEKLY,
    )
    dates = due_dates(t)
    assert len(dates) == 13
    assert dates == [date(2025, 1, 31) + timedelta(days=7 * k) for k in range(1, 14)]


@settings(max_examples=300, deadline=None)
@given(
    disbursed_on=st.dates(min_value=date(2000, 1, 1), max_value=date(2060, 12, 31)),
    months=st.integers(min_value=1, max_value=60),
)
def test_every_monthly_due_date_is_the_disbursement_day_clamped(disbursed_on, months):
    t = Terms(
        principal=1_000_000,
        annual_rate=Decimal("18"),
        term_months=months,
        disbursed_on=disbursed_on,
        frequency=MONTHLY,
    )
    for k, due in enumerate(due_dates(t), start=1):
        month_index = disbursed_on.month - 1 + k
        expected = (disbursed_on.year + month_index // 12, month_index % 12 + 1)
        assert (due.year, due.month) == expected
        last_day = (add_months(due.replace(day=1), 1) - timedelta(days=1)).day
        assert due.day == min(disbursed_on.day, last_day)


# --- loans in the database ---------------------------------------------------------------


@pytest.fixture
def lending(world):
    checker = lender_staff(world.lender_obj, "checker-me")
    prod = product(world.lender, world.lender_obj, annual_rate=Decimal("12"), term_months=3)
    return world, checker, prod


@pytest.mark.django_db
def test_a_loan_disbursed_on_31_january_stores_the_clamped_dates(lending):
    w, checker, prod = lending
    loan = active_loan(
        maker=w.lender,
        checker=checker,
        product=prod,
        applied_on=date(2026, 1, 20),
        disbursed_on=date(2026, 1, 31),
        borrower_cooperative=w.coop_tc,
    )
    dues = list(
        Instalment.objects.filter(loan=loan, number__gt=0)
        .order_by("number")
        .values_list("due_on", flat=True)
    )
    assert dues == [date(2026, 2, 28), date(2026, 3, 31), date(2026, 4, 30)]


@pytest.mark.django_db
def test_loans_already_disbursed_keep_their_stored_schedule(lending):
    """Decision (docs/credit.md): stored instalments are the borrower's schedule; the new rule
    applies to disbursements and reschedules from now on, never rewrites past ones."""
    w, checker, prod = lending
    loan = active_loan(
        maker=w.lender,
        checker=checker,
        product=prod,
        applied_on=date(2026, 1, 20),
        disbursed_on=date(2026, 1, 31),
        borrower_cooperative=w.coop_tc,
    )
    # a schedule stored by the old engine: 28/02, 28/03, 28/04
    for number, due in ((2, date(2026, 3, 28)), (3, date(2026, 4, 28))):
        Instalment.objects.filter(loan=loan, number=number).update(due_on=due)
    first = Instalment.objects.get(loan=loan, number=1)
    services.repayment_post(
        actor=w.lender,
        loan=loan,
        amount=first.principal_due + first.interest_due,
        paid_on=date(2026, 2, 28),
        channel="cash",
    )
    call_command("portfolio_refresh", as_of="2026-04-01", stdout=io.StringIO())
    dues = list(
        Instalment.objects.filter(loan=loan, number__gt=0)
        .order_by("number")
        .values_list("due_on", flat=True)
    )
    assert dues == [date(2026, 2, 28), date(2026, 3, 28), date(2026, 4, 28)]
    loan.refresh_from_db()
    assert loan.days_past_due == 4  # late since its stored 28/03, not the new rule's 31/03
