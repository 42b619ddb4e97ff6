"""The error codes knowledge raises: one enum, the stable ``code`` of its domain errors
(never renamed; a new rule adds one)."""

from enum import StrEnum


class Code(StrEnum):
    HIDDEN = "hidden"
    INVALID_CHOICE = "invalid_choice"
    NOT_APPROVED = "not_approved"
    NOT_AFRICAN = "not_african"
    REQUIRED = "required"
    TOO_MANY = "too_many"
