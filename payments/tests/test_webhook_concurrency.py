"""The same Wave event delivered 20 times at once, and 20 different events for one payment
at once, on PostgreSQL: stored once, applied once (threads with their own connections)."""

from __future__ import annotations

import json
import threading
import time

import pytest
from django.db import connection, connections
from django.test import Client

from credit.models import Repayment
from payments.models import WebhookEvent
from payments.providers.wave import sign
from payments.tests.conftest import completed, start

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="row locks and unique-index waits need PostgreSQL: SQLite serialises every "
    "write transaction (IMMEDIATE), so there is no race to test there",
)


def hammer(events: list[dict]) -> list[int]:
    barrier = threading.Barrier(len(events))
    statuses, errors = [], []

    def send(event):
        body = json.dumps(event).encode()
        try:
            barrier.wait(timeout=20)
            response = Client().post(
                "/api/v1/webhooks/wave",
                data=body,
                content_type="application/json",
                headers={"Wave-Signature": sign("test-wave-secret", body, int(time.time()))},
            )
            statuses.append(response.status_code)
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=send, args=(e,)) for e in events]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert not errors
    return statuses


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_same_event_20_times_at_once_is_stored_and_applied_once(credit, wave):
    intent = start(credit, amount=40_000)
    statuses = hammer([completed(intent, event_id="AE_same")] * 20)
    assert statuses == [200] * 20
    assert WebhookEvent.objects.filter(event_id="AE_same").count() == 1
    assert Repayment.objects.filter(loan=credit.loan_person).count() == 1
    intent.refresh_from_db()
    assert intent.status == "succeeded" and intent.applied_at is not None


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_20_different_events_for_one_payment_at_once_apply_it_once(credit, wave):
    intent = start(credit, amount=40_000)
    statuses = hammer([completed(intent, event_id=f"AE_{i}") for i in range(20)])
    assert statuses == [200] * 20
    assert WebhookEvent.objects.filter(intent=intent).count() == 20
    assert WebhookEvent.objects.filter(outcome="applied").count() == 1
    assert Repayment.objects.filter(loan=credit.loan_person).count() == 1


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_queued_mode_the_same_event_20_times_then_two_workers_apply_it_once(credit, wave, settings):
    """Queued mode: 20 deliveries at once store one event; 10 events of 10 payments
    drained by two workers at once: each applied once (the conditional claim)."""
    from payments.services import webhook_events_apply

    settings.PAYMENTS_WEBHOOK_QUEUED = True
    settings.PAYMENTS_WEBHOOK_RATE_LIMIT = 0
    intent = start(credit, amount=40_000)
    assert hammer([completed(intent, event_id="AE_q")] * 20) == [200] * 20
    assert WebhookEvent.objects.filter(event_id="AE_q").count() == 1
    others = [start(credit, amount=1_000 + i) for i in range(9)]
    hammer([completed(o, event_id=f"AE_q{i}") for i, o in enumerate(others)])
    assert not Repayment.objects.exists()  # stored, not applied yet
    barrier, counts = threading.Barrier(2), []

    def drain():
        try:
            barrier.wait(timeout=20)
            counts.append(webhook_events_apply(limit=1))  # one at a time: they interleave
            while n := webhook_events_apply(limit=1):
                counts.append(n)
        finally:
            connections.close_all()

    workers = [threading.Thread(target=drain) for _ in range(2)]
    for t in workers:
        t.start()
    for t in workers:
        t.join(timeout=60)
    assert sum(counts) == 10
    assert WebhookEvent.objects.filter(outcome="applied").count() == 10
    assert Repayment.objects.filter(loan=credit.loan_person).count() == 10
