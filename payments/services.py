"""Every write of the payments app (docs/payments.md).

- ``payment_start``: an intent for a registered purpose, then a checkout at the provider.
- ``payment_state_apply``: what the provider says (webhook or status call) applied to one
  intent under a row lock; success calls the purpose's ``on_succeeded`` exactly once, in
  the same transaction; an amount or currency that differs flags it for review instead.
- ``webhook_receive``: a signed provider event stored once per (provider, event id).
- ``payments_poll``: pending intents older than N minutes asked again; expired ones closed.
"""

from __future__ import annotations

import hashlib
import logging
import secrets
from datetime import datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from core import bulk, dates
from core.audit import acting_as
from core.errors import Conflict, DomainError, Forbidden, ValidationFailed
from core.money import format_xof
from core.services import service
from ledger.services import entry_post
from payments import purposes
from payments.errors import Code
from payments.models import (
    IntentStatus,
    LineStatus,
    PaymentIntent,
    Payout,
    PayoutStatus,
    RefundStatus,
    StatementImport,
    StatementLine,
    WebhookEvent,
)
from payments.providers import get_provider
from payments.providers.base import (
    EXPIRED,
    FAILED,
    PENDING,
    SUCCEEDED,
    PaymentState,
    ProviderUnavailable,
    StatementRow,
)
from payments.reconciliation import match_rows, statement_rows
from payments.rules import can_manage_payments, can_request_payout
from registry.selectors import cooperative_get
from registry.services import normalize_phone

log = logging.getLogger(__name__)
WALLET_ACCOUNT = "552"  # monnaie électronique (journal MM)
SUSPENSE_ACCOUNT = "471"  # compte d'attente
FEES_ACCOUNT = "631"  # frais bancaires (and the providers' fees)
MAX_AMOUNT = 100_000_000  # one payment by phone, F CFA (providers' wallets cap far lower)
CURRENCY = "XOF"


def _new_reference() -> str:
    return "SC" + secrets.token_hex(8).upper()


def check_amount(value, *, field: str = "amount", most: int = MAX_AMOUNT) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValidationFailed(
            _("Le montant doit être un nombre entier de francs."), code=Code.INVALID, field=field
        )
    if value < 1 or value > min(most, MAX_AMOUNT):
        raise ValidationFailed(
            _("Le montant doit être compris entre 1 et %(most)s.")
            % {"most": format_xof(min(most, MAX_AMOUNT))},
            code=Code.OUT_OF_RANGE,
            field=field,
        )
    return value


def _return_urls(intent: PaymentIntent, target) -> tuple[str, str]:
    base = settings.PAYMENTS_PUBLIC_URL.rstrip("/")
    path = target.return_path or reverse("payments:return", args=[intent.reference])
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


