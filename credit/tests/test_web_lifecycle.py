"""The loan lifecycle in the browser pages: application, approval (maker-checker),
rejection, disbursement, reschedule and write-off requests and their decision, reversal of
a repayment. Each step: scoped (404), 403 for roles that may not act, confirmation first,
and recorded in the loan's history with who and when."""

import html
from datetime import date

import pytest
from django.urls import reverse

from credit import services
from credit.models import ChangeStatus, EventKind, Loan, LoanChangeRequest, Repayment
from credit.tests.factories import active_loan

pytestmark = pytest.mark.django_db


def text(response) -> str:
    return html.unescape(response.content.decode())


def _apply_body(credit, **over):
    body = {
        "product": credit.product.pk,
        "borrower_cooperative": credit.w.coop_tc.pk,
        "principal": "500000",
        "applied_on": "2026-03-02",
        "purpose": "Métiers à tisser",
    }
    body.update(over)
    return {k: v for k, v in body.items() if v is not None}


def _application(credit, maker=None):
    return services.loan_apply(
        actor=maker or credit.w.lender,
        product=credit.product,
        principal=500_000,
        applied_on=date(2026, 3, 2),
        borrower_cooperative=credit.w.coop_tc,
    )


# --- application -----------------------------------------------------------------------


def test_lender_enters_an_application(client, credit):
    client.force_login(credit.w.lender)
    url = reverse("credit:loan_apply")
    assert client.get(url).status_code == 200
    r = client.post(url, _apply_body(credit))
    loan = Loan.objects.get(principal=500_000)
    assert r.status_code == 302 and r["Location"] == reverse("credit:loan_detail", args=[loan.pk])
    assert loan.status == "application" and loan.created_by == credit.w.lender
    assert loan.borrower_cooperative == credit.w.coop_tc and loan.purpose == "Métiers à tisser"
    page = text(client.get(r["Location"]))
    assert "un autre utilisateur du prêteur doit l'approuver" in page


def test_check_button_shows_the_borrower_without_saving(client, credit):
    client.force_login(credit.w.lender)
    person = credit.w.persons_tc[1]
    r = client.post(
        reverse("credit:loan_apply"),
        _apply_body(credit, borrower_cooperative=None, borrower_person=person.pk, check="1"),
    )
    assert r.status_code == 200 and not Loan.objects.filter(principal=500_000).exists()
    assert r.context["found"]["borrower_person"] == person
    assert person.last_name in text(r)
    # then saved: a member of one cooperative borrows through it
    r = client.post(
        reverse("credit:loan_apply"),
        _apply_body(credit, borrower_cooperative=None, borrower_person=person.pk),
    )
    assert r.status_code == 302
    loan = Loan.objects.get(principal=500_000)
    assert loan.borrower_person == person and loan.cooperative == credit.w.coop_tc


@pytest.mark.parametrize(
    "over,field,message",
    [
        ({"borrower_cooperative": "999999"}, "borrower_cooperative", "Coopérative introuvable"),
        (
            {"borrower_cooperative": None, "borrower_person": "999999"},
            "borrower_person",
            "Personne introuvable",
        ),
        ({"borrower_cooperative": None}, "borrower_cooperative", "pas les deux"),
        ({"borrower_person": "1"}, "borrower_cooperative", "pas les deux"),
        ({"principal": "0"}, "principal", None),
        ({"product": "999999"}, "product", None),
        ({"applied_on": "31/02/2026"}, "applied_on", None),
    ],
)
def test_application_bad_inputs(client, credit, over, field, message):
    client.force_login(credit.w.lender)
    r = client.post(reverse("credit:loan_apply"), _apply_body(credit, **over))
    assert r.status_code == 400
    errors = r.context["form"].errors
    assert field in errors, errors
    if message:
        assert message in errors[field][0]
    assert not Loan.objects.filter(principal=500_000).exists()


