"""A loan to a cooperative is posted in that cooperative's books by the credit services
themselves (ledger/postings.py): disbursement, repayments split as allocated, reversals,
write-off. A loan to a member is not. The books and the credit rows never disagree."""

from __future__ import annotations

import json
import threading
from datetime import date
from decimal import Decimal

import pytest
from django.db import connection, connections
from django.db.models import Sum

from core.errors import Conflict, ValidationFailed
from credit import services
from credit.models import Allocation, Loan, LoanStatus, Repayment
from credit.tests.factories import active_loan, product
from geo.models import AreaChange
from ledger.models import EntryKind, JournalEntry, JournalLine
from ledger.services import balances_at, entry_reverse, period_lock, period_unlock

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _dates_run_into_2027(today_is):
    """These tests write dates into 2027: the date rule's today is pinned past them."""
    today_is(date(2027, 12, 31))


def lines_of(entry) -> list[tuple[str, int, int]]:
    return sorted((ln.account.code, ln.debit, ln.credit) for ln in entry.lines.all())


def entry_for(coop, source, ref) -> JournalEntry:
    return JournalEntry.objects.get(cooperative=coop, source=source, source_ref=str(ref))


def balanced(entry) -> bool:
    t = entry.lines.aggregate(d=Sum("debit"), c=Sum("credit"))
    return t["d"] == t["c"] > 0


def balance(coop, code, on=date(2030, 1, 1)) -> int:
    return balances_at(coop, on, account_codes=[code]).get(code, 0)


def post(loan, amount, on, actor, **kw):
    return services.repayment_post(
        actor=actor, loan=loan, amount=amount, paid_on=on, channel=kw.pop("channel", "cash"), **kw
    )


def approved(credit, prod, principal=1_000_000, **borrower):
    w = credit.w
    loan = services.loan_apply(
        actor=w.lender, product=prod, principal=principal, applied_on=date(2026, 1, 10), **borrower
    )
    return services.loan_approve(actor=credit.checker, loan=loan, on=date(2026, 1, 10))


def test_disbursement_with_fees_posts_net_treasury_fees_and_the_debt(credit):
    w = credit.w
    prod = product(w.lender, w.lender_obj, fee_rate=Decimal("2"))
    loan = approved(credit, prod, borrower_cooperative=w.coop_tc)
    services.loan_disburse(actor=credit.checker, loan=loan, on=date(2026, 1, 15), channel="bank")
    entry = entry_for(w.coop_tc, "credit.loan_disbursement", loan.pk)
    assert entry.journal.code == "BQ" and entry.date == date(2026, 1, 15)
    assert balanced(entry)
    # 2 % of 1 000 000 withheld: 980 000 reach the bank account, the debt is the principal
    assert lines_of(entry) == [("162", 0, 1_000_000), ("521", 980_000, 0), ("631", 20_000, 0)]
    assert f"n° {loan.pk}" in entry.label
    loan.refresh_from_db()
    assert loan.disbursement_channel == "bank"
    # the fee withheld is not posted a second time as a repayment
    assert not JournalEntry.objects.filter(cooperative=w.coop_tc, source="credit.loan_repayment")


def test_disbursement_channel_picks_the_journal_and_is_checked(credit):
    w = credit.w
    loan = approved(credit, credit.product, borrower_cooperative=w.coop_mbour)
    with pytest.raises(ValidationFailed) as exc:
        services.loan_disburse(
            actor=credit.checker, loan=loan, on=date(2026, 1, 15), channel="deduction"
        )
    assert exc.value.field == "channel"
    assert not JournalEntry.objects.filter(source_ref=str(loan.pk), source__startswith="credit")
    services.loan_disburse(
        actor=credit.checker, loan=loan, on=date(2026, 1, 15), channel="mobile_money"
    )
    entry = entry_for(w.coop_mbour, "credit.loan_disbursement", loan.pk)
    assert entry.journal.code == "MM"
    assert lines_of(entry) == [("162", 0, 1_000_000), ("552", 1_000_000, 0)]


