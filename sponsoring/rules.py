"""Who may do what with sponsored announcements (docs/sponsoring.md).

- anyone: see the live announcements on the portal's pages, follow them (counted), read
  the tariffs;
- an approved organisation's accounts: book for their organisation, pay, see their
  bookings and their figures (impressions, clicks per day);
- a moderator of the advertiser's country (and the network's administrators): see that
  country's bookings, approve or refuse the paid ones (a refusal refunds);
- the network's administrators: edit the tariffs.
"""

from __future__ import annotations

from network.rules import network_scope


def is_advertiser(actor, booking) -> bool:
    return booking.advertiser_id in network_scope(actor).organisation_ids


def can_moderate_booking(actor, booking) -> bool:
    scope = network_scope(actor)
    return scope.admin or booking.advertiser.country in scope.countries


def can_see_booking(actor, booking) -> bool:
    return is_advertiser(actor, booking) or can_moderate_booking(actor, booking)


def can_edit_tariffs(actor) -> bool:
    return network_scope(actor).admin


def is_network_staff(actor) -> bool:
    return network_scope(actor).is_staff


def can_request_sponsoring_payout(actor, kind: str) -> bool:
    """The payments app asks this (payments.rules.register_payout_requester): a moderator
    refusing a paid booking requests its refund (services.booking_moderate checks the
    country)."""
    return kind == "refund" and network_scope(actor).is_staff
