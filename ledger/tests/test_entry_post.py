"""Posting: balanced, non-empty, numbered without gaps, idempotent, never in a locked period."""

import datetime

import pytest

from core.errors import Conflict, ValidationFailed
from ledger.models import JournalEntry, JournalLine
from ledger.services import entry_post, entry_reverse, period_lock, period_unlock
from ledger.tests.factories import books, post


@pytest.fixture(autouse=True)
def _dates_run_into_2027(today_is):
    """These tests write dates into 2027: the date rule's today is pinned past them."""
    today_is(datetime.date(2027, 12, 31))


D = datetime.date(2026, 3, 10)


@pytest.fixture
def coop_officer(db):
    return books()


def test_balanced_entry_is_posted_with_lines(coop_officer):
    coop, officer = coop_officer
    entry = post(coop, officer)
    assert entry.reference == "CA-2026-00001"
    lines = list(
        entry.lines.order_by("id").values_list("account__code", "debit", "credit", "cooperative_id")
    )
    assert lines == [("5711", 10_000, 0, coop.pk), ("7021", 0, 10_000, coop.pk)]


def test_unbalanced_entry_is_refused(coop_officer):
    coop, officer = coop_officer
    with pytest.raises(ValidationFailed) as exc:
        post(coop, officer, lines=[("5711", 10_000, 0), ("7021", 0, 9_999)])
    assert exc.value.code == "unbalanced"
    assert JournalEntry.objects.count() == 0


@pytest.mark.parametrize(
    ("lines", "code"),
    [
        ([], "empty_entry"),
        ([("5711", 0, 0), ("7021", 0, 0)], "invalid_line"),
        ([("5711", 100, 100), ("7021", 100, 100)], "invalid_line"),
        ([("5711", -5, 0), ("7021", 0, -5)], "invalid_amount"),
        ([("5711", 10.5, 0), ("7021", 0, 10.5)], "invalid_amount"),
        ([("9999", 100, 0), ("7021", 0, 100)], "unknown_account"),
    ],
)
def test_malformed_entries_are_refused(coop_officer, lines, code):
    coop, officer = coop_officer
    with pytest.raises(ValidationFailed) as exc:
        entry_post(actor=officer, cooperative=coop, journal="CA", on=D, label="x", lines=lines)
    assert exc.value.code == code


def test_unknown_journal_and_empty_label_are_refused(coop_officer):
    coop, officer = coop_officer
    with pytest.raises(ValidationFailed) as exc:
        post(coop, officer, journal="ZZ")
    assert exc.value.code == "unknown_journal"
    with pytest.raises(ValidationFailed) as exc:
        post(coop, officer, label="  ")
    assert exc.value.code == "label_required"


def test_numbers_are_gap_free_per_journal_and_year(coop_officer):
    coop, officer = coop_officer
    refs = [post(coop, officer).reference for _ in range(3)]
    refs.append(post(coop, officer, journal="BQ", lines=[("521", 5, 0), ("7021", 0, 5)]).reference)
    refs.append(post(coop, officer, on=datetime.date(2027, 1, 2)).reference)
    # a refused entry consumes no number
    with pytest.raises(ValidationFailed):
        post(coop, officer, lines=[("5711", 1, 0), ("7021", 0, 2)])
    refs.append(post(coop, officer).reference)
    assert refs == [
        "CA-2026-00001",
        "CA-2026-00002",
        "CA-2026-00003",
        "BQ-2026-00001",
        "CA-2027-00001",
        "CA-2026-00004",
    ]


def test_source_ref_makes_posting_idempotent(coop_officer):
    coop, officer = coop_officer
    kwargs = dict(
        actor=officer,
        cooperative=coop,
        journal="CA",
        on=D,
        label="Versement",
        lines=[("5711", 500, 0), ("7021", 0, 500)],
        source="api",
        source_ref="key-1",
    )
    first = entry_post(**kwargs)
    again = entry_post(**kwargs)
    assert again.pk == first.pk
    assert JournalEntry.objects.count() == 1
    with pytest.raises(Conflict) as exc:
        entry_post(**{**kwargs, "lines": [("5711", 501, 0), ("7021", 0, 501)]})
    assert exc.value.code == "source_ref_reused"


def test_posting_into_a_locked_month_is_refused(coop_officer):
    coop, officer = coop_officer
    period_lock(actor=officer, cooperative=coop, year=2026, month=3)
    with pytest.raises(Conflict) as exc:
        post(coop, officer, on=datetime.date(2026, 3, 31))
    assert exc.value.code == "period_locked"
    post(coop, officer, on=datetime.date(2026, 4, 1))  # the next month is open
    period_unlock(actor=officer, cooperative=coop, year=2026, month=3)
    post(coop, officer, on=datetime.date(2026, 3, 31))


def test_reversal_cancels_an_entry_without_touching_it(coop_officer):
    coop, officer = coop_officer
    entry = post(coop, officer)
    reversal = entry_reverse(actor=officer, entry=entry, on=datetime.date(2026, 3, 12))
    assert reversal.reverses == entry
    assert list(reversal.lines.order_by("id").values_list("account__code", "debit", "credit")) == [
        ("5711", 0, 10_000),
        ("7021", 10_000, 0),
    ]
    assert JournalLine.objects.filter(entry=entry).count() == 2
    with pytest.raises(Conflict) as exc:
        entry_reverse(actor=officer, entry=entry)
    assert exc.value.code == "already_reversed"
    with pytest.raises(Conflict) as exc:
        entry_reverse(actor=officer, entry=reversal)
    assert exc.value.code == "not_reversible"


def test_reversal_into_a_locked_month_is_refused(coop_officer):
    coop, officer = coop_officer
    entry = post(coop, officer)
    period_lock(actor=officer, cooperative=coop, year=2026, month=3)
    with pytest.raises(Conflict) as exc:
        entry_reverse(actor=officer, entry=entry)
    assert exc.value.code == "period_locked"
    assert entry_reverse(actor=officer, entry=entry, on=datetime.date(2026, 4, 1)).reverses == entry
