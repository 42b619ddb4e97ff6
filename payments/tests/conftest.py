import json
import time

import pytest

from credit.tests.conftest import credit  # noqa: F401 - the credit fixture, reused
from payments.providers.wave import sign


@pytest.fixture
def wave(sandboxes, settings):
    """The Wave sandbox of the session; the app's Wave settings point at it."""
    sandbox = sandboxes["wave"].sandbox
    for key, value in sandbox.settings_for(sandbox.url).items():
        setattr(settings, key, value)
    settings.WAVE_WEBHOOK_SECRETS_PREVIOUS = []
    return sandbox


def wave_post(client, event: dict, *, secret="test-wave-secret", t=None, header=None):
    body = json.dumps(event).encode()
    t = int(time.time()) if t is None else t
    signature = header if header is not None else sign(secret, body, t)
    return client.post(
        "/api/v1/webhooks/wave",
        data=body,
        content_type="application/json",
        headers={"Wave-Signature": signature},
    )


def completed(intent, *, event_id="AE_1", amount=None, currency="XOF", status="succeeded"):
    """A Wave ``checkout.session.completed`` event for ``intent``."""
    return {
        "id": event_id,
        "type": "checkout.session.completed",
        "data": {
            "id": intent.provider_session_id,
            "amount": str(intent.amount if amount is None else amount),
            "currency": currency,
            "client_reference": intent.reference,
            "checkout_status": "complete",
            "payment_status": status,
            "transaction_id": "TX" + event_id,
            "when_completed": "2026-03-02T10:00:00Z",
        },
    }
