"""The error codes monitoring raises: one enum, the stable ``code`` of its domain errors.

The codes are part of the API's contract (``{"code", "message", "field"}``,
docs/api.md): a code is never renamed; a new rule adds one. ``core/tests/test_house.py``
fails when a service raises a literal code instead of one of these.
"""

from enum import StrEnum


class Code(StrEnum):
    BASELINE_INCOMPLETE = "baseline_incomplete"
    BASELINE_PERCENT = "baseline_percent"
    BASELINE_YEAR = "baseline_year"
    FUTURE_QUARTER = "future_quarter"
    INVALID_QUARTER = "invalid_quarter"
    INVALID_YEAR = "invalid_year"
    MULTIPLIER = "multiplier"
    NEGATIVE = "negative"
    NO_CHILDREN = "no_children"
    NO_TARGET = "no_target"
    OVER_100 = "over_100"
    REQUIRED = "required"
    UNKNOWN_INDICATOR = "unknown_indicator"
