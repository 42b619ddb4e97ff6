"""Share operations post their entries in the cooperative's books when carried out
(ledger/postings.py): subscription, payment, transfer, refund. The register of shares and
the capital accounts never disagree; a locked period refuses the operation."""

from __future__ import annotations

import datetime

import pytest
from django.db.models import Sum

from capital.models import OperationStatus, ShareMovement
from capital.selectors import holding_of
from capital.services import (
    share_operation_approve,
    share_operation_execute,
    share_operation_request,
)
from capital.tests.factories import StatutesFactory, done_operation
from core.errors import Conflict, ValidationFailed
from ledger.models import JournalEntry, JournalLine
from ledger.services import balances_at, period_lock, period_unlock
from registry.models import MembershipStatus

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 6, 1)


@pytest.fixture
def coop(world):
    StatutesFactory(cooperative=world.coop_tc, share_value=5000)
    return world.coop_tc


def op(world, coop, kind, person, **kw):
    return done_operation(
        actor=world.officer,
        cooperative=coop,
        kind=kind,
        person=person,
        effective_on=kw.pop("on", TODAY),
        today=TODAY,
        **kw,
    )


def lines(coop, source, ref):
    entry = JournalEntry.objects.get(cooperative=coop, source=source, source_ref=str(ref))
    return entry, sorted(
        (ln.account.code, ln.debit, ln.credit, ln.person_id) for ln in entry.lines.all()
    )


def by_person(coop, code):
    return {
        person: b
        for (c, person), b in balances_at(
            coop, datetime.date(2030, 1, 1), by_person=True, account_codes=[code]
        ).items()
        if b
    }


def test_subscription_with_a_first_payment_posts_two_entries(world, coop):
    p = world.persons_tc[0]
    done = op(world, coop, "subscription", p, shares=4, amount=5000, channel="mobile_money")
    sub, sub_lines = lines(coop, "capital.share_subscription", done.pk)
    assert sub.journal.code == "OD" and sub.date == TODAY
    assert sub_lines == [("1012", 0, 20_000, p.pk), ("4613", 20_000, 0, p.pk)]
    pay, pay_lines = lines(coop, "capital.share_payment", done.pk)
    assert pay.journal.code == "MM"
    assert pay_lines == [
        ("1012", 5_000, 0, p.pk),
        ("1013", 0, 5_000, p.pk),
        ("4613", 0, 5_000, p.pk),
        ("552", 5_000, 0, None),
    ]


def test_subscription_without_payment_and_a_later_payment_by_bank(world, coop):
    p = world.persons_tc[1]
    first = op(world, coop, "subscription", p, shares=2, amount=0)
    assert not JournalEntry.objects.filter(source="capital.share_payment", source_ref=first.pk)
    pay = op(world, coop, "payment", p, amount=4_000, channel="bank")
    entry, pay_lines = lines(coop, "capital.share_payment", pay.pk)
    assert entry.journal.code == "BQ"
    assert ("521", 4_000, 0, None) in pay_lines
    assert by_person(coop, "1013") == {p.pk: -4_000}
    assert by_person(coop, "1012") == {p.pk: -6_000}  # called, not yet paid
    assert by_person(coop, "4613") == {p.pk: 6_000}  # the member still owes it


def test_an_unknown_channel_is_refused(world, coop):
    with pytest.raises(ValidationFailed) as exc:
        share_operation_request(
            actor=world.officer,
            cooperative=coop,
            kind="payment",
            person=world.persons_tc[0],
            amount=1000,
            effective_on=TODAY,
            today=TODAY,
            channel="cheque",
        )
    assert exc.value.field == "channel"


def test_transfer_moves_paid_up_capital_between_members(world, coop):
    seller, buyer = world.persons_tc[0], world.persons_tc[1]
    op(world, coop, "subscription", seller, shares=2, amount=10_000)
    t = op(world, coop, "transfer", seller, to_person=buyer, shares=1)
    entry, t_lines = lines(coop, "capital.share_transfer", t.pk)
    assert entry.journal.code == "OD"
    assert t_lines == [("1013", 0, 5_000, buyer.pk), ("1013", 5_000, 0, seller.pk)]
    assert by_person(coop, "1013") == {seller.pk: -5_000, buyer.pk: -5_000}


