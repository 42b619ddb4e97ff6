"""Authorization-matrix entries of credit (see accounts/tests/authz.py).

Side A: loans of the world's lender to the Koumpentoum cooperative; side B: loans of
another lender to the Mbour cooperative."""

from datetime import date

from accounts.tests.authz import E, Pair, api, page
from credit import services
from credit.tests.factories import LenderFactory, active_loan, lender_staff, product


def _side(world, lender, maker, checker, coop):
    prod = product(maker, lender)
    loan = active_loan(maker=maker, checker=checker, product=prod, borrower_cooperative=coop)
    pending = active_loan(maker=maker, checker=checker, product=prod, borrower_cooperative=coop)
    change = services.loan_change_request(
        actor=maker, loan=pending, kind="write_off", on=date(2026, 3, 1), reason="Test"
    )
    application = services.loan_apply(
        actor=checker,  # entered by the checker: the lender's staff user may approve it
        product=prod,
        principal=500_000,
        applied_on=date(2026, 2, 1),
        borrower_cooperative=coop,
    )
    repayment = services.repayment_post(
        actor=maker, loan=loan, amount=10_000, paid_on=date(2026, 2, 15), channel="cash"
    )
    approved = services.loan_apply(
        actor=maker,
        product=prod,
        principal=400_000,
        applied_on=date(2026, 2, 1),
        borrower_cooperative=coop,
    )
    services.loan_approve(actor=checker, loan=approved, on=date(2026, 2, 2))
    return prod, loan, change, application, repayment, approved


def build(world, objs):
    other = LenderFactory(name="Autre MEC")
    a = _side(
        world,
        world.lender_obj,
        world.lender,
        lender_staff(world.lender_obj, "matrix-checker"),
        world.coop_tc,
    )
    b = _side(
        world,
        other,
        lender_staff(other, "matrix-other-maker"),
        lender_staff(other, "matrix-other-checker"),
        world.coop_mbour,
    )
    for i, name in enumerate(["product", "loan", "change", "application", "repayment", "approved"]):
        objs[name] = Pair(a[i], b[i])
    objs["lender"] = Pair(world.lender_obj, other)


LOAN_IN = {
    "product": "@product",
    "principal": 300_000,
    "borrower_cooperative": "@cooperative",
    "applied_on": "2026-03-01",
}
PRODUCT_IN = {
    "name": "Crédit campagne",
    "lender": "@lender",
    "annual_rate": "12",
    "term_months": 12,
}

# credit/rules.py: the lender (its own loans) and the national level enter, decide and
# disburse; agents read and collect in their area; the officer reads its cooperative's
# loans; a member reads only loans made to them (none here).
READ = E(200, member=404, nobody=404)
LENDS = E(403, national=200, lender=200, member=404, nobody=404)
COLLECTS = E(201, officer=403, member=404, nobody=404)
NEW_FOR_LENDER = E(403, national=201, lender=201, nobody=404)
# Creating for the other side's lender or product: 403 to roles that never lend, 404 to
# the lender (another lender's product is not visible to it).
NEW_OUTSIDE = {"region": 403, "department": 403, "officer": 403, "lender": 404, "member": 403}
REPAYMENT = {"amount": 5_000, "paid_on": "2026-03-01", "channel": "cash"}

