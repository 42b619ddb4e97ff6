"""One hierarchy of domain errors, each with a stable code and a French message.

Services raise them, each app's codes an enum of its own (``<app>/errors.py``: ``Code``,
core's below); the API turns them into ``{"code", "message", "field"}`` with the
status below, the HTML views into form errors. Messages are lazy translations whose
source text is French, so they follow the request's language.
"""

from __future__ import annotations

from enum import StrEnum


class DomainError(Exception):
    status = 400
    default_code = "invalid"

    def __init__(self, message, *, code: str | None = None, field: str | None = None):
        super().__init__(str(message))
        self.message = message
        self.code = str(code or self.default_code)  # an app's ``Code`` member, as text
        self.field = field

    def as_dict(self) -> dict:
        return {"code": self.code, "message": str(self.message), "field": self.field}


class ValidationFailed(DomainError):
    """Bad input (400)."""

    status = 400
    default_code = "invalid"


class NotFound(DomainError):
    """Missing, or outside the actor's scope: the two are not told apart (404)."""

    status = 404
    default_code = "not_found"


class Forbidden(DomainError):
    """The actor's role may not do this (403)."""

    status = 403
    default_code = "forbidden"


class Conflict(DomainError):
    """A rule, a state or a duplicate forbids it (409)."""

    status = 409
    default_code = "conflict"


class Code(StrEnum):
    """The codes core's guards raise (input limits, dates, tabular files); each app has
    its own ``<app>.errors.Code``."""

    AMOUNT_OUT_OF_RANGE = "amount_out_of_range"
    INVALID_CHARACTER = "invalid_character"
    INVALID_DATE = "invalid_date"
    INVALID_FILE = "invalid_file"
    OUT_OF_RANGE = "out_of_range"
    REQUIRED = "required"
    TOO_LARGE = "too_large"
    TOO_LONG = "too_long"
