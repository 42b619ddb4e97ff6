"""Issue 20, point 7: when an all-or-nothing campaign fails, a donor who chose so sees
the pledge moved to another live campaign instead of refunded, exactly once, with the
platform's books (docs/network.md, "Moving a pledge")."""

import datetime

import pytest

from core.errors import Conflict, ValidationFailed
from network import selectors, services
from network.models import BookLine, Campaign, Pledge, PledgeStatus
from network.tests.conftest import assert_match_counters_exact, give, open_campaign, today
from payments.models import Payout

pytestmark = pytest.mark.django_db

AWA, BINTA = "+221771000001", "+221771000002"


def _end(campaign):
    Campaign.objects.filter(pk=campaign.pk).update(
        starts_on=today() - datetime.timedelta(days=5), ends_on=today() - datetime.timedelta(days=1)
    )


def _held(campaign) -> int:
    lines = BookLine.objects.filter(account="4191", entry__campaign=campaign)
    return sum(line.credit - line.debit for line in lines)


def test_a_failed_campaigns_pledge_moves_once_at_the_donors_choice(
    net, wave, client, django_capture_on_commit_callbacks
):
    failing = open_campaign(net, goal=1_000_000, days=10)
    other = open_campaign(net, goal=50_000, days=40)
    fund = services.match_fund_open(
        actor=net.admin, sponsor="Fondation", budget=50_000, factor="1", max_per_pledge=10_000,
        max_per_project=20_000, campaigns=[other],
    )  # fmt: skip
    awa = give(client, failing, 6_000, AWA, "Awa")
    binta = give(client, failing, 4_000, BINTA, "Binta")
    # Awa chooses, on her pledge's page (its secret link), to move it to the other campaign
    page = client.get(f"/reseau/dons/{awa.token}/")
    assert page.status_code == 200 and f'value="{other.pk}"' in page.content.decode()
    response = client.post(f"/reseau/dons/{awa.token}/reporter/", {"campaign": other.pk})
    assert response.status_code == 302
    awa.refresh_from_db()
    assert awa.move_to == other
    _end(failing)
    with django_capture_on_commit_callbacks(execute=True):
        counts = services.campaigns_close_due(actor=net.admin)
    assert counts["failed"] == 1
    # Binta is refunded; Awa's pledge now counts for the other campaign, and is matched
    assert [(p.phone, p.amount) for p in Payout.objects.filter(kind="refund")] == [(BINTA, 4_000)]
    awa.refresh_from_db()
    assert awa.status == PledgeStatus.MOVED and awa.refund is None
    moved = Pledge.objects.get(moved_from=awa)
    assert (moved.campaign, moved.amount, moved.donor_phone, moved.status) == (
        other, 6_000, AWA, PledgeStatus.PAID,
    )  # fmt: skip
    assert moved.intent_id == awa.intent_id  # the same payment, not a new one
    figures = selectors.campaign_figures(other)
    assert (figures["raised"], figures["matched"], figures["backers"]) == (6_000, 6_000, 1)
    assert selectors.fund_committed(fund) == 6_000
    assert_match_counters_exact()
    failing.refresh_from_db()
    assert failing.state == "failed"
    assert selectors.campaign_figures(failing)["raised"] == 10_000  # what it had raised
    # the books: nothing held for the failed campaign; the other holds the pledge and match
    assert _held(failing) == 0 and _held(other) == 12_000
    lines = list(BookLine.objects.values_list("account", "debit", "credit"))
    assert sum(d for _, d, _ in lines) == sum(c for _, _, c in lines)
    assert sum(d - c for a, d, c in lines if a == "4718") == 0
    # the job again: nothing moves or is refunded twice
    with django_capture_on_commit_callbacks(execute=True):
        services.campaigns_close_due(actor=net.admin)
    assert Pledge.objects.filter(donor_phone=AWA).count() == 2
    assert Payout.objects.filter(kind="refund").count() == 1
    assert _held(other) == 12_000
    page = client.get(f"/reseau/dons/{awa.token}/").content.decode()
    assert f"/reseau/campagnes/{other.pk}/" in page and 'data-testid="pledge-moved"' in page
    with pytest.raises(Conflict) as exc:
        services.pledge_move_choose(pledge=awa, destination=other)
    assert exc.value.code == "not_movable"
    assert binta.pk  # refunded, above


def test_a_choice_that_no_longer_holds_is_a_refund(net, wave, client):
    failing = open_campaign(net, goal=1_000_000, days=10)
    other = open_campaign(net, days=40)
    awa = give(client, failing, 6_000, AWA, "Awa")
    services.pledge_move_choose(pledge=awa, destination=other)
    services.campaign_suspend(actor=net.admin, campaign=other, reason="Fraude")
    _end(failing)
    services.campaigns_close_due(actor=net.admin)
    awa.refresh_from_db()
    assert awa.status in (PledgeStatus.REFUNDING, PledgeStatus.REFUNDED)
    assert not Pledge.objects.filter(moved_from=awa).exists()
    assert _held(failing) == 0


def test_a_suspended_campaign_refunds_even_a_pledge_with_a_choice(net, wave, client):
    suspended = open_campaign(net, goal=1_000_000, days=10)
    other = open_campaign(net, days=40)
    awa = give(client, suspended, 6_000, AWA, "Awa")
    services.pledge_move_choose(pledge=awa, destination=other)
    services.campaign_suspend(actor=net.mod_sn, campaign=suspended, reason="Fraude")
    awa.refresh_from_db()
    assert awa.status == PledgeStatus.REFUNDING
    assert not Pledge.objects.filter(moved_from=awa).exists()


def test_bad_choices_are_refused(net, wave, client):
    source = open_campaign(net, goal=1_000_000, days=30)
    sooner = open_campaign(net, days=20)
    later = open_campaign(net, days=40)
    keep = open_campaign(net, mode="keep_it_all", days=30)
    awa = give(client, source, 6_000, AWA, "Awa")
    for destination, error in ((source, ValidationFailed), (sooner, ValidationFailed)):
        with pytest.raises(error) as exc:
            services.pledge_move_choose(pledge=awa, destination=destination)
        assert exc.value.field == "campaign"
    Campaign.objects.filter(pk=later.pk).update(state="succeeded")
    later.refresh_from_db()
    with pytest.raises(Conflict) as exc:
        services.pledge_move_choose(pledge=awa, destination=later)
    assert exc.value.code == "campaign_not_live"
    kept = give(client, keep, 1_000, BINTA)
    with pytest.raises(Conflict) as exc:
        services.pledge_move_choose(pledge=kept, destination=sooner)
    assert exc.value.code == "not_movable"
    # the page: a campaign not offered (the sooner one) is refused on the field
    response = client.post(f"/reseau/dons/{awa.token}/reporter/", {"campaign": sooner.pk})
    assert response.status_code == 400 and "campaign" in response.context["move_form"].errors
    assert client.post("/reseau/dons/nope/reporter/", {"campaign": ""}).status_code == 404
    awa.refresh_from_db()
    assert awa.move_to is None
    # taking the choice back
    services.pledge_move_choose(pledge=awa, destination=None)
