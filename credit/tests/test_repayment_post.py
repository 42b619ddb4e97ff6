from datetime import date

import pytest

from core.errors import Conflict, Forbidden, ValidationFailed
from credit import services
from credit.models import Allocation, Instalment, LoanStatus, Repayment
from credit.tests.factories import active_loan, product

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _dates_run_into_2027(today_is):
    """These tests write dates into 2027: the date rule's today is pinned past them."""
    today_is(date(2027, 12, 31))


def post(loan, amount, on, actor, **kw):
    return services.repayment_post(
        actor=actor, loan=loan, amount=amount, paid_on=on, channel=kw.pop("channel", "cash"), **kw
    )


def inst(loan, number):
    return Instalment.objects.get(loan=loan, number=number)


def test_exact_instalment_on_its_date(credit):
    loan = credit.loan_tc
    post(loan, 91_680, date(2026, 2, 15), credit.w.agent_tc)
    i1 = inst(loan, 1)
    assert (i1.interest_paid, i1.principal_paid) == (15_000, 76_680)
    loan.refresh_from_db()
    assert loan.outstanding_principal == 923_320 and loan.days_past_due == 0


def test_partial_payment_interest_first_and_days_past_due(credit):
    loan = credit.loan_tc
    post(loan, 50_000, date(2026, 2, 15), credit.w.lender)
    i1 = inst(loan, 1)
    assert (i1.interest_paid, i1.principal_paid) == (15_000, 35_000)
    loan = services.refresh_loan_figures(loan, date(2026, 3, 1))
    assert loan.days_past_due == 14 and loan.arrears_amount == 41_680
    assert loan.outstanding_principal == 965_000


def test_prepayment_repays_next_principal_and_keeps_their_interest_due(credit):
    loan = credit.loan_tc
    post(loan, 91_680 + 100_000, date(2026, 2, 15), credit.w.lender)
    i2, i3 = inst(loan, 2), inst(loan, 3)
    assert (i2.principal_paid, i2.interest_paid) == (77_830, 0)
    assert (i3.principal_paid, i3.interest_paid) == (22_170, 0)


def test_overpayment_refused_and_full_settlement_waives_future_interest(credit):
    loan = credit.loan_tc
    on = date(2026, 2, 15)
    # due on 15/02: 91 680; then the remaining principal 923 320
    with pytest.raises(Conflict) as exc:
        post(loan, 91_680 + 923_320 + 1, on, credit.w.lender)
    assert exc.value.code == "overpayment" and "1 015 000" in str(exc.value.message).replace(
        "\u202f", " "
    )
    post(loan, 1_015_000, on, credit.w.lender)
    loan.refresh_from_db()
    assert loan.status == LoanStatus.CLOSED and loan.closed_on == on
    assert loan.outstanding_principal == 0
    assert inst(loan, 12).interest_waived == inst(loan, 12).interest_due
    with pytest.raises(Conflict) as exc:
        post(loan, 1, on, credit.w.lender)
    assert exc.value.code == "loan_state"


def test_penalties_accrue_on_late_amounts_and_are_paid_first(credit):
    w = credit.w
    prod = product(w.lender, w.lender_obj, penalty_rate="10")
    loan = active_loan(
        maker=w.lender, checker=credit.checker, product=prod, borrower_cooperative=w.coop_tc
    )
    post(loan, 10_000, date(2026, 3, 17), w.lender)  # instalment 1 is 30 days late
    i1 = inst(loan, 1)
    assert i1.penalty_due == 754  # 91 680 x 10 % x 30 / 365 = 753.5
    assert i1.penalty_paid == 754 and i1.interest_paid == 9_246
    # no second accrual for the same days
    post(loan, 1_000, date(2026, 3, 17), w.lender)
    assert inst(loan, 1).penalty_due == 754


def test_reversal_restores_and_cannot_be_repeated(credit):
    loan = credit.loan_tc
    r = post(loan, 1_015_000, date(2026, 2, 15), credit.w.lender)
    with pytest.raises(Forbidden):
        services.repayment_reverse(
            actor=credit.w.agent_tc, repayment=r, on=date(2026, 2, 16), reason="erreur"
        )
    rev = services.repayment_reverse(
        actor=credit.checker, repayment=r, on=date(2026, 2, 16), reason="Chèque sans provision"
    )
    assert rev.amount == -1_015_000 and rev.reverses == r
    loan.refresh_from_db()
    assert loan.status == LoanStatus.ACTIVE and loan.outstanding_principal == 1_000_000
    assert inst(loan, 12).interest_waived == 0
    assert sum(Allocation.objects.filter(loan=loan).values_list("amount", flat=True)) == 0
    assert Repayment.objects.filter(loan=loan).count() == 2  # nothing edited or deleted
    with pytest.raises(Conflict) as exc:
        services.repayment_reverse(
            actor=credit.checker, repayment=r, on=date(2026, 2, 16), reason="encore"
        )
    assert exc.value.code == "already_reversed"
    with pytest.raises(Conflict):
        services.repayment_reverse(
            actor=credit.checker, repayment=rev, on=date(2026, 2, 16), reason="x"
        )


