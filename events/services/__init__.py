"""Every write of the network's training and events (docs/events.md), one module per
entity: events and registrations, the organiser's payout."""

from events.services.fees import fees_book_missing
from events.services.payouts import (
    event_payout_approve,
    event_payout_request,
    event_payout_settled,
    event_payouts_due,
)
from events.services.refunds import (
    registration_cancel,
    registration_refund_retry,
    registration_refund_settled,
)
from events.services.registrations import (
    amount_due,
    attendance_mark,
    event_publish,
    fee_payment_start,
    registration_create,
    registration_paid,
    resource_add,
)

__all__ = [
    "amount_due",
    "attendance_mark",
    "event_payout_approve",
    "event_payout_request",
    "event_payout_settled",
    "event_payouts_due",
    "event_publish",
    "fee_payment_start",
    "fees_book_missing",
    "registration_cancel",
    "registration_create",
    "registration_paid",
    "registration_refund_retry",
    "registration_refund_settled",
    "resource_add",
]