ENTRIES = [
    # pages
    page("credit:product_list", expect=E(200)),
    page("credit:product_create", expect=E(403, national=200, lender=200)),
    page("credit:loan_list", expect=E(200)),
    page("credit:loan_apply", expect=E(403, national=200, lender=200)),
    page("credit:loan_detail", pk="@loan", expect=READ),
    page(
        "credit:repayment_create",
        method="POST",
        pk="@loan",
        data=REPAYMENT,
        expect=E(302, officer=403, member=404, nobody=404),
    ),
    page("credit:repayment_reverse", pk="@loan", repayment_pk="@repayment", expect=LENDS),
    page(
        "credit:recovery_action",
        method="POST",
        pk="@loan",
        data={"kind": "call", "on": "2026-03-01"},
        expect=E(302, officer=403, member=404, nobody=404),
    ),
    page("credit:change_request_create", pk="@loan", kind="passage-en-perte", expect=LENDS),
    page("credit:loan_pdf", pk="@loan", kind="resume", expect=READ),
    page("credit:loan_step", pk="@application", step="approuver", expect=LENDS),
    page("credit:loan_step", pk="@approved", step="decaisser-portefeuille", expect=LENDS),
    page("credit:change_request_decide", pk="@change", expect=LENDS),
    page("credit:arrears_list", expect=E(200)),
    page("credit:portfolio", expect=E(200)),
    # API
    api("GET /api/v1/loan-products", expect=E(200)),
    api(
        "POST /api/v1/loan-products",
        body=PRODUCT_IN,
        expect=NEW_FOR_LENDER,
        out=NEW_OUTSIDE,
    ),
    # The products are a catalogue every role reads; a lender reads only its own.
    api(
        "GET /api/v1/loan-products/{product_id}",
        product_id="@product",
        expect=E(200, nobody=404),
        out={"region": 200, "department": 200, "officer": 200, "lender": 404, "member": 200},
    ),
    api("GET /api/v1/loans", expect=E(200)),
    api("POST /api/v1/loans", body=LOAN_IN, expect=NEW_FOR_LENDER, out=NEW_OUTSIDE),
    api("GET /api/v1/loans/{loan_id}", loan_id="@loan", expect=READ),
    api(
        "POST /api/v1/loans/{loan_id}/approve",
        loan_id="@application",
        body={"on": "2026-02-02"},
        expect=LENDS,
    ),
    api(
        "POST /api/v1/loans/{loan_id}/reject",
        loan_id="@application",
        body={"on": "2026-02-02", "reason": "Dossier incomplet"},
        expect=LENDS,
    ),
    api(
        "POST /api/v1/loans/{loan_id}/disburse",
        loan_id="@approved",
        body={"on": "2026-02-03"},
        expect=LENDS,
    ),
    api(  # 400,000 F: above the approval threshold, the payout waits (no provider call)
        "POST /api/v1/loans/{loan_id}/disburse-by-wallet",
        loan_id="@approved",
        body={"phone": "+221775550303"},
        expect=E(403, national=201, lender=201, member=404, nobody=404),
    ),
    api("GET /api/v1/loans/{loan_id}/schedule", loan_id="@loan", expect=READ),
    api("GET /api/v1/loans/{loan_id}/repayments", loan_id="@loan", expect=READ),
    api(
        "POST /api/v1/loans/{loan_id}/repayments",
        loan_id="@loan",
        body=REPAYMENT,
        expect=COLLECTS,
    ),
    api(
        "POST /api/v1/loans/{loan_id}/repayments/{repayment_id}/reverse",
        loan_id="@loan",
        repayment_id="@repayment",
        body={"on": "2026-03-01", "reason": "Erreur de saisie"},
        expect=E(403, national=201, lender=201, member=404, nobody=404),
    ),
    api("GET /api/v1/loans/{loan_id}/recovery-actions", loan_id="@loan", expect=READ),
    api(
        "POST /api/v1/loans/{loan_id}/recovery-actions",
        loan_id="@loan",
        body={"kind": "call", "on": "2026-03-01"},
        expect=COLLECTS,
    ),
    api(
        "POST /api/v1/loans/{loan_id}/change-requests",
        loan_id="@loan",
        body={"kind": "write_off", "on": "2026-03-01", "reason": "Insolvable"},
        expect=E(403, national=201, lender=201, member=404, nobody=404),
    ),
    # The lender's user asked for this change: another user must decide (409 four eyes).
    api(
        "POST /api/v1/loan-change-requests/{request_id}/decide",
        request_id="@change",
        body={"approve": False},
        expect=E(403, national=200, lender=409, member=404, nobody=404),
    ),
    api("GET /api/v1/portfolio", expect=E(200)),
]
