"""The error codes capital raises: one enum, the stable ``code`` of its domain errors.

The codes are part of the API's contract (``{"code", "message", "field"}``,
docs/api.md): a code is never renamed; a new rule adds one. ``core/tests/test_house.py``
fails when a service raises a literal code instead of one of these.
"""

from enum import StrEnum


class Code(StrEnum):
    ALREADY_CLOSED = "already_closed"
    AMOUNT_DIFFERS = "amount_differs"
    AMOUNT_REQUIRED = "amount_required"
    COOPCA_QUARTER_UNPAID = "coopca_quarter_unpaid"
    FRACTION_INVALID = "fraction_invalid"
    MERGE_PENDING_TRANSFER = "merge_pending_transfer"
    NEGATIVE = "negative"
    NOT_APPROVED = "not_approved"
    NOT_DRAFT = "not_draft"
    NOT_ENOUGH_SHARES = "not_enough_shares"
    NOT_INTEGER = "not_integer"
    PAYMENT_EXCEEDS_DUE = "payment_exceeds_due"
    REFUND_EXCEEDS_PAID = "refund_exceeds_paid"
    REFUND_MEMBER_ACTIVE = "refund_member_active"
    REQUIRED = "required"
    SHARE_VALUE_INVALID = "share_value_invalid"
    SHARES_REQUIRED = "shares_required"
    TRANSFER_SAME_PERSON = "transfer_same_person"
    TRANSFER_UNPAID = "transfer_unpaid"
    UNKNOWN_CHANNEL = "unknown_channel"
