"""The queued mode of the webhooks (issue 18 points 3 and 11; settings
PAYMENTS_WEBHOOK_QUEUED): the request checks the signature, stores the event under its
unique (provider, event id) and answers; ``payments_webhook_worker`` applies the stored
events in the order received, with the same guarantees as the inline path: applied once,
out of order harmless, an amount that differs flagged with nothing posted, an unknown
reference on the review list, a bad signature 401 with nothing written."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from credit.models import Repayment
from ledger.models import JournalEntry
from payments import services
from payments.models import WebhookEvent
from payments.tests.conftest import completed, start, wave_post

pytestmark = pytest.mark.django_db


@pytest.fixture
def queued(settings, wave):
    settings.PAYMENTS_WEBHOOK_QUEUED = True
    settings.PAYMENTS_WEBHOOK_RATE_LIMIT = 0
    return wave


def work() -> None:
    call_command("payments_webhook_worker", "--once", stdout=open("/dev/null", "w"))  # noqa: SIM115


def outcome_of(event_id: str) -> str:
    return WebhookEvent.objects.get(event_id=event_id).outcome


def test_stored_and_answered_at_once_then_applied_once_by_the_worker(client, credit, queued):
    intent = start(credit, actor=credit.w.agent_tc, loan=credit.loan_tc, amount=60_000)
    with CaptureQueriesContext(connection) as ctx:
        response = wave_post(client, completed(intent))
    assert response.status_code == 200 and response.json()["outcome"] == "queued"
    writes = [q["sql"].split()[0] for q in ctx.captured_queries]
    assert [w for w in writes if w not in ("SAVEPOINT", "RELEASE")] == ["INSERT"]  # the event
    intent.refresh_from_db()
    assert intent.status == "pending" and not Repayment.objects.exists()  # not applied yet
    assert wave_post(client, completed(intent)).json()["outcome"] == "duplicate"
    assert wave_post(client, completed(intent, event_id="AE_2")).json()["outcome"] == "queued"
    work()
    intent.refresh_from_db()
    assert intent.status == "succeeded" and intent.applied_at is not None
    repayment = Repayment.objects.get(loan=credit.loan_tc)
    assert repayment.amount == 60_000 and intent.applied_ref == f"repayment:{repayment.pk}"
    assert JournalEntry.objects.filter(source="credit.loan_repayment").count() == 1
    assert outcome_of("AE_1") == "applied" and outcome_of("AE_2") == "already_applied"
    assert WebhookEvent.objects.get(event_id="AE_1").intent_id == intent.pk
    work()  # nothing left: applied once
    assert Repayment.objects.count() == 1 and WebhookEvent.objects.count() == 2


def test_a_bad_signature_is_401_and_nothing_is_stored(client, credit, queued):
    intent = start(credit)
    response = wave_post(client, completed(intent), secret="not-the-secret")
    assert response.status_code == 401 and not WebhookEvent.objects.exists()


def test_applied_in_the_order_received_out_of_order_harmless(client, credit, queued):
    intent = start(credit)
    expired = completed(intent, event_id="E0", status="processing")
    expired["type"] = "checkout.session.expired"
    expired["data"]["checkout_status"] = "expired"
    wave_post(client, expired)
    wave_post(client, completed(intent, event_id="E1"))  # the money came after all
    failed = completed(intent, event_id="E2", status="cancelled")
    failed["type"] = "checkout.session.payment_failed"
    wave_post(client, failed)
    work()
    assert [outcome_of(e) for e in ("E0", "E1", "E2")] == [
        "expired",
        "applied",
        "ignored_succeeded",
    ]
    intent.refresh_from_db()
    assert intent.status == "succeeded"
    assert Repayment.objects.filter(loan=credit.loan_person).count() == 1


def test_an_amount_that_differs_is_flagged_and_nothing_posted(client, credit, queued):
    intent = start(credit, amount=50_000)
    wave_post(client, completed(intent, event_id="EW", amount=100))
    work()
    intent.refresh_from_db()
    assert outcome_of("EW") == "amount_mismatch" and intent.needs_review
    assert not Repayment.objects.exists()


def test_an_unknown_reference_goes_to_the_review_list(client, credit, queued):
    intent = start(credit)
    event = completed(intent, event_id="EU")
    event["data"]["client_reference"], event["data"]["id"] = "SC-NOPE", "cos-nope"
    wave_post(client, event)
    work()
    from payments.selectors import unknown_events

    row = unknown_events(actor=credit.w.national).get()
    assert row.event_id == "EU" and row.intent is None


def test_the_poll_applies_what_a_stopped_worker_left(client, credit, queued):
    intent = start(credit)
    wave_post(client, completed(intent, event_id="EP"))
    counts = services.payments_poll()
    assert counts["queued_events_applied"] == 1 and outcome_of("EP") == "applied"


def test_an_event_whose_application_breaks_is_set_aside_and_the_others_applied(
    client, credit, queued, monkeypatch
):
    first, second = start(credit, amount=10_000), start(credit, amount=11_000)
    wave_post(client, completed(first, event_id="EB1"))
    wave_post(client, completed(second, event_id="EB2"))
    real = services._state_apply_locked

    def broken(intent, state, source):
        if intent.pk == first.pk:
            raise RuntimeError("a bug")
        return real(intent, state, source)

    monkeypatch.setattr(services, "_state_apply_locked", broken)
    work()
    assert outcome_of("EB1") == "error" and outcome_of("EB2") == "applied"
    from payments.selectors import unknown_events

    assert [e.event_id for e in unknown_events(actor=credit.w.national)] == ["EB1"]