def test_repayment_is_split_as_allocated_penalties_fees_interest_principal(credit):
    w = credit.w
    prod = product(w.lender, w.lender_obj, penalty_rate="10")
    loan = active_loan(
        maker=w.lender, checker=credit.checker, product=prod, borrower_cooperative=w.coop_tc
    )
    # instalment 1 (due 15/02) is 30 days late: 754 F of penalties are accrued and paid first
    r = post(loan, 50_000, date(2026, 3, 17), w.lender, channel="mobile_money")
    entry = entry_for(w.coop_tc, "credit.loan_repayment", r.pk)
    split = {
        c: Allocation.objects.filter(repayment=r, component=c).aggregate(s=Sum("amount"))["s"]
        for c in ("penalty", "interest", "principal")
    }
    assert split == {"penalty": 754, "interest": 15_000, "principal": 34_246}
    assert entry.journal.code == "MM" and entry.date == date(2026, 3, 17)
    assert balanced(entry)
    assert lines_of(entry) == [
        ("162", 34_246, 0),
        ("552", 0, 50_000),
        ("6712", 15_000, 0),
        ("674", 754, 0),
    ]


def test_a_retried_repayment_with_the_same_key_posts_once(credit):
    w, loan = credit.w, credit.loan_tc
    first = post(loan, 91_680, date(2026, 2, 15), w.lender, idempotency_key="k-1")
    again = post(loan, 91_680, date(2026, 2, 15), w.lender, idempotency_key="k-1")
    assert again.pk == first.pk
    assert Repayment.objects.filter(loan=loan, amount__gt=0).count() == 1
    assert (
        JournalEntry.objects.filter(cooperative=w.coop_tc, source="credit.loan_repayment").count()
        == 1
    )
    # another key is another repayment, another entry
    post(loan, 91_680, date(2026, 3, 15), w.lender, idempotency_key="k-2")
    assert (
        JournalEntry.objects.filter(cooperative=w.coop_tc, source="credit.loan_repayment").count()
        == 2
    )


def test_reversal_posts_the_opposite_entry_pointing_at_the_original(credit):
    w, loan = credit.w, credit.loan_tc
    r = post(loan, 91_680, date(2026, 2, 15), w.lender)
    original = entry_for(w.coop_tc, "credit.loan_repayment", r.pk)
    assert balance(w.coop_tc, "162") == -(1_000_000 - 76_680)
    rev = services.repayment_reverse(
        actor=credit.checker, repayment=r, on=date(2026, 2, 20), reason="Chèque sans provision"
    )
    reversal = entry_for(w.coop_tc, "credit.repayment_reversal", rev.pk)
    assert reversal.kind == EntryKind.REVERSAL and reversal.reverses_id == original.pk
    assert reversal.journal_id == original.journal_id and reversal.date == date(2026, 2, 20)
    assert lines_of(reversal) == sorted((a, c, d) for a, d, c in lines_of(original))
    assert balance(w.coop_tc, "162") == -1_000_000
    assert balance(w.coop_tc, "5711") == 0
    loan.refresh_from_db()
    assert loan.outstanding_principal == 1_000_000


def test_the_treasurer_cannot_reverse_an_automatic_entry_by_hand(credit):
    w, loan = credit.w, credit.loan_tc
    r = post(loan, 91_680, date(2026, 2, 15), w.lender)
    entry = entry_for(w.coop_tc, "credit.loan_repayment", r.pk)
    with pytest.raises(Conflict) as exc:
        entry_reverse(actor=w.officer, entry=entry)
    assert exc.value.code == "automatic_entry"
    assert not JournalEntry.objects.filter(reverses=entry).exists()


def test_fees_withheld_at_disbursement_cannot_be_reversed_alone(credit):
    w = credit.w
    prod = product(w.lender, w.lender_obj, fee_rate=Decimal("2"))
    loan = active_loan(
        maker=w.lender, checker=credit.checker, product=prod, borrower_cooperative=w.coop_tc
    )
    deduction = Repayment.objects.get(loan=loan, channel="deduction")
    with pytest.raises(Conflict) as exc:
        services.repayment_reverse(
            actor=credit.checker, repayment=deduction, on=date(2026, 1, 20), reason="erreur"
        )
    assert exc.value.code == "deduction_not_reversible"


def test_a_loan_to_a_member_is_not_in_the_cooperative_books(credit):
    w, loan = credit.w, credit.loan_person
    assert loan.cooperative_id == w.coop_tc.pk and loan.borrower_person_id
    r = post(loan, 91_680, date(2026, 2, 15), w.lender)
    assert not JournalEntry.objects.filter(source="credit.loan_repayment", source_ref=str(r.pk))
    # only the cooperative's own loan is in its books
    disbursed = JournalEntry.objects.filter(
        cooperative=w.coop_tc, source="credit.loan_disbursement"
    ).values_list("source_ref", flat=True)
    assert list(disbursed) == [str(credit.loan_tc.pk)]


