"""Closing a year, carrying balances forward, allocating the surplus and refund statements."""

import datetime
from decimal import Decimal

import pytest

from core.errors import Conflict
from ledger import postings
from ledger.models import EntryKind, JournalEntry, MemberAllocation
from ledger.selectors import balance_sheet, income_statement, trial_balance
from ledger.services import (
    entry_post,
    member_transaction_record,
    payment_record,
    receipt_record,
    surplus_allocate,
    year_close,
)
from ledger.tests.factories import books
from registry.tests.factories import MembershipFactory, PersonFactory


@pytest.fixture(autouse=True)
def _dates_run_into_2027(today_is):
    """These tests write dates into 2027: the date rule's today is pinned past them."""
    today_is(datetime.date(2027, 12, 31))


def d(y, m, day):
    return datetime.date(y, m, day)


@pytest.fixture
def year_2026(db):
    """Two members pay up 60 000 and 40 000 of shares; sales 500 000; purchases 200 000
    and rent 50 000, all in cash: a surplus of 250 000."""
    coop, officer = books()
    a, b, c = (PersonFactory() for _ in range(3))
    for p in (a, b, c):
        MembershipFactory(cooperative=coop, person=p)
    for person, amount, ref in [(a, 60_000, "a"), (b, 40_000, "b")]:
        postings.share_subscription(
            actor=officer,
            cooperative=coop,
            person_id=person.pk,
            amount=amount,
            on=d(2026, 1, 10),
            source_ref=f"sub-{ref}",
        )
        postings.share_payment(
            actor=officer,
            cooperative=coop,
            person_id=person.pk,
            amount=amount,
            on=d(2026, 1, 15),
            channel="cash",
            source_ref=f"pay-{ref}",
        )
    common = dict(actor=officer, cooperative=coop, channel="cash")
    receipt_record(**common, category="sales_goods", amount=500_000, on=d(2026, 5, 2))
    payment_record(**common, category="raw_materials", amount=200_000, on=d(2026, 4, 2))
    payment_record(**common, category="rent", amount=50_000, on=d(2026, 6, 30))
    for person, volume in [(a, 300_000), (b, 100_000), (c, 100_000)]:
        member_transaction_record(
            actor=officer,
            cooperative=coop,
            person_id=person.pk,
            on=d(2026, 7, 1),
            amount=volume,
            label="Livraison de pagnes",
        )
    return coop, officer, a, b, c


def test_statements_before_close(year_2026):
    coop, officer, *_ = year_2026
    rows = {
        r["key"]: r["amount"]
        for r in income_statement(
            actor=officer, cooperative=coop, date_from=d(2026, 1, 1), date_to=d(2026, 12, 31)
        )
    }
    assert rows["TB"] == 500_000 and rows["XB"] == 500_000
    assert rows["RC"] == 200_000 and rows["RH"] == 50_000
    assert rows["XI"] == 250_000
    sheet = balance_sheet(actor=officer, cooperative=coop, on=d(2026, 12, 31))
    assets = {r["key"]: r["amount"] for r in sheet["assets"]}
    liabilities = {r["key"]: r["amount"] for r in sheet["liabilities"]}
    assert assets["BS"] == 350_000  # cash: 100 000 + 500 000 − 250 000
    assert liabilities["CA"] == 100_000 and liabilities["CH"] == 250_000
    assert sheet["total_assets"] == sheet["total_liabilities"] == 350_000


