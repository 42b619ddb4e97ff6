"""A payment by phone as a provider would confirm it (the demo loads without the sandboxes
running): the intent recorded, then its success applied by payments' service, which calls
the purpose once (the pledge counts, the engagement is split, the dues are booked...)."""

from __future__ import annotations

import secrets


def paid_as_provider(*, purpose: str, target_id: int, label: str, amount: int, phone: str,
                     actor=None):  # fmt: skip
    from payments.models import PaymentIntent
    from payments.providers.base import SUCCEEDED, PaymentState
    from payments.services import payment_state_apply

    intent = PaymentIntent.objects.create(
        purpose=purpose, target_id=target_id, target_label=str(label)[:200], amount=amount,
        phone=phone, provider="wave", created_by=actor,
        reference="DEMO" + secrets.token_hex(6).upper(),
    )  # fmt: skip
    state = PaymentState(status=SUCCEEDED, reference=intent.reference, amount=amount,
                         currency="XOF", transaction_id="DEMO-" + intent.reference)  # fmt: skip
    payment_state_apply(intent_id=intent.pk, state=state, source="demo")
    return intent


def with_wave_sandbox(load):
    """Run ``load`` with the Wave sandbox answering (the one ``make demo`` starts beside the
    app is not running yet), so payouts go through payments as in production."""
    from django.test import override_settings

    from sandboxes.server import load as sandbox_load
    from sandboxes.server import start

    config = {"WAVE_API_KEY": "demo-wave-key", "WAVE_WEBHOOK_SECRET": "demo-health-secret"}
    running = start(sandbox_load("wave", config))
    running.sandbox.webhooks_on = False
    try:
        with override_settings(**running.sandbox.settings_for(running.url)):
            return load()
    finally:
        running.stop()
