"""A registration cancelled before the event: the seat freed, the fee refunded to the
phone that paid it through payments' payout rail (purpose ``event_refund``, kind
``refund``, linked to the payment), the reversal booked (4197 → 552) when confirmed, and
the organiser's payout counting only the fees still held: the books balance and the
holding accounts return to zero."""

import datetime

import pytest
from django.db.models import Sum
from django.urls import reverse
from django.utils import timezone

from core.errors import Conflict, NotFound
from events import books, selectors, services
from events.models import Event, Registration
from events.tests.conftest import PAYOUT_PHONE, pay_by_phone, publish, register
from network.models import BookEntry, BookLine, Organisation
from payments.models import PaymentIntent, Payout

pytestmark = pytest.mark.django_db


def balance(event, account):
    lines = BookLine.objects.filter(
        entry__in=BookEntry.objects.filter(books.event_entries_q(event.pk)), account=account
    )
    sums = lines.aggregate(d=Sum("debit"), c=Sum("credit"))
    return (sums["d"] or 0) - (sums["c"] or 0)


def two_paid(cast, client, fee=10_000):
    Organisation.objects.filter(pk=cast.org_sn.pk).update(
        payout_phone=PAYOUT_PHONE, payout_provider="wave"
    )
    event = publish(cast, fee=fee)
    ml = register(cast, event)
    pay_by_phone(client, cast, ml)
    sn = register(cast, event, user=cast.user_sn, org=cast.org_sn)
    pay_by_phone(client, cast, sn, actor=cast.user_sn)
    return event, ml, sn


def test_a_cancelled_fee_is_refunded_then_the_payout_counts_only_what_is_held(
    cast, client, wave, django_capture_on_commit_callbacks
):
    event, ml, sn = two_paid(cast, client)
    with django_capture_on_commit_callbacks(execute=True):
        services.registration_cancel(actor=cast.user_ml, registration=ml)
    ml.refresh_from_db()
    assert ml.status == "cancelled" and ml.refunded_at is not None
    refund = Payout.objects.get(purpose="event_refund", target_id=ml.pk)
    intent = PaymentIntent.objects.get(purpose="event_fee", target_id=ml.pk)
    assert (refund.kind, refund.status, refund.amount, refund.intent_id) == (
        "refund", "succeeded", 10_000, intent.pk,
    )  # fmt: skip
    assert refund.phone == intent.phone and refund.reference.startswith(f"PO-EVENREFU-{ml.pk}-1-")
    intent.refresh_from_db()
    assert intent.status == "refunded"
    ref = f"E{event.pk}-R{ml.pk}"
    entry = BookEntry.objects.get(source="event_fee_refund", source_ref=ref)
    assert sorted((ln.account, ln.debit, ln.credit) for ln in entry.lines.all()) == [
        ("4197", 10_000, 0), ("552", 0, 10_000),
    ]  # fmt: skip
    assert balance(event, "4197") == -10_000  # the other fee, still held
    again = register(cast, event)  # the seat is free again: Mali registers anew
    assert again.status == "awaiting_payment"
    Registration.objects.filter(pk=again.pk).update(status="cancelled")  # leaves unpaid
    Event.objects.filter(pk=event.pk).update(
        starts_at=timezone.now() - datetime.timedelta(days=2),
        ends_at=timezone.now() - datetime.timedelta(days=1),
    )
    event.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        settlement, created = services.event_payout_request(actor=cast.user_sn, event=event)
    assert created and (settlement.collected, settlement.refunded) == (10_000, 10_000)
    assert (settlement.commission, settlement.net) == (500, 9_500)
    for account, expected in (("4197", 0), ("4676", 0), ("552", 500), ("7064", -500)):
        assert balance(event, account) == expected, account
    totals = BookLine.objects.filter(
        entry__in=BookEntry.objects.filter(books.event_entries_q(event.pk))
    ).aggregate(d=Sum("debit"), c=Sum("credit"))
    assert totals["d"] == totals["c"]
    statement = selectors.payout_statement(actor=cast.user_sn, event=event)
    assert [r.pk for r in statement.cancelled] == [ml.pk]
    assert statement.cancelled[0].refund.status == "succeeded"
    assert [r.pk for r in statement.registrations] == [sn.pk]


