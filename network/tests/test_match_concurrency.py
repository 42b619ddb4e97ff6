"""Issue 20, point 11: the match funds under 100 pledges a second. Many payments at once,
each in its own thread on its own connection, through the payments app's real path
(``payment_state_apply``): the caps are reached exactly and never exceeded, each match
is API.md's rule replayed in the order the fund's lock was taken (the order of the
matches' ids), one match per phone and campaign, the counters equal the sums, the books
hold raised + matched. Then a failing campaign closes while the other campaign's
payments go on (its pledge moving to the other): no deadlock, the counters still exact.
"""

import datetime
import random
import secrets
import threading
from decimal import Decimal

import pytest
from django.db import connection, connections

from network import services
from network.matching import match_amount
from network.models import BookLine, Campaign, Match, MatchFund, MatchTally, Pledge
from network.tests.conftest import assert_match_counters_exact, open_campaign, today
from payments.models import PaymentIntent
from payments.providers.base import SUCCEEDED, PaymentState
from payments.services import payment_state_apply

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="row locks need PostgreSQL: SQLite serialises whole-database writes "
    "(transaction_mode IMMEDIATE), so there is no race to test there",
)

FACTOR, PER_PLEDGE, PER_PROJECT, BUDGET = Decimal("1.5"), 3_000, 30_000, 50_000


def _pending(campaign, amount: int, phone: str):
    """A pledge recorded and its payment started, as the provider will confirm it."""
    pledge = services.pledge_record(
        campaign=campaign, amount=amount, donor_name="Donateur", donor_phone=phone,
        provider="wave", actor=None,
    )  # fmt: skip
    intent = PaymentIntent.objects.create(
        purpose="pledge", target_id=pledge.pk, target_label=f"Don {pledge.pk}", amount=amount,
        phone=phone, provider="wave", reference="T" + secrets.token_hex(8),
    )  # fmt: skip
    return pledge, intent


def _pay_all(intents, threads: int = 8) -> list:
    """Every intent confirmed, ``threads`` at a time, all starting together."""
    work = list(intents)
    lock, errors = threading.Lock(), []
    barrier = threading.Barrier(threads)

    def worker():
        try:
            barrier.wait(timeout=30)
            while True:
                with lock:
                    if not work:
                        return
                    intent = work.pop()
                state = PaymentState(
                    status=SUCCEEDED, reference=intent.reference, amount=intent.amount,
                    currency="XOF", transaction_id="TX" + intent.reference,
                )  # fmt: skip
                outcome = payment_state_apply(intent_id=intent.pk, state=state, source="test")
                if outcome != "applied":
                    errors.append(outcome)
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(repr(exc))
        finally:
            connections.close_all()

    pool = [threading.Thread(target=worker) for _ in range(threads)]
    for t in pool:
        t.start()
    for t in pool:
        t.join(timeout=300)
    return errors