def test_application_outside_product_limits(client, credit):
    limited = services.loan_product_create(
        actor=credit.w.lender,
        lender=credit.w.lender_obj,
        name="Plafonné",
        annual_rate="18",
        term_months=12,
        on=date(2026, 1, 1),
        min_principal=100_000,
        max_principal=200_000,
    )
    client.force_login(credit.w.lender)
    r = client.post(reverse("credit:loan_apply"), _apply_body(credit, product=limited.pk))
    assert r.status_code == 400
    assert "hors des limites" in r.context["form"].errors["principal"][0]
    body = _apply_body(credit, product=limited.pk, principal="150000")
    assert client.post(reverse("credit:loan_apply"), body).status_code == 302


def test_other_lenders_products_are_not_offered(client, credit):
    other_product = credit.loan_other.product
    client.force_login(credit.w.lender)
    r = client.post(reverse("credit:loan_apply"), _apply_body(credit, product=other_product.pk))
    assert r.status_code == 400 and "product" in r.context["form"].errors


@pytest.mark.parametrize("role", ["agent_tc", "officer", "member", "nobody"])
def test_only_lenders_and_national_enter_applications(client, credit, role):
    client.force_login(getattr(credit.w, role))
    assert client.get(reverse("credit:loan_apply")).status_code == 403
    assert client.post(reverse("credit:loan_apply"), _apply_body(credit)).status_code == 403
    assert not Loan.objects.filter(principal=500_000).exists()


# --- approval, rejection, disbursement --------------------------------------------------


def test_maker_cannot_approve_and_sees_why(client, credit):
    loan = _application(credit)
    url = reverse("credit:loan_step", args=[loan.pk, "approuver"])
    client.force_login(credit.w.lender)
    detail = text(client.get(reverse("credit:loan_detail", args=[loan.pk])))
    assert url not in detail and 'data-testid="maker-checker"' in detail
    page = client.get(url)
    assert page.status_code == 200 and "contrôle à quatre yeux" in text(page)
    assert "Confirmer l'approbation" not in text(page)
    r = client.post(url, {"on": "2026-03-03"})  # forced: the service refuses
    assert r.status_code == 400
    assert "autre utilisateur" in r.context["form"].non_field_errors()[0]
    loan.refresh_from_db()
    assert loan.status == "application"


def test_checker_approves_after_confirmation_then_disburses(client, credit):
    loan = _application(credit)
    client.force_login(credit.checker)
    detail = text(client.get(reverse("credit:loan_detail", args=[loan.pk])))
    url = reverse("credit:loan_step", args=[loan.pk, "approuver"])
    assert url in detail
    page = client.get(url)  # the confirmation step changes nothing
    assert "Confirmer l'approbation" in text(page)
    loan.refresh_from_db()
    assert loan.status == "application"
    r = client.post(url, {"on": "2026-03-01"})  # before the application
    assert r.status_code == 400 and "précéder" in r.context["form"].errors["on"][0]
    r = client.post(url, {"on": "2026-03-03"})
    assert r.status_code == 302
    loan.refresh_from_db()
    assert loan.status == "approved" and loan.approved_by == credit.checker

    url = reverse("credit:loan_step", args=[loan.pk, "decaisser"])
    page = client.get(url)
    assert page.status_code == 200 and len(page.context["preview"]) == 12  # schedule preview
    again = client.get(url, {"on": "2026-04-10"})  # « Recalculer »: nothing saved
    assert again.context["preview"][0].due_on == date(2026, 5, 10)
    assert again.context["form"]["on"].value() == date(2026, 4, 10)
    bad = client.get(url, {"on": "10/04"})  # an unreadable date: today's schedule, a message
    assert bad.status_code == 200 and "Date invalide" in text(bad)
    loan.refresh_from_db()
    assert loan.status == "approved" and not loan.instalments.exists()
    assert client.post(url, {"on": ""}).status_code == 400
    r = client.post(url, {"on": "2026-03-05", "channel": "deduction"})
    assert r.status_code == 400 and "channel" in r.context["form"].errors
    r = client.post(url, {"on": "2026-03-05", "channel": "mobile_money"})
    assert r.status_code == 302 and r["Location"].endswith("#echeancier")
    loan.refresh_from_db()
    assert loan.status == "active" and loan.disbursed_on == date(2026, 3, 5)
    assert loan.disbursement_channel == "mobile_money"
    page = client.get(r["Location"])
    assert len(page.context["instalments"]) == 12
    history = page.context["events"]
    assert [(e.kind, e.actor) for e in history] == [
        (EventKind.APPLIED, credit.w.lender),
        (EventKind.APPROVED, credit.checker),
        (EventKind.DISBURSED, credit.checker),
    ]
    body = text(page)
    assert "par checker" in body and "Décaissé" in body
    # a second disbursement is refused, shown instead of the button
    again = client.get(url)
    assert 'data-testid="blocked"' in text(again)
    assert client.post(url, {"on": "2026-03-06", "channel": "bank"}).status_code == 400


