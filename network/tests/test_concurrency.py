"""Issue 20, points 7 and 10: two closings at the same moment (two administrators, or the
daily job started twice), each in its own thread on its own database connection: each
campaign is closed once, the failed one's donors are refunded once, the succeeded one is
paid out once, and the books balance."""

import datetime
import threading

import pytest
from django.db import connection, connections

from core.errors import Conflict
from network import services
from network.models import BookLine, Campaign
from network.tests.conftest import give, open_campaign, today
from payments.models import Payout

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="row locks need PostgreSQL: SQLite serialises whole-database writes "
    "(transaction_mode IMMEDIATE), so there is no race to test there",
)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_closings_at_once_refund_and_pay_out_once(net, wave, client):
    failing = open_campaign(net, goal=1_000_000)
    succeeding = open_campaign(net, goal=5_000)
    give(client, failing, 4_000, "+221771000001", "Awa")
    give(client, failing, 6_000, "+221771000002", "Binta")
    give(client, succeeding, 8_000, "+221771000003", "Cheikh")
    Campaign.objects.update(
        starts_on=today() - datetime.timedelta(days=5), ends_on=today() - datetime.timedelta(days=1)
    )
    barrier = threading.Barrier(2)
    outcomes, errors = [], []

    def close():
        try:
            barrier.wait(timeout=10)
            for campaign in (failing, succeeding):
                try:
                    done = services.campaign_close(actor=net.admin, campaign=campaign, on=today())
                    outcomes.append((campaign.pk, done.state))
                except Conflict as exc:
                    outcomes.append((campaign.pk, exc.code))
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=close) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert not errors
    assert sorted(outcomes) == sorted([
        (failing.pk, "failed"), (failing.pk, "already_closed"),
        (succeeding.pk, "succeeded"), (succeeding.pk, "already_closed"),
    ])  # fmt: skip
    refunds = Payout.objects.filter(kind="refund").order_by("amount")
    assert [p.amount for p in refunds] == [4_000, 6_000]
    assert [p.amount for p in Payout.objects.filter(kind="settlement")] == [7_600]  # 8 000 - 5 %
    lines = list(BookLine.objects.values_list("entry__campaign", "account", "debit", "credit"))
    assert sum(d for *_, d, _ in lines) == sum(c for *_, c in lines)
    for campaign in (failing, succeeding):
        held = [d - c for cid, a, d, c in lines if cid == campaign.pk and a == "4191"]
        assert sum(held) == 0


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_payments_of_one_campaign_run_side_by_side_and_a_closing_waits_for_them(net, wave, client):
    """Issue 20, point 11 (100 pledges a second on one campaign): a payment being applied
    holds the campaign under a shared lock only. Another pledge of the same campaign is
    paid meanwhile without waiting, while a closing (exclusive lock) cannot start until
    the payment under way has committed; the figures count both payments once."""
    from django.db import OperationalError, transaction

    from network.models import Pledge
    from network.selectors import campaign_figures
    from payments.models import PaymentIntent

    campaign = open_campaign(net, goal=1_000_000)
    first = give(client, campaign, 4_000, "+221771000001", "Awa", paid=False)
    second = give(client, campaign, 6_000, "+221771000002", "Binta", paid=False)
    holding, release, errors = threading.Event(), threading.Event(), []

    def pay_and_hold():
        try:
            with transaction.atomic():
                services.pledge_paid(intent=PaymentIntent.objects.get(pk=first.intent_id))
                holding.set()
                release.wait(timeout=20)
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            holding.set()
            connections.close_all()

    payer = threading.Thread(target=pay_and_hold)
    payer.start()
    try:
        assert holding.wait(timeout=20) and not errors
        with transaction.atomic():
            connection.cursor().execute("SET LOCAL lock_timeout = '2s'")
            services.pledge_paid(intent=PaymentIntent.objects.get(pk=second.intent_id))
        with pytest.raises(OperationalError), transaction.atomic():
            connection.cursor().execute("SET LOCAL lock_timeout = '200ms'")
            Campaign.objects.select_for_update().get(pk=campaign.pk)  # as a closing does
    finally:
        release.set()
        payer.join(timeout=30)
    assert not errors
    assert set(Pledge.objects.values_list("status", flat=True)) == {"paid"}
    figures = campaign_figures(campaign)
    assert (figures["raised"], figures["backers"]) == (10_000, 2)
