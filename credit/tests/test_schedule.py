"""The schedule engine: worked examples computed by hand, then properties (hypothesis)."""

from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from credit.schedule import (
    ANNUITY,
    DC_ACTUAL_365,
    DECLINING,
    EQUAL_PRINCIPAL,
    FLAT,
    MONTHLY,
    WEEKLY,
    Terms,
    add_months,
    annuity_payment,
    build_schedule,
    effective_rate,
    schedule_totals,
)

D0 = date(2026, 1, 15)


def terms(**kw):
    base = {
        "principal": 1_000_000,
        "annual_rate": Decimal("18"),
        "term_months": 12,
        "disbursed_on": D0,
    }
    base.update(kw)
    return Terms(**base)


# --- worked examples -------------------------------------------------------------------


def test_declining_annuity_1m_18pct_12_months_by_hand():
    # r = 18 % / 12 = 1.5 %; A = 1 000 000 x 0.015 / (1 - 1.015^-12) = 91 679.99 -> 91 680
    rows = build_schedule(terms())
    assert [r.number for r in rows] == list(range(1, 13))
    assert rows[0].interest == 15_000  # 1 000 000 x 1.5 %
    assert rows[0].principal == 76_680  # 91 680 - 15 000
    assert rows[1].interest == 13_850  # 923 320 x 1.5 % = 13 849.8
    assert all(r.total == 91_680 for r in rows[:-1])
    assert rows[-1].total == 91_681  # the residue on the last
    assert rows[-1].principal == 90_326 and rows[-1].balance == 0
    assert schedule_totals(rows) == {
        "principal": 1_000_000,
        "interest": 100_161,
        "fee": 0,
        "total": 1_100_161,
    }
    assert rows[0].due_on == date(2026, 2, 15) and rows[-1].due_on == date(2027, 1, 15)


def test_equal_principal_by_hand():
    rows = build_schedule(terms(amortization=EQUAL_PRINCIPAL))
    assert [r.principal for r in rows] == [83_333] * 11 + [83_337]
    assert rows[0].interest == 15_000
    assert rows[1].interest == 13_750  # 916 667 x 1.5 % = 13 750.005
    assert rows[-1].interest == 1_250  # 83 337 x 1.5 % = 1 250.06


def test_flat_by_hand_and_its_teg_is_much_higher():
    rows = build_schedule(terms(interest_method=FLAT))
    assert all(r.interest == 15_000 for r in rows)
    assert schedule_totals(rows)["interest"] == 180_000
    assert effective_rate(terms(interest_method=FLAT)) > Decimal("31")


def test_fee_at_disbursement_is_instalment_zero():
    rows = build_schedule(terms(fee_rate=Decimal("2"), fee_fixed=5_000))
    assert rows[0].number == 0 and rows[0].due_on == D0
    assert rows[0].fee == 25_000 and rows[0].principal == 0 and rows[0].interest == 0
    assert sum(r.fee for r in rows) == 25_000


def test_effective_rate_declining_equals_nominal_without_fees_and_rises_with_fees():
    assert abs(effective_rate(terms()) - Decimal("18")) <= Decimal("0.02")
    # 2 % fee on 12 months: about 18 % + 3.9 points
    assert effective_rate(terms(fee_rate=Decimal("2"))) == Decimal("21.91")


def test_grace_on_principal_pays_interest_only():
    rows = build_schedule(terms(grace_periods=3))
    assert [r.principal for r in rows[:3]] == [0, 0, 0]
    assert [r.interest for r in rows[:3]] == [15_000] * 3
    level = round(annuity_payment(1_000_000, Decimal("0.015"), 9))
    assert rows[3].total == level
    assert sum(r.principal for r in rows) == 1_000_000


def test_grace_on_interest_defers_interest_to_first_instalment_after_grace():
    rows = build_schedule(terms(grace_periods=3, grace_on_interest=True))
    assert [r.total for r in rows[:3]] == [0, 0, 0]
    normal = build_schedule(terms(grace_periods=3))
    assert rows[3].interest == normal[3].interest + 45_000
    assert schedule_totals(rows)["interest"] == schedule_totals(normal)["interest"]


def test_weekly_30_360_rate_is_annual_over_52():
    rows = build_schedule(terms(frequency=WEEKLY, term_months=12))
    assert len(rows) == 52
    assert rows[0].interest == 3_462  # 1 000 000 x 18 % / 52 = 3 461.54
    assert rows[1].due_on - rows[0].due_on == date(2026, 1, 29) - date(2026, 1, 22)


