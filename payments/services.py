"""Every write of the payments app (docs/payments.md).

- ``payment_start``: an intent for a registered purpose, then a checkout at the provider.
- ``payment_state_apply``: what the provider says (webhook or status call) applied to one
  intent under a row lock; success calls the purpose's ``on_succeeded`` exactly once, in
  the same transaction; an amount or currency that differs flags it for review instead.
- ``webhook_receive``: a signed provider event stored once per (provider, event id).
- ``payments_poll``: pending intents older than N minutes asked again; expired ones closed.
"""

from __future__ import annotations

import logging
import secrets
from datetime import datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from core.audit import acting_as
from core.errors import Conflict, DomainError, ValidationFailed
from payments import purposes
from payments.models import IntentStatus, PaymentIntent, WebhookEvent
from payments.providers import get_provider
from payments.providers.base import (
    EXPIRED,
    FAILED,
    PENDING,
    SUCCEEDED,
    PaymentState,
    ProviderUnavailable,
)
from registry.services import normalize_phone

log = logging.getLogger(__name__)
MAX_AMOUNT = 100_000_000  # one payment by phone, F CFA (providers' wallets cap far lower)
CURRENCY = "XOF"


def _new_reference() -> str:
    return "SC" + secrets.token_hex(8).upper()


def check_amount(value, *, field: str = "amount", most: int = MAX_AMOUNT) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValidationFailed(
            _("Le montant doit être un nombre entier de francs."), code="invalid", field=field
        )
    if value < 1 or value > min(most, MAX_AMOUNT):
        raise ValidationFailed(
            _("Le montant doit être compris entre 1 et %(most)s F CFA.")
            % {"most": min(most, MAX_AMOUNT)},
            code="out_of_range",
            field=field,
        )
    return value


def _return_urls(intent: PaymentIntent) -> tuple[str, str]:
    base = settings.PAYMENTS_PUBLIC_URL.rstrip("/")
    path = reverse("payments:return", args=[intent.reference])
    return f"{base}{path}?issue=ok", f"{base}{path}?issue=erreur"


def _intent_create(*, purpose, target, amount, phone, provider, actor) -> PaymentIntent:
    with transaction.atomic(), acting_as(actor):
        return PaymentIntent.objects.create(
            purpose=purpose,
            target_id=target.id,
            target_label=target.label[:200],
            cooperative_id=target.cooperative_id,
            area_id=target.area_id,
            person_id=target.person_id,
            lender_id=target.lender_id,
            amount=amount,
            currency=CURRENCY,
            phone=phone,
            provider=provider,
            reference=_new_reference(),
            created_by=actor if getattr(actor, "pk", None) else None,
            expires_at=timezone.now() + timedelta(minutes=settings.PAYMENTS_INTENT_TTL_MINUTES),
        )


def payment_start(
    *, purpose: str, target_id: int, amount: int, phone: str, provider: str, actor
) -> PaymentIntent:
    """Start a payment: the intent is recorded (pending), then the provider's checkout is
    opened and its link kept. A provider that does not answer: the intent is closed as
    failed and 503 ``provider_unavailable`` is raised (the payer simply tries again)."""
    handler = purposes.get(purpose)
    gateway = get_provider(provider)
    if not isinstance(target_id, int) or not 0 < target_id < 2**63:
        raise ValidationFailed(_("Cible invalide."), code="invalid", field="target")
    target = handler.target_for(target_id=target_id, actor=actor)
    if target.amount_due <= 0:
        raise Conflict(_("Rien n'est dû sur cette cible."), code="nothing_due", field="target")
    amount = check_amount(amount, most=target.amount_due)
    phone = normalize_phone(phone, field="phone")
    if not phone:
        raise ValidationFailed(_("Le téléphone est obligatoire."), code="required", field="phone")
    intent = _intent_create(
        purpose=purpose, target=target, amount=amount, phone=phone, provider=provider, actor=actor
    )
    success_url, error_url = _return_urls(intent)
    try:
        session = gateway.start_checkout(
            reference=intent.reference,
            amount=amount,
            currency=CURRENCY,
            phone=phone,
            success_url=success_url,
            error_url=error_url,
        )
    except ProviderUnavailable:
        with transaction.atomic(), acting_as(actor):
            intent.status = IntentStatus.FAILED
            intent.review_reason = "provider_unavailable"
            intent.save(update_fields=["status", "review_reason", "updated_at"])
        raise
    with transaction.atomic(), acting_as(actor):
        intent.provider_session_id = session.session_id
        intent.checkout_url = session.checkout_url
        if session.expires_at:
            intent.expires_at = session.expires_at
        intent.save(
            update_fields=["provider_session_id", "checkout_url", "expires_at", "updated_at"]
        )
    return intent


def _flag(intent: PaymentIntent, reason: str) -> None:
    intent.needs_review = True
    intent.review_reason = reason[:300]


def _apply_success(intent: PaymentIntent) -> str:
    """Call the purpose once (savepoint: a refusal leaves nothing half-written)."""
    if intent.applied_at is not None:
        return "already_applied"
    handler = purposes.get(intent.purpose)
    try:
        with transaction.atomic(), acting_as(intent.created_by):
            applied_ref = handler.on_succeeded(intent=intent)
    except DomainError as exc:
        _flag(intent, f"{exc.code}: {exc.message}")
        return "refused_by_purpose"
    intent.applied_at = timezone.now()
    intent.applied_ref = str(applied_ref or "")[:80]
    return "applied"


