"""Copayments and ceilings, property-tested."""

from hypothesis import given
from hypothesis import strategies as st

from health.valuation import copayment_of, valuate_line

rooms = st.lists(st.one_of(st.none(), st.integers(-10_000, 2_000_000)), max_size=3)


@given(amount=st.integers(0, 10_000_000), percent=st.integers(0, 100), rooms=rooms)
def test_the_mutual_and_the_member_share_the_amount_exactly(amount, percent, rooms):
    value = valuate_line(amount=amount, copayment_percent=percent, rooms=rooms)
    assert value.covered + value.copayment == amount
    assert 0 <= value.covered <= amount - copayment_of(amount, percent)
    for room in rooms:
        if room is not None:
            assert value.covered <= max(room, 0)
    assert value.copayment >= copayment_of(amount, percent)


@given(amount=st.integers(0, 10_000_000), percent=st.integers(0, 100))
def test_without_ceilings_the_mutual_pays_all_but_the_copayment(amount, percent):
    value = valuate_line(amount=amount, copayment_percent=percent, rooms=[None, None])
    assert value.copayment == copayment_of(amount, percent)
    assert not value.capped


def test_copayment_is_rounded_half_up_to_the_franc():
    assert copayment_of(2_005, 10) == 201  # 200.5 -> 201
    assert copayment_of(2_004, 10) == 200  # 200.4 -> 200
    assert copayment_of(1_000, 0) == 0 and copayment_of(1_000, 100) == 1_000


def test_a_ceiling_used_up_leaves_everything_to_the_member():
    value = valuate_line(amount=5_000, copayment_percent=20, rooms=[0])
    assert (value.covered, value.copayment, value.capped) == (0, 5_000, True)
