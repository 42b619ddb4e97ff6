"""Property: whatever valid postings happen (entries, receipts, payments, transfers,
reversals, a year close), total debit equals total credit, every trial balance sums to
zero and the balance sheet balances."""

import datetime

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ledger import chart
from ledger.models import JournalEntry, JournalLine
from ledger.selectors import balance_sheet, trial_balance
from ledger.services import (
    entry_post,
    entry_reverse,
    payment_record,
    receipt_record,
    transfer_record,
    year_close,
)
from ledger.tests.factories import books


@pytest.fixture(autouse=True)
def _dates_run_into_2027(today_is):
    """These tests write dates into 2027: the date rule's today is pinned past them."""
    today_is(datetime.date(2027, 12, 31))


ACCOUNTS = ["5711", "521", "552", "7021", "6021", "401", "411", "162", "1013", "241", "4621"]
CHANNELS = [c for c, _l in chart.CHANNELS]
amounts = st.integers(min_value=1, max_value=50_000_000)
dates = st.dates(min_value=datetime.date(2026, 1, 1), max_value=datetime.date(2026, 12, 31))


@st.composite
def balanced_lines(draw):
    """Random debits on some accounts, the same total split over credits on others."""
    debits = draw(st.lists(st.tuples(st.sampled_from(ACCOUNTS), amounts), min_size=1, max_size=4))
    total = sum(a for _c, a in debits)
    n_credit = draw(st.integers(min_value=1, max_value=min(3, total)))
    cuts = (
        sorted(
            draw(st.sets(st.integers(1, total - 1), min_size=n_credit - 1, max_size=n_credit - 1))
        )
        if n_credit > 1
        else []
    )
    parts = [b - a for a, b in zip([0, *cuts], [*cuts, total], strict=True)]
    credits = [(draw(st.sampled_from(ACCOUNTS)), p) for p in parts]
    return [(c, a, 0) for c, a in debits] + [(c, 0, a) for c, a in credits]


operation = st.one_of(
    st.tuples(st.just("entry"), balanced_lines(), dates),
    st.tuples(
        st.just("receipt"),
        st.sampled_from([c for c, _l, _a in chart.RECEIPT_CATEGORIES]),
        amounts,
        dates,
        st.sampled_from(CHANNELS),
    ),
    st.tuples(
        st.just("payment"),
        st.sampled_from([c for c, _l, _a in chart.PAYMENT_CATEGORIES]),
        amounts,
        dates,
        st.sampled_from(CHANNELS),
    ),
    st.tuples(
        st.just("transfer"), amounts, dates, st.sampled_from(CHANNELS), st.sampled_from(CHANNELS)
    ),
    st.tuples(st.just("reverse"), st.integers(min_value=0, max_value=50)),
)


@settings(
    max_examples=20,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    ops=st.lists(operation, min_size=1, max_size=12),
    window=st.tuples(dates, dates),
    close=st.booleans(),
)
def test_books_always_balance(db, ops, window, close):
    coop, officer = books()
    who = dict(actor=officer, cooperative=coop)
    posted = []
    for op in ops:
        kind = op[0]
        if kind == "entry":
            posted.append(entry_post(**who, journal="OD", on=op[2], label="Écriture", lines=op[1]))
        elif kind == "receipt":
            posted.append(
                receipt_record(**who, category=op[1], amount=op[2], on=op[3], channel=op[4])
            )
        elif kind == "payment":
            posted.append(
                payment_record(**who, category=op[1], amount=op[2], on=op[3], channel=op[4])
            )
        elif kind == "transfer" and op[3] != op[4]:
            posted.append(
                transfer_record(**who, amount=op[1], on=op[2], from_channel=op[3], to_channel=op[4])
            )
        elif kind == "reverse" and posted:
            target = posted[op[1] % len(posted)]
            if (
                target.kind == "normal"
                and not JournalEntry.objects.filter(reverses=target).exists()
            ):
                entry_reverse(**{"actor": officer}, entry=target)
    if close:
        year_close(**who, year=2026)
    lines = JournalLine.objects.filter(cooperative=coop)
    assert sum(lines.values_list("debit", flat=True)) == sum(lines.values_list("credit", flat=True))
    for entry in JournalEntry.objects.filter(cooperative=coop).prefetch_related("lines"):
        assert entry.lines.all(), "an entry is never empty"
        assert sum(ln.debit for ln in entry.lines.all()) == sum(
            ln.credit for ln in entry.lines.all()
        )
    lo, hi = sorted(window)
    for date_from, date_to in [(None, None), (lo, hi), (datetime.date(2027, 1, 1), None)]:
        rows = trial_balance(**who, date_from=date_from, date_to=date_to)
        assert sum(r["balance"] for r in rows) == 0
        assert sum(r["debit"] for r in rows) == sum(r["credit"] for r in rows)
    for on in [hi, datetime.date(2026, 12, 31), datetime.date(2027, 1, 1)]:
        sheet = balance_sheet(**who, on=on)
        assert sheet["total_assets"] == sheet["total_liabilities"]
    numbers = {}
    for journal, year, number in JournalEntry.objects.filter(cooperative=coop).values_list(
        "journal__code", "fiscal_year", "number"
    ):
        numbers.setdefault((journal, year), []).append(number)
    for seq in numbers.values():
        assert sorted(seq) == list(range(1, len(seq) + 1)), "numbering has no gap"