def _mismatch(intent: PaymentIntent, state: PaymentState) -> str | None:
    if state.amount != intent.amount:
        return "amount_mismatch"
    if state.currency.upper() != intent.currency:
        return "currency_mismatch"
    return None


def payment_state_apply(*, intent_id: int, state: PaymentState, source: str) -> str:
    """Apply a provider's word on one intent; returns the outcome (stored on the event).

    Out of order is harmless: success wins over a failure or an expiry (the money came);
    a failure, an expiry or a repeat after success changes nothing; the purpose is
    called once (``applied_at``), under the intent's row lock."""
    with transaction.atomic():
        intent = PaymentIntent.objects.select_for_update().get(pk=intent_id)
        with acting_as(intent.created_by):
            outcome = _transition(intent, state)
            intent._change_reason = f"{source}: {outcome}"[:100]
            intent.save()
    return outcome


def _transition(intent: PaymentIntent, state: PaymentState) -> str:
    if state.transaction_id and not intent.provider_transaction_id:
        intent.provider_transaction_id = state.transaction_id
    if state.status == SUCCEEDED:
        if intent.status == IntentStatus.REFUNDED:
            return "ignored_refunded"
        problem = _mismatch(intent, state)
        if intent.status != IntentStatus.SUCCEEDED:
            intent.status = IntentStatus.SUCCEEDED
            intent.paid_at = state.completed_at or timezone.now()
        if problem:
            if intent.applied_at is None:
                _flag(intent, problem)
            return problem
        if intent.needs_review and intent.applied_at is None:
            return "awaiting_review"
        return _apply_success(intent)
    if intent.status != IntentStatus.PENDING:
        return "ignored_" + intent.status
    if state.status == FAILED:
        intent.status = IntentStatus.FAILED
        return "failed"
    if state.status == EXPIRED:
        intent.status = IntentStatus.EXPIRED
        return "expired"
    return "still_pending"


def webhook_receive(*, provider: str, headers, body: bytes, now: float | None = None) -> str:
    """A provider's webhook. The signature is checked before anything is written
    (``InvalidSignature`` -> 401); the event is stored once per (provider, event id) and
    applied once; the outcome is returned (and kept on the event)."""
    gateway = get_provider(provider)
    gateway.verify_webhook(headers=headers, body=body, now=now or timezone.now().timestamp())
    try:
        event = gateway.parse_webhook(body=body)
    except (ValueError, UnicodeDecodeError):
        raise ValidationFailed(_("Événement illisible."), code="invalid", field="body") from None
    with transaction.atomic():
        try:
            with transaction.atomic():
                row = WebhookEvent.objects.create(
                    provider=provider,
                    event_id=event.event_id,
                    event_type=event.event_type,
                    raw_body=body.decode("utf-8").replace("\x00", ""),
                )
        except IntegrityError:
            return "duplicate"
        outcome = _event_apply(row, event.state)
        row.outcome, row.applied_at = outcome[:40], timezone.now()
        row.save(update_fields=["outcome", "applied_at", "intent"])
    return outcome


def _event_apply(row: WebhookEvent, state: PaymentState | None) -> str:
    if state is None:
        return "ignored_type"
    intent = None
    if state.reference:
        intent = PaymentIntent.objects.filter(reference=state.reference, provider=row.provider)
        intent = intent.only("pk").first()
    if intent is None and state.session_id:
        intent = PaymentIntent.objects.filter(
            provider_session_id=state.session_id, provider=row.provider
        )
        intent = intent.only("pk").first()
    if intent is None:
        return "unknown_reference"  # on the review list (selectors.review_list)
    row.intent_id = intent.pk
    return payment_state_apply(intent_id=intent.pk, state=state, source=f"webhook {row.event_id}")


def payment_poll(*, intent: PaymentIntent, now: datetime | None = None) -> str:
    """Ask the provider about one pending intent; close it when expired and still unpaid."""
    now = now or timezone.now()
    gateway = get_provider(intent.provider)
    state = gateway.fetch_status(session_id=intent.provider_session_id, reference=intent.reference)
    if state.status == PENDING and intent.expires_at and intent.expires_at <= now:
        state = PaymentState(status=EXPIRED, reference=intent.reference)
    outcome = payment_state_apply(intent_id=intent.pk, state=state, source="poll")
    PaymentIntent.objects.filter(pk=intent.pk).update(last_polled_at=now)
    return outcome


def payments_poll(*, now: datetime | None = None, older_than_minutes: int | None = None) -> dict:
    """Every pending intent older than N minutes (settings.PAYMENTS_POLL_AFTER_MINUTES):
    polled; intents with no provider session and past expiry: expired. Returns counts."""
    now = now or timezone.now()
    minutes = older_than_minutes
    if minutes is None:
        minutes = settings.PAYMENTS_POLL_AFTER_MINUTES
    due = PaymentIntent.objects.filter(
        status=IntentStatus.PENDING, created_at__lte=now - timedelta(minutes=minutes)
    ).order_by("created_at")
    counts: dict[str, int] = {}
    for intent in due.iterator(chunk_size=200):
        if not intent.provider_session_id:
            outcome = "expired" if intent.expires_at and intent.expires_at <= now else "skipped"
            if outcome == "expired":
                state = PaymentState(status=EXPIRED, reference=intent.reference)
                payment_state_apply(intent_id=intent.pk, state=state, source="poll")
        else:
            try:
                outcome = payment_poll(intent=intent, now=now)
            except ProviderUnavailable:
                outcome = "provider_unavailable"
        counts[outcome] = counts.get(outcome, 0) + 1
    return counts
