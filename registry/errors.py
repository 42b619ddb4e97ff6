"""The error codes registry raises: one enum, the stable ``code`` of its domain errors.

The codes are part of the API's contract (``{"code", "message", "field"}``,
docs/api.md): a code is never renamed; a new rule adds one. ``core/tests/test_house.py``
fails when a service raises a literal code instead of one of these.
"""

from enum import StrEnum


class Code(StrEnum):
    ALREADY_DECIDED = "already_decided"
    ALREADY_DISMISSED = "already_dismissed"
    ALREADY_ENDED = "already_ended"
    ALREADY_LEFT = "already_left"
    ALREADY_MEMBER = "already_member"
    COOPERATIVE_DISSOLVED = "cooperative_dissolved"
    DISMISS_SELF = "dismiss_self"
    DUPLICATE_PARTNER = "duplicate_partner"
    DUPLICATE_REGISTRATION_NUMBER = "duplicate_registration_number"
    DUPLICATE_SECTOR = "duplicate_sector"
    ENDED_BEFORE_STARTED = "ended_before_started"
    INVALID = "invalid"
    INVALID_AMOUNT = "invalid_amount"
    INVALID_BIRTH_DATE = "invalid_birth_date"
    INVALID_CHOICE = "invalid_choice"
    INVALID_COORDINATE = "invalid_coordinate"
    INVALID_DATE = "invalid_date"
    INVALID_EMAIL = "invalid_email"
    INVALID_NATIONAL_ID = "invalid_national_id"
    INVALID_PHONE = "invalid_phone"
    LEFT_BEFORE_JOINED = "left_before_joined"
    MEMBERSHIP_INACTIVE = "membership_inactive"
    MERGE_SELF = "merge_self"
    NOT_A_COMMUNE = "not_a_commune"
    NOT_EDITABLE = "not_editable"
    NUL_BYTE = "nul_byte"
    OHADA_COMMITTEE_SIZE = "ohada_committee_size"
    OHADA_MIN_MEMBERS = "ohada_min_members"
    OUT_OF_SCOPE = "out_of_scope"
    PERSON_MERGED = "person_merged"
    PERSON_REQUIRED = "person_required"
    REGISTRATION_NUMBER_REQUIRED = "registration_number_required"
    REQUIRED = "required"
    ROLE_TAKEN = "role_taken"
    STAGE_DATE = "stage_date"
    STAGE_TRANSITION = "stage_transition"
    TOO_LONG = "too_long"
    UNKNOWN_COMMUNE = "unknown_commune"
    UNKNOWN_PARTNER = "unknown_partner"
    UNKNOWN_SECTOR = "unknown_sector"
