"""The error codes tenders raises: one enum, the stable ``code`` of its domain errors (part
of the API's contract, docs/api.md; never renamed, a new rule adds one)."""

from enum import StrEnum


class Code(StrEnum):
    ALREADY_AWARDED = "already_awarded"
    CONFLICT_OF_INTEREST = "conflict_of_interest"
    DEADLINE_PASSED = "deadline_passed"
    DEADLINE_PAST = "deadline_past"
    INVALID = "invalid"
    INVALID_CHOICE = "invalid_choice"
    INVALID_COUNTRY = "invalid_country"
    INVALID_FILE = "invalid_file"
    NOT_APPROVED = "not_approved"
    NOT_DECLARED = "not_declared"
    NOT_EVALUATED = "not_evaluated"
    NOT_FOUND = "not_found"
    NOT_IN_GRID = "not_in_grid"
    NOT_YET = "not_yet"
    OUT_OF_RANGE = "out_of_range"
    OWN_TENDER = "own_tender"
    REQUIRED = "required"
    TOO_LARGE = "too_large"
    TOO_MANY = "too_many"
    WEIGHTS_NOT_100 = "weights_not_100"
