"""The split rule of docs/api.md: shares rounded down, the francs left one each to the
largest remainders, so the shares sum to the payment; property-tested."""

from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from consulting.split import PARTIES, check_split, split_amount
from core.errors import ValidationFailed

SEVENTY_TWENTY_TEN = {"consultant": "70", "platform": "20", "ess_fund": "10"}


def test_the_worked_example_333_333_at_70_20_10():
    # 233 333.1 / 66 666.6 / 33 333.3: 333 332 rounded down, the franc left to the
    # largest remainder (the platform's .6).
    assert split_amount(333_333, SEVENTY_TWENTY_TEN) == {
        "consultant": 233_333,
        "platform": 66_667,
        "ess_fund": 33_333,
    }


@pytest.mark.parametrize(
    ("amount", "split", "expected"),
    [
        (100, SEVENTY_TWENTY_TEN, (70, 20, 10)),
        (1, SEVENTY_TWENTY_TEN, (1, 0, 0)),  # .7 / .2 / .1: the consultant's .7 wins
        (2, {"consultant": "33.33", "platform": "33.33", "ess_fund": "33.34"}, (1, 0, 1)),
        (10, {"consultant": "33.33", "platform": "33.33", "ess_fund": "33.34"}, (3, 3, 4)),
        (3, {"consultant": "50", "platform": "25", "ess_fund": "25"}, (1, 1, 1)),  # .5 < .75
        (1, {"consultant": "40", "platform": "30", "ess_fund": "30"}, (1, 0, 0)),  # .4 first
        (0, SEVENTY_TWENTY_TEN, (0, 0, 0)),
        (999, {"consultant": "100", "platform": "0", "ess_fund": "0"}, (999, 0, 0)),
    ],
)
def test_rounding_down_then_largest_remainders(amount, split, expected):
    shares = split_amount(amount, split)
    assert tuple(shares[p] for p in PARTIES) == expected


percent = st.integers(min_value=0, max_value=10_000)


@st.composite
def splits(draw):
    a = draw(percent)
    b = draw(st.integers(min_value=0, max_value=10_000 - a))
    hundredths = (a, b, 10_000 - a - b)
    return {
        p: Decimal(h) / 100 for p, h in zip(PARTIES, draw(st.permutations(hundredths)), strict=True)
    }


@settings(suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(amount=st.integers(min_value=0, max_value=10**12), split=splits())
def test_shares_sum_exactly_and_none_is_negative(amount, split):
    shares = split_amount(amount, split)
    assert sum(shares.values()) == amount
    assert all(value >= 0 for value in shares.values())
    for party in PARTIES:  # each share is its exact value rounded down or up by one franc
        exact = Decimal(amount) * split[party] / 100
        assert exact - 1 < shares[party] < exact + 1


@settings(suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(amount=st.integers(min_value=0, max_value=10**9), split=splits())
def test_a_zero_percent_party_gets_nothing(amount, split):
    shares = split_amount(amount, split)
    for party in PARTIES:
        if split[party] == 0:
            assert shares[party] == 0


@pytest.mark.parametrize(
    ("split", "code"),
    [
        ({"consultant": "70", "platform": "20", "ess_fund": "5"}, "split_not_100"),
        ({"consultant": "80", "platform": "20", "ess_fund": "10"}, "split_not_100"),
        ({"consultant": "110", "platform": "-20", "ess_fund": "10"}, "invalid_split"),
        ({"consultant": "70.001", "platform": "19.999", "ess_fund": "10"}, "invalid_split"),
        ({"consultant": "NaN", "platform": "20", "ess_fund": "10"}, "invalid_split"),
        ({"consultant": "soixante-dix", "platform": "20", "ess_fund": "10"}, "invalid_split"),
        ({"consultant": True, "platform": "20", "ess_fund": "10"}, "invalid_split"),
        ({"consultant": "70", "platform": "30"}, "invalid_split"),
        ("70/20/10", "invalid_split"),
    ],
)
def test_bad_splits_are_refused_with_a_clear_message(split, code):
    with pytest.raises(ValidationFailed) as err:
        check_split(split)
    assert err.value.code == code and err.value.field == "split"
    if code == "split_not_100":
        assert "100 %" in str(err.value.message)


def test_a_good_split_is_kept():
    assert check_split({"consultant": 70, "platform": "20.5", "ess_fund": Decimal("9.5")}) == {
        "consultant": Decimal("70.00"),
        "platform": Decimal("20.50"),
        "ess_fund": Decimal("9.50"),
    }
