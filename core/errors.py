"""One hierarchy of domain errors, each with a stable code and a French message.

Services raise them; the API turns them into ``{"code", "message", "field"}`` with the
status below, the HTML views into form errors. Messages are lazy translations whose
source text is French, so they follow the request's language.
"""

from __future__ import annotations


class DomainError(Exception):
    status = 400
    default_code = "invalid"

    def __init__(self, message, *, code: str | None = None, field: str | None = None):
        super().__init__(str(message))
        self.message = message
        self.code = code or self.default_code
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
