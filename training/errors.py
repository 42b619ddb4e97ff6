"""The error codes training raises: one enum, the stable ``code`` of its domain errors.

The codes are part of the API's contract (``{"code", "message", "field"}``,
docs/api.md): a code is never renamed; a new rule adds one. ``core/tests/test_house.py``
fails when a service raises a literal code instead of one of these.
"""

from enum import StrEnum


class Code(StrEnum):
    ACTION_DUE_BEFORE_VISIT = "action_due_before_visit"
    ALREADY_CERTIFIED = "already_certified"
    ALREADY_DONE = "already_done"
    ALREADY_ENROLLED = "already_enrolled"
    ATTENDANCE_OUT_OF_RANGE = "attendance_out_of_range"
    CERTIFIED_BEFORE_TOT_END = "certified_before_tot_end"
    COMMUNE_REQUIRED = "commune_required"
    DATES_INVERTED = "dates_inverted"
    DONE_BEFORE_VISIT = "done_before_visit"
    DUPLICATE = "duplicate"
    INVALID_DURATION = "invalid_duration"
    INVALID_KIND = "invalid_kind"
    INVALID_PHOTO = "invalid_photo"
    INVALID_POSITION = "invalid_position"
    INVALID_PROGRAMME = "invalid_programme"
    INVALID_STAGE = "invalid_stage"
    MODULE_INACTIVE = "module_inactive"
    NOT_A_MEMBER = "not_a_member"
    NOT_ENROLLED = "not_enrolled"
    OUT_OF_SCOPE = "out_of_scope"
    REQUIRED = "required"
    SCORE_OUT_OF_RANGE = "score_out_of_range"
    SESSION_TOO_LONG = "session_too_long"
    TOT_SESSION_MISMATCH = "tot_session_mismatch"
    TRAINER_NOT_CERTIFIED = "trainer_not_certified"
    TRAINER_REQUIRED = "trainer_required"
    UNKNOWN_AREA = "unknown_area"
    UNKNOWN_MODULE = "unknown_module"
