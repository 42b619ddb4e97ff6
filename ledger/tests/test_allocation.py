"""The OHADA allocation of a surplus, examples worked by hand (see ledger/allocation.py)."""

from decimal import Decimal

import pytest

from core.errors import ValidationFailed
from ledger.allocation import compute_allocation, share_by_volume

CAP = Decimal("0.05")


def test_full_allocation_worked_by_hand():
    # surplus 1 000 000, capital 2 000 000, empty reserves.
    # general 20 % = 200 000, training 20 % = 200 000, optional 10 % = 100 000 -> 500 000 left
    # interest 3 %: 1 200 000 -> 36 000, 800 000 -> 24 000 -> 440 000 left
    # refunds on volumes 300 000 / 500 000 / 200 000 (total 1 000 000) of 440 000:
    #   132 000 / 220 000 / 88 000, nothing carried forward.
    plan = compute_allocation(
        surplus=1_000_000,
        capital=2_000_000,
        general_reserve_balance=0,
        training_reserve_balance=0,
        optional_reserve_rate=Decimal("0.10"),
        share_interest_rate=Decimal("0.03"),
        share_interest_cap=CAP,
        paid_up={1: 1_200_000, 2: 800_000},
        volumes={1: 300_000, 2: 500_000, 3: 200_000},
    )
    assert (plan.general_reserve, plan.training_reserve, plan.optional_reserve) == (
        200_000,
        200_000,
        100_000,
    )
    assert plan.interest == {1: 36_000, 2: 24_000}
    assert plan.refunds == {1: 132_000, 2: 220_000, 3: 88_000}
    assert plan.retained == 0


def test_reserve_capped_at_capital_and_rounding_worked_by_hand():
    # surplus 100 003, capital 150 000; the general reserve already holds 140 000.
    # general: ceil(20 000,6) = 20 001 but only 10 000 lacks to reach the capital -> 10 000
    # training: ceil(20 000,6) = 20 001 (rounded up: 20 % is a minimum)
    # optional 15 %: floor(15 000,45) = 15 000 (rounded down: 20 % is a maximum)
    # left 55 002; the assembly gives 100 as refunds on equal volumes: 33 each and the
    # leftover franc to the lowest person id (equal remainders, equal volumes) -> 34/33/33;
    # 54 902 carried forward.
    plan = compute_allocation(
        surplus=100_003,
        capital=150_000,
        general_reserve_balance=140_000,
        training_reserve_balance=0,
        optional_reserve_rate=Decimal("0.15"),
        share_interest_cap=CAP,
        volumes={30: 5, 10: 5, 20: 5},
        patronage_pool=100,
    )
    assert plan.general_reserve == 10_000
    assert plan.training_reserve == 20_001
    assert plan.optional_reserve == 15_000
    assert plan.refunds == {10: 34, 20: 33, 30: 33}
    assert plan.retained == 54_902
    assert plan.total == 100_003


def test_reserve_already_equal_to_capital_takes_nothing():
    plan = compute_allocation(
        surplus=10_000,
        capital=50_000,
        general_reserve_balance=50_000,
        training_reserve_balance=60_000,
        share_interest_cap=CAP,
    )
    assert (plan.general_reserve, plan.training_reserve) == (0, 0)
    assert plan.retained == 10_000  # no member transaction recorded: carried forward


def test_largest_remainder_worked_by_hand():
    # 1 000 on volumes 1/2/4 (total 7): 142 r6, 285 r5, 571 r3 = 998; the 2 francs left go
    # to the two largest remainders (persons 1 and 2): 143 / 286 / 571.
    assert share_by_volume(1_000, {1: 1, 2: 2, 3: 4}) == {1: 143, 2: 286, 3: 571}
    assert share_by_volume(0, {1: 1}) == {}
    assert share_by_volume(100, {}) == {}


@pytest.mark.parametrize(
    ("kwargs", "code"),
    [
        ({"general_reserve_rate": Decimal("0.19")}, "reserve_rate_too_low"),
        ({"training_reserve_rate": Decimal("0.1999")}, "reserve_rate_too_low"),
        ({"optional_reserve_rate": Decimal("0.21")}, "optional_reserve_too_high"),
        ({"share_interest_rate": Decimal("0.051")}, "share_interest_too_high"),
        ({"patronage_pool": 600_001}, "patronage_exceeds_surplus"),
        ({"surplus": 0}, "no_surplus"),
    ],
)
def test_rules_of_the_act_are_enforced(kwargs, code):
    base = dict(
        surplus=1_000_000,
        capital=10_000_000,
        general_reserve_balance=0,
        training_reserve_balance=0,
        share_interest_cap=CAP,
    )
    with pytest.raises(ValidationFailed) as exc:
        compute_allocation(**{**base, **kwargs})
    assert exc.value.code == code
    # the limits themselves are accepted
    compute_allocation(
        **base,
        general_reserve_rate=Decimal("0.20"),
        optional_reserve_rate=Decimal("0.20"),
        share_interest_rate=CAP,
        patronage_pool=400_000,
    )


def test_interest_only_from_surplus():
    # surplus 1 000: reserves take 400, 600 left; 5 % on 100 000 paid-up = 5 000 > 600.
    with pytest.raises(ValidationFailed) as exc:
        compute_allocation(
            surplus=1_000,
            capital=1_000_000,
            general_reserve_balance=0,
            training_reserve_balance=0,
            share_interest_rate=CAP,
            share_interest_cap=CAP,
            paid_up={1: 100_000},
        )
    assert exc.value.code == "interest_exceeds_surplus"