def test_close_carry_forward_and_allocate(year_2026):
    coop, officer, a, b, c = year_2026
    fy = year_close(actor=officer, cooperative=coop, year=2026)
    assert fy.result == 250_000
    closing = sorted(fy.closing_entry.lines.values_list("account__code", "debit", "credit"))
    assert closing == [
        ("131", 0, 250_000),
        ("6021", 0, 200_000),
        ("6222", 0, 50_000),
        ("7021", 500_000, 0),
    ]
    assert fy.opening_entry.date == d(2027, 1, 1)
    opening = sorted(
        fy.opening_entry.lines.values_list("account__code", "debit", "credit", "person_id")
    )
    assert opening == sorted(
        [
            ("1013", 0, 60_000, a.pk),
            ("1013", 0, 40_000, b.pk),
            ("131", 0, 250_000, None),
            ("5711", 350_000, 0, None),
        ]
    )
    # the closed year is locked; so is recording members' business in it
    with pytest.raises(Conflict) as exc:
        receipt_record(
            actor=officer,
            cooperative=coop,
            category="sales_goods",
            amount=1,
            on=d(2026, 12, 31),
            channel="cash",
        )
    assert exc.value.code == "period_locked"
    with pytest.raises(Conflict):
        member_transaction_record(
            actor=officer, cooperative=coop, person_id=a.pk, on=d(2026, 8, 1), amount=5
        )
    with pytest.raises(Conflict) as exc:
        year_close(actor=officer, cooperative=coop, year=2026)
    assert exc.value.code == "already_closed"
    # 2027's balance sheet starts from the carried-forward balances (nothing counted twice)
    sheet = balance_sheet(actor=officer, cooperative=coop, on=d(2027, 3, 1))
    assert sheet["total_assets"] == sheet["total_liabilities"] == 350_000

    # Allocation worked by hand: surplus 250 000, capital 100 000.
    # general 20 % = 50 000, training 20 % = 50 000, optional 10 % = 25 000 -> 125 000 left
    # interest 5 % on paid-up: a 60 000 -> 3 000, b 40 000 -> 2 000 -> 120 000 left
    # refunds on volumes 300 000 / 100 000 / 100 000: 72 000 / 24 000 / 24 000.
    allocation = surplus_allocate(
        actor=officer,
        cooperative=coop,
        year=2026,
        on=d(2027, 6, 15),
        optional_reserve_rate=Decimal("0.10"),
        share_interest_rate=Decimal("0.05"),
    )
    assert (
        allocation.general_reserve,
        allocation.training_reserve,
        allocation.optional_reserve,
        allocation.share_interest,
        allocation.patronage,
        allocation.retained,
    ) == (50_000, 50_000, 25_000, 5_000, 120_000, 0)
    statements = {
        m.person_id: (m.paid_up_shares, m.share_interest, m.volume, m.refund, m.total)
        for m in MemberAllocation.objects.filter(allocation=allocation)
    }
    assert statements == {
        a.pk: (60_000, 3_000, 300_000, 72_000, 75_000),
        b.pk: (40_000, 2_000, 100_000, 24_000, 26_000),
        c.pk: (0, 0, 100_000, 24_000, 24_000),
    }
    tb = {
        r["account"]: r["balance"]
        for r in trial_balance(
            actor=officer, cooperative=coop, date_from=d(2027, 1, 1), date_to=d(2027, 12, 31)
        )
    }
    assert tb["131"] == 0
    assert tb["111"] == -50_000 and tb["1121"] == -50_000 and tb["1181"] == -25_000
    assert tb["465"] == -125_000
    with pytest.raises(Conflict) as exc:
        surplus_allocate(actor=officer, cooperative=coop, year=2026, on=d(2027, 6, 16))
    assert exc.value.code == "already_allocated"


def test_allocation_needs_a_closed_year(year_2026):
    coop, officer, *_ = year_2026
    with pytest.raises(Conflict) as exc:
        surplus_allocate(actor=officer, cooperative=coop, year=2026, on=d(2027, 6, 15))
    assert exc.value.code == "year_not_closed"


def test_a_loss_is_carried_forward(db):
    coop, officer = books()
    payment_record(
        actor=officer,
        cooperative=coop,
        category="rent",
        amount=30_000,
        on=d(2026, 2, 1),
        channel="cash",
    )
    fy = year_close(actor=officer, cooperative=coop, year=2026)
    assert fy.result == -30_000
    allocation = surplus_allocate(actor=officer, cooperative=coop, year=2026, on=d(2027, 5, 1))
    assert sorted(allocation.entry.lines.values_list("account__code", "debit", "credit")) == [
        ("1291", 30_000, 0),
        ("139", 0, 30_000),
    ]


def test_years_close_in_order(db):
    coop, officer = books()
    entry_post(
        actor=officer,
        cooperative=coop,
        journal="CA",
        on=d(2025, 6, 1),
        label="Vente",
        lines=[("5711", 100, 0), ("7021", 0, 100)],
    )
    with pytest.raises(Conflict) as exc:
        year_close(actor=officer, cooperative=coop, year=2026)
    assert exc.value.code == "previous_year_open"
    year_close(actor=officer, cooperative=coop, year=2025)
    year_close(actor=officer, cooperative=coop, year=2026)
    kinds = set(JournalEntry.objects.filter(cooperative=coop).values_list("kind", flat=True))
    assert kinds == {EntryKind.NORMAL, EntryKind.CLOSING, EntryKind.OPENING}
