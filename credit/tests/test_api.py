import json
from datetime import date

import pytest

from credit.models import Loan, Repayment

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _dates_run_into_2027(today_is):
    """These tests write dates into 2027: the date rule's today is pinned past them."""
    today_is(date(2027, 12, 31))


def post(client, url, body=None, **headers):
    return client.post(
        f"/api/v1{url}",
        data=json.dumps(body or {}),
        content_type="application/json",
        headers=headers,
    )


def get(client, url, **params):
    return client.get(f"/api/v1{url}", params)


def test_product_create_and_usury_refusal(world, api_client):
    c = api_client(world.lender)
    r = post(
        c,
        "/loan-products",
        {"name": "Crédit AGR", "annual_rate": "18", "term_months": 12, "fee_rate": "2"},
    )
    assert r.status_code == 201, r.json()
    body = r.json()
    assert body["annual_rate"] == "18" and body["effective_rate"] == "21.91"
    assert body["lender"] == world.lender_obj.pk
    r = post(
        c,
        "/loan-products",
        {"name": "Flat", "annual_rate": "18", "term_months": 12, "interest_method": "flat"},
    )
    assert r.status_code == 409 and r.json()["code"] == "usury_cap"
    assert r.json()["field"] == "annual_rate"
    assert "usure" in r.json()["message"]
    r = post(
        api_client(world.agent_tc),
        "/loan-products",
        {"name": "X", "annual_rate": "18", "term_months": 12, "lender": world.lender_obj.pk},
    )
    assert r.status_code == 403
    assert get(c, "/loan-products").json()["count"] == 1


def test_loan_lifecycle_through_the_api(world, api_client, credit):
    maker, checker = api_client(world.lender), api_client(credit.checker)
    r = post(
        maker,
        "/loans",
        {
            "product": credit.product.pk,
            "principal": 600_000,
            "borrower_cooperative": world.coop_tc.pk,
            "applied_on": "2026-01-05",
        },
    )
    assert r.status_code == 201, r.json()
    loan_id = r.json()["id"]
    assert r.json()["status"] == "application" and r.json()["cooperative"] == world.coop_tc.pk
    r = post(maker, f"/loans/{loan_id}/approve", {"on": "2026-01-06"})
    assert r.status_code == 409 and r.json()["code"] == "maker_checker"
    assert post(checker, f"/loans/{loan_id}/approve", {"on": "2026-01-06"}).status_code == 200
    r = post(checker, f"/loans/{loan_id}/disburse", {"on": "2026-01-10"})
    assert r.status_code == 200 and r.json()["status"] == "active"
    sched = get(maker, f"/loans/{loan_id}/schedule").json()
    assert len(sched) == 12 and sum(s["principal"] for s in sched) == 600_000
    assert set(sched[0]) >= {"number", "due_on", "principal", "interest", "fee", "total"}
    assert sched[0]["due_on"] == "2026-02-10" and sched[0]["interest"] == 9_000


def test_repayment_idempotency_key(world, api_client, credit):
    c = api_client(world.agent_tc)
    url = f"/loans/{credit.loan_tc.pk}/repayments"
    body = {"amount": 91_680, "paid_on": "2026-02-15", "channel": "mobile_money"}
    first = post(c, url, body, **{"Idempotency-Key": "abc-1"})
    assert first.status_code == 201, first.json()
    again = post(c, url, body, **{"Idempotency-Key": "abc-1"})
    assert again.status_code == 201 and again.json() == first.json()
    assert Repayment.objects.filter(loan=credit.loan_tc).count() == 1
    other = post(c, url, {**body, "amount": 1_000}, **{"Idempotency-Key": "abc-1"})
    assert other.status_code == 409 and other.json()["code"] == "idempotency_mismatch"
    listed = get(c, url).json()
    assert listed["count"] == 1 and listed["items"][0]["amount"] == 91_680
    loan = get(c, f"/loans/{credit.loan_tc.pk}").json()
    assert loan["outstanding_principal"] == 923_320


def test_overpayment_409(world, api_client, credit):
    r = post(
        api_client(world.lender),
        f"/loans/{credit.loan_tc.pk}/repayments",
        {"amount": 5_000_000, "paid_on": "2026-02-15", "channel": "cash"},
    )
    assert r.status_code == 409 and r.json()["code"] == "overpayment"