def test_actual_365_counts_the_days():
    rows = build_schedule(terms(day_count=DC_ACTUAL_365))
    assert rows[0].interest == 15_288  # 1 000 000 x 18 % x 31 / 365 = 15 287.67
    assert sum(r.principal for r in rows) == 1_000_000


def test_seasonal_repays_only_in_chosen_months():
    rows = build_schedule(terms(repayment_months=frozenset({11, 12})))
    paying = [r for r in rows if r.principal]
    assert {r.due_on.month for r in paying} == {11, 12}
    assert rows[-1].balance == 0 and rows[-1].due_on.month == 12  # no empty trailing row
    # the interest accrued from February to October is paid in November
    assert rows[8].due_on == date(2026, 10, 15) and rows[8].total == 0
    assert rows[9].interest == 150_000  # 10 months x 15 000 on the full principal


def test_add_months_clamps_to_month_end():
    assert add_months(date(2026, 1, 31), 1) == date(2026, 2, 28)
    assert add_months(date(2026, 11, 30), 3) == date(2027, 2, 28)


def test_rejects_non_positive_principal():
    with pytest.raises(ValueError):
        build_schedule(terms(principal=0))


# --- properties ------------------------------------------------------------------------

terms_strategy = st.builds(
    Terms,
    principal=st.integers(min_value=1, max_value=500_000_000),
    annual_rate=st.decimals(min_value=0, max_value=36, places=2),
    term_months=st.integers(min_value=1, max_value=60),
    disbursed_on=st.dates(min_value=date(2020, 1, 1), max_value=date(2035, 12, 31)),
    interest_method=st.sampled_from([FLAT, DECLINING]),
    amortization=st.sampled_from([ANNUITY, EQUAL_PRINCIPAL]),
    frequency=st.sampled_from([MONTHLY, WEEKLY]),
    day_count=st.sampled_from(["30/360", DC_ACTUAL_365]),
    grace_periods=st.integers(min_value=0, max_value=6),
    grace_on_interest=st.booleans(),
    fee_rate=st.decimals(min_value=0, max_value=5, places=2),
    fee_fixed=st.integers(min_value=0, max_value=20_000),
    repayment_months=st.frozensets(st.integers(min_value=1, max_value=12), max_size=4),
)


@settings(max_examples=300, deadline=None)
@given(terms_strategy)
def test_schedule_properties(t):
    rows = build_schedule(t)
    # integers only
    for r in rows:
        for v in (r.principal, r.interest, r.fee, r.balance):
            assert isinstance(v, int) and v >= 0
    # the principal parts sum exactly to the principal
    assert sum(r.principal for r in rows) == t.principal
    # the balance never goes negative and never rises; the last instalment closes the loan
    balances = [r.balance for r in rows]
    assert all(a >= b for a, b in zip(balances, balances[1:], strict=False))
    assert rows[-1].balance == 0
    assert rows[-1].principal > 0
    # dates strictly increase after the disbursement
    dues = [r.due_on for r in rows if r.number > 0]
    assert all(a < b for a, b in zip(dues, dues[1:], strict=False))


@settings(max_examples=200, deadline=None)
@given(
    principal=st.integers(min_value=100_000, max_value=500_000_000),
    rate=st.decimals(min_value=Decimal("0.5"), max_value=36, places=2),
    months=st.integers(min_value=2, max_value=60),
    frequency=st.sampled_from([MONTHLY, WEEKLY]),
)
def test_declining_agrees_with_annuity_formula(principal, rate, months, frequency):
    t = terms(principal=principal, annual_rate=rate, term_months=months, frequency=frequency)
    rows = build_schedule(t)
    n = len(rows)
    per_year = 12 if frequency == MONTHLY else 52
    a = annuity_payment(principal, rate / 100 / per_year, n)
    assert all(abs(r.total - a) <= Decimal("0.5") for r in rows[:-1])
    # each period's rounding (under a franc) drifts the balance, compounded at the period rate
    r = rate / 100 / per_year
    assert abs(rows[-1].total - a) <= n * (1 + r) ** n


@settings(max_examples=100, deadline=None)
@given(
    principal=st.integers(min_value=100_000, max_value=50_000_000),
    rate=st.decimals(min_value=1, max_value=30, places=1),
    months=st.integers(min_value=3, max_value=36),
)
def test_flat_costs_at_least_declining(principal, rate, months):
    flat = schedule_totals(
        build_schedule(
            terms(principal=principal, annual_rate=rate, term_months=months, interest_method=FLAT)
        )
    )
    dec = schedule_totals(
        build_schedule(terms(principal=principal, annual_rate=rate, term_months=months))
    )
    assert flat["interest"] >= dec["interest"]
