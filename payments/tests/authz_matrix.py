"""Authorization-matrix entries of payments (see accounts/tests/authz.py)."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from accounts.tests.authz import E, Pair, api, page
from credit.tests.factories import LenderFactory, active_loan, lender_staff, product
from payments.models import PaymentIntent, Payout, StatementImport, StatementLine, WebhookEvent


def _intent(world, coop, loan, person, ref, **extra):
    return PaymentIntent.objects.create(
        **extra,
        purpose="loan_repayment",
        target_id=loan.pk,
        target_label=f"Remboursement du prêt n° {loan.pk} — {coop.name}",
        cooperative=coop,
        area=coop.commune,
        person=person,
        lender_id=loan.lender_id,
        amount=15_000,
        phone="+221771234567",
        provider="wave",
        reference=ref,
        checkout_url="http://127.0.0.1:9/c/x",
    )


def build(world, objs):
    checker = lender_staff(world.lender_obj, "payments-checker")
    prod = product(world.lender, world.lender_obj)
    other = LenderFactory(name="MEC payments B")
    other_maker, other_checker = lender_staff(other), lender_staff(other)
    loan_a = active_loan(
        maker=world.lender, checker=checker, product=prod, borrower_cooperative=world.coop_tc
    )
    loan_b = active_loan(
        maker=other_maker,
        checker=other_checker,
        product=product(other_maker, other),
        borrower_cooperative=world.coop_mbour,
    )
    objs["payment_loan"] = Pair(loan_a, loan_b)
    objs["payment"] = Pair(
        _intent(world, world.coop_tc, loan_a, world.persons_tc[0], "SCMATRIXA"),
        _intent(world, world.coop_mbour, loan_b, world.persons_mbour[0], "SCMATRIXB"),
    )
    flagged = {"status": "succeeded", "needs_review": True, "review_reason": "amount_mismatch"}
    objs["review_payment"] = Pair(
        _intent(world, world.coop_tc, loan_a, world.persons_tc[0], "SCMATRIXRA", **flagged),
        _intent(world, world.coop_mbour, loan_b, world.persons_mbour[0], "SCMATRIXRB", **flagged),
    )
    objs["unknown_event"] = Pair(
        *(
            WebhookEvent.objects.create(
                provider="wave",
                event_id=f"AE_MATRIX_{side}",
                raw_body="{}",
                outcome="unknown_reference",
            )
            for side in "ab"
        )
    )
    stmt = StatementImport.objects.create(provider="wave", source="matrix.csv")
    when = timezone.make_aware(dt.datetime(2026, 3, 2, 9, 10))
    objs["statement_line"] = Pair(
        *(
            StatementLine.objects.create(
                statement=stmt,
                provider="wave",
                transaction_id=f"TMATRIXL{side}",
                occurred_at=when,
                amount=1_500,
                status="unmatched",
            )
            for side in "ab"
        )
    )
    objs["payout"] = Pair(
        *(
            Payout.objects.create(
                kind="settlement",
                provider="wave",
                amount=150_000,
                phone="+221775555555",
                name="Fatou Diop",
                reason="Dépôt-vente",
                reference=f"POMATRIX{side}",
                status="awaiting_approval",
                requested_by=world.national,
            )
            for side in "ab"
        )
    )


STATEMENT = b"date;transaction_id;montant\n2026-03-02T09:10:00Z;TMATRIX;1500\n"
SEES = E(200, nobody=404)
NATIONAL_ONLY = E(403, national=200)
# national staff only: the other roles get 403 for either side's object
OTHERS_403 = {
    r: 403 for r in ("region", "department", "officer", "lender", "member")
}  # national, agents, officer, lender (its loan), member (her own)

ENTRIES = [
    page("payments:list", expect=E(200)),
    page("payments:detail", pk="@payment", expect=SEES),
    page("payments:return", reference="@payment.reference", expect=SEES),
    page(
        "payments:pay",
        purpose="loan_repayment",
        target_id="@payment_loan",
        expect=E(200, member=404, nobody=404),
    ),
    page("payments:reconciliation", expect=NATIONAL_ONLY),
    page("payments:line_match", pk="@statement_line", expect=NATIONAL_ONLY, out=OTHERS_403),
    page("payments:review", expect=NATIONAL_ONLY),
    page("payments:review_intent", pk="@review_payment", expect=NATIONAL_ONLY, out=OTHERS_403),
    page("payments:review_event", pk="@unknown_event", expect=NATIONAL_ONLY, out=OTHERS_403),
    page("payments:payout_list", expect=NATIONAL_ONLY),
    page("payments:payout_new", expect=NATIONAL_ONLY),
    page("payments:payout_detail", pk="@payout", expect=NATIONAL_ONLY, out=OTHERS_403),
    api("GET /api/v1/payments/{payment_id}", payment_id="@payment", expect=SEES),
    # An amount above what the loan can take: the roles that see the loan get 400 (no
    # call to a provider), the others 404; the loan is a cooperative's: the member's 404.
    api(
        "POST /api/v1/payments",
        body={
            "purpose": "loan_repayment",
            "target": "@payment_loan",
            "amount": 90_000_000,
            "phone": "771234567",
            "provider": "wave",
        },
        expect=E(400, member=404, nobody=404),
    ),
    api(
        "POST /api/v1/payments/reconciliation",
        files={"file": ("wave.csv", STATEMENT)},
        expect=E(403, national=200),
    ),
    # No token: the signature authenticates; none here, so 401 for everyone.
    api("POST /api/v1/webhooks/wave", body={"id": "x"}, expect=E(401), anonymous=401),
    # Orange Money signs nothing: a notification is stored and only triggers a status call
    # (unknown reference here: nothing else happens), whoever sends it.
    api(
        "POST /api/v1/webhooks/orange_money",
        body={"status": "SUCCESS", "notif_token": "x", "txnid": "MP1"},
        query={"ref": "PAY-UNKNOWN"},
        expect=E(200),
        anonymous=200,
    ),
]
