"""Events' entries in the platform's own double-entry books (network.books; the
programme's ledger keeps cooperatives' books, not the platform's: docs/events.md).

| event | debit | credit |
| --- | --- | --- |
| a fee paid by phone | 552 wallet | 4197 event fees held |
| a cancelled registration's fee refunded (confirmed) | 4197 | 552 |
| the fees settled (the event ended) | 4197 | 4676 owed to the organiser, 7064 commission |
| the organiser's payout confirmed | 4676 | 552 |

After the payout, 4197 and 4676 are back to zero for the event
(tests/test_payouts.py::test_the_books_balance_and_the_holding_accounts_return_to_zero).
Every entry is posted once per (source, source_ref): a fee's reference is
``E<event>-I<intent>`` so that an event's entries are read with one prefix.
"""

from __future__ import annotations

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from network.books import WALLET, post

HELD, ORGANISER_OWED, REVENUE = "4197", "4676", "7064"
FEE, REFUND = "event_fee", "event_fee_refund"
SETTLED, PAID_OUT = "event_settlement", "event_payout"


def fee_ref(event_id: int, intent_id: int) -> str:
    return f"E{int(event_id)}-I{int(intent_id)}"


def event_entries_q(event_id: int) -> Q:
    """The platform's entries of one event (for its statement and the tests)."""
    return (
        Q(source=FEE, source_ref__startswith=f"E{int(event_id)}-I")
        | Q(source=REFUND, source_ref__startswith=f"E{int(event_id)}-R")
        | Q(source__in=(SETTLED, PAID_OUT), source_ref=str(int(event_id)))
    )


def fee_received(registration, intent) -> int | None:
    """The fee's entry (its id), or ``None`` when it was posted before."""
    return post(
        on=timezone.localdate(intent.paid_at or intent.applied_at or timezone.now()),
        label=_("Événement %(id)s : frais de %(name)s")
        % {"id": registration.event_id, "name": registration.participant_name},
        source=FEE,
        source_ref=fee_ref(registration.event_id, intent.pk),
        lines=[(WALLET, intent.amount, 0), (HELD, 0, intent.amount)],
    )


def fee_refunded(registration, payout) -> None:
    post(
        on=timezone.localdate(registration.refunded_at),
        label=_("Événement %(id)s : frais remboursés à %(name)s")
        % {"id": registration.event_id, "name": registration.participant_name},
        source=REFUND,
        source_ref=f"E{int(registration.event_id)}-R{int(registration.pk)}",
        lines=[(HELD, payout.amount, 0), (WALLET, 0, payout.amount)],
    )


def event_settled(settlement) -> None:
    post(
        on=timezone.localdate(settlement.settled_at),
        label=_("Événement %(id)s : frais arrêtés") % {"id": settlement.event_id},
        source=SETTLED,
        source_ref=settlement.event_id,
        lines=[
            (HELD, settlement.collected, 0),
            (ORGANISER_OWED, 0, settlement.net),
            (REVENUE, 0, settlement.commission),
        ],
    )


def organiser_paid_out(settlement) -> None:
    post(
        on=timezone.localdate(settlement.paid_out_at),
        label=_("Événement %(id)s : versement à l'organisateur") % {"id": settlement.event_id},
        source=PAID_OUT,
        source_ref=settlement.event_id,
        lines=[(ORGANISER_OWED, settlement.net, 0), (WALLET, 0, settlement.net)],
    )
