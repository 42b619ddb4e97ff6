"""The fixed coverage rule and the issue's worked example (acceptance test)."""

import datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from core.errors import Conflict
from health import coverage, services
from health.models import Claim, ClaimStatus, Contribution
from health.tests.factories import (
    enrolled,
    mutual_agent,
    national_user,
    provider_with_convention,
    scheme_of_example,
)

D = datetime.date


@pytest.fixture
def example(world):
    national = national_user()
    scheme = scheme_of_example(national)
    agent = mutual_agent(national, scheme)
    provider, provider_staff = provider_with_convention(national, scheme)
    household = enrolled(world.officer, scheme, world.coop_tc, 4, on=D(2026, 1, 1))
    return scheme, agent, provider, provider_staff, household, world


@pytest.mark.django_db
def test_worked_example_household_of_four_paying_16600_is_covered_to_31_march(example):
    scheme, agent, provider, staff, household, world = example
    payment = services.contribution_pay(
        actor=world.officer,
        household=household,
        amount=16_600,
        paid_on=D(2026, 1, 1),
        channel="cash",
    )
    household.refresh_from_db()
    assert payment.joining_fees == 10_000  # 4 × 2,500
    assert payment.months == 3 and payment.months_amount == 6_600  # 3 × (4 × 550)
    assert household.covered_until == D(2026, 3, 31)
    assert household.credit == 0
    head = household.head

    def enter(on):
        return services.claim_enter(
            actor=staff,
            household=household,
            beneficiary=head,
            provider=provider,
            service_on=on,
            lines=[{"code": "CONS"}],
        )

    with pytest.raises(Conflict) as exc:
        enter(D(2026, 1, 15))
    assert exc.value.code == "waiting_period"
    claim = enter(D(2026, 2, 15))
    assert claim.status == ClaimStatus.ENTERED and claim.amount == 2_000
    with pytest.raises(Conflict) as exc:
        enter(D(2026, 4, 15))
    assert exc.value.code == "not_covered"
    assert Claim.objects.count() == 1  # the refused ones wrote nothing


@pytest.mark.django_db
def test_what_is_left_waits_as_credit_and_buys_the_next_month(example):
    scheme, agent, provider, staff, household, world = example
    services.contribution_pay(
        actor=world.officer,
        household=household,
        amount=12_000,
        paid_on=D(2026, 1, 1),
        channel="cash",
    )
    household.refresh_from_db()
    assert household.covered_until is None and household.credit == 2_000  # < 2,200
    services.contribution_pay(
        actor=world.officer,
        household=household,
        amount=2_500,
        paid_on=D(2026, 2, 1),
        channel="mobile_money",
    )
    household.refresh_from_db()
    assert household.covered_until == D(2026, 2, 28) and household.credit == 100
    assert Contribution.objects.count() == 2


@pytest.mark.django_db
def test_a_payment_short_of_the_joining_fees_buys_no_month(example):
    *_rest, household, world = example
    services.contribution_pay(
        actor=world.officer,
        household=household,
        amount=9_999,
        paid_on=D(2026, 1, 2),
        channel="cash",
    )
    household.refresh_from_db()
    assert household.covered_until is None and household.credit == 9_999 - 3 * 2_500
    assert household.members.filter(joining_fee_paid=True).count() == 3


@pytest.mark.django_db
def test_age_bands_price_each_person_by_age(world):
    national = national_user()
    scheme = scheme_of_example(national, name="Mutuelle à tranches")
    services.age_band_add(
        actor=national, scheme=scheme, min_age=0, max_age=17, monthly_contribution=300
    )
    household = enrolled(world.officer, scheme, world.coop_tc, 4, on=D(2026, 1, 1))
    services.contribution_pay(
        actor=world.officer,
        household=household,
        amount=10_000 + 2 * 550 + 2 * 300,
        paid_on=D(2026, 1, 1),
        channel="cash",
    )
    household.refresh_from_db()
    assert household.covered_until == D(2026, 1, 31) and household.credit == 0


def test_add_months_clamps_to_the_month_end():
    assert coverage.add_months(D(2026, 1, 31), 1) == D(2026, 2, 28)
    assert coverage.add_months(D(2026, 11, 15), 3) == D(2027, 2, 15)
    assert coverage.covered_until(D(2026, 1, 15), 1) == D(2026, 2, 14)
    assert coverage.covered_until(D(2026, 1, 15), 0) is None


@given(
    amount=st.integers(1, 2_000_000),
    credit=st.integers(0, 100_000),
    fee=st.integers(0, 10_000),
    members=st.integers(1, 12),
    monthly=st.integers(1, 5_000),
)
def test_settle_spends_nothing_twice_and_buys_whole_months(amount, credit, fee, members, monthly):
    result = coverage.settle(
        amount=amount,
        credit=credit,
        fees_due=[fee] * members,
        months_paid=0,
        month_cost=lambda k: members * monthly,
    )
    assert result.fees_amount + result.months_amount + result.credit == amount + credit
    assert result.months_amount == result.months * members * monthly
    if result.fees_settled < members:
        assert result.months == 0 and result.credit < fee
    elif result.months < coverage.MAX_MONTHS_PER_PAYMENT:
        assert result.credit < members * monthly  # a whole month left would have been bought
