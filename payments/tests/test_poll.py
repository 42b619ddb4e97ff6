"""Late and missing events (issue 18, point 3): ``manage.py payments_poll`` asks the
provider about every payment still pending after PAYMENTS_POLL_AFTER_MINUTES, applies its
word as a webhook's, and closes the unpaid ones past their expiry (docs/payments.md,
"Late and missing events"). Against the Wave sandbox over HTTP."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from credit.models import Repayment
from payments import services
from payments.tests.conftest import completed, start, wave_post

pytestmark = pytest.mark.django_db


@pytest.fixture
def no_webhooks(wave):
    """The sandbox sends no webhook (the provider's callback never arrives)."""
    wave.webhooks_on = False
    yield wave
    wave.webhooks_on = True


def test_a_payment_whose_webhook_never_came_is_applied_by_the_poll_after_n_minutes(
    credit, no_webhooks, settings
):
    settings.PAYMENTS_POLL_AFTER_MINUTES = 10
    intent = start(credit, actor=credit.w.agent_tc, loan=credit.loan_tc, amount=25_000)
    no_webhooks.complete(intent.provider_session_id)  # paid on Wave's page, no webhook
    assert no_webhooks.sent[-1]["data"]["client_reference"] == intent.reference
    now = timezone.now()
    assert services.payments_poll(now=now + timedelta(minutes=9)) == {}  # too young
    intent.refresh_from_db()
    assert intent.status == "pending" and intent.last_polled_at is None

    assert services.payments_poll(now=now + timedelta(minutes=11)) == {"applied": 1}
    intent.refresh_from_db()
    assert intent.status == "succeeded" and intent.applied_at is not None
    assert intent.provider_transaction_id.startswith("T")
    assert Repayment.objects.filter(loan=credit.loan_tc, reference=intent.reference).count() == 1
    assert intent.history.filter(history_change_reason="poll: applied").count() == 1
    # polled again, or its webhook arriving late: nothing more is posted
    assert services.payments_poll(now=now + timedelta(minutes=30)) == {}
    late = wave_post_late(no_webhooks, intent)
    assert late["outcome"] == "already_applied"
    assert Repayment.objects.filter(loan=credit.loan_tc).count() == 1


def wave_post_late(sandbox, intent):
    from django.test import Client

    event = completed(intent, event_id="AE_LATE")
    event["data"]["transaction_id"] = intent.provider_transaction_id
    return wave_post(Client(), event).json()


def test_an_unpaid_payment_past_its_expiry_is_closed_and_a_refused_one_failed(credit, no_webhooks):
    unpaid = start(credit, actor=credit.w.agent_tc, loan=credit.loan_tc, amount=10_000)
    refused = start(credit, actor=credit.w.agent_tc, loan=credit.loan_tc, amount=11_000)
    no_webhooks.fail(refused.provider_session_id)
    assert unpaid.expires_at is not None
    before_expiry = unpaid.expires_at - timedelta(minutes=1)
    assert services.payments_poll(now=before_expiry) == {"still_pending": 1, "failed": 1}
    unpaid.refresh_from_db()
    assert unpaid.status == "pending" and unpaid.last_polled_at == before_expiry
    assert services.payments_poll(now=unpaid.expires_at + timedelta(minutes=1)) == {"expired": 1}
    unpaid.refresh_from_db()
    refused.refresh_from_db()
    assert (unpaid.status, refused.status) == ("expired", "failed")
    assert not Repayment.objects.filter(loan=credit.loan_tc).exists()


def test_an_intent_without_a_session_expires_and_a_provider_down_is_retried(credit, wave, settings):
    intent = start(credit, actor=credit.w.agent_tc, loan=credit.loan_tc, amount=12_000)
    later = intent.expires_at + timedelta(minutes=1)
    settings.WAVE_BASE_URL = "http://127.0.0.1:9"  # nothing listens there
    assert services.payments_poll(now=later) == {"provider_unavailable": 1}
    intent.refresh_from_db()
    assert intent.status == "pending"  # asked again at the next run
    type(intent).objects.filter(pk=intent.pk).update(provider_session_id="")
    out = io.StringIO()
    call_command("payments_poll", "--older-than", "0", stdout=out)
    assert "skipped: 1" in out.getvalue()  # not expired yet (now < expires_at)
    assert services.payments_poll(now=later) == {"expired": 1}
    intent.refresh_from_db()
    assert intent.status == "expired"


def test_a_late_success_after_the_poll_closed_it_is_still_applied(client, credit, wave):
    """The money came after the expiry was recorded (a late webhook): it is applied."""
    intent = start(credit, actor=credit.w.agent_tc, loan=credit.loan_tc, amount=9_000)
    assert services.payments_poll(now=intent.expires_at + timedelta(seconds=1)) == {"expired": 1}
    answer = wave_post(client, completed(intent, event_id="AE_AFTER_EXPIRY")).json()
    assert answer["outcome"] == "applied"
    intent.refresh_from_db()
    assert intent.status == "succeeded"
    assert Repayment.objects.filter(loan=credit.loan_tc).count() == 1
