"""The matchfunding rule (docs/api.md): property tests and the worked examples."""

from decimal import Decimal

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from network.matching import match_amount, split_commission

amounts = st.integers(min_value=1, max_value=10**9)
factors = st.decimals(min_value="0.01", max_value="10", places=2)


def test_worked_examples():
    common = {"factor": Decimal("2"), "max_per_pledge": 10_000}
    # Awa gives 5 000: doubled to 10 000.
    assert (
        match_amount(amount=5_000, left_on_project=25_000, left_in_budget=100_000, **common)
        == 10_000
    )
    # Binta gives 20 000: capped at 10 000 per pledge (20 000), then by the 15 000 left
    # of the 25 000 per project.
    assert (
        match_amount(amount=20_000, left_on_project=15_000, left_in_budget=90_000, **common)
        == 15_000
    )
    # Nothing left on the project: no match.
    assert match_amount(amount=8_000, left_on_project=0, left_in_budget=75_000, **common) == 0
    # The fund's budget caps too.
    assert match_amount(amount=9_000, left_on_project=25_000, left_in_budget=700, **common) == 700


def test_rounding_down_to_whole_francs():
    assert (
        match_amount(
            amount=3_333,
            factor=Decimal("1.5"),
            max_per_pledge=10_000,
            left_on_project=10**6,
            left_in_budget=10**6,
        )
        == 4_999
    )  # 4 999.5 rounded down


@settings(suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(amounts, factors, amounts, st.integers(0, 10**9), st.integers(0, 10**9))
def test_the_rule_holds(amount, factor, max_per_pledge, left_project, left_budget):
    m = match_amount(
        amount=amount,
        factor=factor,
        max_per_pledge=max_per_pledge,
        left_on_project=left_project,
        left_in_budget=left_budget,
    )
    assert isinstance(m, int)
    assert 0 <= m <= min(left_project, left_budget)
    exact = Decimal(min(amount, max_per_pledge)) * factor
    assert m <= exact  # never above the factor's product (rounded down)
    assert m == min(int(exact), left_project, left_budget)


@settings(suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(st.integers(0, 10**12), st.decimals(min_value="0", max_value="100", places=2))
def test_commission_and_net_sum_to_the_total(total, percent):
    commission, net = split_commission(total, percent)
    assert commission + net == total
    assert 0 <= commission <= total * percent / 100
