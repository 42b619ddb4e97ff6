"""The error codes sync raises: one enum, the stable ``code`` of its domain errors.

The codes are part of the API's contract (``{"code", "message", "field"}``,
docs/api.md): a code is never renamed; a new rule adds one. ``core/tests/test_house.py``
fails when a service raises a literal code instead of one of these.
"""

from enum import StrEnum


class Code(StrEnum):
    ALREADY_RESOLVED = "already_resolved"
    INVALID = "invalid"
    INVALID_CURSOR = "invalid_cursor"
    NOT_ENROLLED = "not_enrolled"
    RECEIPT_REUSED = "receipt_reused"
    REQUIRED = "required"
    TOO_MANY = "too_many"
    UNKNOWN_AREA = "unknown_area"
