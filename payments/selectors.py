"""Every read of payments a person triggers, scoped (accounts.scoping)."""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from accounts.scoping import scope_for, scope_q
from core.errors import NotFound
from payments.models import PaymentIntent, WebhookEvent


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


def unknown_events(*, actor) -> QuerySet[WebhookEvent]:
    """Provider events naming no payment of ours (national staff only)."""
    if not scope_for(actor).national:
        return WebhookEvent.objects.none()
    return WebhookEvent.objects.filter(outcome="unknown_reference").order_by("-received_at")