def test_rejection_needs_a_reason(client, credit):
    loan = _application(credit)
    client.force_login(credit.w.lender)  # the maker may reject
    url = reverse("credit:loan_step", args=[loan.pk, "rejeter"])
    r = client.post(url, {"on": "2026-03-03", "reason": ""})
    assert r.status_code == 400 and "reason" in r.context["form"].errors
    r = client.post(url, {"on": "2026-03-03", "reason": "Dossier incomplet"})
    assert r.status_code == 302
    loan.refresh_from_db()
    assert loan.status == "rejected"
    page = text(client.get(reverse("credit:loan_detail", args=[loan.pk])))
    assert "Dossier incomplet" in page and 'id="decisions"' not in page


def test_unknown_step_is_404(client, credit):
    client.force_login(credit.w.lender)
    url = reverse("credit:loan_step", args=[credit.loan_tc.pk, "effacer"])
    assert client.get(url).status_code == 404


@pytest.mark.parametrize("step", ["approuver", "rejeter", "decaisser"])
@pytest.mark.parametrize(
    "role,status",
    [("agent_tc", 403), ("officer", 403), ("member", 403), ("agent_mbour", 404), ("nobody", 404)],
)
def test_steps_scope_and_rights(client, credit, step, role, status):
    loan = _application(credit)
    if role == "member":  # the member's own loan: visible, read only
        loan = services.loan_apply(
            actor=credit.w.lender,
            product=credit.product,
            principal=400_000,
            applied_on=date(2026, 3, 2),
            borrower_person=credit.w.persons_tc[0],
        )
    client.force_login(getattr(credit.w, role))
    url = reverse("credit:loan_step", args=[loan.pk, step])
    assert client.get(url).status_code == status
    assert client.post(url, {"on": "2026-03-03", "reason": "x"}).status_code == status
    loan.refresh_from_db()
    assert loan.status == "application"


def test_other_lender_sees_404(client, credit):
    client.force_login(credit.other_lender_user)
    url = reverse("credit:loan_step", args=[credit.loan_tc.pk, "rejeter"])
    assert client.get(url).status_code == 404


# --- reschedule, write-off -------------------------------------------------------------


