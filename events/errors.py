"""The error codes events raises: one enum, the stable ``code`` of its domain errors
(never renamed; a new rule adds one)."""

from enum import StrEnum


class Code(StrEnum):
    ALREADY_PAID = "already_paid"
    ALREADY_REGISTERED = "already_registered"
    CANCELLED = "cancelled"
    FULL = "full"
    INVALID = "invalid"
    INVALID_CHOICE = "invalid_choice"
    NOT_ATTENDED = "not_attended"
    NOT_APPROVED = "not_approved"
    NOT_AWAITING = "not_awaiting"
    NOT_ENDED = "not_ended"
    NOT_PAID = "not_paid"
    NO_WALLET = "no_wallet"
    PAID_OUT = "paid_out"
    REQUIRED = "required"
    STARTED = "started"
