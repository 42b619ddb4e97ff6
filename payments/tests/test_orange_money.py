"""Orange Money through its sandbox (real HTTP): OAuth token, web payment, the payment
page, and unsigned notifications that only trigger a status call. A forged notification
credits nothing; only the status API's SUCCESS does."""

from __future__ import annotations

import json
import time
import urllib.parse
import urllib.request

import pytest

from credit.models import Repayment
from ledger.models import JournalEntry
from payments.models import PaymentIntent, WebhookEvent
from payments.providers.base import ProviderUnavailable
from payments.tests.conftest import start

pytestmark = pytest.mark.django_db


def decide(url: str, action: str) -> None:
    """The payer presses Payer / Refuser on the sandbox's payment page."""
    data = urllib.parse.urlencode({"action": action}).encode()

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    opener = urllib.request.build_opener(NoRedirect)
    try:
        opener.open(urllib.request.Request(url, data=data, method="POST"), timeout=10)
    except urllib.error.HTTPError as exc:
        assert exc.code == 303


def notify(client, intent, status="SUCCESS", ref=None):
    body = {"status": status, "notif_token": "forged", "txnid": "MP0000"}
    return client.post(
        f"/api/v1/webhooks/orange_money?ref={intent.reference if ref is None else ref}",
        data=json.dumps(body),
        content_type="application/json",
    )


def start_om(credit, **kw):
    return start(
        credit,
        actor=credit.w.agent_tc,
        loan=credit.loan_tc,
        amount=60_000,
        provider="orange_money",
        **kw,
    )


def test_a_payment_confirmed_by_the_status_api_posts_the_repayment_once(client, credit, orange):
    intent = start_om(credit)
    assert intent.status == "pending" and intent.checkout_url.startswith(orange.url + "/payment/")
    [sent] = [p for p in orange.payments.values() if p["order_id"] == intent.reference]
    assert (sent["order_id"], sent["amount"], sent["currency"]) == (intent.reference, 60_000, "XOF")
    assert sent["notif_url"].endswith(f"/api/v1/webhooks/orange_money?ref={intent.reference}")
    assert sent["merchant_key"] == "test-om-merchant"
    decide(intent.checkout_url, "pay")
    response = notify(client, intent)
    assert response.status_code == 200 and response.json()["outcome"] == "confirmed_applied"
    intent.refresh_from_db()
    assert intent.status == "succeeded" and intent.provider_transaction_id.startswith("MP")
    repayment = Repayment.objects.get(loan=credit.loan_tc)
    assert (repayment.amount, repayment.channel) == (60_000, "mobile_money")
    entry = JournalEntry.objects.get(source="credit.loan_repayment", source_ref=str(repayment.pk))
    assert entry.journal.code == "MM"
    again = notify(client, intent)  # Orange Money notifies again: nothing more
    assert again.json()["outcome"] == "already_applied"
    assert Repayment.objects.filter(loan=credit.loan_tc).count() == 1


def test_a_forged_success_notification_credits_nothing(client, credit, orange):
    intent = start_om(credit)
    response = notify(client, intent, status="SUCCESS")  # nobody paid
    assert response.status_code == 200
    assert response.json()["outcome"] == "confirmed_still_pending"
    intent.refresh_from_db()
    assert intent.status == "pending" and not intent.applied_at
    assert not Repayment.objects.filter(loan=credit.loan_tc).exists()
    event = WebhookEvent.objects.get(provider="orange_money")
    assert event.intent == intent and '"forged"' in event.raw_body  # kept for the record


def test_a_refused_payment_is_closed_and_an_unknown_reference_changes_nothing(
    client, credit, orange
):
    intent = start_om(credit)
    decide(intent.checkout_url, "refuse")
    assert notify(client, intent, status="SUCCESS").json()["outcome"] == "confirmed_failed"
    intent.refresh_from_db()
    assert intent.status == "failed"
    assert notify(client, intent, ref="PAY-NOPE").json()["outcome"] == "unknown_reference"
    assert notify(client, intent, ref="").json()["outcome"] == "unknown_reference"
    response = notify(client, intent, ref="x" * 500 + "\x00")
    assert response.status_code in (200, 400)
    assert not Repayment.objects.filter(loan=credit.loan_tc).exists()


def test_the_poll_confirms_a_payment_whose_notification_never_came(credit, orange):
    from payments.services import payment_poll

    intent = start_om(credit)
    decide(intent.checkout_url, "pay")
    assert payment_poll(intent=intent) == "applied"
    assert Repayment.objects.filter(loan=credit.loan_tc).count() == 1


def test_wrong_credentials_are_a_clear_unavailability(credit, orange, settings):
    from django.core.cache import cache

    cache.clear()
    settings.ORANGE_MONEY_CLIENT_SECRET = "wrong"
    with pytest.raises(ProviderUnavailable):
        start_om(credit)
    intent = PaymentIntent.objects.get()
    assert intent.status == "failed" and intent.review_reason == "provider_unavailable"


@pytest.mark.django_db(transaction=True)
def test_the_sandbox_notification_reaches_the_app_through_real_http(
    credit, orange, live_server, settings
):
    settings.PAYMENTS_PUBLIC_URL = live_server.url
    orange.notifications_on = True
    intent = start_om(credit)
    decide(intent.checkout_url, "pay")
    end = time.monotonic() + 10  # wait on the sandbox, not the database (shared SQLite)
    while time.monotonic() < end and not orange.sent:
        time.sleep(0.05)
    assert orange.sent and orange.sent[-1]["answer"] == 200
    intent.refresh_from_db()
    assert intent.status == "succeeded"
    assert Repayment.objects.filter(loan=credit.loan_tc).count() == 1