def _replay(fund: MatchFund) -> None:
    """API.md's rule replayed over the matches in their ids' order (the order the fund's
    lock was taken): each amount is exactly what was left then."""
    spent, on_project = 0, {}
    for match in Match.objects.filter(fund=fund).select_related("pledge").order_by("id"):
        left_project = PER_PROJECT - on_project.get(match.campaign_id, 0)
        want = match_amount(
            amount=match.pledge.amount, factor=FACTOR, max_per_pledge=PER_PLEDGE,
            left_on_project=left_project, left_in_budget=BUDGET - spent,
        )  # fmt: skip
        assert match.amount == want > 0, (match.pk, match.amount, want)
        spent += match.amount
        on_project[match.campaign_id] = on_project.get(match.campaign_id, 0) + match.amount


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_many_payments_at_once_reach_the_caps_exactly(net):
    first, second = open_campaign(net, goal=10**8), open_campaign(net, goal=10**8, days=40)
    fund = services.match_fund_open(
        actor=net.admin, sponsor="Fondation", budget=BUDGET, factor=str(FACTOR),
        max_per_pledge=PER_PLEDGE, max_per_project=PER_PROJECT, campaigns=[first, second],
    )  # fmt: skip
    rng = random.Random(20)
    pledges = []

    def batch(campaign, n: int, phones: int, prefix: str) -> list:
        intents = []
        for k in range(n):  # ``phones`` phones: the first ones pledge twice
            pledge, intent = _pending(
                campaign, rng.randrange(300, 4_000), f"{prefix}{k % phones:05d}"
            )
            pledges.append(pledge)
            intents.append(intent)
        return intents

    # first: 48 pledges (36 phones) at once on the first campaign, whose demand (about
    # 36 × 3 000) is far above its cap: the project's cap is reached exactly
    assert _pay_all(batch(first, 48, 36, "+2217710")) == []
    assert MatchTally.objects.get(fund=fund, campaign=first).committed == PER_PROJECT
    # then the second campaign's 48, mixed with 12 more on the first (nothing left there):
    # the budget is reached exactly
    mixed = batch(second, 48, 36, "+2217711") + batch(first, 12, 12, "+2217712")
    rng.shuffle(mixed)
    assert _pay_all(mixed) == []

    fund.refresh_from_db()
    assert Pledge.objects.filter(status="paid").count() == len(pledges) == 108
    per_campaign = {
        c.pk: sum(m.amount for m in Match.objects.filter(campaign=c)) for c in (first, second)
    }
    assert per_campaign == {first.pk: PER_PROJECT, second.pk: BUDGET - PER_PROJECT}
    assert fund.committed == BUDGET
    _replay(fund)
    # one match per phone and campaign; an unmatched pledge came when a cap was reached
    pairs = list(Match.objects.values_list("campaign", "donor_phone"))
    assert len(pairs) == len(set(pairs))
    assert_match_counters_exact()
    # the books: each campaign holds its pledges and its matches
    for campaign in (first, second):
        raised = sum(p.amount for p in pledges if p.campaign_id == campaign.pk)
        held = sum(
            c - d
            for d, c in BookLine.objects.filter(
                account="4191", entry__campaign=campaign
            ).values_list("debit", "credit")
        )
        assert held == raised + per_campaign[campaign.pk]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_closing_releases_its_matches_while_payments_go_on(net, wave):
    """A failing campaign closes (its matches go back to the fund, a pledge moves to the
    other campaign) while payments on the other campaign run: the closing locks the
    campaign chosen by the donor before the fund, as payments lock their campaign then
    the fund, so neither waits for the other in a cycle; the counters stay exact."""
    failing = open_campaign(net, goal=10**8, days=10)
    other = open_campaign(net, goal=10**8, days=40)
    fund = services.match_fund_open(
        actor=net.admin, sponsor="Fondation", budget=BUDGET, factor=str(FACTOR),
        max_per_pledge=PER_PLEDGE, max_per_project=PER_PROJECT, campaigns=[failing, other],
    )  # fmt: skip
    early = [_pending(failing, 2_000, f"+2217720{k:05d}")[1] for k in range(6)]
    assert _pay_all(early, threads=3) == []
    mover = Pledge.objects.filter(campaign=failing).order_by("id").first()
    services.pledge_move_choose(pledge=mover, destination=other)
    Campaign.objects.filter(pk=failing.pk).update(
        starts_on=today() - datetime.timedelta(days=5), ends_on=today() - datetime.timedelta(days=1)
    )
    late = [_pending(other, 2_500, f"+2217730{k:05d}")[1] for k in range(40)]
    errors: list = []

    def close():
        try:
            services.campaign_close(actor=net.admin, campaign=failing, on=today())
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(repr(exc))
        finally:
            connections.close_all()

    closer = threading.Timer(0.05, close)
    closer.start()
    errors += _pay_all(late, threads=6)
    closer.join(timeout=120)
    assert errors == []
    failing.refresh_from_db()
    assert failing.state == "failed"
    assert not Match.objects.filter(campaign=failing, status="committed").exists()
    moved = Pledge.objects.get(moved_from=mover)
    assert moved.campaign_id == other.pk and moved.status == "paid"
    fund.refresh_from_db()
    on_other = MatchTally.objects.get(fund=fund, campaign=other).committed
    assert fund.committed == on_other == min(PER_PROJECT, 41 * 3_000)
    assert_match_counters_exact()
