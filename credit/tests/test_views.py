from datetime import date

import pytest
from django.urls import reverse

from credit import services
from credit.models import Repayment

pytestmark = pytest.mark.django_db


def test_loan_list_scoped_and_query_count(client, credit, django_assert_max_num_queries):
    client.force_login(credit.w.agent_tc)
    with django_assert_max_num_queries(12):
        r = client.get(reverse("credit:loan_list"))
    assert r.status_code == 200
    ids = {loan.pk for loan in r.context["page"].object_list}
    assert ids == {credit.loan_tc.pk, credit.loan_person.pk}
    r = client.get(reverse("credit:loan_list"), {"q": "TISSERANDS"})  # also the member's loan
    assert {loan.pk for loan in r.context["page"].object_list} == ids
    r = client.get(reverse("credit:loan_list"), {"q": "introuvable"})
    assert not r.context["page"].object_list and "Aucun prêt" in r.content.decode()


def test_loan_detail_404_out_of_scope(client, credit):
    client.force_login(credit.w.agent_tc)
    assert client.get(reverse("credit:loan_detail", args=[credit.loan_mbour.pk])).status_code == 404
    r = client.get(reverse("credit:loan_detail", args=[credit.loan_tc.pk]))
    assert r.status_code == 200 and r.context["can_collect"]
    assert "Enregistrer le remboursement" in r.content.decode()


def test_officer_reads_without_forms(client, credit):
    client.force_login(credit.w.officer)
    r = client.get(reverse("credit:loan_detail", args=[credit.loan_tc.pk]))
    assert r.status_code == 200 and not r.context["can_collect"]
    url = reverse("credit:repayment_create", args=[credit.loan_tc.pk])
    body = {"amount": 1000, "paid_on": "2026-02-15", "channel": "cash"}
    assert client.post(url, body).status_code == 403


def test_repayment_form_posts_once_and_shows_errors_inline(client, credit):
    client.force_login(credit.w.agent_tc)
    url = reverse("credit:repayment_create", args=[credit.loan_tc.pk])
    body = {"amount": 91_680, "paid_on": "2026-02-15", "channel": "cash", "idempotency_key": "f1"}
    assert client.post(url, body).status_code == 302
    assert client.post(url, body).status_code == 302  # double submit
    assert Repayment.objects.filter(loan=credit.loan_tc).count() == 1
    r = client.post(url, {**body, "amount": 9_000_000, "idempotency_key": "f2"})
    assert r.status_code == 400
    assert "trop-perçu" in r.context["repayment_form"].errors["amount"][0]
    assert r.context["repayment_form"]["amount"].value() == "9000000"  # nothing lost


def test_recovery_action_form(client, credit):
    client.force_login(credit.w.agent_tc)
    url = reverse("credit:recovery_action", args=[credit.loan_tc.pk])
    r = client.post(url, {"kind": "call", "on": "2026-03-01", "promise_amount": 5000})
    assert r.status_code == 400 and r.context["action_form"].errors
    r = client.post(
        url,
        {
            "kind": "call",
            "on": "2026-03-01",
            "promise_amount": 5000,
            "promise_on": "2026-03-05",
            "note": "Appel au président",
        },
    )
    assert r.status_code == 302


def test_arrears_list_riskiest_first(client, credit, django_assert_max_num_queries):
    services.refresh_loan_figures(credit.loan_tc, date(2026, 6, 1))
    services.refresh_loan_figures(credit.loan_person, date(2026, 3, 1))
    client.force_login(credit.w.agent_tc)
    with django_assert_max_num_queries(10):
        r = client.get(reverse("credit:arrears_list"))
    assert [loan.pk for loan in r.context["page"].object_list] == [
        credit.loan_tc.pk,
        credit.loan_person.pk,
    ]


def test_pdfs(client, credit):
    client.force_login(credit.w.lender)
    for kind in ("resume", "releve"):
        r = client.get(reverse("credit:loan_pdf", args=[credit.loan_tc.pk, kind]))
        assert r.status_code == 200 and r["Content-Type"] == "application/pdf"
        assert r.content.startswith(b"%PDF")
    assert client.get(reverse("credit:loan_pdf", args=[credit.loan_tc.pk, "x"])).status_code == 404


def test_portfolio_page(client, credit):
    client.force_login(credit.w.lender)
    r = client.get(reverse("credit:portfolio"), {"as_of": "2026-06-01"})
    assert r.status_code == 200 and r.context["p"]["loans_count"] == 3


def test_lender_home_shows_the_credit_panel(client, credit, monkeypatch):
    """The panel shows /portfolio's figures of today (credit/tests/test_home_figures.py)."""
    monkeypatch.setattr("core.dates.today", lambda: date(2026, 6, 1))
    client.force_login(credit.w.lender)
    r = client.get("/")
    p = client.get(reverse("credit:portfolio")).context["p"]
    assert r.context["credit"]["loans"] == p["loans_count"] == 3
    assert r.context["credit"]["outstanding"] == p["outstanding"]
    assert r.context["credit"]["in_arrears"] == 3
    assert 'data-testid="fig-loans"' in r.content.decode()
    client.force_login(credit.w.officer)
    assert client.get("/").context["credit"] is None
