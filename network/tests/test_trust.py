"""Trust (issue 20, point 8): abuse reports from anyone (rate-limited) in the moderators'
queue of the organisation's country; a campaign suspended by a moderator of its country,
its paid pledges refunded through payments exactly once; only verified organisations
raise money (test_campaigns.py::test_only_a_verified_organisation_raises_money)."""

import pytest
from django.core.cache import cache

from core.errors import Conflict, Forbidden, ValidationFailed
from network import selectors, services
from network.models import AbuseReport, BookLine, Campaign, Pledge, PledgeStatus, ReportStatus
from network.tests.conftest import give, make_org, open_campaign
from payments.models import Payout

pytestmark = pytest.mark.django_db

AWA, BINTA = "+221771000001", "+221771000002"


def _report_form(client, url, **data):
    body = {"reason": "fraud", "details": "Cette campagne copie un autre projet.", **data}
    return client.post(url, body)


def test_anyone_reports_a_campaign_to_its_countrys_moderators(net, client):
    campaign = open_campaign(net)
    url = f"/reseau/campagnes/{campaign.pk}/signaler/"
    assert client.get(url).status_code == 200
    response = _report_form(client, url, contact="awa@example.org")
    assert response.status_code == 200
    assert "Signalement reçu" in response.content.decode()
    report = AbuseReport.objects.get()
    assert (report.organisation, report.campaign, report.project) == (
        net.org,
        campaign,
        net.project,
    )
    assert report.reporter is None and report.status == ReportStatus.OPEN
    # Senegal's moderator sees it; Mali's does not; the owner has no queue at all
    assert list(selectors.report_queue(actor=net.mod_sn)) == [report]
    assert list(selectors.report_queue(actor=net.admin)) == [report]
    assert not selectors.report_queue(actor=net.mod_ml).exists()
    assert not selectors.report_queue(actor=net.owner).exists()
    client.force_login(net.mod_sn)
    page = client.get("/reseau/moderation/").content.decode()
    assert f"/reseau/signalements/{report.pk}/" in page
    client.force_login(net.mod_ml)
    assert (
        f"/reseau/signalements/{report.pk}/"
        not in client.get("/reseau/moderation/").content.decode()
    )
    assert client.get(f"/reseau/signalements/{report.pk}/").status_code == 404
    assert (
        client.post(
            f"/reseau/signalements/{report.pk}/", {"decision": "dismiss", "note": "x"}
        ).status_code
        == 404
    )
    client.force_login(net.owner)
    assert client.get(f"/reseau/signalements/{report.pk}/").status_code == 404


def test_an_organisation_is_reported_and_the_report_decided_once(net, client):
    response = _report_form(client, f"/reseau/organisations/{net.org.slug}/signaler/",
                            reason="impersonation")  # fmt: skip
    assert response.status_code == 200
    report = AbuseReport.objects.get()
    assert report.campaign is None and report.reason == "impersonation"
    client.force_login(net.mod_sn)
    url = f"/reseau/signalements/{report.pk}/"
    assert client.post(url, {"decision": "dismiss", "note": ""}).status_code == 400  # a note
    assert (
        client.post(url, {"decision": "dismiss", "note": "Vérifié : c'est bien elle."}).status_code
        == 302
    )
    report.refresh_from_db()
    assert (report.status, report.decided_by) == (ReportStatus.DISMISSED, net.mod_sn)
    assert not selectors.report_queue(actor=net.mod_sn).exists()
    with pytest.raises(Conflict) as exc:
        services.abuse_report_decide(actor=net.mod_sn, report=report, decision="act", note="x")
    assert exc.value.code == "already_decided"
    with pytest.raises(Forbidden):
        services.abuse_report_decide(actor=net.mod_ml, report=report, decision="act", note="x")


@pytest.mark.parametrize(
    "data, field",
    [
        ({"reason": "nope"}, "reason"),
        ({"reason": "other", "details": "  "}, "details"),
        ({"details": "x" * 2001}, "details"),
        ({"contact": "c" * 201}, "contact"),
        ({"details": "nul\x00"}, None),
    ],
)
def test_bad_reports_are_refused(net, client, data, field):
    response = _report_form(client, f"/reseau/organisations/{net.org.slug}/signaler/", **data)
    assert response.status_code == 400
    assert not AbuseReport.objects.exists()
    if field:
        assert field in response.context["form"].errors


