"""Issue 20, points 3, 5 and 8: the owner adds users to the organisation; its users post
news of a campaign for its backers (followers e-mailed); the abuse reports' API."""

import pytest
from django.core import mail
from django.core.cache import cache

from accounts.tests.factories import UserFactory
from network import services
from network.models import AbuseReport, CampaignUpdate, OrganisationMember
from network.tests.conftest import make_org, open_campaign

pytestmark = pytest.mark.django_db


def test_the_owner_adds_an_account_which_then_posts_news(
    net, client, django_capture_on_commit_callbacks
):
    helper = UserFactory(username="fatou-thies")
    follower = UserFactory(username="partenaire", email="partenaire@example.org")
    campaign = open_campaign(net)
    client.force_login(follower)
    client.post(f"/reseau/projets/{net.project.slug}/contact/", {"body": "Je suis."})
    url = f"/reseau/organisations/{net.org.slug}/comptes/"
    client.force_login(net.owner)
    assert client.get(url).status_code == 200
    response = client.post(url, {"username": "inconnu"})
    assert response.status_code == 400 and "username" in response.context["form"].errors
    assert client.post(url, {"username": "Fatou-Thies"}).status_code == 302
    member = OrganisationMember.objects.get(user=helper)
    assert member.organisation == net.org and not member.is_owner
    # a member who is not the owner sees the accounts but adds nobody
    client.force_login(helper)
    page = client.get(url).content.decode()
    assert "fatou-thies" in page and 'name="username"' not in page
    assert client.post(url, {"username": "partenaire"}).status_code == 403
    # the new member posts news on the campaign's page; the project's follower is e-mailed
    detail = client.get(f"/reseau/campagnes/{campaign.pk}/").content.decode()
    assert f"/reseau/campagnes/{campaign.pk}/nouvelles/" in detail
    mail.outbox.clear()
    news = {"title": "Le séchoir est commandé", "body": "Merci à **tous** !"}
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/reseau/campagnes/{campaign.pk}/nouvelles/", news)
    assert response.status_code == 302
    assert CampaignUpdate.objects.get().created_by == helper
    assert [m.to for m in mail.outbox] == [["partenaire@example.org"]]
    client.logout()
    page = client.get(f"/reseau/campagnes/{campaign.pk}/").content.decode()
    assert "Le séchoir est commandé" in page and "<strong>tous</strong>" in page
    # others: not a member of this organisation
    client.force_login(follower)
    assert client.post(f"/reseau/campagnes/{campaign.pk}/nouvelles/", news).status_code == 403
    assert client.get(url).status_code == 404
    response = client.post(f"/reseau/campagnes/{campaign.pk}/nouvelles/", {"title": ""})
    assert response.status_code == 400
    assert CampaignUpdate.objects.count() == 1


def test_the_reports_api(net, client, api_client, settings):
    campaign = open_campaign(net)
    body = {"organisation": net.org.pk, "campaign": campaign.pk, "reason": "fraud",
            "details": "Projet copié.", "contact": "awa@example.org"}  # fmt: skip
    created = client.post("/api/v1/network/reports", body, content_type="application/json")
    assert created.status_code == 201, created.content
    report = created.json()
    assert (report["organisation"], report["campaign"], report["status"]) == (
        net.org.pk, campaign.pk, "open",
    )  # fmt: skip
    assert "contact" not in report  # the reporter's contact is for the moderators only
    mali = make_org(None, name="Coopérative de Ségou", country="ML", city="Ségou")
    services.organisation_moderate(actor=net.mod_ml, organisation=mali, decision="approve")
    client.post("/api/v1/network/reports", {"organisation": mali.pk, "reason": "spam"},
                content_type="application/json")  # fmt: skip
    sn, ml, owner = api_client(net.mod_sn), api_client(net.mod_ml), api_client(net.owner)
    queue = sn.get("/api/v1/network/reports").json()
    assert [r["id"] for r in queue["items"]] == [report["id"]]
    assert queue["items"][0]["contact"] == "awa@example.org"
    assert len(api_client(net.admin).get("/api/v1/network/reports").json()["items"]) == 2
    assert owner.get("/api/v1/network/reports").status_code == 403
    assert client.get("/api/v1/network/reports").status_code == 401
    one = f"/api/v1/network/reports/{report['id']}"
    assert ml.get(one).status_code == 404
    decision = {"decision": "act", "note": "Campagne suspendue."}
    assert ml.post(one + "/decision", decision, content_type="application/json").status_code == 404
    bad = sn.post(one + "/decision", {"decision": "act"}, content_type="application/json")
    assert bad.status_code == 400 and bad.json()["field"] == "note"
    done = sn.post(one + "/decision", decision, content_type="application/json")
    assert done.status_code == 200 and done.json()["status"] == "acted"
    again = sn.post(one + "/decision", decision, content_type="application/json")
    assert again.status_code == 409 and again.json()["code"] == "already_decided"
    assert sn.get("/api/v1/network/reports").json()["items"] == []
    assert len(sn.get("/api/v1/network/reports?status=").json()["items"]) == 1
    # bad reports, and the limit per address and hour
    for wrong, field in (({"reason": "nope"}, "reason"), ({"reason": "other"}, "details")):
        response = client.post("/api/v1/network/reports", {"organisation": net.org.pk, **wrong},
                               content_type="application/json")  # fmt: skip
        assert response.status_code == 400 and response.json()["field"] == field
    settings.NETWORK_RATE_PER_HOUR = 1
    cache.clear()
    statuses = [
        client.post("/api/v1/network/reports", {"organisation": net.org.pk, "reason": "spam"},
                    content_type="application/json").status_code
        for _ in range(2)
    ]  # fmt: skip
    cache.clear()
    assert statuses == [201, 429]
    assert AbuseReport.objects.count() == 3
