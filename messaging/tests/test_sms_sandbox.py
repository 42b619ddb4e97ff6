"""Real HTTP through the SMS sandbox: messages sent, delivery receipts and replies back."""

import json
import time
import urllib.request

import pytest

from messaging import services
from messaging.backends import HttpGatewayBackend, SmsSendError
from messaging.kinds import register_kind
from messaging.models import DeliveryReceipt, MessageStatus, Recipient, SmsMessage

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def kind():
    register_kind("test_notice", label="Avis", placeholders=set(), default_fr="Bonjour.")


def wait_for(predicate, timeout=10.0):
    """Poll ``predicate`` (which must not touch the database)."""
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if predicate():
            return True
        time.sleep(0.05)
    return False


def test_sent_then_delivered_or_failed_through_the_gateway(sms_gateway):
    ok = services.sms_send(kind="test_notice", phone="+221771234567", text="Bonjour Awa")
    ko = services.sms_send(kind="test_notice", phone="+221770000000", text="Bonjour")
    assert ok.backend == "http" and ok.provider_id.startswith("SM")
    assert [m["to"] for m in sms_gateway.messages] == ["+221771234567", "+221770000000"]
    assert sms_gateway.messages[0]["from"] == "SunuCoop"
    # wait on the sandbox, not the database (SQLite's test database is shared with the
    # live server's thread: reading it while the app writes would lock it)
    assert wait_for(lambda: len(sms_gateway.callbacks) == 2)
    assert DeliveryReceipt.objects.count() == 2
    ok.refresh_from_db()
    ko.refresh_from_db()
    assert ok.status == MessageStatus.DELIVERED and ok.delivered_at
    assert ko.status == MessageStatus.FAILED and ko.error == "absent subscriber"
    assert all(c["answer"] == 200 for c in sms_gateway.callbacks)


def test_a_stop_reply_through_the_gateway_blocks_the_next_sms(sms_gateway):
    data = json.dumps({"from": "+221771234567", "text": "ARRET"}).encode()
    req = urllib.request.Request(
        sms_gateway.url + "/_sandbox/reply",
        data=data,
        headers={"Content-Type": "application/json", "Accept": "application/json"},
    )
    with urllib.request.urlopen(req, timeout=10) as resp:
        assert json.load(resp)["answer"] == 200
    assert Recipient.objects.get(phone="+221771234567").opted_out
    blocked = services.sms_send(kind="test_notice", phone="+221771234567", text="Bonjour")
    assert blocked.status == MessageStatus.BLOCKED and sms_gateway.messages == []


def test_the_gateway_refuses_a_wrong_token(sms_gateway, settings):
    backend = HttpGatewayBackend(token="wrong")
    with pytest.raises(SmsSendError, match="401"):
        services.sms_send(kind="test_notice", phone="+221771234567", text="x", backend=backend)
    assert SmsMessage.objects.get().status == MessageStatus.FAILED
    assert sms_gateway.messages == []


def test_an_unreachable_gateway_is_a_clear_failure(db, settings):
    backend = HttpGatewayBackend(base_url="http://127.0.0.1:9", token="t", timeout=2)
    with pytest.raises(SmsSendError, match="injoignable"):
        backend.send("+221771234567", "x")


def test_receipts_with_a_wrong_token_are_refused_by_the_app(sms_gateway, settings):
    settings.SMS_CALLBACK_TOKEN = "another-secret"  # the app no longer trusts the gateway
    services.sms_send(kind="test_notice", phone="+221771234567", text="Bonjour")
    assert wait_for(lambda: len(sms_gateway.callbacks) == 1)
    assert sms_gateway.callbacks[0]["answer"] == 401
    assert not DeliveryReceipt.objects.exists()
    assert SmsMessage.objects.get().status == MessageStatus.SENT