def test_loan_scoping_404_and_403(world, api_client, credit):
    ids = {
        name: getattr(credit, name).pk
        for name in ("loan_tc", "loan_mbour", "loan_person", "loan_other")
    }
    expect = {
        world.national: set(ids.values()),
        world.lender: {ids["loan_tc"], ids["loan_mbour"], ids["loan_person"]},
        credit.other_lender_user: {ids["loan_other"]},
        world.agent_tc: {ids["loan_tc"], ids["loan_person"]},
        world.agent_th: {ids["loan_mbour"], ids["loan_other"]},
        world.agent_mbour: {ids["loan_mbour"]},
        world.officer: {ids["loan_tc"], ids["loan_person"]},
        world.member: {ids["loan_person"]},
        world.nobody: set(),
    }
    for user, visible in expect.items():
        c = api_client(user)
        seen = {item["id"] for item in get(c, "/loans", limit=100).json()["items"]}
        assert seen == visible, user.username
        for loan_id in set(ids.values()) - visible:
            assert get(c, f"/loans/{loan_id}").status_code == 404
            assert get(c, f"/loans/{loan_id}/schedule").status_code == 404
    # visible but not allowed to write: 403
    body = {"amount": 1_000, "paid_on": "2026-02-15", "channel": "cash"}
    assert (
        post(api_client(world.officer), f"/loans/{ids['loan_tc']}/repayments", body).status_code
        == 403
    )
    assert (
        post(api_client(world.member), f"/loans/{ids['loan_person']}/repayments", body).status_code
        == 403
    )
    assert (
        post(api_client(world.agent_tc), f"/loans/{ids['loan_tc']}/disburse", {}).status_code == 403
    )
    # out of scope: 404 even for a write
    assert (
        post(api_client(world.agent_tc), f"/loans/{ids['loan_mbour']}/repayments", body).status_code
        == 404
    )
    assert (
        post(
            api_client(world.agent_tc),
            "/loans",
            {
                "product": credit.product.pk,
                "principal": 1,
                "borrower_cooperative": world.coop_tc.pk,
            },
        ).status_code
        == 403
    )


def test_portfolio_endpoint(world, api_client, credit):
    r = get(api_client(world.lender), "/portfolio", as_of="2026-06-01")
    assert r.status_code == 200
    body = r.json()
    assert body["loans_count"] == 3 and body["outstanding"] == 3_000_000
    assert body["par30"] == body["par90"] == body["par1"] == "1.0000"
    assert {b["bucket"] for b in body["arrears_buckets"]} >= {"1-30", "91-180", ">365"}
    r = get(api_client(world.national), "/portfolio", as_of="2026-06-01", area="SN-TC")
    assert r.json()["loans_count"] == 2
    assert get(api_client(world.national), "/portfolio", area="XX").status_code == 400


def test_recovery_action_and_reverse(world, api_client, credit):
    c = api_client(world.agent_tc)
    r = post(
        c,
        f"/loans/{credit.loan_tc.pk}/recovery-actions",
        {
            "kind": "visit",
            "on": "2026-03-01",
            "note": "Trésorière rencontrée",
            "promise_amount": 91_680,
            "promise_on": "2026-03-10",
        },
    )
    assert r.status_code == 201 and r.json()["follow_up_on"] == "2026-03-10"
    rep = post(
        c,
        f"/loans/{credit.loan_tc.pk}/repayments",
        {"amount": 10_000, "paid_on": "2026-03-10", "channel": "cash"},
    ).json()
    url = f"/loans/{credit.loan_tc.pk}/repayments/{rep['id']}/reverse"
    assert post(c, url, {"reason": "erreur"}).status_code == 403
    r = post(api_client(world.lender), url, {"reason": "Erreur de saisie", "on": "2026-03-11"})
    assert r.status_code == 201 and r.json()["amount"] == -10_000
    assert Loan.objects.get(pk=credit.loan_tc.pk).outstanding_principal == 1_000_000


def test_write_off_via_change_request(world, api_client, credit):
    r = post(
        api_client(world.lender),
        f"/loans/{credit.loan_mbour.pk}/change-requests",
        {"kind": "write_off", "reason": "Coopérative dissoute", "on": "2027-06-01"},
    )
    assert r.status_code == 201
    url = f"/loan-change-requests/{r.json()['id']}/decide"
    assert post(api_client(world.lender), url, {"approve": True}).status_code == 409
    assert post(api_client(credit.checker), url, {"approve": True}).status_code == 200
    assert Loan.objects.get(pk=credit.loan_mbour.pk).status == "written_off"
    assert date(2027, 6, 1) == Loan.objects.get(pk=credit.loan_mbour.pk).closed_on


def test_loan_list_query_count(world, api_client, credit, django_assert_max_num_queries):
    c = api_client(world.national)
    with django_assert_max_num_queries(8):
        assert get(c, "/loans").json()["count"] == 4
