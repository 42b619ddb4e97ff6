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
