from collections import defaultdict
from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from credit.allocation import (
    COMPONENTS,
    DEFAULT_ORDER,
    Open,
    allocate,
    capacity,
    parse_order,
)

D = date(2026, 6, 1)


def test_default_order_penalties_fees_interest_principal_oldest_first():
    insts = [
        Open(2, D - timedelta(days=1), penalty=0, fee=0, interest=100, principal=900),
        Open(1, D - timedelta(days=31), penalty=50, fee=20, interest=100, principal=900),
        Open(3, D + timedelta(days=30), interest=90, principal=910),
    ]
    lines, rest = allocate(insts, 1_200, D)
    assert [(ln.number, ln.component, ln.amount) for ln in lines] == [
        (1, "penalty", 50),
        (1, "fee", 20),
        (1, "interest", 100),
        (1, "principal", 900),
        (2, "interest", 100),
        (2, "principal", 30),
    ]
    assert rest == 0


def test_prepayment_goes_to_future_principal_only_and_the_rest_is_returned():
    insts = [
        Open(1, D, interest=100, principal=900),
        Open(2, D + timedelta(days=30), interest=90, principal=910),
    ]
    lines, rest = allocate(insts, 2_000, D)
    assert (2, "principal", 910) in [(ln.number, ln.component, ln.amount) for ln in lines]
    assert not [ln for ln in lines if ln.number == 2 and ln.component == "interest"]
    assert rest == 2_000 - 1_000 - 910
    assert capacity(insts, D) == 1_910


def test_custom_order_interest_first():
    insts = [Open(1, D, penalty=10, interest=100, principal=900)]
    lines, _ = allocate(insts, 50, D, parse_order("interest,principal,penalty,fee"))
    assert lines[0].component == "interest" and lines[0].amount == 50


def test_parse_order_rejects_incomplete_order():
    assert parse_order("penalty, fee, interest, principal") == DEFAULT_ORDER
    with pytest.raises(ValueError):
        parse_order("penalty,interest,principal")


def test_negative_amount_refused():
    with pytest.raises(ValueError):
        allocate([Open(1, D, principal=10)], -1, D)


open_strategy = st.builds(
    Open,
    number=st.integers(min_value=1, max_value=60),
    due_on=st.dates(min_value=date(2026, 1, 1), max_value=date(2027, 12, 31)),
    penalty=st.integers(min_value=0, max_value=10_000),
    fee=st.integers(min_value=0, max_value=10_000),
    interest=st.integers(min_value=0, max_value=100_000),
    principal=st.integers(min_value=0, max_value=1_000_000),
)


@settings(max_examples=300, deadline=None)
@given(
    insts=st.lists(open_strategy, max_size=12, unique_by=lambda i: i.number),
    amount=st.integers(min_value=0, max_value=5_000_000),
    paid_on=st.dates(min_value=date(2026, 1, 1), max_value=date(2027, 12, 31)),
    order=st.permutations(COMPONENTS),
)
def test_allocation_properties(insts, amount, paid_on, order):
    lines, rest = allocate(insts, amount, paid_on, tuple(order))
    allocated = sum(ln.amount for ln in lines)
    # every franc is counted exactly once: allocated + rest = amount
    assert allocated + rest == amount
    assert all(ln.amount > 0 for ln in lines)
    # never more than what remains on a component; future instalments: principal only
    by = defaultdict(int)
    for ln in lines:
        by[(ln.number, ln.component)] += ln.amount
    index = {i.number: i for i in insts}
    for (number, component), value in by.items():
        assert value <= index[number].remaining(component)
        if index[number].due_on > paid_on:
            assert component == "principal"
    # a rest only when everything allocatable is taken
    assert allocated == min(amount, capacity(insts, paid_on))
    # a later due instalment is touched only when every earlier due one is fully paid
    due = sorted((i for i in insts if i.due_on <= paid_on), key=lambda i: (i.due_on, i.number))
    for earlier, later in zip(due, due[1:], strict=False):
        if any(ln.number == later.number for ln in lines):
            paid_earlier = sum(ln.amount for ln in lines if ln.number == earlier.number)
            assert paid_earlier == earlier.total
