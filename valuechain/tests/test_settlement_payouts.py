"""Consignment settlements paid by mobile money (issue 18 point 4): a payout of purpose
``consignment_settlement`` to the producing cooperative's wallet, its key derived from the
settlement row, maker-checker above the threshold, the money's move posted only when the
operator confirms it; a failure leaves the settlement unpaid (Wave sandbox, over HTTP)."""

import pytest
from django.urls import reverse
from django.utils import timezone

from core.errors import Forbidden, ValidationFailed
from ledger.models import JournalEntry
from payments.models import Payout
from payments.providers import get_provider
from payments.services import purpose_payout_reference
from registry.models import Cooperative
from valuechain import services
from valuechain.models import Settlement
from valuechain.tests.factories import DAY, chain, flour_at_shop, sell

GOOD, FAILING = "+221775550202", "+221775550000"  # the sandbox fails numbers ending 0000
pytestmark = pytest.mark.django_db


@pytest.fixture
def wave(sandboxes, settings):
    sandbox = sandboxes["wave"].sandbox
    for key, value in sandbox.settings_for(sandbox.url).items():
        setattr(settings, key, value)
    settings.PAYMENTS_PAYOUT_APPROVAL_THRESHOLD = 100_000
    return sandbox


@pytest.fixture
def shop(world, wave):
    """The Mbour shop sold 3 300 F of the Mbour cooperative's flour: 2 970 F net to pay."""
    c = chain(world)
    _m, flour = flour_at_shop(c)
    sell(c, flour, quantity=2, unit_price=600)
    sell(c, flour, quantity=3, unit_price=700)
    Cooperative.objects.filter(pk=world.coop_mbour.pk).update(phone=GOOD)
    return c


def make(c, world, **kw):
    today = timezone.localdate()
    args = dict(site=c.shop, cooperative=world.coop_mbour, period_from=DAY, period_to=today)
    return services.settlement_make(
        actor=kw.pop("actor", c.cashier), paid_on=today, channel="mobile_money", **args, **kw
    )


def payouts(settlement):
    return Payout.objects.filter(purpose="consignment_settlement", target_id=settlement.pk)


def moves(settlement):
    """The money's move in the books (MM journal): shop and producing cooperative."""
    return JournalEntry.objects.filter(
        source__startswith="valuechain.settlement_payout", source_ref=f"settlement:{settlement.pk}"
    )


def lines(entry):
    return sorted((ln.account.code, ln.debit, ln.credit) for ln in entry.lines.all())


