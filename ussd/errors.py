"""The error codes ussd raises: one enum, the stable ``code`` of its domain errors.

The codes are part of the API's contract (``{"code", "message", "field"}``,
docs/api.md): a code is never renamed; a new rule adds one. ``core/tests/test_house.py``
fails when a service raises a literal code instead of one of these.
"""

from enum import StrEnum


class Code(StrEnum):
    INVALID_PIN = "invalid_pin"
    NO_PHONE = "no_phone"
    WEAK_PIN = "weak_pin"
