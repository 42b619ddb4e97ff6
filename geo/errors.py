"""The error codes geo raises: one enum, the stable ``code`` of its domain errors.

The codes are part of the API's contract (``{"code", "message", "field"}``,
docs/api.md): a code is never renamed; a new rule adds one. ``core/tests/test_house.py``
fails when a service raises a literal code instead of one of these.
"""

from enum import StrEnum


class Code(StrEnum):
    AREA_PARENT = "area_parent"
    DUPLICATE = "duplicate"
    FORBIDDEN = "forbidden"
    IMPORT_KIND = "import_kind"
    REQUIRED = "required"
