"""Who sees which payment (payments.selectors), per role, and the list page's queries."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.testing import assert_sees_exactly
from core.errors import NotFound
from payments import selectors
from payments.tests.authz_matrix import _intent

pytestmark = pytest.mark.django_db


@pytest.fixture
def intents(credit):
    w = credit.w
    return {
        "tc": _intent(w, w.coop_tc, credit.loan_tc, None, "SCTC"),
        "person": _intent(w, w.coop_tc, credit.loan_person, w.persons_tc[0], "SCPERSON"),
        "mbour": _intent(w, w.coop_mbour, credit.loan_mbour, None, "SCMBOUR"),
        "other": _intent(w, w.coop_thies, credit.loan_other, None, "SCOTHER"),
    }


def test_each_role_sees_exactly_its_payments(credit, intents):
    w, i = credit.w, intents
    sel = selectors.payment_list
    assert_sees_exactly(sel, w.national, i.values())
    assert_sees_exactly(sel, w.agent_tc, [i["tc"], i["person"]])
    assert_sees_exactly(sel, w.agent_th, [i["mbour"], i["other"]])
    assert_sees_exactly(sel, w.agent_mbour, [i["mbour"]])
    assert_sees_exactly(sel, w.officer, [i["tc"], i["person"]])
    assert_sees_exactly(sel, w.lender, [i["tc"], i["person"], i["mbour"]])
    assert_sees_exactly(sel, w.member, [i["person"]])
    assert_sees_exactly(sel, w.nobody, [])


def test_whoever_started_a_payment_sees_it(credit, intents):
    intents["other"].created_by = credit.w.nobody
    intents["other"].save()
    assert_sees_exactly(selectors.payment_list, credit.w.nobody, [intents["other"]])


@pytest.mark.parametrize("pk", ["abc", -1, 0, 2**70, None])
def test_a_bad_id_is_not_found(credit, intents, pk):
    with pytest.raises(NotFound):
        selectors.payment_get(actor=credit.w.national, pk=pk)


def test_the_list_page_reads_in_a_fixed_number_of_queries(client, credit, intents):
    client.force_login(credit.w.national)
    client.get("/paiements/")  # the session's first request reads a little more
    with CaptureQueriesContext(connection) as few:
        assert client.get("/paiements/?status=pending&q=tisserands").status_code == 200
    for n in range(20):
        _intent(credit.w, credit.w.coop_tc, credit.loan_tc, None, f"SCMORE{n}")
    with CaptureQueriesContext(connection) as many:
        response = client.get("/paiements/?status=pending&q=tisserands")
    assert response.status_code == 200
    assert len(many) == len(few) <= 10
    assert "SCMORE19" in response.content.decode()


def test_the_list_page_filters_and_has_an_empty_state(client, credit, intents):
    client.force_login(credit.w.member)
    page = client.get("/paiements/?status=succeeded").content.decode()
    assert "Aucun paiement." in page
    page = client.get("/paiements/?q=SCPERSON").content.decode()
    assert "SCPERSON" in page and "SCTC" not in page


def test_the_pay_page_proposes_the_arrears_and_refuses_bad_input_on_the_form(client, credit, wave):
    from django.utils import timezone

    from credit.portfolio import refresh_all

    refresh_all(as_of=timezone.localdate())
    loan = credit.loan_person
    loan.refresh_from_db()
    client.force_login(credit.w.member)
    url = f"/paiements/payer/loan_repayment/{loan.pk}/"
    page = client.get(url)
    assert page.status_code == 200
    assert f'value="{loan.arrears_amount}"' in page.content.decode()
    bad = client.post(url, {"amount": 50_000, "phone": "12", "provider": "wave"})
    assert bad.status_code == 400 and "Numéro de téléphone invalide" in bad.content.decode()
    good = client.post(url, {"amount": 50_000, "phone": "771234567", "provider": "wave"})
    assert good.status_code == 302 and good["Location"].startswith(f"{wave.url}/c/")
    assert client.get(f"/paiements/payer/loan_repayment/{credit.loan_other.pk}/").status_code == 404
    assert client.get(f"/paiements/payer/lottery/{loan.pk}/").status_code == 404