def test_write_off_clears_the_debt_as_a_debt_forgiveness(credit):
    w, loan = credit.w, credit.loan_mbour
    post(loan, 91_680, date(2026, 2, 15), w.lender)
    req = services.loan_change_request(
        actor=w.lender, loan=loan, kind="write_off", on=date(2027, 6, 1), reason="Dissoute"
    )
    services.loan_change_decide(actor=credit.checker, request=req, approve=True)
    entry = entry_for(w.coop_mbour, "credit.loan_write_off", req.pk)
    assert entry.journal.code == "OD" and balanced(entry)
    assert lines_of(entry) == [("162", 923_320, 0), ("846", 0, 923_320)]
    assert balance(w.coop_mbour, "162") == 0


def test_a_locked_period_refuses_the_operation_and_writes_nothing_anywhere(credit):
    w, loan = credit.w, credit.loan_tc
    period_lock(actor=w.officer, cooperative=w.coop_tc, year=2026, month=2)
    entries, repayments, allocations = (
        JournalEntry.objects.count(),
        Repayment.objects.count(),
        Allocation.objects.count(),
    )
    with pytest.raises(Conflict) as exc:
        post(loan, 91_680, date(2026, 2, 15), w.lender)
    assert exc.value.code == "period_locked" and "02/2026" in exc.value.message
    assert (
        JournalEntry.objects.count(),
        Repayment.objects.count(),
        Allocation.objects.count(),
    ) == (entries, repayments, allocations)
    loan.refresh_from_db()
    assert loan.outstanding_principal == 1_000_000
    # a disbursement dated in the locked month is refused too; the loan stays approved
    waiting = approved(credit, credit.product, borrower_cooperative=w.coop_tc)
    with pytest.raises(Conflict) as exc:
        services.loan_disburse(actor=credit.checker, loan=waiting, on=date(2026, 2, 3))
    assert exc.value.code == "period_locked"
    waiting.refresh_from_db()
    assert waiting.status == LoanStatus.APPROVED and not waiting.instalments.exists()
    # the same payment dated in an open month goes through, and in the books
    period_unlock(actor=w.officer, cooperative=w.coop_tc, year=2026, month=2)
    r = post(loan, 91_680, date(2026, 2, 15), w.lender)
    assert entry_for(w.coop_tc, "credit.loan_repayment", r.pk)


def test_books_agree_with_the_loans_after_a_sequence_of_operations(credit):
    w = credit.w
    coop = w.coop_tc
    prod = product(w.lender, w.lender_obj, fee_rate=Decimal("1"), penalty_rate="12")
    second = active_loan(
        maker=w.lender,
        checker=credit.checker,
        product=prod,
        principal=600_000,
        borrower_cooperative=coop,
        disbursed_on=date(2026, 2, 1),
    )
    first = credit.loan_tc
    payments = [
        (first, 91_680, date(2026, 2, 15), "cash"),
        (second, 30_000, date(2026, 3, 20), "bank"),  # late: penalties first
        (first, 200_000, date(2026, 3, 15), "mobile_money"),  # with a prepayment
        (second, 56_000, date(2026, 4, 1), "cash"),
    ]
    made = [post(loan, amount, on, w.lender, channel=ch) for loan, amount, on, ch in payments]
    services.repayment_reverse(
        actor=credit.checker, repayment=made[3], on=date(2026, 4, 2), reason="erreur de saisie"
    )
    loans = Loan.objects.filter(borrower_cooperative=coop)
    outstanding = sum(
        i.principal_due - i.principal_paid for loan in loans for i in loan.instalments.all()
    )
    assert outstanding == sum(loan.outstanding_principal for loan in loans) > 0
    assert balance(coop, "162") == -outstanding
    # every franc received or paid out is in the treasury accounts
    collected = Repayment.objects.filter(loan__in=loans).exclude(channel="deduction")
    net_in = sum(loan.principal for loan in loans) - 6_000  # 1 % fee withheld on 600 000
    treasury = sum(balance(coop, code) for code in ("5711", "521", "552"))
    assert treasury == net_in - collected.aggregate(s=Sum("amount"))["s"]
    # expenses: interest, fees and penalties paid (allocations, reversals netted)
    paid = {
        c: Allocation.objects.filter(loan__in=loans, component=c).aggregate(s=Sum("amount"))["s"]
        or 0
        for c in ("interest", "fee", "penalty")
    }
    assert paid["penalty"] > 0
    assert (balance(coop, "6712"), balance(coop, "631"), balance(coop, "674")) == (
        paid["interest"],
        paid["fee"],
        paid["penalty"],
    )
    # the books balance
    totals = JournalLine.objects.filter(cooperative=coop).aggregate(d=Sum("debit"), c=Sum("credit"))
    assert totals["d"] == totals["c"]


