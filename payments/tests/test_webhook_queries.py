"""The webhook's path, query by query (issue 18, point 11): a success costs a fixed,
small number of queries whatever the payment, so 200 webhooks a second stay cheap
(docs/benchmarks.md, "Payments"). The purpose here writes nothing of its own: the count is
the payments app's (a loan repayment adds its own rows on top)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from payments import purposes
from payments.models import PaymentIntent, WebhookEvent
from payments.purposes import Target
from payments.tests.conftest import completed, wave_post

pytestmark = pytest.mark.django_db


class SilentPurpose:
    def target_for(self, *, target_id, actor):
        return self.target_get(target_id=target_id)

    def target_get(self, *, target_id):
        return Target(id=target_id, label="Test", amount_due=10**9)

    def on_succeeded(self, *, intent) -> str:
        return f"silent:{intent.pk}"


@pytest.fixture
def silent():
    purposes.register("test_silent", SilentPurpose())
    yield
    purposes.unregister("test_silent")


def pending(n: int) -> PaymentIntent:
    return PaymentIntent.objects.create(
        purpose="test_silent",
        target_id=n,
        amount=1000,
        phone="+221770000000",
        provider="wave",
        reference=f"QC{n:08d}",
        provider_session_id=f"cos-q-{n}",
        expires_at=timezone.now() + timezone.timedelta(hours=1),
    )


def post_counting(client, event, full=None) -> tuple[int, str, list[str]]:
    """The answer and the statements sent (savepoints aside: the test's own transaction
    turns the webhook's transaction into one); ``full`` gets them whole."""
    with CaptureQueriesContext(connection) as ctx:
        response = wave_post(client, event)
    if full is not None:
        full.extend(q["sql"] for q in ctx.captured_queries)
    sql = [
        " ".join(q["sql"].split()[:3])
        for q in ctx.captured_queries
        if not q["sql"].startswith(("SAVEPOINT", "RELEASE", "ROLLBACK"))
    ]
    return response.status_code, response.json()["outcome"], sql


def test_a_webhook_costs_four_queries_and_a_duplicate_two(client, wave, silent, settings):
    settings.PAYMENTS_WEBHOOK_RATE_LIMIT = 0  # the rate limit counts in the cache
    intent = pending(1)
    whole = []
    status, outcome, sql = post_counting(client, completed(intent, event_id="AE_Q1"), whole)
    assert (status, outcome) == (200, "applied")
    # the payment found and locked by our reference, its row updated, its history row,
    # the event inserted with its outcome (plus what the purpose writes: nothing here)
    assert sql == [
        'SELECT "payments_paymentintent"."id", "payments_paymentintent"."purpose",',
        'UPDATE "payments_paymentintent" SET',
        'INSERT INTO "payments_historicalpaymentintent"',
        'INSERT INTO "payments_webhookevent"',
    ]
    # the update sets what changed only (less SQL to build and send at 200 a second)
    [update] = [q for q in whole if q.startswith("UPDATE")]
    assigned = update.split(" SET ")[1].split(" WHERE ")[0]
    columns = sorted(part.split(" = ")[0].strip('"') for part in assigned.split(", "))
    assert columns == sorted(
        ["status", "paid_at", "applied_at", "applied_ref", "provider_transaction_id"]
        + ["updated_at"]
    )
    intent.refresh_from_db()
    assert intent.applied_ref == f"silent:{intent.pk}"
    assert intent.history.count() == 2  # created, then the webhook's change
    event = WebhookEvent.objects.get(event_id="AE_Q1")
    assert (event.outcome, event.intent_id) == ("applied", intent.pk)

    # the same event again: found stored by the unique index, everything undone
    status, outcome, sql = post_counting(client, completed(intent, event_id="AE_Q1"))
    assert (status, outcome) == (200, "duplicate")
    assert [q.split()[0] for q in sql] == ["SELECT", "INSERT"]
    # another event of the same success: stored, nothing else written
    status, outcome, sql = post_counting(client, completed(intent, event_id="AE_Q2"))
    assert (status, outcome) == (200, "already_applied")
    assert [q.split()[0] for q in sql] == ["SELECT", "INSERT"]
    assert intent.history.count() == 2
    assert WebhookEvent.objects.filter(intent=intent).count() == 2


def test_an_unknown_reference_costs_one_lookup_and_the_event(client, wave, silent, settings):
    settings.PAYMENTS_WEBHOOK_RATE_LIMIT = 0
    ghost = pending(2)
    event = completed(ghost, event_id="AE_Q3")
    event["data"]["client_reference"] = "QC99999999"
    event["data"]["id"] = "cos-unknown"
    status, outcome, sql = post_counting(client, event)
    assert (status, outcome) == (200, "unknown_reference")
    # by our reference, then by the session id, then the event
    assert [q.split()[0] for q in sql] == ["SELECT", "SELECT", "INSERT"]
    assert WebhookEvent.objects.get(event_id="AE_Q3").intent_id is None
