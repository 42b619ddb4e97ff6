from datetime import date

import pytest

from core.errors import Conflict, Forbidden, ValidationFailed
from credit import services
from credit.models import Instalment, LoanEvent, LoanStatus, Repayment
from credit.tests.factories import lender_staff, product

pytestmark = pytest.mark.django_db


@pytest.fixture
def setup(world):
    return world, lender_staff(world.lender_obj, "checker"), product(world.lender, world.lender_obj)


def test_application_approval_disbursement(setup):
    w, checker, prod = setup
    loan = services.loan_apply(
        actor=w.lender,
        product=prod,
        principal=1_000_000,
        applied_on=date(2026, 1, 10),
        borrower_cooperative=w.coop_tc,
    )
    assert loan.status == LoanStatus.APPLICATION
    assert loan.cooperative == w.coop_tc and loan.area == w.koumpentoum
    # maker-checker: the maker may not approve
    with pytest.raises(Conflict) as exc:
        services.loan_approve(actor=w.lender, loan=loan, on=date(2026, 1, 11))
    assert exc.value.code == "maker_checker"
    # disbursing before approval is a state conflict
    with pytest.raises(Conflict) as exc:
        services.loan_disburse(actor=checker, loan=loan, on=date(2026, 1, 15))
    assert exc.value.code == "loan_state"
    services.loan_approve(actor=checker, loan=loan, on=date(2026, 1, 11))
    loan = services.loan_disburse(actor=w.lender, loan=loan, on=date(2026, 1, 15))
    assert loan.status == LoanStatus.ACTIVE and loan.outstanding_principal == 1_000_000
    inst = list(Instalment.objects.filter(loan=loan).order_by("number"))
    assert len(inst) == 12 and inst[0].due_on == date(2026, 2, 15)
    assert sum(i.principal_due for i in inst) == 1_000_000
    kinds = list(LoanEvent.objects.filter(loan=loan).values_list("kind", "actor__username"))
    assert kinds == [("applied", "lender"), ("approved", "checker"), ("disbursed", "lender")]


def test_fee_is_withheld_at_disbursement(setup):
    w, checker, _ = setup
    prod = product(w.lender, w.lender_obj, fee_rate="2")
    loan = services.loan_apply(
        actor=w.lender,
        product=prod,
        principal=500_000,
        applied_on=date(2026, 1, 10),
        borrower_cooperative=w.coop_tc,
    )
    services.loan_approve(actor=checker, loan=loan, on=date(2026, 1, 10))
    services.loan_disburse(actor=checker, loan=loan, on=date(2026, 1, 10))
    fee = Instalment.objects.get(loan=loan, number=0)
    assert fee.fee_due == fee.fee_paid == 10_000
    assert Repayment.objects.get(loan=loan).channel == "deduction"
    assert LoanEvent.objects.get(loan=loan, kind="disbursed").detail["net_amount"] == 490_000


def test_person_loan_goes_through_her_cooperative(setup):
    w, _, prod = setup
    person = w.persons_tc[1]
    loan = services.loan_apply(
        actor=w.lender,
        product=prod,
        principal=200_000,
        applied_on=date(2026, 1, 10),
        borrower_person=person,
    )
    assert loan.cooperative == w.coop_tc and loan.area == w.koumpentoum
    with pytest.raises(ValidationFailed) as exc:
        services.loan_apply(
            actor=w.lender,
            product=prod,
            principal=200_000,
            applied_on=date(2026, 1, 10),
            borrower_person=person,
            cooperative=w.coop_mbour,
        )
    assert exc.value.code == "not_member"


def test_one_borrower_exactly(setup):
    w, _, prod = setup
    for borrower in ({}, {"borrower_cooperative": w.coop_tc, "borrower_person": w.persons_tc[0]}):
        with pytest.raises(ValidationFailed) as exc:
            services.loan_apply(
                actor=w.lender, product=prod, principal=1, applied_on=date(2026, 1, 1), **borrower
            )
        assert exc.value.code == "borrower"


def test_principal_limits_and_usury_on_the_actual_loan(setup):
    w, _, _ = setup
    prod = product(
        w.lender, w.lender_obj, fee_fixed=2_000, min_principal=100_000, max_principal=2_000_000
    )
    with pytest.raises(ValidationFailed) as exc:
        services.loan_apply(
            actor=w.lender,
            product=prod,
            principal=3_000_000,
            applied_on=date(2026, 1, 1),
            borrower_cooperative=w.coop_tc,
        )
    assert exc.value.code == "out_of_range"
    services.loan_apply(
        actor=w.lender,
        product=prod,
        principal=100_000,
        applied_on=date(2026, 1, 1),
        borrower_cooperative=w.coop_tc,
    )


def test_who_may_apply_approve_disburse(setup):
    w, checker, prod = setup
    for user in (w.agent_tc, w.officer, w.member):
        with pytest.raises(Forbidden):
            services.loan_apply(
                actor=user,
                product=prod,
                principal=1_000,
                applied_on=date(2026, 1, 1),
                borrower_cooperative=w.coop_tc,
            )
    loan = services.loan_apply(
        actor=w.national,
        product=prod,
        principal=100_000,
        applied_on=date(2026, 1, 1),
        borrower_cooperative=w.coop_tc,
    )
    with pytest.raises(Forbidden):
        services.loan_approve(actor=w.agent_tc, loan=loan, on=date(2026, 1, 2))
    services.loan_approve(actor=w.lender, loan=loan, on=date(2026, 1, 2))
    with pytest.raises(Forbidden):
        services.loan_disburse(actor=w.agent_tc, loan=loan, on=date(2026, 1, 2))


def test_reject(setup):
    w, checker, prod = setup
    loan = services.loan_apply(
        actor=w.lender,
        product=prod,
        principal=100_000,
        applied_on=date(2026, 1, 1),
        borrower_cooperative=w.coop_tc,
    )
    with pytest.raises(ValidationFailed):
        services.loan_reject(actor=checker, loan=loan, on=date(2026, 1, 2), reason=" ")
    services.loan_reject(actor=checker, loan=loan, on=date(2026, 1, 2), reason="Dossier incomplet")
    loan.refresh_from_db()
    assert loan.status == LoanStatus.REJECTED