def test_a_repayment_moves_the_monitoring_mark_of_the_borrowers_commune(credit):
    w = credit.w
    AreaChange.objects.all().delete()
    post(credit.loan_mbour, 91_680, date(2026, 2, 15), w.lender)
    # the figures change from the payment's day on, not before
    assert set(AreaChange.objects.values_list("area_id", "affects_from")) == {
        (w.mbour.pk, date(2026, 2, 15))
    }
    before = AreaChange.objects.get(area=w.mbour).changed_at
    post(credit.loan_mbour, 1_000, date(2026, 2, 16), w.lender)
    assert AreaChange.objects.get(area=w.mbour, affects_from=date(2026, 2, 16)).changed_at > before
    # a member's loan: the commune of the member's cooperative
    AreaChange.objects.all().delete()
    post(credit.loan_person, 1_000, date(2026, 2, 15), w.lender)
    assert w.koumpentoum.pk in set(AreaChange.objects.values_list("area_id", flat=True))


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="row locks need PostgreSQL (SQLite serialises)"
)
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_simultaneous_repayments_on_two_loans_post_gap_free_entries(credit):
    w = credit.w
    second = active_loan(
        maker=w.lender,
        checker=credit.checker,
        product=credit.product,
        borrower_cooperative=w.coop_tc,
    )
    loans = [credit.loan_tc, second, credit.loan_tc, second]
    barrier = threading.Barrier(len(loans))
    errors = []

    def pay(loan, user):
        try:
            barrier.wait(timeout=10)
            post(loan, 10_000, date(2026, 2, 15), user)
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connections.close_all()

    users = [w.lender, credit.checker, credit.checker, w.lender]
    threads = [threading.Thread(target=pay, args=a) for a in zip(loans, users, strict=True)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert not errors
    entries = JournalEntry.objects.filter(cooperative=w.coop_tc, source="credit.loan_repayment")
    assert sorted(entries.values_list("number", flat=True)) == [1, 2, 3, 4]
    assert {e.journal.code for e in entries} == {"CA"}
    outstanding = sum(
        Loan.objects.filter(pk__in=[credit.loan_tc.pk, second.pk]).values_list(
            "outstanding_principal", flat=True
        )
    )
    assert (
        balance(w.coop_tc, "162") == -outstanding == -(2_000_000 - 2 * 5_000)
    )  # 15 000 interest first


def test_api_disburse_channel_locked_period_and_retried_repayment(world, api_client, credit):
    def call(user, url, body, **headers):
        return api_client(user).post(
            f"/api/v1{url}", data=json.dumps(body), content_type="application/json", headers=headers
        )

    loan = approved(credit, credit.product, borrower_cooperative=world.coop_tc)
    url = f"/loans/{loan.pk}/disburse"
    r = call(credit.checker, url, {"on": "2026-01-20", "channel": "cheque"})
    assert r.status_code == 400 and r.json()["field"] == "channel"
    period_lock(actor=world.officer, cooperative=world.coop_tc, year=2026, month=1)
    r = call(credit.checker, url, {"on": "2026-01-20", "channel": "mobile_money"})
    assert r.status_code == 409 and r.json()["code"] == "period_locked"
    r = call(credit.checker, url, {"on": "2026-02-02", "channel": "mobile_money"})
    assert r.status_code == 200 and r.json()["disbursement_channel"] == "mobile_money"
    assert entry_for(world.coop_tc, "credit.loan_disbursement", loan.pk).journal.code == "MM"
    body = {"amount": 50_000, "paid_on": "2026-03-02", "channel": "bank"}
    pay = f"/loans/{loan.pk}/repayments"
    first = call(world.agent_tc, pay, body, **{"Idempotency-Key": "retry-1"})
    again = call(world.agent_tc, pay, body, **{"Idempotency-Key": "retry-1"})
    assert first.status_code == again.status_code == 201 and first.json() == again.json()
    entry = entry_for(world.coop_tc, "credit.loan_repayment", first.json()["id"])
    assert entry.journal.code == "BQ"
    assert (
        JournalEntry.objects.filter(
            source="credit.loan_repayment",
            source_ref__in=[str(r.pk) for r in Repayment.objects.filter(loan=loan)],
        ).count()
        == 1
    )
