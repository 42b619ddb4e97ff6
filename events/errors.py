"""The error codes events raises: one enum, the stable ``code`` of its domain errors
(never renamed; a new rule adds one)."""

from enum import StrEnum


class Code(StrEnum):
    ALREADY_REGISTERED = "already_registered"
    CANCELLED = "cancelled"
    FULL = "full"
    INVALID = "invalid"
    INVALID_CHOICE = "invalid_choice"
    NOT_ATTENDED = "not_attended"
    NOT_APPROVED = "not_approved"
    NOT_PAID = "not_paid"
    REQUIRED = "required"
    STARTED = "started"
