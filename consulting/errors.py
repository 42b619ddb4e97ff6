"""The error codes consulting raises: one enum, the stable ``code`` of its domain errors.

The codes are part of the API's contract (``{"code", "message", "field"}``,
docs/api.md, docs/consulting.md): a code is never renamed; a new rule adds one.
``core/tests/test_house.py`` fails when a service raises a literal code instead of one of
these.
"""

from enum import StrEnum


class Code(StrEnum):
    ABOVE_DUE = "above_due"
    ALREADY_CANCELLED = "already_cancelled"
    ALREADY_COMPLETED = "already_completed"
    ALREADY_DISPUTED = "already_disputed"
    ALREADY_PAID = "already_paid"
    ALREADY_PROPOSED = "already_proposed"
    ALREADY_RATED = "already_rated"
    AMENDMENT_CLOSED = "amendment_closed"
    AMENDMENT_PENDING = "amendment_pending"
    CONSULTANT_NOT_VERIFIED = "consultant_not_verified"
    ENGAGEMENT_CANCELLED = "engagement_cancelled"
    FUND_INSUFFICIENT = "fund_insufficient"
    IDEMPOTENCY_KEY_REUSED = "idempotency_key_reused"
    INVALID = "invalid"
    INVALID_AMOUNT = "invalid_amount"
    INVALID_CHOICE = "invalid_choice"
    INVALID_SPLIT = "invalid_split"
    MILESTONES_SUM = "milestones_sum"
    NOTHING_TO_REFUND = "nothing_to_refund"
    NOT_APPROVED = "not_approved"
    NOT_COMPLETED = "not_completed"
    NOT_VERIFIED = "not_verified"
    NO_DISPUTE = "no_dispute"
    OUT_OF_RANGE = "out_of_range"
    OWN_AMENDMENT = "own_amendment"
    OWN_ENGAGEMENT = "own_engagement"
    OWN_ORGANISATION = "own_organisation"
    REFUND_ABOVE_PAID = "refund_above_paid"
    REQUEST_CLOSED = "request_closed"
    REQUIRED = "required"
    SPLIT_ADMIN_ONLY = "split_admin_only"
    SPLIT_NOT_100 = "split_not_100"
    TOO_LONG = "too_long"
