"""Sponsoring's entries in the platform's own double-entry books (network.books; the
programme's ledger keeps cooperatives' books, not the platform's).

| event | debit | credit |
| --- | --- | --- |
| a booking paid (before moderation) | 552 wallet | 4194 advertisers' payments received |
| approved by a moderator (revenue) | 4194 | 7063 sponsored announcements |
| refused: refunded | 4194 | 552 |
"""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _

from network.books import WALLET, post

RECEIVED, REVENUE = "4194", "7063"


def booking_paid(booking) -> None:
    post(
        on=timezone.localdate(booking.paid_at),
        label=_("Annonce %(id)s : paiement reçu") % {"id": booking.pk},
        source="sponsoring_paid",
        source_ref=booking.pk,
        lines=[(WALLET, booking.price, 0), (RECEIVED, 0, booking.price)],
    )


def booking_approved(booking) -> None:
    post(
        on=timezone.localdate(booking.moderated_at),
        label=_("Annonce %(id)s : validée") % {"id": booking.pk},
        source="sponsoring_revenue",
        source_ref=booking.pk,
        lines=[(RECEIVED, booking.price, 0), (REVENUE, 0, booking.price)],
    )


def booking_refunded(booking) -> None:
    post(
        on=timezone.localdate(booking.moderated_at),
        label=_("Annonce %(id)s : refusée, remboursée") % {"id": booking.pk},
        source="sponsoring_refund",
        source_ref=booking.pk,
        lines=[(RECEIVED, booking.price, 0), (WALLET, 0, booking.price)],
    )
