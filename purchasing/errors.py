"""The error codes purchasing raises: one enum, the stable ``code`` of its domain errors.

The codes are part of the API's contract (``{"code", "message", "field"}``,
docs/api.md): a code is never renamed; a new rule adds one. ``core/tests/test_house.py``
fails when a service raises a literal code instead of one of these.
"""

from enum import StrEnum


class Code(StrEnum):
    ALREADY_DELIVERED = "already_delivered"
    ALREADY_FINANCED = "already_financed"
    ALREADY_PAID = "already_paid"
    AMOUNT_DIFFERS = "amount_differs"
    BEFORE_CLOSING = "before_closing"
    CAMPAIGN_CLOSED = "campaign_closed"
    CAMPAIGN_NOT_CLOSED = "campaign_not_closed"
    CAMPAIGN_NOT_OPEN = "campaign_not_open"
    CLOSES_BEFORE_OPENS = "closes_before_opens"
    DATE_OUT_OF_RANGE = "date_out_of_range"
    DUPLICATE = "duplicate"
    DUPLICATE_NEED = "duplicate_need"
    DUPLICATE_OFFER = "duplicate_offer"
    IDEMPOTENCY_MISMATCH = "idempotency_mismatch"
    INSUFFICIENT_STOCK = "insufficient_stock"
    INVALID = "invalid"
    INVALID_DATE = "invalid_date"
    INVALID_TEXT = "invalid_text"
    LINES_REQUIRED = "lines_required"
    LOAN_NOT_DISBURSED = "loan_not_disbursed"
    NOT_IN_GROUP = "not_in_group"
    NOT_INTEGER = "not_integer"
    NOT_MEMBER = "not_member"
    NOT_RECEIVED = "not_received"
    NOTHING_TO_DELIVER = "nothing_to_deliver"
    OUT_OF_RANGE = "out_of_range"
    RECEIPT_INCOMPLETE = "receipt_incomplete"
    REQUIRED = "required"
    TOO_FEW_QUOTES = "too_few_quotes"
    TOO_LONG = "too_long"
    UNKNOWN_CHANNEL = "unknown_channel"
    UNKNOWN_OFFER = "unknown_offer"
    UNKNOWN_UNIT = "unknown_unit"