def test_cancelling_is_once_before_the_start_and_by_the_account_or_the_organiser(
    cast, client, wave, django_capture_on_commit_callbacks
):
    event, ml, sn = two_paid(cast, client)
    with pytest.raises(NotFound):
        services.registration_cancel(actor=cast.outsider, registration=ml)
    with pytest.raises(NotFound):  # another participant's registration
        services.registration_cancel(actor=cast.user_ml, registration=sn)
    with django_capture_on_commit_callbacks(execute=True):
        services.registration_cancel(actor=cast.user_sn, registration=ml)  # the organiser
    with pytest.raises(Conflict) as err:
        services.registration_cancel(actor=cast.user_ml, registration=ml)
    assert err.value.code == "cancelled"
    with pytest.raises(Conflict) as err:
        services.registration_cancel(
            actor=cast.user_sn, registration=sn, now=event.starts_at + datetime.timedelta(hours=1)
        )
    assert err.value.code == "started"
    assert Payout.objects.filter(purpose="event_refund").count() == 1
    assert Registration.objects.get(pk=sn.pk).status == "confirmed"


def test_a_failed_refund_is_asked_again_by_the_organiser(
    cast, client, wave, django_capture_on_commit_callbacks
):
    event = publish(cast, fee=5_000)
    reg = register(cast, event)
    intent = services.fee_payment_start(
        actor=cast.user_ml, registration=reg, phone="77 555 00 00", provider="wave"
    )
    from payments.tests.conftest import completed, wave_post

    intent = PaymentIntent.objects.get(pk=intent.pk)
    assert wave_post(client, completed(intent, event_id="EVFAIL")).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        services.registration_cancel(actor=cast.user_ml, registration=reg)
    failed = Payout.objects.get(purpose="event_refund")
    assert failed.status == "failed"  # the sandbox fails numbers ending 0000
    reg.refresh_from_db()
    assert reg.refunded_at is None and balance(event, "4197") == -5_000
    with pytest.raises(NotFound):  # the participant does not retry: the organiser does
        services.registration_refund_retry(actor=cast.user_ml, registration=reg)
    client.force_login(cast.user_sn)
    page = client.get(reverse("events:payout", args=[event.pk])).content.decode()
    assert "Rembourser à nouveau" in page
    with django_capture_on_commit_callbacks(execute=True):
        answer = client.post(reverse("events:refund_retry", args=[reg.pk]))
    assert answer.status_code == 302
    second = Payout.objects.filter(purpose="event_refund").exclude(pk=failed.pk).get()
    assert second.reference.startswith(f"PO-EVENREFU-{reg.pk}-2-")
    assert second.status == "failed"  # the same number: failed again, still owed
    assert balance(event, "4197") == -5_000


def test_the_cancel_button_on_the_page(cast, client, wave, django_capture_on_commit_callbacks):
    event, ml, _sn = two_paid(cast, client)
    client.force_login(cast.user_ml)
    page = client.get(reverse("events:detail", args=[event.pk])).content.decode()
    assert "Annuler mon inscription" in page and 'name="confirm"' in page
    unconfirmed = client.post(reverse("events:cancel", args=[ml.pk]), follow=True)
    assert "Cochez la confirmation" in unconfirmed.content.decode()
    assert Registration.objects.get(pk=ml.pk).status != "cancelled"  # nothing done
    assert not Payout.objects.filter(purpose="event_refund").exists()
    with django_capture_on_commit_callbacks(execute=True):
        answer = client.post(reverse("events:cancel", args=[ml.pk]), {"confirm": "on"})
    assert answer.status_code == 302
    assert Registration.objects.get(pk=ml.pk).status == "cancelled"
    again = client.post(reverse("events:cancel", args=[ml.pk]), {"confirm": "on"}, follow=True)
    assert "Inscription déjà annulée." in again.content.decode()
    client.force_login(cast.outsider)
    assert client.post(reverse("events:cancel", args=[ml.pk])).status_code == 404
    assert Payout.objects.filter(purpose="event_refund").count() == 1
