"""The closing rule (API.md, Foodsoft's), property-tested, and docs/purchasing.md's worked
examples run as doctests."""

import doctest
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from purchasing.allocation import Demand, allocate

DOC = Path(__file__).resolve().parents[2] / "docs" / "purchasing.md"

demands = st.lists(
    st.builds(
        Demand,
        key=st.uuids(),
        quantity=st.integers(min_value=1, max_value=500),
        tolerance=st.integers(min_value=0, max_value=60),
    ),
    max_size=12,
)


@settings(max_examples=300, deadline=None)
@given(
    pack_size=st.integers(min_value=1, max_value=60),
    min_packs=st.integers(min_value=0, max_value=8),
    demands=demands,
)
def test_units_never_above_packs_and_no_one_above_quantity_plus_tolerance(
    pack_size, min_packs, demands
):
    demands = [Demand(d.key, d.quantity, min(d.tolerance, pack_size - 1)) for d in demands]
    r = allocate(pack_size=pack_size, min_packs=min_packs, demands=demands)
    assert r.units <= r.packs * pack_size
    assert r.packs == 0 or r.packs >= min_packs
    for d in demands:
        assert 0 <= r.allocations[d.key] <= d.quantity + d.tolerance
    q = sum(d.quantity for d in demands)
    t = sum(d.tolerance for d in demands)
    assert r.units <= q + t  # never more packs than the demand can take
    if q + t >= r.units:
        assert sum(r.allocations.values()) == r.units


@settings(max_examples=300, deadline=None)
@given(
    pack_size=st.integers(min_value=1, max_value=60),
    demands=demands,
    arrived=st.integers(min_value=0, max_value=10_000),
)
def test_what_arrived_is_shared_whole_and_oldest_first(pack_size, demands, arrived):
    demands = [Demand(d.key, d.quantity, min(d.tolerance, pack_size - 1)) for d in demands]
    ordered = allocate(pack_size=pack_size, min_packs=0, demands=demands)
    units = min(arrived, ordered.units)
    r = allocate(pack_size=pack_size, min_packs=0, demands=demands, units=units)
    assert sum(r.allocations.values()) == units
    # oldest first: an order gets less than its quantity only if no later order got any
    short = [i for i, d in enumerate(demands) if r.allocations[d.key] < d.quantity]
    if short:
        assert all(r.allocations[d.key] == 0 for d in demands[short[0] + 1 :])


def test_remainder_plus_tolerances_reaching_a_pack_orders_one_more():
    ds = [Demand("a", 8, 4), Demand("b", 9, 3)]  # Q 17, T 7: 7 + 7 >= 10
    assert allocate(pack_size=10, min_packs=0, demands=ds).packs == 2
    ds = [Demand("a", 8, 1), Demand("b", 9, 1)]  # 7 + 2 < 10
    assert allocate(pack_size=10, min_packs=0, demands=ds).packs == 1


def test_under_the_minimum_nothing_is_ordered():
    ds = [Demand("a", 30, 10)]
    r = allocate(pack_size=25, min_packs=2, demands=ds)
    assert (r.packs, r.units, r.allocations) == (0, 0, {"a": 0})
    assert allocate(pack_size=25, min_packs=2, demands=[Demand("a", 50, 0)]).packs == 2


def test_worked_examples_of_the_docs():
    result = doctest.testfile(str(DOC), module_relative=False, optionflags=doctest.ELLIPSIS)
    assert result.attempted >= 8
    assert result.failed == 0
