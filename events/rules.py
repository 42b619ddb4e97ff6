"""Who may do what with the network's training and events (docs/events.md).

- anyone: read the events and the ILO catalogue offered to the network's members;
- an approved organisation's accounts: register participants of their organisation, pay
  the fee, cancel their registration before the event (the fee refunded), read the
  replays and documents of an event they are confirmed in, download a certificate once
  marked present;
- the organiser organisation's accounts (and the network's administrators): publish and
  cancel its events, mark attendance, add replays and documents, see the registrations,
  cancel a registration before the event and ask a failed refund again, read the fee
  statement and ask for the payout once the event has ended;
- the network's administrators: approve (or refuse) a payout or refund above payments'
  threshold that another person asked for; book the fees paid before fees were booked
  (``manage.py events_fees_book_missing``).
"""

from __future__ import annotations

from network.rules import network_scope


def is_organiser(actor, event) -> bool:
    scope = network_scope(actor)
    return scope.admin or event.organiser_id in scope.organisation_ids


def owns_registration(actor, registration) -> bool:
    return getattr(actor, "pk", None) == registration.user_id


def may_request_payout(actor, event) -> bool:
    """The organiser's accounts and the network's administrators read an event's fee
    statement and ask for its payout."""
    return is_organiser(actor, event)


def may_approve_payout(actor) -> bool:
    """A payout above payments' threshold is approved by a network administrator (payments
    adds: never the one who asked)."""
    return network_scope(actor).admin


def may_approve_this_payout(actor, statement) -> bool:
    """The statement's approve button: an administrator, on a payout awaiting approval,
    never the one who asked for it (payments refuses the maker as checker)."""
    return (
        statement.status == "awaiting_approval"
        and statement.payout.requested_by_id != actor.pk
        and may_approve_payout(actor)
    )


def may_book_missing_fees(actor) -> bool:
    """The fees paid before they were booked are booked by a network administrator."""
    return network_scope(actor).admin
