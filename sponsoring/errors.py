"""The error codes sponsoring raises: one enum, the stable ``code`` of its domain errors
(never renamed; a new rule adds one)."""

from enum import StrEnum


class Code(StrEnum):
    ALREADY_DECIDED = "already_decided"
    AMOUNT_MISMATCH = "amount_mismatch"
    INVALID = "invalid"
    INVALID_CHOICE = "invalid_choice"
    INVALID_PERIOD = "invalid_period"
    INVALID_PLACEMENT = "invalid_placement"
    NOT_APPROVED = "not_approved"
    NOT_PAYABLE = "not_payable"
    REQUIRED = "required"
    UNSAFE_LINK = "unsafe_link"
