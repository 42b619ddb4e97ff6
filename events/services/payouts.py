"""The organiser's payout of an ended event's fees (docs/events.md, "Payout").

Once the event has ended, its organiser's accounts (or the network's administrators, by
hand or through the daily job ``manage.py events_payouts_due``) ask for it: the fees
collected are settled once per event (``EventSettlement``: collected, the platform's
commission frozen on the event, the net) and booked (4197 → 4676 + 7064); the net is sent
to the organisation's payout phone by a payout of the payments app (purpose
``event_payout``, its reference ``PO-EVENPAYO-<settlement>-<attempt>-<digest>``); above
payments' threshold another person, a network administrator, approves it (never the
requester). The operator's confirmation books 4676 → 552. Asked again (twice at once
too), the live payout is answered: one settlement, one payout, one send."""

from __future__ import annotations

import datetime

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from core.errors import Conflict, Forbidden, ValidationFailed
from core.services import service
from events import books, rules
from events.errors import Code
from events.models import PAYOUT_PURPOSE as PURPOSE
from events.models import Event, EventSettlement
from events.selectors import fee_figures


def _check_payable(event: Event, now: datetime.datetime) -> None:
    if event.cancelled:
        raise Conflict(_("L'événement est annulé."), code=Code.CANCELLED)
    if event.ends_at > now:
        raise Conflict(_("Les frais se versent une fois l'événement terminé."), code=Code.NOT_ENDED)
    if not event.organiser.payout_phone:
        raise ValidationFailed(
            _(
                "L'organisation n'a pas de téléphone de versement : renseignez-le sur sa "
                "fiche avant de demander le versement."
            ),
            code=Code.NO_WALLET,
            field="payout_phone",
        )


def _settle(event: Event, actor, now) -> EventSettlement:
    settlement = EventSettlement.objects.filter(event=event).first()
    if settlement is not None:
        return settlement
    settlement = EventSettlement.objects.create(
        event=event, requested_by=actor, settled_at=now, **fee_figures(event)
    )
    books.event_settled(settlement)
    return settlement


def _send(payout, actor) -> None:
    """Send an approved payout (after the commit); one already sent meanwhile (by the
    approver, a retry) is left alone."""
    from payments.models import Payout
    from payments.services import payout_send

    if Payout.objects.filter(pk=payout.pk, status="approved", attempts=0).exists():
        payout_send(payout=payout, actor=actor)


@service
def event_payout_request(*, actor, event: Event, now=None) -> tuple[EventSettlement, bool]:
    """Settle an ended event's fees (once) and ask for the organiser's payout. Answers
    ``(settlement, created)``: ``created`` is False when the live payout (or the payout
    already made, or nothing to pay) is answered. An approved payout is sent once the
    transaction commits."""
    from payments.selectors import purpose_payout
    from payments.services import payout_request

    if not rules.may_request_payout(actor, event):
        raise Forbidden(_("Seuls l'organisateur et les administrateurs du réseau le demandent."))
    now = now or timezone.now()
    event = Event.objects.select_for_update().get(pk=event.pk)  # not the organiser row
    _check_payable(event, now)
    settlement = _settle(event, actor, now)
    if settlement.net == 0 or settlement.paid_out_at is not None:
        return settlement, False
    before = purpose_payout(purpose=PURPOSE, target_id=settlement.pk)
    organiser = event.organiser
    payout = payout_request(
        kind="settlement",
        purpose=PURPOSE,
        target_id=settlement.pk,
        provider=organiser.payout_provider or "wave",
        amount=settlement.net,
        phone=organiser.payout_phone,
        name=organiser.name[:100],
        reason=_("Frais de l'événement n° %(id)s") % {"id": event.pk},
        actor=actor,
    )
    created = before is None or before.pk != payout.pk
    if created and payout.status == "approved":
        transaction.on_commit(lambda: _send(payout, actor))
    return settlement, created


@service(atomic=False)
def event_payout_approve(*, actor, event: Event, approve: bool = True):
    """The checker's decision on a payout above payments' threshold: a network
    administrator other than the requester (payments refuses the requester:
    403 ``same_person``); approved, it is sent."""
    from payments.selectors import purpose_payout
    from payments.services import payout_approve

    if not rules.may_request_payout(actor, event):
        raise Forbidden(_("Seuls l'organisateur et les administrateurs du réseau le voient."))
    settlement = EventSettlement.objects.filter(event=event).first()
    payout = settlement and purpose_payout(purpose=PURPOSE, target_id=settlement.pk)
    if not payout or payout.status != "awaiting_approval":
        raise Conflict(_("Aucun versement à approuver."), code=Code.NOT_AWAITING)
    payout = payout_approve(payout=payout, actor=actor, approve=bool(approve))
    if payout.status == "approved":
        _send(payout, actor)
        payout.refresh_from_db()
    return payout


@service
def event_payout_settled(*, payout) -> EventSettlement | None:
    """Payments calls this once the payout is final: succeeded, the settlement is paid out
    and the net leaves the books (4676 → 552), once; failed or refused, nothing changes
    (asking again makes a new attempt)."""
    settlement = EventSettlement.objects.select_for_update().filter(pk=payout.target_id).first()
    if settlement is None or payout.status != "succeeded" or settlement.paid_out_at:
        return settlement
    settlement.paid_out_at = timezone.now()
    settlement.save(update_fields=["paid_out_at"])
    books.organiser_paid_out(settlement)
    return settlement


def event_payouts_due(*, actor, now=None) -> dict:
    """The daily job: every ended event with fees collected and no payout live or made is
    settled and paid out (each in its own transaction; one asked by someone else at the
    same time is answered, never paid twice; an organisation without a payout phone is
    counted and skipped)."""
    from payments.models import Payout

    now = now or timezone.now()
    live = Payout.objects.filter(
        purpose=PURPOSE, status__in=("awaiting_approval", "approved", "processing", "succeeded")
    ).values("target_id")
    due = (
        Event.objects.filter(cancelled=False, ends_at__lte=now)
        .filter(Q(settlement__isnull=True) | Q(settlement__paid_out_at__isnull=True))
        .filter(registrations__paid__gt=0)
        .exclude(settlement__id__in=live)
        .distinct()
        .order_by("id")
    )
    counts = {"requested": 0, "answered": 0, "skipped": 0}
    for event in list(due):
        try:
            _settlement, created = event_payout_request(actor=actor, event=event, now=now)
        except (Conflict, ValidationFailed, IntegrityError):
            counts["skipped"] += 1
            continue
        counts["requested" if created else "answered"] += 1
    return counts
