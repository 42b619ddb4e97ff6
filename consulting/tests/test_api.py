"""Consulting's API fixed points (docs/api.md, "Network portal"): consultants, engagements
and their payments answering the three payouts; the refusals; scoping."""

import datetime

import pytest

from consulting.models import EngagementPayment
from consulting.tests.conftest import PROFILE, sign
from core import dates

pytestmark = pytest.mark.django_db
JSON = "application/json"


def test_consultants_engagement_and_the_worked_example(cast, client, api_client):
    admin, owner = api_client(cast.admin), api_client(cast.owner)
    listed = client.get("/api/v1/network/consultants?country=ML")  # public, no token
    assert listed.status_code == 200
    assert [c["name"] for c in listed.json()["items"]] == ["Aminata Traoré"]
    item = listed.json()["items"][0]
    assert item["countries"] == ["ML", "SN"] and item["day_rate"] == 75_000
    assert item["skills"] == ["gouvernance coopérative", "comptabilité SYSCOHADA"]
    body = {"client": cast.org.pk, "consultant": cast.consultant.pk,
            "title": "Étude de marché du mil", "amount": 333_333,
            "split": {"consultant": 70, "platform": 20, "ess_fund": 10}}  # fmt: skip
    created = admin.post("/api/v1/network/engagements", body, content_type=JSON)
    assert created.status_code == 201, created.content
    engagement = created.json()
    assert engagement["split"] == {"consultant": "70", "platform": "20", "ess_fund": "10"}
    assert engagement["due"] == 333_333 and engagement["milestones"][0]["amount"] == 333_333
    paid = admin.post(
        f"/api/v1/network/engagements/{engagement['id']}/payments",
        {"amount": 333_333, "paid_on": dates.today().isoformat()},
        content_type=JSON,
    )
    assert paid.status_code == 201, paid.content
    assert [(p["party"], p["amount"]) for p in paid.json()["payouts"]] == [
        ("consultant", 233_333),
        ("platform", 66_667),
        ("ess_fund", 33_333),
    ]
    again = owner.get(f"/api/v1/network/engagements/{engagement['id']}")
    assert again.json()["status"] == "completed" and again.json()["due"] == 0
    fund = client.get("/api/v1/network/ess-fund")
    assert fund.json()["received"] == 33_333 and fund.json()["balance"] == 33_333


def test_the_refusals_have_a_code_and_a_french_message(cast, api_client):
    admin, owner = api_client(cast.admin), api_client(cast.owner)
    split = {"consultant": 70, "platform": 20, "ess_fund": 5}
    body = {"client": cast.org.pk, "consultant": cast.consultant.pk, "title": "Étude",
            "amount": 100_000, "split": split}  # fmt: skip
    refused = admin.post("/api/v1/network/engagements", body, content_type=JSON)
    assert refused.status_code == 400
    assert refused.json()["code"] == "split_not_100" and refused.json()["field"] == "split"
    assert "100 %" in refused.json()["message"]
    body["split"] = {"consultant": 90, "platform": 5, "ess_fund": 5}
    assert owner.post("/api/v1/network/engagements", body, content_type=JSON).status_code == 403
    del body["split"]
    created = owner.post("/api/v1/network/engagements", body, content_type=JSON)
    assert created.status_code == 201, created.content
    assert created.json()["split"] == {"consultant": "80", "platform": "10", "ess_fund": "10"}
    url = f"/api/v1/network/engagements/{created.json()['id']}/payments"
    today = dates.today().isoformat()
    above = admin.post(url, {"amount": 100_001, "paid_on": today}, content_type=JSON)
    assert above.status_code == 409 and above.json()["code"] == "above_due"
    assert above.json()["message"].startswith("Le paiement")
    tomorrow = (dates.today() + datetime.timedelta(days=1)).isoformat()
    assert admin.post(url, {"amount": 1, "paid_on": tomorrow}, content_type=JSON).status_code == 400
    assert owner.post(url, {"amount": 1, "paid_on": today}, content_type=JSON).status_code == 403
    assert EngagementPayment.objects.count() == 0


def test_an_idempotency_key_posts_once(cast, api_client):
    admin = api_client(cast.admin)
    engagement = sign(cast, amount=100_000)
    url = f"/api/v1/network/engagements/{engagement.pk}/payments"
    body = {"amount": 40_000, "paid_on": dates.today().isoformat()}
    first = admin.post(url, body, content_type=JSON, headers={"Idempotency-Key": "abc"})
    second = admin.post(url, body, content_type=JSON, headers={"Idempotency-Key": "abc"})
    assert first.status_code == second.status_code == 201
    assert first.json()["id"] == second.json()["id"] and EngagementPayment.objects.count() == 1


def test_an_outsider_sees_no_engagement_and_the_profile_flow(cast, api_client, client):
    engagement = sign(cast)
    from accounts.tests.factories import UserFactory

    newcomer = api_client(UserFactory(username="newcomer"))
    assert newcomer.get(f"/api/v1/network/engagements/{engagement.pk}").status_code == 404
    assert newcomer.get("/api/v1/network/engagements").json()["count"] == 0
    assert api_client(cast.consultant_user).get("/api/v1/network/engagements").json()["count"] == 1
    made = newcomer.post(
        "/api/v1/network/consultants", {**PROFILE, "name": "Nouveau"}, content_type=JSON
    )
    assert made.status_code == 201 and made.json()["status"] == "pending"
    pid = made.json()["id"]
    assert client.get(f"/api/v1/network/consultants/{pid}").status_code == 404  # not public yet
    assert newcomer.get(f"/api/v1/network/consultants/{pid}").status_code == 200  # its own
    verdict = api_client(cast.mod_sn).post(
        f"/api/v1/network/consultants/{pid}/verification", {"decision": "verify"}, content_type=JSON
    )
    assert verdict.status_code == 200 and verdict.json()["status"] == "verified"
    assert client.get(f"/api/v1/network/consultants/{pid}").status_code == 200
    assert client.post("/api/v1/network/consultants", PROFILE, content_type=JSON).status_code == 401


def test_request_proposal_and_acceptance_through_the_api(cast, api_client, client):
    owner, consultant = api_client(cast.owner), api_client(cast.consultant_user)
    made = owner.post(
        "/api/v1/network/support-requests",
        {"organisation": cast.org.pk, "title": "Statuts de l'union", "description": "Réviser."},
        content_type=JSON,
    )
    assert made.status_code == 201, made.content
    rid = made.json()["id"]
    assert client.get("/api/v1/network/support-requests").json()["count"] == 1
    proposal = consultant.post(
        f"/api/v1/network/support-requests/{rid}/proposals",
        {"amount": 200_000, "days": 3, "message": "En trois jours."},
        content_type=JSON,
    )
    assert proposal.status_code == 201, proposal.content
    assert owner.get(f"/api/v1/network/support-requests/{rid}/proposals").json()["count"] == 1
    accepted = owner.post(
        f"/api/v1/network/proposals/{proposal.json()['id']}/accept",
        {"milestones": [{"title": "Projet de statuts", "amount": 100_000},
                        {"title": "Statuts adoptés", "amount": 100_000}]},
        content_type=JSON,
    )  # fmt: skip
    assert accepted.status_code == 201, accepted.content
    assert len(accepted.json()["milestones"]) == 2 and accepted.json()["amount"] == 200_000
