"""The webhook endpoints take no token: a flood from one address is cut at
settings.PAYMENTS_WEBHOOK_RATE_LIMIT requests a minute (payments/ratelimit.py) with a 429
JSON answer in the error contract (shared/API.md), and nothing is written past the limit."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from django.core.cache import cache

from payments.models import WebhookEvent
from payments.tests.conftest import wave_post

pytestmark = pytest.mark.django_db


@pytest.fixture
def limit(settings, monkeypatch):
    # one fixed window for the whole test (no minute boundary in the middle)
    monkeypatch.setattr("payments.ratelimit.time", SimpleNamespace(time=lambda: 1_800_000_000.0))
    cache.clear()
    settings.PAYMENTS_WEBHOOK_RATE_LIMIT = 5
    yield 5
    cache.clear()


def event(n: int) -> dict:
    return {"id": f"AE_RL_{n}", "type": "checkout.session.completed", "data": {}}


def test_the_wave_webhook_answers_429_json_past_the_limit(client, wave, limit):
    answers = [wave_post(client, event(n)) for n in range(limit + 3)]
    assert [r.status_code for r in answers[:limit]] == [200] * limit
    assert [r.status_code for r in answers[limit:]] == [429] * 3
    body = answers[-1].json()
    assert body["code"] == "rate_limited" and body["message"] and "field" in body
    assert answers[-1]["Content-Type"].startswith("application/json")
    # the events under the limit were stored, none of those past it
    assert WebhookEvent.objects.count() == limit
    # a bad signature past the limit is cut before the signature check too (429, not 401)
    assert wave_post(client, event(99), secret="wrong").status_code == 429


def test_the_limit_is_per_address(client, wave, limit):
    for n in range(limit):
        assert wave_post(client, event(n)).status_code == 200
    assert wave_post(client, event(50)).status_code == 429
    other = client.post(
        "/api/v1/webhooks/wave",
        data=b"{}",
        content_type="application/json",
        REMOTE_ADDR="10.0.0.9",
    )
    assert other.status_code == 401  # counted apart; then the signature is checked


def test_the_orange_money_notification_is_limited_too(client, limit):
    url = "/api/v1/webhooks/orange_money?ref=NOPE"
    codes = [
        client.post(url, data=b"{}", content_type="application/json").status_code
        for _ in range(limit + 2)
    ]
    assert codes == [200] * limit + [429, 429]
    assert client.post(url, data=b"{}", content_type="application/json").json()["code"] == (
        "rate_limited"
    )