def test_a_report_must_name_the_organisations_own_campaign(net, db):
    other = make_org(None, name="Autre organisation", city="Dakar")
    campaign = open_campaign(net)
    with pytest.raises(ValidationFailed):
        services.abuse_report_create(organisation=other, campaign=campaign, reason="spam")


def test_reports_are_rate_limited(net, client, settings):
    settings.NETWORK_RATE_PER_HOUR = 2
    cache.clear()
    url = f"/reseau/organisations/{net.org.slug}/signaler/"
    statuses = [_report_form(client, url).status_code for _ in range(3)]
    cache.clear()
    assert statuses == [200, 200, 429]
    assert AbuseReport.objects.count() == 2


def test_a_moderator_suspends_a_campaign_and_the_pledges_are_refunded_once(
    net, wave, client, django_capture_on_commit_callbacks
):
    campaign = open_campaign(net)
    fund = services.match_fund_open(
        actor=net.admin, sponsor="Fondation", budget=50_000, factor="1", max_per_pledge=5_000,
        max_per_project=10_000, campaigns=[campaign],
    )  # fmt: skip
    give(client, campaign, 4_000, AWA, "Awa")
    give(client, campaign, 7_000, BINTA, "Binta")
    give(client, campaign, 2_500, "+221771000003", "Cheikh", paid=False)
    assert selectors.fund_committed(fund) == 9_000
    # Mali's moderator and the organisation's own owner may not
    for who in (net.mod_ml, net.owner):
        with pytest.raises(Forbidden):
            services.campaign_suspend(actor=who, campaign=campaign, reason="fraude")
    client.force_login(net.mod_ml)
    url = f"/reseau/campagnes/{campaign.pk}/suspendre/"
    assert client.post(url, {"reason": "fraude", "confirm": "on"}).status_code == 403
    client.force_login(net.mod_sn)
    page = client.get(f"/reseau/campagnes/{campaign.pk}/").content.decode()
    assert url in page
    assert client.post(url, {"reason": "", "confirm": "on"}).status_code == 400
    assert not Payout.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"reason": "Projet copié (signalement)", "confirm": "on"})
    assert response.status_code == 302
    campaign.refresh_from_db()
    assert campaign.state == "suspended" and campaign.state_reason == "Projet copié (signalement)"
    refunds = Payout.objects.filter(kind="refund").order_by("amount")
    assert [(p.amount, p.phone) for p in refunds] == [(4_000, AWA), (7_000, BINTA)]
    assert {p.requested_by_id for p in refunds} == {net.mod_sn.pk}
    assert selectors.fund_committed(fund) == 0
    # again (page, service, closing job): nothing more is paid
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(url, {"reason": "encore", "confirm": "on"}).status_code == 400
        with pytest.raises(Conflict):
            services.campaign_suspend(actor=net.admin, campaign=campaign, reason="encore")
        services.campaigns_close_due(actor=net.admin)
    assert Payout.objects.filter(kind="refund").count() == 2
    statuses = dict(Pledge.objects.values_list("donor_phone", "status"))
    assert statuses[AWA] in (PledgeStatus.REFUNDING, PledgeStatus.REFUNDED)
    assert statuses["+221771000003"] == PledgeStatus.PENDING
    # the books: the donors' money held (4191) back to 0
    held = BookLine.objects.filter(account="4191", entry__campaign=campaign)
    assert sum(line.credit - line.debit for line in held) == 0
    page = client.get(f"/reseau/campagnes/{campaign.pk}/").content.decode()
    assert "Projet copié (signalement)" in page
    assert Campaign.objects.get(pk=campaign.pk).state == "suspended"


def test_page_heads_carry_no_markup(net, client):
    """The title and descriptions of the campaign page and the moderators' page are text
    only (a suspension form, a report link and a table had slipped into them)."""
    import re

    campaign = open_campaign(net)
    client.force_login(net.mod_sn)
    for url in (f"/reseau/campagnes/{campaign.pk}/", "/reseau/moderation/"):
        page = client.get(url).content.decode()
        head = page.split("</head>")[0]
        title = re.search(r"<title>(.*?)</title>", head, re.S).group(1)
        assert "<" not in title and "&lt;" not in title, title
        for content in re.findall(r'<meta[^>]+content="([^"]*)"', head):
            assert "&lt;" not in content and "<" not in content
