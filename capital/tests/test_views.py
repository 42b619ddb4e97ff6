import datetime

import pytest
from django.urls import reverse

from capital.models import OperationStatus, ShareOperation
from capital.tests.factories import StatutesFactory, done_operation
from ledger.models import JournalEntry

ON = datetime.date(2026, 1, 15)


@pytest.fixture
def shares(world):
    StatutesFactory(cooperative=world.coop_tc, share_value=2500)
    for n, p in enumerate(world.persons_tc, start=1):
        done_operation(
            actor=world.officer,
            cooperative=world.coop_tc,
            kind="subscription",
            person=p,
            shares=n,
            amount=2500,
            effective_on=ON,
        )
    return world


def test_register_page_and_query_count(shares, client, django_assert_max_num_queries):
    client.force_login(shares.officer)
    url = reverse("capital:register", args=[shares.coop_tc.pk])
    with django_assert_max_num_queries(12):
        r = client.get(url)
    assert r.status_code == 200
    body = r.content.decode()
    assert "Registre des membres et des parts" in body
    assert str(shares.persons_tc[2]) in body


def test_index_lists_scope(shares, client):
    client.force_login(shares.officer)
    body = client.get(reverse("capital:index")).content.decode()
    assert shares.coop_tc.name in body and shares.coop_thies.name not in body
    client.force_login(shares.agent_th)
    assert client.get(reverse("capital:register", args=[shares.coop_tc.pk])).status_code == 404


def test_operation_request_approve_execute_in_pages(shares, client):
    w = shares
    client.force_login(w.officer)
    url = reverse("capital:operation_create", args=[w.coop_tc.pk])
    bad = {
        "kind": "payment",
        "person": w.persons_tc[2].pk,  # 7 500 F subscribed, 2 500 F paid
        "amount": "999999",
        "effective_on": "2026-02-01",
    }
    r = client.post(url, bad)
    assert r.status_code == 200
    assert "dépasse le capital restant" in r.content.decode()
    assert 'value="999999"' in r.content.decode()  # nothing lost
    r = client.post(url, dict(bad, amount="1000", channel="cheque"))
    assert r.status_code == 200  # unknown channel: the form again
    assert not ShareOperation.objects.filter(kind="payment").exists()
    r = client.post(url, dict(bad, amount="1000", channel="bank"))
    op = ShareOperation.objects.get(kind="payment")
    assert r.status_code == 302
    assert op.channel == "bank"
    detail = client.get(reverse("capital:operation_detail", args=[op.pk])).content.decode()
    assert "banque" in detail
    confirm = reverse("capital:operation_decide", args=[op.pk, "approuver"])
    assert "Confirmer" in client.get(confirm).content.decode()
    op.refresh_from_db()
    assert op.status == OperationStatus.DRAFT  # GET only asks
    client.post(confirm)
    client.post(reverse("capital:operation_decide", args=[op.pk, "realiser"]))
    op.refresh_from_db()
    assert op.status == OperationStatus.DONE
    # Paid by bank: posted in the bank journal of the cooperative's books.
    entry = JournalEntry.objects.get(source="capital.share_payment", source_ref=str(op.pk))
    assert entry.journal.code == "BQ"


def test_member_sees_own_statement_and_certificate(shares, client):
    w = shares
    client.force_login(w.member)
    own = reverse("capital:statement", args=[w.coop_tc.pk, w.persons_tc[0].pk])
    assert client.get(own).status_code == 200
    other = reverse("capital:statement", args=[w.coop_tc.pk, w.persons_tc[1].pk])
    assert client.get(other).status_code == 404
    assert client.get(reverse("capital:operation_create", args=[w.coop_tc.pk])).status_code == 403
    r = client.get(reverse("capital:certificate", args=[w.coop_tc.pk, w.persons_tc[0].pk]))
    assert r.status_code == 200 and r["Content-Type"] == "application/pdf"
    assert r.content.startswith(b"%PDF")


def test_refusal_needs_confirmation_and_a_reason(shares, client):
    w = shares
    client.force_login(w.officer)
    client.post(
        reverse("capital:operation_create", args=[w.coop_tc.pk]),
        {
            "kind": "subscription",
            "person": w.persons_tc[1].pk,
            "shares": "2",
            "effective_on": "2026-02-01",
        },
    )
    op = ShareOperation.objects.get(status=OperationStatus.DRAFT)
    url = reverse("capital:operation_decide", args=[op.pk, "refuser"])
    r = client.post(url, {"reason": ""})
    assert r.status_code == 200 and "obligatoire" in r.content.decode()
    client.post(url, {"reason": "Pièces manquantes"})
    op.refresh_from_db()
    assert (op.status, op.refusal_reason) == (OperationStatus.REFUSED, "Pièces manquantes")


def test_statutes_form(shares, client):
    client.force_login(shares.officer)
    url = reverse("capital:statutes", args=[shares.coop_tc.pk])
    data = {
        "share_value": "10000",
        "max_proxies_per_holder": "2",
        "fiscal_year_end_month": "6",
        "ordinary_quorum_first": "1/2",
        "ordinary_quorum_second": "0",
        "ordinary_majority": "1/2",
        "extraordinary_quorum_first": "2/3",
        "extraordinary_quorum_second": "1/2",
        "extraordinary_majority": "3/4",
    }
    assert client.post(url, data).status_code == 302
    shares.coop_tc.statutes.refresh_from_db()
    assert shares.coop_tc.statutes.max_proxies_per_holder == 2
    r = client.post(url, dict(data, fiscal_year_end_month="13"))
    assert r.status_code == 200