@service(
    atomic=False,
    texts=((PaymentIntent, {"purpose": "purpose", "provider": "provider"}),),
    amounts=("amount",),
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
        raise ValidationFailed(_("Cible invalide."), code=Code.INVALID, field="target")
    target = handler.target_for(target_id=target_id, actor=actor)
    if target.amount_due <= 0:
        raise Conflict(_("Rien n'est dû sur cette cible."), code=Code.NOTHING_DUE, field="target")
    amount = check_amount(amount, most=target.amount_due)
    phone = normalize_phone(phone, field="phone")
    if not phone:
        raise ValidationFailed(
            _("Le téléphone est obligatoire."), code=Code.REQUIRED, field="phone"
        )
    intent = _intent_create(
        purpose=purpose, target=target, amount=amount, phone=phone, provider=provider, actor=actor
    )
    success_url, error_url = _return_urls(intent, target)
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
        return _state_apply_locked(_locking().get(pk=intent_id), state, source)


def _locking():
    """Intents read under their row lock, with who started them (the purpose's actor and
    the history's user) in the same query; the user's row is not locked."""
    return PaymentIntent.objects.select_for_update(of=("self",)).select_related("created_by")


def _state_apply_locked(intent: PaymentIntent, state: PaymentState, source: str) -> str:
    """The transition on an intent already locked (``select_for_update``) by the caller's
    transaction: its row updated and its history written when something changed (a
    repeated or late word that changes nothing writes nothing: the event keeps it)."""
    before = [getattr(intent, name) for name in _TRACKED]
    with acting_as(intent.created_by):
        outcome = _transition(intent, state)
        changed = [n for n, old in zip(_TRACKED, before, strict=True) if getattr(intent, n) != old]
        if changed:
            intent._change_reason = f"{source}: {outcome}"[:100]
            # only what changed (the history row still copies the whole intent)
            intent.save(update_fields=[*changed, "updated_at"])
    return outcome


_TRACKED = (
    "status",
    "paid_at",
    "applied_at",
    "applied_ref",
    "needs_review",
    "review_reason",
    "provider_transaction_id",
)


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


class _Duplicate(Exception):
    """The event is already stored: the whole transaction is undone."""


def webhook_receive(*, provider: str, headers, body: bytes, now: float | None = None) -> str:
    """A provider's webhook. The signature is checked before anything is written
    (``InvalidSignature`` -> 401); the event is stored once per (provider, event id) and
    applied once; the outcome is returned (and kept on the event).

    One short transaction, four statements for a payment's success: the payment found
    and locked (``SELECT ... FOR UPDATE`` by our reference), its row updated, its history
    row, the event inserted with its outcome (plus the purpose's own writes). The event's
    unique (provider, event id) is the guard: a delivery already stored fails its insert
    and everything it did is rolled back (answer ``duplicate``); deliveries of one payment
    wait for each other on its row lock, so it is applied once and in order."""
    gateway = get_provider(provider)
    gateway.verify_webhook(headers=headers, body=body, now=now or timezone.now().timestamp())
    try:
        event = gateway.parse_webhook(body=body)
    except (ValueError, UnicodeDecodeError):
        raise ValidationFailed(_("Événement illisible."), code=Code.INVALID, field="body") from None
    if settings.PAYMENTS_WEBHOOK_QUEUED:
        return _webhook_enqueue(provider, event, body)
    try:
        with transaction.atomic():
            intent = _event_intent(provider, event.state)
            outcome = _event_outcome(intent, event)
            try:
                WebhookEvent.objects.create(
                    provider=provider,
                    event_id=event.event_id,
                    event_type=event.event_type,
                    raw_body=body.decode("utf-8").replace("\x00", ""),
                    intent=intent,
                    outcome=outcome[:40],
                    applied_at=timezone.now(),
                )
            except IntegrityError as exc:
                raise _Duplicate from exc
    except _Duplicate:
        return "duplicate"
    return outcome


def _event_outcome(intent: PaymentIntent | None, event) -> str:
    """An event's word applied to the intent it names (locked by the caller)."""
    if event.state is None:
        return "ignored_type"
    if intent is None:
        return "unknown_reference"  # on the review list (selectors.review_list)
    return _state_apply_locked(intent, event.state, f"webhook {event.event_id}")


# The queued mode (settings.PAYMENTS_WEBHOOK_QUEUED): the request only checks the signature
# and stores the event (one INSERT under the unique (provider, event id)), then answers;
# ``webhook_events_apply`` (the ``payments_webhook_worker`` command, and every
# ``payments_poll``) applies the stored events in the order they were received, each in
# its own transaction, exactly as the inline path does.
QUEUED, APPLYING = "queued", "applying"


def _webhook_enqueue(provider: str, event, body: bytes) -> str:
    try:
        with transaction.atomic():
            WebhookEvent.objects.create(
                provider=provider,
                event_id=event.event_id,
                event_type=event.event_type,
                raw_body=body.decode("utf-8").replace("\x00", ""),
                outcome=QUEUED,
            )
    except IntegrityError:
        return "duplicate"
    return QUEUED


def webhook_events_apply(*, limit: int = 1000) -> int:
    """Apply the stored events still queued, oldest first (by id, the order received);
    returns how many this call applied. Each one is claimed by a conditional UPDATE in its
    own transaction, so two workers never apply the same event (on SQLite as on
    PostgreSQL), and a crash leaves it queued for the next pass; an event whose
    application raises (a bug, not a purpose's refusal) is set aside as ``error``."""
    ids = (
        WebhookEvent.objects.filter(outcome=QUEUED)
        .order_by("id")
        .values_list("id", flat=True)[:limit]
    )
    applied = 0
    for pk in list(ids):
        try:
            applied += _queued_event_apply(pk)
        except Exception:  # a bug on one event must not hold the others back
            log.exception("webhook event %s: its application failed; set aside", pk)
            WebhookEvent.objects.filter(pk=pk, outcome=QUEUED).update(outcome="error")
    return applied


def _queued_event_apply(pk: int) -> int:
    with transaction.atomic():
        if not WebhookEvent.objects.filter(pk=pk, outcome=QUEUED).update(outcome=APPLYING):
            return 0  # another worker took it
        row = WebhookEvent.objects.only("provider", "raw_body").get(pk=pk)
        try:
            event = get_provider(row.provider).parse_webhook(body=row.raw_body.encode())
        except (ValueError, UnicodeDecodeError, ValidationFailed):
            event, intent, outcome = None, None, "invalid"
        if event is not None:
            intent = _event_intent(row.provider, event.state)
            outcome = _event_outcome(intent, event)
        WebhookEvent.objects.filter(pk=pk).update(
            intent=intent, outcome=outcome[:40], applied_at=timezone.now()
        )
    return 1


def _event_intent(provider: str, state: PaymentState | None) -> PaymentIntent | None:
    """The payment an event names, locked: by our reference, else by the provider's
    session id (one query when the reference is there)."""
    if state is None:
        return None
    mine = _locking().filter(provider=provider).order_by()
    intent = None
    if state.reference:
        intent = mine.filter(reference=state.reference).first()
    if intent is None and state.session_id:
        intent = mine.filter(provider_session_id=state.session_id).order_by("pk").first()
    return intent


def callback_confirm(*, provider: str, reference: str, body: bytes) -> str:
    """An **unsigned** provider notification (Orange Money): kept for the record, never
    believed. It only makes us ask the provider's status API about the payment it names
    (:func:`payment_poll`); only a success from that call credits. A forged or repeated
    notification therefore changes nothing the provider does not confirm."""
    reference = str(reference or "").replace("\x00", "")[:40]
    intent = None
    if reference:
        intent = PaymentIntent.objects.filter(provider=provider, reference=reference).first()
    digest = hashlib.sha256(body).hexdigest()[:40]
    row = None
    with transaction.atomic():
        try:
            with transaction.atomic():
                row = WebhookEvent.objects.create(
                    provider=provider,
                    event_id=f"{reference}:{digest}"[:100],
                    event_type="notification",
                    raw_body=body.decode("utf-8", "replace").replace("\x00", "")[:20_000],
                    intent=intent,
                )
        except IntegrityError:
            row = None  # the same notification again: asking again is harmless
    if intent is None:
        outcome = "unknown_reference"
    elif intent.status == IntentStatus.SUCCEEDED:
        outcome = "already_applied"
    else:
        outcome = "confirmed_" + payment_poll(intent=intent)
    if row is not None:
        WebhookEvent.objects.filter(pk=row.pk).update(
            outcome=outcome[:40], applied_at=timezone.now()
        )
    return outcome


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
    polled; intents with no provider session and past expiry: expired; first, webhook
    events still queued (queued mode) applied. Returns counts."""
    now = now or timezone.now()
    minutes = older_than_minutes
    if minutes is None:
        minutes = settings.PAYMENTS_POLL_AFTER_MINUTES
    counts: dict[str, int] = {}
    queued = webhook_events_apply(limit=100_000)  # events a stopped worker left queued
    if queued:
        counts["queued_events_applied"] = queued
    due = PaymentIntent.objects.filter(
        status=IntentStatus.PENDING, created_at__lte=now - timedelta(minutes=minutes)
    ).order_by("created_at")
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


# --------------------------------------------------------------------------- reconciliation


def _require_manager(actor) -> None:
    if not can_manage_payments(actor):
        raise Forbidden(_("Seul le niveau national rapproche les relevés des opérateurs."))


@service(atomic=False, texts=((StatementImport, {"provider": "provider", "source": "source"}),))
def statement_import(
    *, provider: str, rows: list[StatementRow], source: str, actor, cooperative=None
) -> StatementImport:
    """Import a statement's lines (a file read by reconciliation.statement_rows, or the
    provider's API): lines already imported (same provider and transaction id) are skipped;
    the others matched (reconciliation.match_rows); a pending payment the statement shows
    paid is applied as a late success. With ``cooperative`` (the wallet's owner): the day's
    provider fees (631 / 552) and the unmatched money (552 / 471, suspense) are posted in
    its MM journal. All or nothing."""
    _require_manager(actor)
    get_provider(provider)
    with transaction.atomic(), acting_as(actor):
        known = set()
        lines = StatementLine.objects.filter(provider=provider).order_by()
        lines = lines.values_list("transaction_id", flat=True)
        for qs in bulk.by_values(lines, "transaction_id", {r.transaction_id for r in rows}):
            known.update(qs)
        fresh, seen = [], set()
        for r in rows:
            if r.transaction_id not in known and r.transaction_id not in seen:
                seen.add(r.transaction_id)
                fresh.append(r)
        stmt = StatementImport.objects.create(
            provider=provider,
            cooperative=cooperative,
            source=source[:120],
            imported_by=actor,
            lines_read=len(rows),
            lines_new=len(fresh),
        )
        matches = match_rows(provider, fresh)
        _lines_create(stmt, provider, matches)
        _late_successes(matches)
        if cooperative is not None:
            _post_statement(stmt, matches, actor)
    return stmt


LINE_FIELDS = (
    "statement",
    "provider",
    "transaction_id",
    "occurred_at",
    "amount",
    "fee",
    "reference",
    "phone",
    "status",
    "rule",
    "intent",
    "payout",
)


def _lines_create(stmt, provider, matches) -> None:
    """The lines as tuples (COPY on PostgreSQL: no model instance per line)."""
    matched, unmatched = LineStatus.MATCHED.value, LineStatus.UNMATCHED.value
    bulk.insert_rows(
        StatementLine,
        LINE_FIELDS,
        (
            (
                stmt.pk,
                provider,
                m.row.transaction_id,
                m.row.when,
                m.row.amount,
                m.row.fee,
                m.row.reference,
                m.row.phone,
                matched if m.rule else unmatched,
                m.rule,
                m.intent_id,
                m.payout_id,
            )
            for m in matches
        ),
    )


def _late_successes(matches) -> None:
    """Payments the statement shows paid whose success we never heard of (a lost webhook):
    applied now, exactly as a late webhook (one by one: each calls its purpose)."""
    for m in matches:
        if m.intent is None or m.intent.status == IntentStatus.SUCCEEDED:
            continue
        state = PaymentState(
            status=SUCCEEDED,
            transaction_id=m.row.transaction_id,
            amount=m.row.amount,
            currency=m.intent.currency,
            completed_at=m.row.when,
        )
        payment_state_apply(intent_id=m.intent_id, state=state, source="statement")


def _post_statement(stmt, matches, actor) -> None:
    on = max(timezone.localdate(m.row.when) for m in matches) if matches else None
    fees = sum(m.row.fee for m in matches)
    money_in = sum(m.row.amount for m in matches if not m.rule and m.row.amount > 0)
    money_out = -sum(m.row.amount for m in matches if not m.rule and m.row.amount < 0)
    common = {"actor": actor, "cooperative": stmt.cooperative, "journal": "MM", "on": on}
    if fees:
        entry_post(
            **common,
            label=_("Frais de l'opérateur (relevé %(id)s)") % {"id": stmt.pk},
            lines=[(FEES_ACCOUNT, fees, 0), (WALLET_ACCOUNT, 0, fees)],
            source="payments.fees",
            source_ref=str(stmt.pk),
        )
    lines = []
    if money_in:
        lines += [(WALLET_ACCOUNT, money_in, 0), (SUSPENSE_ACCOUNT, 0, money_in)]
    if money_out:
        lines += [(SUSPENSE_ACCOUNT, money_out, 0), (WALLET_ACCOUNT, 0, money_out)]
    if lines:
        entry_post(
            **common,
            label=_("Mouvements non identifiés (relevé %(id)s)") % {"id": stmt.pk},
            lines=lines,
            source="payments.suspense",
            source_ref=str(stmt.pk),
        )


@service(atomic=False, texts=((StatementLine, {"note": "match_note"}),))
def statement_line_match(
    *,
    line: StatementLine,
    actor,
    note: str,
    intent: PaymentIntent | None = None,
    payout: Payout | None = None,
) -> StatementLine:
    """Match an unmatched line by hand to a payment (money in) or a payout (money out),
    saying why; the amount must be the same. Its suspense entry is cleared (471 / 552)."""
    _require_manager(actor)
    note = (note or "").replace("\x00", "").strip()
    if not note:
        raise ValidationFailed(
            _("Dites pourquoi ce rapprochement."), code=Code.REQUIRED, field="note"
        )
    if len(note) > 300:
        raise ValidationFailed(_("300 caractères au plus."), code=Code.TOO_LONG, field="note")
    with transaction.atomic(), acting_as(actor):
        line = StatementLine.objects.select_for_update().select_related("statement").get(pk=line.pk)
        if line.status != LineStatus.UNMATCHED:
            raise Conflict(_("Cette ligne est déjà rapprochée."), code=Code.ALREADY_MATCHED)
        target = intent or payout
        if target is None or (intent is not None and payout is not None):
            raise ValidationFailed(_("Choisissez un paiement ou un versement."), code=Code.REQUIRED)
        expected = intent.amount if intent is not None else -payout.amount
        if line.amount != expected:
            raise Conflict(_("Le montant diffère de celui de la ligne."), code=Code.AMOUNT_DIFFERS)
        if StatementLine.objects.filter(Q(intent=intent) if intent else Q(payout=payout)).exists():
            raise Conflict(_("Déjà rapproché d'une autre ligne."), code=Code.ALREADY_MATCHED)
        line.intent, line.payout = intent, payout
        line.status, line.rule = LineStatus.MANUAL, "manual"
        line.matched_by, line.matched_at, line.match_note = actor, timezone.now(), note
        line.save()
        if intent is not None and intent.status != IntentStatus.SUCCEEDED:
            state = PaymentState(
                status=SUCCEEDED,
                transaction_id=line.transaction_id,
                amount=line.amount,
                currency=intent.currency,
                completed_at=line.occurred_at,
            )
            payment_state_apply(intent_id=intent.pk, state=state, source="manual match")
        if line.statement.cooperative_id:
            amount = abs(line.amount)
            lines = [(SUSPENSE_ACCOUNT, amount, 0), (WALLET_ACCOUNT, 0, amount)]
            if line.amount < 0:
                lines = [(WALLET_ACCOUNT, amount, 0), (SUSPENSE_ACCOUNT, 0, amount)]
            entry_post(
                actor=actor,
                cooperative=line.statement.cooperative,
                journal="MM",
                on=dates.today(),
                label=_("Rapprochement manuel : %(tx)s") % {"tx": line.transaction_id},
                lines=lines,
                source="payments.suspense_cleared",
                source_ref=str(line.pk),
            )
    return line


# --------------------------------------------------------------------------- payouts

PAYOUT_KINDS = {"refund", "settlement", "consultant", "disbursement", "claim"}


@service(
    atomic=False,
    texts=((Payout, {"kind": "kind", "provider": "provider", "name": "name", "reason": "reason"}),),
    amounts=("amount",),
)
def payout_request(
    *,
    kind: str,
    provider: str,
    amount: int,
    phone: str,
    name: str,
    reason: str,
    actor,
    cooperative=None,
    intent: PaymentIntent | None = None,
    purpose: str = "",
    target_id: int | None = None,
    cooperative_id: int | None = None,
) -> Payout:
    """Ask for money to be sent. Up to settings.PAYMENTS_PAYOUT_APPROVAL_THRESHOLD it is
    approved at once (then ``payout_send``); above, a second person approves it. National
    staff, or the users an app above registered for its kinds (payments.rules); with a
    ``purpose`` (payments.purposes.register_payout), whom its handler allows, only.
    ``cooperative_id`` (a number typed on the page): the cooperative whose money it is."""
    if purpose:
        handler = purposes.payout_handler(purpose)
        if kind != handler.kind or not handler.may_request(actor=actor, target_id=target_id):
            raise Forbidden(_("Vous ne pouvez pas demander ce versement."))
    elif kind == "claim" or not can_request_payout(actor, kind):
        raise Forbidden(_("Vous ne pouvez pas demander ce versement."))
    get_provider(provider)
    if cooperative is None and cooperative_id is not None:
        cooperative = cooperative_get(actor=actor, pk=cooperative_id)
    if kind not in PAYOUT_KINDS:
        raise ValidationFailed(_("Type de versement inconnu."), code=Code.INVALID, field="kind")
    amount = check_amount(amount)
    phone = normalize_phone(phone, field="phone")
    for field, value, most in (("name", name, 100), ("reason", reason, 200)):
        value = str(value or "")
        if not value.strip() or len(value) > most or "\x00" in value:
            raise ValidationFailed(
                _("Champ obligatoire, %(most)s caractères au plus.") % {"most": most},
                code=Code.INVALID,
                field=field,
            )
    if not phone:
        raise ValidationFailed(
            _("Le téléphone est obligatoire."), code=Code.REQUIRED, field="phone"
        )
    above = amount > settings.PAYMENTS_PAYOUT_APPROVAL_THRESHOLD
    fields = dict(
        kind=kind,
        provider=provider,
        amount=amount,
        phone=phone,
        name=name.strip(),
        reason=reason.strip(),
        cooperative=cooperative,
        intent=intent,
        requested_by=actor,
        status=PayoutStatus.AWAITING_APPROVAL if above else PayoutStatus.APPROVED,
    )
    with acting_as(actor):
        if purpose:
            return _purpose_payout(purpose, target_id, fields)
        with transaction.atomic():
            return Payout.objects.create(reference="PO" + secrets.token_hex(8).upper(), **fields)


PAYOUT_LIVE = (
    PayoutStatus.AWAITING_APPROVAL,
    PayoutStatus.APPROVED,
    PayoutStatus.PROCESSING,
    PayoutStatus.SUCCEEDED,
)


PAYOUT_SENT_FIELDS = ("provider", "amount", "phone", "name", "reason")


def purpose_payout_reference(purpose: str, target_id: int, attempt: int, fields: dict) -> str:
    """The reference (hence the idempotency key) of a purpose's payout, derived from the
    app's own row and what is paid: the same target asked again never gets a new random
    key; a new attempt (after a failure or a refusal) gets the next number. The digest of
    what is sent (amount, phone, name, reason, provider) keeps a key from ever naming two
    different payouts (a database restored to an earlier day gives the same ids again)."""
    code = "".join(part[:4] for part in purpose.upper().split("_"))[:12]
    what = [purpose, target_id, attempt] + [fields[k] for k in PAYOUT_SENT_FIELDS]
    digest = hashlib.sha256(repr(what).encode()).hexdigest()[:8].upper()
    return f"PO-{code}-{int(target_id)}-{int(attempt)}-{digest}"


def _purpose_payout(purpose: str, target_id, fields: dict) -> Payout:
    """One live payout per (purpose, target): asked again, the live one is answered (its
    key unchanged); after a failure or a refusal, the next attempt. Two requests at once:
    the unique reference lets one through, the other answers it."""
    if not isinstance(target_id, int) or isinstance(target_id, bool) or target_id <= 0:
        raise ValidationFailed(_("Cible invalide."), code=Code.INVALID, field="target_id")
    mine = Payout.objects.filter(purpose=purpose, target_id=target_id)
    with transaction.atomic():
        live = mine.filter(status__in=PAYOUT_LIVE).order_by("-id").first()
        if live is not None:
            return live
        reference = purpose_payout_reference(purpose, target_id, mine.count() + 1, fields)
        try:
            with transaction.atomic():
                return Payout.objects.create(
                    purpose=purpose, target_id=target_id, reference=reference, **fields
                )
        except IntegrityError:
            return Payout.objects.get(reference=reference)


@service(atomic=False)
def payout_approve(*, payout: Payout, actor, approve: bool = True) -> Payout:
    """The second person's decision (never the one who asked: 403 ``same_person``). A
    payout of a registered purpose: whom its handler names; others: national staff."""
    if payout.purpose:
        handler = purposes.payout_handler(payout.purpose)
        if not handler.may_approve(actor=actor, payout=payout):
            raise Forbidden(_("Vous ne pouvez pas approuver ce versement."))
    else:
        _require_manager(actor)
    with transaction.atomic(), acting_as(actor):
        payout = Payout.objects.select_for_update().get(pk=payout.pk)
        if payout.requested_by_id == actor.pk:
            raise Forbidden(
                _("Une autre personne que le demandeur doit approuver."), code=Code.SAME_PERSON
            )
        if payout.status != PayoutStatus.AWAITING_APPROVAL:
            raise Conflict(_("Ce versement n'attend pas d'approbation."), code=Code.NOT_AWAITING)
        payout.status = PayoutStatus.APPROVED if approve else PayoutStatus.REJECTED
        payout.approved_by, payout.approved_at = actor, timezone.now()
        payout.save()
        if not approve and payout.kind == "refund" and payout.intent_id:
            _refund_state_set(payout.intent_id, PayoutStatus.REJECTED, "rejected")
        if not approve:
            _payout_settled(payout)
    return payout


def payout_send(*, payout: Payout, actor=None) -> Payout:
    """Send an approved payout (or re-send one whose answer was lost) with the idempotency
    key of its row: the provider pays a key once, however often we retry. A provider that
    does not answer leaves it approved (the next ``payments_poll`` retries)."""
    with transaction.atomic():
        payout = Payout.objects.select_for_update().get(pk=payout.pk)
        if payout.status != PayoutStatus.APPROVED:
            raise Conflict(_("Seul un versement approuvé s'envoie."), code=Code.NOT_APPROVED)
        payout.attempts += 1
        payout.save(update_fields=["attempts", "updated_at"])
    try:
        state = get_provider(payout.provider).payout(
            idempotency_key=payout.idempotency_key,
            amount=payout.amount,
            currency=payout.currency,
            phone=payout.phone,
            name=payout.name,
            reference=payout.reference,
            reason=payout.reason,
        )
    except ProviderUnavailable:
        return payout
    return _payout_state_apply(payout, state, actor)


def _payout_state_apply(payout: Payout, state, actor) -> Payout:
    with transaction.atomic(), acting_as(actor):
        payout = Payout.objects.select_for_update().get(pk=payout.pk)
        if payout.status in (PayoutStatus.SUCCEEDED, PayoutStatus.FAILED):
            return payout
        payout.provider_payout_id = state.payout_id or payout.provider_payout_id
        payout.fee = state.fee
        payout.error = state.error
        payout.status = {
            "succeeded": PayoutStatus.SUCCEEDED,
            "failed": PayoutStatus.FAILED,
            "reversed": PayoutStatus.FAILED,
        }.get(state.status, PayoutStatus.PROCESSING)
        payout.save()
        if payout.kind == "refund" and payout.intent_id:
            _refund_state_set(payout.intent_id, payout.status, payout.error)
        if payout.status in (PayoutStatus.SUCCEEDED, PayoutStatus.FAILED):
            _payout_settled(payout)
    return payout


def _payout_settled(payout: Payout) -> None:
    """Tell the purpose's app (if any) that the payout is final, once per final state."""
    if not payout.purpose:
        return
    try:
        with transaction.atomic():
            purposes.payout_handler(payout.purpose).on_settled(payout=payout)
    except DomainError as exc:
        log.exception("payout %s: the purpose %s refused", payout.reference, payout.purpose)
        payout.error = str(exc.message)[:200]
        payout.save(update_fields=["error", "updated_at"])


def payouts_follow() -> dict:
    """Payouts still processing asked again; approved ones whose sending failed re-sent."""
    counts: dict[str, int] = {}
    for payout in Payout.objects.filter(status=PayoutStatus.PROCESSING).iterator():
        try:
            state = get_provider(payout.provider).payout_status(payout_id=payout.provider_payout_id)
            payout = _payout_state_apply(payout, state, None)
        except ProviderUnavailable:
            pass
        counts[payout.status] = counts.get(payout.status, 0) + 1
    for payout in Payout.objects.filter(status=PayoutStatus.APPROVED, attempts__gt=0).iterator():
        payout = payout_send(payout=payout)
        counts[payout.status] = counts.get(payout.status, 0) + 1
    return counts


@service(atomic=False, texts=((StatementImport, {"provider": "provider"}),))
def statement_upload(*, source, filename: str, provider: str, actor, cooperative_id=None):
    """A statement file uploaded by a person: checked, read, imported (statement_import)."""
    _require_manager(actor)
    cooperative = None
    if cooperative_id not in (None, ""):
        cooperative = cooperative_get(actor=actor, pk=cooperative_id)
    rows = statement_rows(source, filename=filename)
    return statement_import(
        provider=provider,
        rows=rows,
        source=filename or "relevé",
        actor=actor,
        cooperative=cooperative,
    )


# --------------------------------------------------------------------------- refunds


def _refund_state_set(intent_id: int, status: str, error: str = "") -> None:
    """A refund's progress on its payment; a refund paid marks the payment ``refunded``."""
    intent = PaymentIntent.objects.select_for_update().get(pk=intent_id)
    refund = {
        PayoutStatus.SUCCEEDED: RefundStatus.SUCCEEDED,
        PayoutStatus.FAILED: RefundStatus.FAILED,
        PayoutStatus.REJECTED: RefundStatus.FAILED,
    }.get(status, RefundStatus.PROCESSING)
    if intent.refund_status == refund:
        return
    intent.refund_status, intent.refund_error = refund, (error or "")[:200]
    if refund == RefundStatus.SUCCEEDED:
        intent.status = IntentStatus.REFUNDED
    intent._change_reason = f"refund: {refund}"
    intent.save()


def payment_refund(*, intent: PaymentIntent, actor, reason: str):
    """Give a payment's money back to the payer (national staff): an amount that differed,
    a payment nobody can apply. Only a payment received and **not applied** (an applied one
    is first reversed in its own app: 409 ``already_applied``).

    Wave: its refund API, then the status followed (``refunds_follow``) until the session
    reads ``refunded``. Orange Money (no refund call): a payout of the same amount to the
    payer (kind ``refund``, maker-checker above the threshold), followed as every payout.
    Returns the intent (Wave) or the payout (Orange Money)."""
    _require_manager(actor)
    reason = _note(reason, field="reason")
    with transaction.atomic(), acting_as(actor):
        intent = PaymentIntent.objects.select_for_update().get(pk=intent.pk)
        if intent.status != IntentStatus.SUCCEEDED:
            raise Conflict(_("Seul un paiement reçu se rembourse."), code=Code.NOT_SUCCEEDED)
        if intent.applied_at is not None:
            raise Conflict(
                _("Ce paiement est imputé : annulez d'abord l'opération qu'il a enregistrée."),
                code=Code.ALREADY_APPLIED,
            )
        if intent.refund_status not in ("", RefundStatus.FAILED):
            raise Conflict(_("Un remboursement est déjà en cours."), code=Code.REFUND_PENDING)
        intent.refund_status, intent.refund_error = RefundStatus.REQUESTED, ""
        intent.review_note = reason[:300]
        intent.needs_review = False  # the refund is the review's outcome
        intent.review_resolved_at, intent.review_resolved_by = timezone.now(), actor
        intent._change_reason = f"refund requested: {reason}"[:100]
        intent.save()
    gateway = get_provider(intent.provider)
    if not gateway.supports_refund:
        payout = payout_request(
            kind="refund",
            provider=intent.provider,
            amount=intent.amount,
            phone=intent.phone,
            name=(intent.target_label or intent.reference)[:100],
            reason=reason[:200],
            actor=actor,
            cooperative=intent.cooperative,
            intent=intent,
        )
        if payout.status == PayoutStatus.APPROVED:
            payout = payout_send(payout=payout, actor=actor)
        return payout
    _refund_send(intent, gateway, actor)
    intent.refresh_from_db()
    return intent


def _refund_send(intent: PaymentIntent, gateway, actor) -> None:
    try:
        gateway.refund(session_id=intent.provider_session_id, reference=intent.reference)
        status = gateway.refund_status(
            session_id=intent.provider_session_id, reference=intent.reference
        )
    except ProviderUnavailable:
        return  # stays "requested": refunds_follow asks again
    with transaction.atomic(), acting_as(actor):
        _refund_state_set(intent.pk, _REFUND_TO_PAYOUT.get(status, PayoutStatus.PROCESSING))


_REFUND_TO_PAYOUT = {"succeeded": PayoutStatus.SUCCEEDED, "failed": PayoutStatus.FAILED}


def refunds_follow() -> dict:
    """Refunds by a provider's refund API still open: asked where they stand (``requested``
    ones whose call was lost: the status first, the refund re-sent only if not done)."""
    counts: dict[str, int] = {}
    open_ = PaymentIntent.objects.filter(
        refund_status__in=[RefundStatus.REQUESTED, RefundStatus.PROCESSING]
    )
    for intent in open_.iterator():
        gateway = get_provider(intent.provider)
        if not gateway.supports_refund:
            continue  # a payout: payouts_follow follows it
        try:
            status = gateway.refund_status(
                session_id=intent.provider_session_id, reference=intent.reference
            )
        except ProviderUnavailable:
            counts["provider_unavailable"] = counts.get("provider_unavailable", 0) + 1
            continue
        if status == "processing" and intent.refund_status == RefundStatus.REQUESTED:
            _refund_send(intent, gateway, None)
        else:
            with transaction.atomic():
                _refund_state_set(intent.pk, _REFUND_TO_PAYOUT.get(status, "processing"))
        intent.refresh_from_db(fields=["refund_status"])
        counts[intent.refund_status] = counts.get(intent.refund_status, 0) + 1
    return counts


# --------------------------------------------------------------------------- review list


def _note(value, *, field: str = "note") -> str:
    value = str(value or "").replace("\x00", "").strip()
    if not value:
        raise ValidationFailed(_("Dites pourquoi."), code=Code.REQUIRED, field=field)
    if len(value) > 300:
        raise ValidationFailed(_("300 caractères au plus."), code=Code.TOO_LONG, field=field)
    return value


REVIEW_ACTIONS = ("apply", "close")


@service(texts=((PaymentIntent, {"note": "review_note"}),))
def payment_review_resolve(*, intent: PaymentIntent, action: str, note: str, actor) -> str:
    """Take a payment off the review list, saying why (who and when are kept):

    - ``apply``: the purpose's service is called now (the cause was fixed, e.g. the loan
      reopened, or a USSD payment nobody applied); never for an amount or a currency that
      differed (409 ``amount_mismatch``: refund it, or close it);
    - ``close``: nothing is posted (e.g. refunded, or settled outside SunuCoop).
    Returns the outcome (``applied``, ``refused_by_purpose``, ``closed``)."""
    _require_manager(actor)
    note = _note(note)
    if action not in REVIEW_ACTIONS:
        raise ValidationFailed(_("Action inconnue."), code=Code.INVALID, field="action")
    intent = PaymentIntent.objects.select_for_update().get(pk=intent.pk)
    if not intent.needs_review and not (
        intent.status == IntentStatus.SUCCEEDED and intent.applied_at is None
    ):
        raise Conflict(_("Ce paiement n'est pas à vérifier."), code=Code.NOT_IN_REVIEW)
    outcome = "closed"
    if action == "apply":
        if intent.status != IntentStatus.SUCCEEDED or intent.applied_at is not None:
            raise Conflict(
                _("Seul un paiement reçu et non imputé s'impute."), code=Code.NOT_APPLICABLE
            )
        if intent.review_reason in ("amount_mismatch", "currency_mismatch"):
            raise Conflict(
                _("Le montant reçu diffère : remboursez ou classez ce paiement."),
                code=Code.AMOUNT_MISMATCH,
            )
        if intent.created_by_id is None:  # a channel without a user (USSD): the resolver
            intent.created_by = actor
        outcome = _apply_success(intent)
        if outcome != "applied":
            intent.save()
            return outcome
    intent.needs_review = False
    intent.review_resolved_at, intent.review_resolved_by = timezone.now(), actor
    intent.review_note = note
    intent._change_reason = f"review {outcome}: {note}"[:100]
    intent.save()
    return outcome


@service(texts=((WebhookEvent, {"note": "resolution_note"}),))
def event_resolve(*, event: WebhookEvent, note: str, actor) -> WebhookEvent:
    """An event naming no payment of ours, classed with who, when and why (nothing is
    posted: money that really came shows on the statement, where it is matched)."""
    _require_manager(actor)
    note = _note(note)
    event = WebhookEvent.objects.select_for_update().get(pk=event.pk)
    if event.outcome != "unknown_reference" or event.resolved_at is not None:
        raise Conflict(_("Cet événement n'est pas à vérifier."), code=Code.NOT_IN_REVIEW)
    event.resolved_at, event.resolved_by, event.resolution_note = timezone.now(), actor, note
    event.save(update_fields=["resolved_at", "resolved_by", "resolution_note"])
    return event


# --------------------------------------------------------------------------- daily statement


def statement_fetch(*, provider: str, on, actor, cooperative=None) -> StatementImport:
    """The provider's statement of the day ``on`` from its API (Wave's Balance API,
    Orange Money's eWallet transactions), imported and reconciled (``statement_import``)."""
    _require_manager(actor)
    rows = get_provider(provider).fetch_statement(on=on)
    return statement_import(
        provider=provider,
        rows=rows,
        source=f"API {provider} {on.isoformat()}",
        actor=actor,
        cooperative=cooperative,
    )
