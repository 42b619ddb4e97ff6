"""The error codes network raises: one enum, the stable ``code`` of its domain errors.

The codes are part of the API's contract (``{"code", "message", "field"}``,
docs/api.md): a code is never renamed; a new rule adds one. ``core/tests/test_house.py``
fails when a service raises a literal code instead of one of these.
"""

from enum import StrEnum


class Code(StrEnum):
    ALREADY_CLOSED = "already_closed"
    ALREADY_DECIDED = "already_decided"
    ALREADY_VERIFIED = "already_verified"
    AMOUNT_DIFFERS = "amount_differs"
    BAD_CODE = "bad_code"
    CAMPAIGN_CLOSED = "campaign_closed"
    CAMPAIGN_NOT_LIVE = "campaign_not_live"
    CODE_EXPIRED = "code_expired"
    DUPLICATE = "duplicate"
    INVALID = "invalid"
    INVALID_CHOICE = "invalid_choice"
    INVALID_COUNTRY = "invalid_country"
    INVALID_PHONE = "invalid_phone"
    NO_DOCUMENTS = "no_documents"
    NOT_APPROVED = "not_approved"
    NOT_ENDED = "not_ended"
    NOT_MOVABLE = "not_movable"
    NOT_PENDING = "not_pending"
    NOT_VERIFIED = "not_verified"
    OUT_OF_RANGE = "out_of_range"
    REQUIRED = "required"
    TOO_LONG = "too_long"
    TOO_MANY = "too_many"
