"""Campaigns, pledges paid through the Wave sandbox, matchfunding and closing
(docs/network.md's worked example is the acceptance test)."""

import datetime

import pytest

from core.errors import Conflict, Forbidden, ValidationFailed
from network import selectors, services
from network.models import BookLine, Campaign, Match, Pledge, PledgeStatus
from network.tests.conftest import assert_match_counters_exact, give, open_campaign, pay, today
from payments.models import Payout, PayoutStatus

pytestmark = pytest.mark.django_db(transaction=False)

AWA, BINTA, CHEIKH = "+221771000001", "+221771000002", "+221771000003"


def _fund(net, campaign, **kw):
    values = {
        "sponsor": "Fondation Sahel Solidaire",
        "budget": 100_000,
        "factor": "2",
        "max_per_pledge": 10_000,
        "max_per_project": 25_000,
    }
    values.update(kw)
    return services.match_fund_open(actor=net.admin, campaigns=[campaign], **values)


def _worked_example(net, client, goal):
    campaign = open_campaign(net, goal=goal)
    fund = _fund(net, campaign)
    give(client, campaign, 5_000, AWA, "Awa")
    give(client, campaign, 20_000, BINTA, "Binta")
    give(client, campaign, 3_000, "77 100 00 01", "Awa")  # the same phone, written otherwise
    give(client, campaign, 8_000, CHEIKH, "Cheikh")
    return campaign, fund


def test_the_worked_example_matches_and_fails(
    net, wave, client, django_capture_on_commit_callbacks
):
    campaign, fund = _worked_example(net, client, goal=100_000)
    figures = selectors.campaign_figures(campaign)
    assert (figures["raised"], figures["matched"], figures["backers"]) == (36_000, 25_000, 3)
    assert sorted(Match.objects.values_list("amount", flat=True)) == [10_000, 15_000]
    assert selectors.fund_committed(fund) == 25_000
    assert_match_counters_exact()
    # the end date passes: under its goal (36 000 + 25 000 < 100 000), it fails
    Campaign.objects.filter(pk=campaign.pk).update(
        ends_on=today() - datetime.timedelta(days=1), starts_on=today() - datetime.timedelta(days=5)
    )
    with django_capture_on_commit_callbacks(execute=True):
        counts = services.campaigns_close_due(actor=net.admin)
    assert counts["failed"] == 1
    campaign.refresh_from_db()
    assert campaign.state == "failed"
    refunds = Payout.objects.filter(kind="refund").order_by("amount")
    assert [p.amount for p in refunds] == [3_000, 5_000, 8_000, 20_000]
    assert all(p.status == PayoutStatus.SUCCEEDED for p in refunds)  # sent to the sandbox
    assert selectors.fund_committed(fund) == 0  # matches back to the fund
    assert_match_counters_exact()
    # the job runs again (or twice at once): nothing is refunded twice
    with django_capture_on_commit_callbacks(execute=True):
        again = services.campaigns_close_due(actor=net.admin)
    assert again["failed"] == 0 and Payout.objects.filter(kind="refund").count() == 4
    assert set(Pledge.objects.values_list("status", flat=True)) == {PledgeStatus.REFUNDED}
    with pytest.raises(Conflict) as exc:
        services.campaign_close(actor=net.admin, campaign=campaign, on=today())
    assert exc.value.code == "already_closed"
    _books_balance()


def _books_balance():
    lines = list(BookLine.objects.values_list("account", "debit", "credit"))
    assert sum(d for _, d, _ in lines) == sum(c for _, _, c in lines)
    return {
        account: sum(d - c for a, d, c in lines if a == account)
        for account in {a for a, _, _ in lines}
    }


