"""The ``loan_repayment`` purpose of the payments app (registered in CreditConfig.ready).

Target: a loan the actor may see (credit.selectors.loan_get); the most payable is what
is due plus the remaining principal on the day. On success, ``repayment_post_confirmed``
records the repayment on the channel mobile money (posted in the cooperative's MM journal
when the loan is in its books, docs/ledger.md), once per payment reference."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _

from core import dates
from core.errors import Conflict
from credit.errors import Code
from credit.models import Loan
from credit.rules import can_manage_lender
from credit.selectors import loan_get
from credit.services import (
    loan_amount_payable,
    loan_disbursement_payout_settled,
    repayment_post_confirmed,
)
from payments.purposes import Target


def _target(loan: Loan) -> Target:
    borrower = loan.borrower_person or loan.borrower_cooperative
    return Target(
        id=loan.pk,
        label=_("Remboursement du prêt n° %(id)s — %(who)s") % {"id": loan.pk, "who": borrower},
        amount_due=loan_amount_payable(loan, dates.today()),
        cooperative_id=loan.cooperative_id,
        area_id=loan.area_id,
        person_id=loan.borrower_person_id,
        lender_id=loan.lender_id,
        amount_suggested=loan.arrears_amount or 0,
    )


class LoanRepaymentPurpose:
    code = "loan_repayment"

    def target_for(self, *, target_id: int, actor) -> Target:
        return _target(loan_get(actor=actor, pk=target_id))

    def target_get(self, *, target_id: int) -> Target:
        return _target(Loan.objects.select_related("borrower_person").get(pk=target_id))

    def on_succeeded(self, *, intent) -> str:
        if intent.created_by is None:
            raise Conflict(_("Paiement sans auteur : à imputer à la main."), code=Code.NO_ACTOR)
        paid_on = timezone.localdate(intent.paid_at) if intent.paid_at else dates.today()
        repayment = repayment_post_confirmed(
            loan=Loan.objects.get(pk=intent.target_id),
            amount=intent.amount,
            paid_on=paid_on,
            reference=intent.reference,
            actor=intent.created_by,
        )
        return f"repayment:{repayment.pk}"


class DisbursementPayoutPurpose:
    """The ``loan_disbursement`` payout purpose: an approved loan disbursed to the
    borrower's wallet. The lender's staff (or national staff) request it; above the
    threshold another of them approves (payments keeps maker-checker: never the
    requester); the loan counts as disbursed when the payout succeeds."""

    code = "loan_disbursement"
    kind = "disbursement"

    def may_request(self, *, actor, target_id: int) -> bool:
        loan = loan_get(actor=actor, pk=target_id)  # NotFound outside the scope
        return can_manage_lender(actor, loan.lender_id)

    def may_approve(self, *, actor, payout) -> bool:
        loan = Loan.objects.filter(pk=payout.target_id).first()
        return loan is not None and can_manage_lender(actor, loan.lender_id)

    def on_settled(self, *, payout) -> None:
        loan_disbursement_payout_settled(payout=payout)
