"""The payments app's purposes of events (registered in EventsConfig.ready).

- ``event_fee`` (money in): target a registration awaiting its fee; what may be paid is
  what is still due. The registered account starts the payment; success confirms the
  seat (events.services.registration_paid).
- ``event_payout`` (money out, kind ``settlement``): target an event's settlement; the
  organiser's accounts and the network's administrators request it, a network
  administrator approves it above the threshold (never the requester); its end is told
  to events.services.event_payout_settled.
- ``event_refund`` (money out, kind ``refund``): target a cancelled registration; its
  account or the organiser's request it (by cancelling), a network administrator
  approves it above the threshold; its end is told to
  events.services.registration_refund_settled."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from core.errors import NotFound
from events.models import FEE_PURPOSE, PAYOUT_PURPOSE, REFUND_PURPOSE, EventSettlement, Registration
from events.rules import is_organiser, may_approve_payout, may_request_payout, owns_registration
from events.services import (
    amount_due,
    event_payout_settled,
    registration_paid,
    registration_refund_settled,
)
from payments.purposes import Target


def _target(registration: Registration) -> Target:
    return Target(
        id=registration.pk,
        label=_("Inscription : %(title)s") % {"title": registration.event.title},
        amount_due=amount_due(registration),
        return_path=reverse("events:detail", args=[registration.event_id]),
    )


def _get(target_id: int) -> Registration:
    registration = Registration.objects.select_related("event").filter(pk=target_id).first()
    if registration is None:
        raise NotFound(_("Inscription introuvable."), field="target")
    return registration


class EventFeePurpose:
    code = FEE_PURPOSE

    def target_for(self, *, target_id: int, actor) -> Target:
        registration = _get(target_id)
        if not owns_registration(actor, registration):
            raise NotFound(_("Inscription introuvable."), field="target")
        return _target(registration)

    def target_get(self, *, target_id: int) -> Target:
        return _target(_get(target_id))

    def on_succeeded(self, *, intent) -> str:
        return registration_paid(intent=intent)


class EventPayoutPurpose:
    code = PAYOUT_PURPOSE
    kind = "settlement"

    def may_request(self, *, actor, target_id: int) -> bool:
        settlement = EventSettlement.objects.select_related("event").filter(pk=target_id).first()
        if settlement is None:
            raise NotFound(_("Versement introuvable."), field="target_id")
        return may_request_payout(actor, settlement.event)

    def may_approve(self, *, actor, payout) -> bool:
        return may_approve_payout(actor)

    def on_settled(self, *, payout) -> None:
        event_payout_settled(payout=payout)


class EventRefundPurpose:
    code = REFUND_PURPOSE
    kind = "refund"

    def may_request(self, *, actor, target_id: int) -> bool:
        registration = Registration.objects.select_related("event").filter(pk=target_id).first()
        if registration is None:
            raise NotFound(_("Inscription introuvable."), field="target_id")
        return owns_registration(actor, registration) or is_organiser(actor, registration.event)

    def may_approve(self, *, actor, payout) -> bool:
        return may_approve_payout(actor)

    def on_settled(self, *, payout) -> None:
        registration_refund_settled(payout=payout)
