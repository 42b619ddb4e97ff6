"""The error codes accounts raises: one enum, the stable ``code`` of its domain errors.

The codes are part of the API's contract (``{"code", "message", "field"}``,
docs/api.md): a code is never renamed; a new rule adds one. ``core/tests/test_house.py``
fails when a service raises a literal code instead of one of these.
"""

from enum import StrEnum


class Code(StrEnum):
    NUL_BYTE = "nul_byte"
    ROLE_AREA_LEVEL = "role_area_level"
    ROLE_TARGET = "role_target"
    TOO_LONG = "too_long"