def test_a_succeeded_campaign_is_paid_out_less_the_commission(
    net, wave, client, django_capture_on_commit_callbacks
):
    campaign, fund = _worked_example(net, client, goal=50_000)
    Campaign.objects.filter(pk=campaign.pk).update(
        ends_on=today() - datetime.timedelta(days=1), starts_on=today() - datetime.timedelta(days=5)
    )
    campaign.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        services.campaign_close(actor=net.admin, campaign=campaign, on=today())
    campaign.refresh_from_db()
    assert campaign.state == "succeeded"
    # 36 000 raised + 25 000 matched = 61 000; 5 % commission = 3 050; 57 950 paid out
    assert campaign.settlement.amount == 57_950
    assert campaign.settlement.kind == "settlement"
    assert campaign.settlement.status == PayoutStatus.SUCCEEDED
    assert campaign.settlement.phone == "+221779001234"
    balances = _books_balance()
    assert balances["4191"] == 0  # nothing held any more
    assert balances["706"] == -3_050  # the commission (a credit)
    assert balances["4672"] == -75_000  # what is left of the sponsor's fund
    assert not Payout.objects.filter(kind="refund").exists()


def test_keep_it_all_succeeds_under_its_goal(net, wave, client):
    campaign = open_campaign(net, goal=1_000_000, mode="keep_it_all")
    give(client, campaign, 10_000, AWA)
    Campaign.objects.filter(pk=campaign.pk).update(
        ends_on=today() - datetime.timedelta(days=1), starts_on=today() - datetime.timedelta(days=5)
    )
    assert services.campaigns_close_due(actor=net.admin)["succeeded"] == 1


def test_a_pledge_counts_once_paid(net, wave, client):
    campaign = open_campaign(net)
    pledge = give(client, campaign, 7_500, AWA, paid=False)
    assert pledge.intent.status == "pending" and pledge.intent.checkout_url
    assert selectors.campaign_figures(campaign)["raised"] == 0
    assert pay(client, pledge) == "applied"
    assert selectors.campaign_figures(campaign)["raised"] == 7_500
    # the same webhook again: applied once
    assert pay(client, pledge) == "duplicate"
    assert selectors.campaign_figures(campaign)["raised"] == 7_500


@pytest.mark.parametrize("amount", [0, -5, 2_000_001, "1000", 10.5, True])
def test_bad_amounts_are_refused(net, wave, amount):
    campaign = open_campaign(net)
    with pytest.raises(ValidationFailed) as exc:
        services.pledge_create(
            campaign=campaign, amount=amount, donor_name="X", donor_phone=AWA, provider="wave"
        )
    assert exc.value.field == "amount"
    assert not Pledge.objects.exists()


def test_pledges_only_while_live(net, wave):
    campaign = open_campaign(net)
    Campaign.objects.filter(pk=campaign.pk).update(starts_on=today() + datetime.timedelta(days=2))
    campaign.refresh_from_db()
    assert selectors.campaign_status(campaign) == "draft"
    with pytest.raises(Conflict):
        services.pledge_create(
            campaign=campaign, amount=1_000, donor_name="X", donor_phone=AWA, provider="wave"
        )


def test_suspension_refunds_every_paid_pledge(net, wave, client):
    campaign = open_campaign(net)
    give(client, campaign, 4_000, AWA)
    give(client, campaign, 6_000, BINTA, paid=False)
    with pytest.raises(Forbidden):
        services.campaign_suspend(actor=net.owner, campaign=campaign, reason="fraude")
    services.campaign_suspend(actor=net.admin, campaign=campaign, reason="Fraude signalée")
    assert [p.amount for p in Payout.objects.filter(kind="refund")] == [4_000]


def test_only_a_verified_organisation_raises_money(net):
    net.org.verified_at = None
    net.org.save()
    with pytest.raises(Conflict) as exc:
        open_campaign(net)
    assert exc.value.code == "not_verified"


def test_closing_is_for_administrators_after_the_end(net, wave):
    campaign = open_campaign(net)
    with pytest.raises(Forbidden):
        services.campaign_close(actor=net.owner, campaign=campaign, on=today())
    with pytest.raises(Conflict) as exc:
        services.campaign_close(actor=net.admin, campaign=campaign, on=today())
    assert exc.value.code == "not_ended"
