"""Every read of payments a person triggers, scoped (accounts.scoping)."""

from __future__ import annotations

from types import SimpleNamespace

from django.db.models import Count, Q, QuerySet, Sum
from django.utils.translation import gettext as _

from accounts.scoping import scope_for, scope_q
from core.errors import Forbidden, NotFound
from payments import purposes
from payments.models import (
    IntentStatus,
    LineStatus,
    PaymentIntent,
    Payout,
    StatementImport,
    StatementLine,
    WebhookEvent,
)
from payments.rules import can_manage_payments
from registry.models import Person


def intent_scope_q(actor) -> Q:
    scope = scope_for(actor)
    if scope.national:
        return Q()  # (an empty Q OR-ed with another is that other: return it alone)
    q = scope_q(
        scope,
        area="area",
        cooperative="cooperative",
        lender="lender_id",
        person="person",
    )
    if getattr(actor, "pk", None):
        q |= Q(created_by=actor)
    return q


def payment_list(
    *, actor, status: str = "", purpose: str = "", q: str = "", review: bool = False
) -> QuerySet[PaymentIntent]:
    qs = PaymentIntent.objects.filter(intent_scope_q(actor)).select_related("cooperative")
    if status:
        qs = qs.filter(status=status)
    if purpose:
        qs = qs.filter(purpose=purpose)
    if review:
        qs = qs.filter(needs_review=True)
    if q:
        q = q.strip()[:80]
        qs = qs.filter(
            Q(reference__iexact=q)
            | Q(phone__contains=q)
            | Q(provider_transaction_id__iexact=q)
            | Q(target_label__icontains=q)
        )
    return qs.order_by("-created_at", "-id")


def payment_get(*, actor, pk) -> PaymentIntent:
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        pk = 0
    intent = payment_list(actor=actor).filter(pk=pk).first() if 0 < pk < 2**63 else None
    if intent is None:
        raise NotFound(_("Paiement introuvable."))
    return intent


def payment_by_reference(*, actor, reference: str) -> PaymentIntent:
    intent = payment_list(actor=actor).filter(reference=str(reference)[:40]).first()
    if intent is None:
        raise NotFound(_("Paiement introuvable."))
    return intent


def unknown_events(*, actor, resolved: bool = False) -> QuerySet[WebhookEvent]:
    """Provider events naming no payment of ours, or whose queued application failed
    (``error``) (national staff only); by default those nobody has classed yet."""
    if not scope_for(actor).national:
        return WebhookEvent.objects.none()
    qs = WebhookEvent.objects.filter(outcome__in=("unknown_reference", "error"))
    qs = qs.filter(resolved_at__isnull=not resolved)
    return qs.order_by("-received_at", "-id")


def review_intents(*, actor) -> QuerySet[PaymentIntent]:
    """Payments to review (national staff only): flagged (an amount or a currency that
    differed, a purpose that refused), and money received that nothing applied (a USSD
    payment without a user)."""
    if not can_manage_payments(actor):
        return PaymentIntent.objects.none()
    flagged = Q(needs_review=True) | Q(
        status=IntentStatus.SUCCEEDED, applied_at__isnull=True, refund_status=""
    )
    qs = PaymentIntent.objects.filter(flagged).select_related("cooperative", "created_by")
    return qs.order_by("-updated_at", "-id")


def review_intent_get(*, actor, pk) -> PaymentIntent:
    intent = review_intents(actor=actor).filter(pk=_pk(pk)).first()
    if intent is None:
        raise NotFound(_("Paiement introuvable."))
    return intent


def unknown_event_get(*, actor, pk) -> WebhookEvent:
    event = unknown_events(actor=actor).filter(pk=_pk(pk)).first()
    if event is None:
        raise NotFound(_("Événement introuvable."))
    return event


def _pk(value) -> int:
    try:
        value = int(value)
    except (TypeError, ValueError):
        return 0
    return value if 0 < value < 2**63 else 0


