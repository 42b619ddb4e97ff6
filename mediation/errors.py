"""The error codes mediation raises: one enum, the stable ``code`` of its domain errors
(never renamed; a new rule adds one)."""

from enum import StrEnum


class Code(StrEnum):
    CLOSED = "closed"
    INVALID = "invalid"
    INVALID_CHOICE = "invalid_choice"
    MEDIATOR_IS_PARTY = "mediator_is_party"
    NOT_APPROVED = "not_approved"
    NOT_FOUND = "not_found"
    REQUIRED = "required"
    TOO_MANY = "too_many"
