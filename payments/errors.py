"""The error codes payments raises: one enum, the stable ``code`` of its domain errors.

The codes are part of the API's contract (``{"code", "message", "field"}``,
docs/api.md): a code is never renamed; a new rule adds one. ``core/tests/test_house.py``
fails when a service raises a literal code instead of one of these.
"""

from enum import StrEnum


class Code(StrEnum):
    ALREADY_APPLIED = "already_applied"
    ALREADY_MATCHED = "already_matched"
    AMOUNT_DIFFERS = "amount_differs"
    AMOUNT_MISMATCH = "amount_mismatch"
    INVALID = "invalid"
    NOT_APPLICABLE = "not_applicable"
    NOT_APPROVED = "not_approved"
    NOT_AWAITING = "not_awaiting"
    NOT_IN_REVIEW = "not_in_review"
    NOT_SUCCEEDED = "not_succeeded"
    NOTHING_DUE = "nothing_due"
    OUT_OF_RANGE = "out_of_range"
    REFUND_PENDING = "refund_pending"
    REQUIRED = "required"
    SAME_PERSON = "same_person"
    TOO_LONG = "too_long"
    UNKNOWN_PROVIDER = "unknown_provider"
    UNKNOWN_PURPOSE = "unknown_purpose"
