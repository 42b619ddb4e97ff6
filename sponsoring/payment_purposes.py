"""The ``sponsoring`` purpose of the payments app (registered in SponsoringConfig.ready).

Target: a booking awaiting its payment; its advertiser's accounts start the payment;
success sends it to moderation (sponsoring.services.booking_paid)."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from core.errors import NotFound
from sponsoring.models import Booking
from sponsoring.rules import is_advertiser
from sponsoring.services import amount_due, booking_paid


def _target(booking: Booking):
    from payments.purposes import Target

    return Target(
        id=booking.pk,
        label=_("Annonce sponsorisée : %(title)s") % {"title": booking.title},
        amount_due=amount_due(booking),
        return_path=reverse("sponsoring:detail", args=[booking.pk]),
    )


def _get(target_id: int) -> Booking:
    booking = Booking.objects.defer("image").filter(pk=target_id).first()
    if booking is None:
        raise NotFound(_("Annonce introuvable."), field="target")
    return booking


class SponsoringPurpose:
    code = "sponsoring"

    def target_for(self, *, target_id: int, actor):
        booking = _get(target_id)
        if not is_advertiser(actor, booking):
            raise NotFound(_("Annonce introuvable."), field="target")
        return _target(booking)

    def target_get(self, *, target_id: int):
        return _target(_get(target_id))

    def on_succeeded(self, *, intent) -> str:
        return booking_paid(intent=intent)
