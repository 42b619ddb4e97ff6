"""The error codes messaging raises: one enum, the stable ``code`` of its domain errors.

The codes are part of the API's contract (``{"code", "message", "field"}``,
docs/api.md): a code is never renamed; a new rule adds one. ``core/tests/test_house.py``
fails when a service raises a literal code instead of one of these.
"""

from enum import StrEnum


class Code(StrEnum):
    INVALID_CHARACTER = "invalid_character"
    MALFORMED_PLACEHOLDER = "malformed_placeholder"
    REQUIRED = "required"
    TOO_LONG = "too_long"
    UNKNOWN_KIND = "unknown_kind"
    UNKNOWN_LANGUAGE = "unknown_language"
    UNKNOWN_PHONE = "unknown_phone"
    UNKNOWN_PLACEHOLDER = "unknown_placeholder"