def reconciliation_report(*, actor, on, provider: str = "wave") -> dict:
    """The day's report: lines matched (automatically, by hand), unmatched (the review
    list), the provider's fees, and the suspense balance (every unmatched line up to the
    day): it must come back to zero as the lines are matched."""
    if not can_manage_payments(actor):
        raise Forbidden(_("Seul le niveau national consulte les rapprochements."))
    lines = StatementLine.objects.filter(provider=provider)
    day = lines.filter(occurred_at__date=on)
    counts = dict(day.values_list("status").annotate(n=Count("id")).order_by())
    return {
        "on": on,
        "provider": provider,
        "matched": counts.get(LineStatus.MATCHED, 0),
        "manual": counts.get(LineStatus.MANUAL, 0),
        "unmatched": list(day.filter(status=LineStatus.UNMATCHED).order_by("occurred_at", "id")),
        "fees": day.aggregate(s=Sum("fee"))["s"] or 0,
        "suspense_balance": lines.filter(
            status=LineStatus.UNMATCHED, occurred_at__date__lte=on
        ).aggregate(s=Sum("amount"))["s"]
        or 0,
    }


def unmatched_lines(*, actor) -> QuerySet[StatementLine]:
    if not can_manage_payments(actor):
        return StatementLine.objects.none()
    return StatementLine.objects.filter(status=LineStatus.UNMATCHED).order_by("occurred_at", "id")


def unmatched_line_get(*, actor, pk) -> StatementLine:
    line = unmatched_lines(actor=actor).select_related("statement").filter(pk=_pk(pk)).first()
    if line is None:
        raise NotFound(_("Ligne introuvable."))
    return line


def match_candidates(*, actor, line: StatementLine, limit: int = 20) -> list:
    """What an unmatched line may be matched to by hand: payments (money in) or payouts
    (money out) of the same provider and amount not matched yet, nearest in time first."""
    if not can_manage_payments(actor):
        return []
    if line.amount > 0:
        qs = PaymentIntent.objects.filter(
            provider=line.provider, amount=line.amount, statement_line__isnull=True
        ).exclude(status__in=[IntentStatus.FAILED, IntentStatus.REFUNDED])
        return list(qs.order_by("-created_at")[:limit])
    qs = Payout.objects.filter(
        provider=line.provider, amount=-line.amount, statement_line__isnull=True
    )
    return list(qs.order_by("-created_at")[:limit])


def statements(*, actor) -> QuerySet[StatementImport]:
    if not can_manage_payments(actor):
        return StatementImport.objects.none()
    return StatementImport.objects.select_related("cooperative", "imported_by").order_by(
        "-imported_at", "-id"
    )


def payout_list(*, actor, status: str = "") -> QuerySet[Payout]:
    if not can_manage_payments(actor):
        return Payout.objects.none()
    qs = Payout.objects.select_related("requested_by", "approved_by", "cooperative")
    qs = qs.filter(status=status) if status else qs
    return qs.order_by("-created_at", "-id")


def payout_get(*, actor, pk) -> Payout:
    payout = payout_list(actor=actor).filter(pk=_pk(pk)).first()
    if payout is None:
        raise NotFound(_("Versement introuvable."))
    return payout


def purpose_payouts(*, purpose: str, target_ids) -> dict[int, Payout]:
    """The latest payout of each target of a payout purpose (``{target_id: payout}``), for
    the app above that owns the targets: it has scoped them through its own selector
    (a settlement, a loan the user may see) before asking."""
    ids = [int(i) for i in target_ids]
    rows = Payout.objects.filter(purpose=purpose, target_id__in=ids).order_by("target_id", "id")
    return {p.target_id: p for p in rows}  # the last id of each target wins


def purpose_payout(*, purpose: str, target_id: int) -> Payout | None:
    """The latest payout of one target (see ``purpose_payouts``), or None."""
    return purpose_payouts(purpose=purpose, target_ids=[target_id]).get(int(target_id))


def payment_target(*, actor, purpose: str, target_id: int):
    """A purpose's target as the actor may see it (404 otherwise), with the amount to
    suggest (e.g. the arrears, else all that may be paid) and the payer's phone."""
    if purpose not in purposes.registered():
        raise NotFound(_("Paiement introuvable."))
    target = purposes.get(purpose).target_for(target_id=target_id, actor=actor)
    phone = ""
    if target.person_id:
        phone = Person.objects.filter(pk=target.person_id).values_list("phone", flat=True).first()
    return SimpleNamespace(
        purpose=purpose,
        target=target,
        amount_suggested=min(target.amount_suggested or target.amount_due, target.amount_due),
        phone=phone or "",
    )