def test_write_off_request_then_decision_by_another_user(client, credit):
    loan = credit.loan_tc
    client.force_login(credit.w.lender)
    url = reverse("credit:change_request_create", args=[loan.pk, "passage-en-perte"])
    assert client.get(url).status_code == 200
    assert client.post(url, {"on": "2026-09-01", "reason": ""}).status_code == 400
    r = client.post(url, {"on": "2026-09-01", "reason": "Coopérative dissoute"})
    assert r.status_code == 302
    req = LoanChangeRequest.objects.get(loan=loan)
    decide = reverse("credit:change_request_decide", args=[req.pk])
    # the requester sees why they cannot decide, and cannot force it
    page = text(client.get(decide))
    assert "contrôle à quatre yeux" in page and 'value="approve"' not in page
    r = client.post(decide, {"decision": "approve"})
    assert r.status_code == 400 and "autre utilisateur" in str(r.context["error"])
    # a second request while one is pending is refused on the form
    r = client.post(url, {"on": "2026-09-02", "reason": "Encore"})
    assert r.status_code == 400 and "déjà en attente" in r.context["form"].non_field_errors()[0]

    client.force_login(credit.checker)
    detail = text(client.get(reverse("credit:loan_detail", args=[loan.pk])))
    assert decide in detail
    page = text(client.get(decide))  # confirmation page
    assert "Confirmer le passage en perte" in page
    loan.refresh_from_db()
    assert loan.status == "active"
    assert client.post(decide, {"decision": "maybe"}).status_code == 400
    r = client.post(decide, {"decision": "approve"})
    assert r.status_code == 302
    loan.refresh_from_db()
    req.refresh_from_db()
    assert loan.status == "written_off" and req.decided_by == credit.checker
    kinds = [e.kind for e in loan.events.order_by("at", "id")]
    assert kinds[-2:] == [EventKind.WRITE_OFF_REQUESTED, EventKind.WRITTEN_OFF]
    # decided: no second decision
    assert "déjà tranchée" in text(client.get(decide))


def test_reschedule_request_refused_then_accepted(client, credit):
    loan = credit.loan_tc
    url = reverse("credit:change_request_create", args=[loan.pk, "reechelonnement"])
    client.force_login(credit.w.lender)
    bad = {"on": "2026-06-01", "term_months": "0", "reason": "Sécheresse"}
    assert "term_months" in client.post(url, bad).context["form"].errors
    usury = {"on": "2026-06-01", "term_months": "18", "annual_rate": "40", "reason": "Sécheresse"}
    r = client.post(url, usury)
    assert r.status_code == 400 and "usure" in r.context["form"].errors["annual_rate"][0]
    r = client.post(url, {**usury, "annual_rate": "", "grace_periods": "2"})
    assert r.status_code == 302
    req = LoanChangeRequest.objects.get(loan=loan)
    assert req.params == {"term_months": 18, "annual_rate": "18", "grace_periods": 2}

    client.force_login(credit.checker)
    decide = reverse("credit:change_request_decide", args=[req.pk])
    assert client.post(decide, {"decision": "refuse"}).status_code == 302
    req.refresh_from_db()
    assert req.status == ChangeStatus.REJECTED

    client.force_login(credit.w.lender)  # asked again, approved by the checker
    client.post(url, {**usury, "annual_rate": "", "grace_periods": "0"})
    req = LoanChangeRequest.objects.get(loan=loan, status=ChangeStatus.PENDING)
    client.force_login(credit.checker)
    before = loan.instalments.filter(superseded=False).count()
    assert (
        client.post(
            reverse("credit:change_request_decide", args=[req.pk]), {"decision": "approve"}
        ).status_code
        == 302
    )
    loan.refresh_from_db()
    assert loan.terms["term_months"] == 18
    assert loan.instalments.filter(superseded=False).count() != before
    page = text(client.get(reverse("credit:loan_detail", args=[loan.pk])))
    assert "Rééchelonné" in page and "Demande refusée" in page


@pytest.mark.parametrize("role,status", [("agent_tc", 403), ("officer", 403), ("agent_mbour", 404)])
def test_change_requests_scope_and_rights(client, credit, role, status):
    req = services.loan_change_request(
        actor=credit.w.lender,
        loan=credit.loan_tc,
        kind="write_off",
        on=date(2026, 9, 1),
        reason="Dissoute",
    )
    client.force_login(getattr(credit.w, role))
    url = reverse("credit:change_request_create", args=[credit.loan_tc.pk, "passage-en-perte"])
    assert client.get(url).status_code == status
    decide = reverse("credit:change_request_decide", args=[req.pk])
    assert client.get(decide).status_code == status
    assert client.post(decide, {"decision": "approve"}).status_code == status
    req.refresh_from_db()
    assert req.status == ChangeStatus.PENDING


# --- reversal --------------------------------------------------------------------------


