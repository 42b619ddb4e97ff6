"""The error codes networkgov raises: one enum, the stable ``code`` of its domain errors
(never renamed; a new rule adds one)."""

from enum import StrEnum


class Code(StrEnum):
    ALREADY_ANSWERED = "already_answered"
    ALREADY_CLOSED = "already_closed"
    ALREADY_MEMBER = "already_member"
    ALREADY_VOTED = "already_voted"
    INVALID = "invalid"
    INVALID_CHOICE = "invalid_choice"
    NO_TARIFF = "no_tariff"
    NOT_APPROVED = "not_approved"
    NOT_CLOSED = "not_closed"
    NOT_DELEGATE = "not_delegate"
    NOT_IN_GOOD_STANDING = "not_in_good_standing"
    NOT_OPEN = "not_open"
    NOTICE_TOO_SHORT = "notice_too_short"
    OUT_OF_RANGE = "out_of_range"
    OVERPAID = "overpaid"
    REQUIRED = "required"
    RESOLUTION_NOT_VOTED = "resolution_not_voted"