def test_refund_cancels_the_shares_and_pays_the_member(world, coop):
    p = world.persons_tc[2]
    op(world, coop, "subscription", p, shares=3, amount=9_000)
    p.memberships.update(status=MembershipStatus.LEFT, left_on=TODAY)
    # the assembly decided to pay 8 000 now: 1 000 stays owed to the former member
    r = op(world, coop, "refund", p, amount=8_000, channel="cash")
    entry, r_lines = lines(coop, "capital.share_refund", r.pk)
    assert entry.journal.code == "CA"
    assert r_lines == [
        ("1012", 6_000, 0, p.pk),  # subscribed, never paid: cancelled
        ("1013", 9_000, 0, p.pk),
        ("4613", 0, 6_000, p.pk),
        ("4619", 0, 9_000, p.pk),
        ("4619", 8_000, 0, p.pk),
        ("5711", 0, 8_000, None),
    ]
    for code in ("1012", "1013", "4613"):
        assert by_person(coop, code) == {}, code
    assert by_person(coop, "4619") == {p.pk: -1_000}


def test_a_locked_period_refuses_the_operation_and_writes_nothing(world, coop):
    p = world.persons_tc[0]
    request = share_operation_request(
        actor=world.officer,
        cooperative=coop,
        kind="subscription",
        person=p,
        shares=2,
        amount=10_000,
        effective_on=TODAY,
        today=TODAY,
    )
    share_operation_approve(operation=request, actor=world.officer, today=TODAY)
    period_lock(actor=world.officer, cooperative=coop, year=2026, month=6)
    with pytest.raises(Conflict) as exc:
        share_operation_execute(operation=request, actor=world.officer, today=TODAY)
    assert exc.value.code == "period_locked" and "06/2026" in exc.value.message
    request.refresh_from_db()
    assert request.status == OperationStatus.APPROVED
    assert not ShareMovement.objects.filter(operation=request).exists()
    assert not JournalEntry.objects.filter(cooperative=coop).exists()
    period_unlock(actor=world.officer, cooperative=coop, year=2026, month=6)
    share_operation_execute(operation=request, actor=world.officer, today=TODAY)
    assert by_person(coop, "1013") == {p.pk: -10_000}


def test_paid_up_capital_equals_the_capital_accounts_after_a_sequence(world, coop):
    a, b, c = world.persons_tc
    op(world, coop, "subscription", a, shares=4, amount=5_000, on=datetime.date(2026, 1, 10))
    op(world, coop, "subscription", b, shares=2, amount=10_000, on=datetime.date(2026, 2, 1))
    op(world, coop, "subscription", c, shares=3, amount=0, on=datetime.date(2026, 2, 3))
    op(world, coop, "payment", a, amount=7_500, channel="bank", on=datetime.date(2026, 3, 1))
    op(world, coop, "payment", c, amount=15_000, channel="mobile_money")
    op(world, coop, "transfer", b, to_person=c, shares=1, on=datetime.date(2026, 4, 2))
    b.memberships.update(status=MembershipStatus.LEFT, left_on=TODAY)
    op(world, coop, "refund", b)
    holdings = {p.pk: holding_of(coop, p) for p in (a, b, c)}
    paid = {pk: -h.paid for pk, h in holdings.items() if h.paid}
    unpaid = {pk: -(h.subscribed - h.paid) for pk, h in holdings.items() if h.subscribed - h.paid}
    assert by_person(coop, "1013") == paid == {a.pk: -12_500, c.pk: -20_000}
    assert by_person(coop, "1012") == unpaid
    assert by_person(coop, "4613") == {pk: -v for pk, v in unpaid.items()}
    movements = ShareMovement.objects.filter(cooperative=coop).aggregate(p=Sum("paid"))
    assert -sum(by_person(coop, "1013").values()) == movements["p"]
    # the treasury holds what the members paid in, less the refund paid out
    treasury = balances_at(coop, TODAY, account_codes=["5711", "521", "552"])
    assert sum(treasury.values()) == 5_000 + 10_000 + 7_500 + 15_000 - 5_000
    totals = JournalLine.objects.filter(cooperative=coop).aggregate(d=Sum("debit"), c=Sum("credit"))
    assert totals["d"] == totals["c"]


def test_the_demo_capital_is_in_the_books_and_loads_once(world):
    from demo.governance_data import TISSERANDS, load_governance

    assert world.coop_tc.name == TISSERANDS
    load_governance(actor=world.national)
    entries = JournalEntry.objects.filter(source__startswith="capital.").count()
    paid = ShareMovement.objects.filter(cooperative=world.coop_tc).aggregate(p=Sum("paid"))["p"]
    assert entries and paid
    assert -sum(by_person(world.coop_tc, "1013").values()) == paid
    load_governance(actor=world.national)
    assert JournalEntry.objects.filter(source__startswith="capital.").count() == entries
