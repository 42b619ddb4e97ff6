"""The error codes health raises: one enum, the stable ``code`` of its domain errors.

The codes are part of the API's contract (``{"code", "message", "field"}``,
docs/api.md): a code is never renamed; a new rule adds one. ``core/tests/test_house.py``
fails when a service raises a literal code instead of one of these.
"""

from enum import StrEnum


class Code(StrEnum):
    ALREADY_COVERED = "already_covered"
    ALREADY_LEFT = "already_left"
    AMOUNT_MISMATCH = "amount_mismatch"
    AMOUNT_TOO_LARGE = "amount_too_large"
    BEFORE_ENROLMENT = "before_enrolment"
    DATE_OUT_OF_RANGE = "date_out_of_range"
    DUPLICATE_CONVENTION = "duplicate_convention"
    DUPLICATE_PERSON = "duplicate_person"
    DUPLICATE_SCHEME = "duplicate_scheme"
    HEAD_CANNOT_LEAVE = "head_cannot_leave"
    IDEMPOTENCY_KEY_REUSED = "idempotency_key_reused"
    INVALID_AMOUNT = "invalid_amount"
    INVALID_BAND = "invalid_band"
    INVALID_CARD = "invalid_card"
    INVALID_DATE = "invalid_date"
    INVALID_PAYER = "invalid_payer"
    INVALID_PHOTO = "invalid_photo"
    INVALID_RELATION = "invalid_relation"
    INVALID_ROLE = "invalid_role"
    INVALID_STATUS = "invalid_status"
    INVALID_TEXT = "invalid_text"
    MERGED_PERSON = "merged_person"
    MERGE_TWO_HOUSEHOLDS = "merge_two_households"
    NOTHING_TO_PAY = "nothing_to_pay"
    NOT_AWAITING = "not_awaiting"
    NOT_A_MEMBER = "not_a_member"
    NOT_IN_BENEFITS = "not_in_benefits"
    NOT_IN_HOUSEHOLD = "not_in_household"
    NO_CONVENTION = "no_convention"
    OVERLAPPING_BAND = "overlapping_band"
    PAYOUT_PENDING = "payout_pending"
    REQUIRED = "required"
    SCHEME_CLOSED = "scheme_closed"
    TOO_LONG = "too_long"
    TOO_MANY_LINES = "too_many_lines"
    TOO_MANY_MEMBERS = "too_many_members"
    UNKNOWN_AREA = "unknown_area"
    UNKNOWN_BENEFIT = "unknown_benefit"
    UNKNOWN_CHANNEL = "unknown_channel"
    UNKNOWN_COUNTRY = "unknown_country"
    UNKNOWN_PAYEE = "unknown_payee"
    UNKNOWN_SERVICE = "unknown_service"