def test_reverse_a_repayment_with_a_reason(client, credit):
    loan = credit.loan_tc
    rep = services.repayment_post(
        actor=credit.w.agent_tc,
        loan=loan,
        amount=50_000,
        paid_on=date(2026, 2, 15),
        channel="cash",
    )
    client.force_login(credit.w.lender)
    url = reverse("credit:repayment_reverse", args=[loan.pk, rep.pk])
    detail = text(client.get(reverse("credit:loan_detail", args=[loan.pk])))
    assert url in detail
    assert "Confirmer l'annulation" in text(client.get(url))
    assert Repayment.objects.filter(loan=loan).count() == 1
    r = client.post(url, {"on": "2026-02-16", "reason": ""})
    assert r.status_code == 400 and "reason" in r.context["form"].errors
    r = client.post(url, {"on": "2026-02-10", "reason": "Erreur de saisie"})
    assert r.status_code == 400 and "précéder" in r.context["form"].errors["on"][0]
    r = client.post(url, {"on": "2026-02-16", "reason": "Erreur de saisie"})
    assert r.status_code == 302
    assert Repayment.objects.get(reverses=rep).amount == -50_000
    r = client.post(url, {"on": "2026-02-16", "reason": "Encore"})
    assert r.status_code == 400 and "déjà annulé" in r.context["form"].non_field_errors()[0]
    page = text(client.get(reverse("credit:loan_detail", args=[loan.pk])))
    assert "Erreur de saisie" in page and url not in page  # reversed once


def test_reverse_rights_and_scope(client, credit):
    rep = services.repayment_post(
        actor=credit.w.agent_tc,
        loan=credit.loan_tc,
        amount=50_000,
        paid_on=date(2026, 2, 15),
        channel="cash",
    )
    url = reverse("credit:repayment_reverse", args=[credit.loan_tc.pk, rep.pk])
    client.force_login(credit.w.agent_tc)  # collects, but may not reverse
    assert client.get(url).status_code == 403
    detail = text(client.get(reverse("credit:loan_detail", args=[credit.loan_tc.pk])))
    assert url not in detail
    client.force_login(credit.w.agent_mbour)
    assert client.post(url, {"on": "2026-02-16", "reason": "x"}).status_code == 404
    client.force_login(credit.w.lender)  # a repayment of another loan under this loan's URL
    wrong = reverse("credit:repayment_reverse", args=[credit.loan_mbour.pk, rep.pk])
    assert client.get(wrong).status_code == 404
    assert not Repayment.objects.filter(reverses=rep).exists()


def test_loan_list_query_count_constant(client, credit, django_assert_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(credit.w.lender)
    url = reverse("credit:loan_list")
    client.get(url)
    with CaptureQueriesContext(connection) as ctx:
        client.get(url)
    n = len(ctx.captured_queries)
    maker = credit.w.lender
    checker = credit.checker
    for coop in [credit.w.coop_tc, credit.w.coop_mbour, credit.w.coop_thies] * 2:
        active_loan(maker=maker, checker=checker, product=credit.product, borrower_cooperative=coop)
    for person in credit.w.persons_thies:
        services.loan_apply(
            actor=maker,
            product=credit.product,
            principal=300_000,
            applied_on=date(2026, 3, 1),
            borrower_person=person,
        )
    with django_assert_num_queries(n):
        r = client.get(url)
    assert len(r.context["page"].object_list) == 12


def test_national_decides_for_any_lender(client, credit):
    loan = services.loan_apply(
        actor=credit.other_lender_user,
        product=credit.loan_other.product,
        principal=300_000,
        applied_on=date(2026, 3, 2),
        borrower_cooperative=credit.w.coop_thies,
    )
    client.force_login(credit.w.national)
    url = reverse("credit:loan_step", args=[loan.pk, "approuver"])
    assert client.post(url, {"on": "2026-03-03"}).status_code == 302
    loan.refresh_from_db()
    assert loan.status == "approved" and loan.approved_by == credit.w.national