def test_a_settlement_by_mobile_money_is_paid_by_payout_then_posted(
    shop, world, wave, client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        s = make(shop, world)
    payout = payouts(s).get()
    payout.refresh_from_db()
    assert payout.status == "succeeded" and payout.amount == s.net == 2970
    assert payout.phone == GOOD and payout.kind == "settlement"
    sent = {k: getattr(payout, k) for k in ("provider", "amount", "phone", "name", "reason")}
    derived = purpose_payout_reference("consignment_settlement", s.pk, 1, sent)
    assert payout.reference == derived and derived.startswith(f"PO-CONSSETT-{s.pk}-1-")
    assert payout.idempotency_key == f"sunucoop-payout-{derived}"
    made = JournalEntry.objects.get(source="valuechain.settlement_paid")
    assert made.journal.code == "OD" and lines(made) == [
        ("471", 330, 0),  # the net stays owed in 471 until the payout succeeds
        ("7061", 0, 330),
    ]
    received = JournalEntry.objects.get(source="valuechain.settlement_received")
    assert lines(received) == [("471", 2970, 0), ("632", 330, 0), ("7021", 0, 3300)]
    sent = moves(s).get(source="valuechain.settlement_payout_sent")
    assert sent.journal.code == "MM" and sent.cooperative == shop.shop_coop
    assert lines(sent) == [("471", 2970, 0), ("552", 0, 2970)]
    came = moves(s).get(source="valuechain.settlement_payout_received")
    assert came.cooperative == world.coop_mbour and lines(came) == [
        ("471", 0, 2970),
        ("552", 2970, 0),
    ]
    client.force_login(shop.cashier)
    page = client.get(reverse("valuechain:settlement_detail", args=[s.pk])).content.decode()
    assert "versé" in page and payout.reference in page


def test_the_same_settlement_asked_again_is_one_payout_with_the_same_key(
    shop, world, wave, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False):  # the sending never happened
        s = make(shop, world)
    payout = payouts(s).get()
    assert payout.status == "approved" and not moves(s).exists()
    gateway = get_provider("wave")
    lost = gateway.payout(  # the provider paid it; its answer was lost on our side
        idempotency_key=payout.idempotency_key,
        amount=payout.amount,
        currency="XOF",
        phone=payout.phone,
        name=payout.name,
        reference=payout.reference,
        reason=payout.reason,
    )
    with django_capture_on_commit_callbacks(execute=True):
        again = make(shop, world)  # the operator tries again
    assert again.pk == s.pk and payouts(s).count() == 1
    payout.refresh_from_db()
    assert payout.status == "succeeded" and payout.provider_payout_id == lost.payout_id
    paid = [p for p in wave.payouts.values() if p["client_reference"] == payout.reference]
    assert len(paid) == 1
    assert moves(s).count() == 2  # once in each book
    with django_capture_on_commit_callbacks(execute=True):
        make(shop, world)  # once paid, asked again: nothing more
    assert payouts(s).count() == 1 and moves(s).count() == 2


def test_above_the_threshold_another_person_approves_never_the_maker(
    shop, world, wave, settings, django_capture_on_commit_callbacks
):
    settings.PAYMENTS_PAYOUT_APPROVAL_THRESHOLD = 1_000
    with django_capture_on_commit_callbacks(execute=True):
        s = make(shop, world)
    payout = payouts(s).get()
    assert payout.status == "awaiting_approval" and not moves(s).exists()
    with pytest.raises(Forbidden) as err:
        services.settlement_payout_approve(actor=shop.cashier, settlement=s)
    assert err.value.code == "same_person"
    with pytest.raises(Forbidden):  # an officer of the producing cooperative: not the shop's
        services.settlement_payout_approve(actor=shop.officer_mbour, settlement=s)
    payout = services.settlement_payout_approve(actor=world.national, settlement=s)
    assert payout.status == "succeeded" and payout.approved_by == world.national
    assert moves(s).count() == 2


def test_a_refused_payout_leaves_the_settlement_unpaid(
    shop, world, wave, settings, django_capture_on_commit_callbacks
):
    settings.PAYMENTS_PAYOUT_APPROVAL_THRESHOLD = 1_000
    with django_capture_on_commit_callbacks(execute=True):
        s = make(shop, world)
    payout = services.settlement_payout_approve(actor=world.national, settlement=s, approve=False)
    assert payout.status == "rejected" and not moves(s).exists()


def test_a_failed_payout_leaves_the_settlement_unpaid_then_a_new_attempt_pays(
    shop, world, wave, client, django_capture_on_commit_callbacks
):
    Cooperative.objects.filter(pk=world.coop_mbour.pk).update(phone=FAILING)
    with django_capture_on_commit_callbacks(execute=True):
        s = make(shop, world)
    failed = payouts(s).get()
    assert failed.status == "failed" and failed.error and not moves(s).exists()
    client.force_login(shop.cashier)
    page = client.get(reverse("valuechain:settlement_detail", args=[s.pk])).content.decode()
    assert "échoué" in page and "le règlement reste à payer" in page
    Cooperative.objects.filter(pk=world.coop_mbour.pk).update(phone=GOOD)
    with django_capture_on_commit_callbacks(execute=True):
        make(shop, world)  # asked again: a second attempt, a new key
    second = payouts(s).exclude(pk=failed.pk).get()
    assert second.reference.startswith(f"PO-CONSSETT-{s.pk}-2-") and second.status == "succeeded"
    assert moves(s).count() == 2


def test_a_cooperative_without_a_phone_cannot_be_paid_by_mobile_money(shop, world, wave):
    Cooperative.objects.filter(pk=world.coop_mbour.pk).update(phone="")
    with pytest.raises(ValidationFailed) as err:
        make(shop, world)
    assert err.value.code == "no_wallet"
    assert not Settlement.objects.exists() and not Payout.objects.exists()
