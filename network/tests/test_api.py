"""The portal's API fixed points (docs/api.md, "Network portal")."""

import datetime

import pytest

from network.models import Campaign, Pledge
from network.tests.conftest import open_campaign, pay, today

pytestmark = pytest.mark.django_db


def test_campaigns_pledges_and_match_funds_through_the_api(net, wave, client, api_client):
    owner, admin = api_client(net.owner), api_client(net.admin)
    start = today().isoformat()
    end = (today() + datetime.timedelta(days=20)).isoformat()
    body = {"project": net.project.pk, "goal": 50_000, "starts_on": start, "ends_on": end,
            "mode": "all_or_nothing"}  # fmt: skip
    created = owner.post("/api/v1/network/campaigns", body, content_type="application/json")
    assert created.status_code == 201, created.content
    campaign = created.json()
    assert campaign["status"] == "live" and campaign["raised"] == 0
    cid = campaign["id"]
    fund = admin.post(
        "/api/v1/network/match-funds",
        {"sponsor": "Ministère", "budget": 30_000, "factor": "1.5", "max_per_pledge": 10_000,
         "max_per_project": 20_000, "campaigns": [cid]},
        content_type="application/json",
    )  # fmt: skip
    assert fund.status_code == 201, fund.content
    assert fund.json()["remaining"] == 30_000 and fund.json()["campaigns"] == [cid]
    # a public pledge, without a token
    pledge = client.post(
        f"/api/v1/network/campaigns/{cid}/pledges",
        {"amount": 6_000, "donor_name": "Fatou", "donor_phone": "+221 77 555 44 33",
         "provider": "wave"},
        content_type="application/json",
    )  # fmt: skip
    assert pledge.status_code == 201, pledge.content
    payment = pledge.json()["payment"]
    assert payment["status"] == "pending" and payment["checkout_url"].startswith("http")
    assert client.get(f"/api/v1/network/campaigns/{cid}").json()["raised"] == 0
    pay(client, Pledge.objects.get(pk=pledge.json()["id"]))
    fresh = client.get(f"/api/v1/network/campaigns/{cid}").json()
    assert (fresh["raised"], fresh["matched"], fresh["backers"]) == (6_000, 9_000, 1)
    got = admin.get(f"/api/v1/network/match-funds/{fund.json()['id']}").json()
    assert (got["committed"], got["remaining"]) == (9_000, 21_000)
    # the owner may not open a fund; nobody may read the funds without a token
    denied = owner.post(
        "/api/v1/network/match-funds",
        {"sponsor": "X", "budget": 1, "factor": "1", "max_per_pledge": 1, "max_per_project": 1,
         "campaigns": [cid]},
        content_type="application/json",
    )  # fmt: skip
    assert denied.status_code == 403
    assert client.get("/api/v1/network/match-funds").status_code == 401
    # closing: not before the end; after it, once
    on = {"on": today().isoformat()}
    assert admin.post(f"/api/v1/network/campaigns/{cid}/close", on,
                      content_type="application/json").status_code == 409  # fmt: skip
    Campaign.objects.filter(pk=cid).update(
        starts_on=today() - datetime.timedelta(days=9), ends_on=today() - datetime.timedelta(days=1)
    )
    closed = admin.post(f"/api/v1/network/campaigns/{cid}/close", on,
                        content_type="application/json")  # fmt: skip
    assert closed.status_code == 200, closed.content
    assert closed.json()["status"] == "failed"  # 6 000 + 9 000 matched < 50 000
    assert {"account": "4191", "debit": 15_000, "credit": 15_000} in closed.json()["statement"]
    again = admin.post(f"/api/v1/network/campaigns/{cid}/close", on,
                       content_type="application/json")  # fmt: skip
    assert again.status_code == 409 and again.json()["code"] == "already_closed"


@pytest.mark.parametrize("amount", [0, 2_000_001])
def test_pledge_amount_limits(net, wave, client, amount):
    campaign = open_campaign(net)
    response = client.post(
        f"/api/v1/network/campaigns/{campaign.pk}/pledges",
        {"amount": amount, "donor_name": "A", "donor_phone": "771234567", "provider": "wave"},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert response.json()["field"] == "amount"


def test_a_wrong_token_is_401_even_on_public_reads(client):
    response = client.get("/api/v1/network/organisations", headers={"Authorization": "Bearer nope"})
    assert response.status_code == 401