def test_idempotency_key(credit):
    loan, user = credit.loan_tc, credit.w.lender
    a = post(loan, 20_000, date(2026, 2, 15), user, idempotency_key="k-1")
    b = post(loan, 20_000, date(2026, 2, 15), user, idempotency_key="k-1")
    assert a.pk == b.pk and Repayment.objects.filter(loan=loan).count() == 1
    with pytest.raises(Conflict) as exc:
        post(loan, 30_000, date(2026, 2, 15), user, idempotency_key="k-1")
    assert exc.value.code == "idempotency_mismatch"
    c = post(loan, 20_000, date(2026, 2, 15), user, idempotency_key="k-2")
    assert c.pk != a.pk


def test_who_may_record_repayments(credit):
    w = credit.w
    post(credit.loan_tc, 1_000, date(2026, 2, 15), w.agent_tc)  # agent of the area
    post(credit.loan_tc, 1_000, date(2026, 2, 15), w.national)
    for user in (w.agent_th, w.officer, w.member, credit.other_lender_user):
        with pytest.raises(Forbidden):
            post(credit.loan_tc, 1_000, date(2026, 2, 15), user)


@pytest.mark.parametrize(
    ("amount", "on", "channel", "field"),
    [
        (0, date(2026, 2, 15), "cash", "amount"),
        (1_000, date(2026, 1, 1), "cash", "paid_on"),
        (1_000, date(2026, 2, 15), "deduction", "channel"),
        (1_000, date(2026, 2, 15), "cheque", "channel"),
    ],
)
def test_repayment_validation(credit, amount, on, channel, field):
    with pytest.raises(ValidationFailed) as exc:
        post(credit.loan_tc, amount, on, credit.w.lender, channel=channel)
    assert exc.value.field == field
    post(credit.loan_tc, 1_000, date(2026, 2, 15), credit.w.lender, channel="mobile_money")


def test_write_off_needs_a_second_user(credit):
    loan = credit.loan_mbour
    req = services.loan_change_request(
        actor=credit.w.lender,
        loan=loan,
        kind="write_off",
        on=date(2027, 6, 1),
        reason="Coopérative dissoute",
    )
    with pytest.raises(Conflict) as exc:
        services.loan_change_decide(actor=credit.w.lender, request=req, approve=True)
    assert exc.value.code == "maker_checker"
    services.loan_change_decide(actor=credit.checker, request=req, approve=True)
    loan.refresh_from_db()
    assert loan.status == LoanStatus.WRITTEN_OFF and loan.outstanding_principal == 1_000_000
    assert loan.days_past_due == (date(2027, 6, 1) - date(2026, 2, 15)).days


def test_reschedule_replaces_unpaid_instalments(credit):
    loan = credit.loan_tc
    post(loan, 91_680, date(2026, 2, 15), credit.w.lender)
    on = date(2026, 5, 20)  # instalments 2 to 4 unpaid
    req = services.loan_change_request(
        actor=credit.checker,
        loan=loan,
        kind="reschedule",
        on=on,
        reason="Mauvaise saison",
        params={"term_months": 18},
    )
    services.loan_change_decide(actor=credit.w.lender, request=req, approve=True)
    live = list(Instalment.objects.filter(loan=loan, superseded=False).order_by("number"))
    assert live[0].number == 1 and live[1].number == 13 and len(live) == 1 + 18
    assert sum(i.principal_due for i in live) == 1_000_000
    carried = 13_850 + 12_682 + 11_497  # unpaid interest of instalments 2-4
    assert live[1].due_on == date(2026, 6, 20)
    assert live[1].interest_due == round(923_320 * 0.015) + carried
    loan.refresh_from_db()
    assert loan.terms["term_months"] == 18 and loan.days_past_due == 0


def test_reschedule_validation(credit):
    with pytest.raises(ValidationFailed):
        services.loan_change_request(
            actor=credit.checker,
            loan=credit.loan_tc,
            kind="reschedule",
            on=date(2026, 5, 1),
            reason="x",
            params={"term_months": 0},
        )
    with pytest.raises(Conflict) as exc:  # 40 % is usury
        services.loan_change_request(
            actor=credit.checker,
            loan=credit.loan_tc,
            kind="reschedule",
            on=date(2026, 5, 1),
            reason="x",
            params={"term_months": 12, "annual_rate": "40"},
        )
    assert exc.value.code == "usury_cap"
