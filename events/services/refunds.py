"""A registration cancelled before the event: the seat is freed and a fee paid goes back
to the phone that paid it, by a payout of the payments app (purpose ``event_refund``,
kind ``refund``, linked to the payment; above payments' threshold a network
administrator approves it, never the requester). The reversal is booked (4197 → 552)
when the operator confirms; the event's payout counts only the fees still held."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.errors import Conflict, NotFound
from core.services import service
from events import books, rules
from events.errors import Code
from events.models import REFUND_PURPOSE, Event, Registration, RegStatus


def _locked(registration: Registration) -> Registration:
    event_id = Registration.objects.values_list("event_id", flat=True).get(pk=registration.pk)
    list(Event.objects.select_for_update().filter(pk=event_id).values_list("pk", flat=True))
    return Registration.objects.select_for_update().select_related("event").get(pk=registration.pk)


def _send(payout, actor) -> None:
    from payments.models import Payout
    from payments.services import payout_send

    if Payout.objects.filter(pk=payout.pk, status="approved", attempts=0).exists():
        payout_send(payout=payout, actor=actor)


def _refund(registration: Registration, actor):
    from payments.models import PaymentIntent
    from payments.services import payout_request

    intent = (
        PaymentIntent.objects.filter(
            purpose="event_fee", target_id=registration.pk, status="succeeded"
        )
        .exclude(applied_at=None)
        .order_by("-id")
        .first()
    )
    if intent is None:
        raise Conflict(_("Aucun paiement à rembourser."), code=Code.NOT_PAID)
    payout = payout_request(
        kind="refund",
        purpose=REFUND_PURPOSE,
        target_id=registration.pk,
        provider=intent.provider,
        amount=registration.paid,
        phone=intent.phone,
        name=registration.participant_name[:100],
        reason=_("Inscription annulée, événement n° %(id)s") % {"id": registration.event_id},
        actor=actor,
        intent=intent,
    )
    if payout.status == "approved":
        transaction.on_commit(lambda: _send(payout, actor))
    return payout


@service
def registration_cancel(*, actor, registration: Registration, now=None) -> Registration:
    """The registering account (or the organiser) cancels a registration before the event
    starts (409 ``started`` after; ``cancelled`` twice): the seat is freed, a fee paid is
    refunded to the phone that paid it."""
    if not (
        rules.owns_registration(actor, registration)
        or rules.is_organiser(actor, registration.event)
    ):
        raise NotFound(_("Inscription introuvable."))
    registration = _locked(registration)
    if registration.status == RegStatus.CANCELLED:
        raise Conflict(_("Inscription déjà annulée."), code=Code.CANCELLED)
    if registration.event.starts_at <= (now or timezone.now()):
        raise Conflict(_("L'événement a commencé : plus d'annulation."), code=Code.STARTED)
    registration.status, registration.cancelled_at = RegStatus.CANCELLED, timezone.now()
    registration.save(update_fields=["status", "cancelled_at"])
    if registration.paid > 0:
        _refund(registration, actor)
    return registration


@service
def registration_refund_retry(*, actor, registration: Registration):
    """A cancelled registration whose refund failed or was refused: asked again, a new
    attempt (the live one is answered)."""
    if not rules.is_organiser(actor, registration.event):
        raise NotFound(_("Inscription introuvable."))
    registration = _locked(registration)
    if registration.status != RegStatus.CANCELLED or registration.paid == 0:
        raise Conflict(_("Rien à rembourser."), code=Code.NOT_PAID)
    if registration.refunded_at is not None:
        raise Conflict(_("Déjà remboursée."), code=Code.ALREADY_PAID)
    return _refund(registration, actor)


@service
def registration_refund_settled(*, payout) -> Registration | None:
    """Payments calls this once the refund's payout is final: succeeded, the registration
    is refunded and the reversal booked (4197 → 552), once; failed or refused, nothing
    changes (``registration_refund_retry`` asks again)."""
    registration = Registration.objects.select_for_update().filter(pk=payout.target_id).first()
    if registration is None or payout.status != "succeeded" or registration.refunded_at:
        return registration
    registration.refunded_at = timezone.now()
    registration.save(update_fields=["refunded_at"])
    books.fee_refunded(registration, payout)
    return registration
