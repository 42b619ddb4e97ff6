"""The error codes ledger raises: one enum, the stable ``code`` of its domain errors.

The codes are part of the API's contract (``{"code", "message", "field"}``,
docs/api.md): a code is never renamed; a new rule adds one. ``core/tests/test_house.py``
fails when a service raises a literal code instead of one of these.
"""

from enum import StrEnum


class Code(StrEnum):
    ALLOCATION_BEFORE_YEAR_END = "allocation_before_year_end"
    ALREADY_ALLOCATED = "already_allocated"
    ALREADY_CLOSED = "already_closed"
    ALREADY_REVERSED = "already_reversed"
    AUTOMATIC_ENTRY = "automatic_entry"
    EMPTY_ENTRY = "empty_entry"
    INTEREST_EXCEEDS_SURPLUS = "interest_exceeds_surplus"
    INVALID_AMOUNT = "invalid_amount"
    INVALID_DATE = "invalid_date"
    INVALID_LINE = "invalid_line"
    INVALID_PERIOD = "invalid_period"
    INVALID_RATE = "invalid_rate"
    LABEL_REQUIRED = "label_required"
    NO_SURPLUS = "no_surplus"
    NOT_A_MEMBER = "not_a_member"
    NOT_REVERSIBLE = "not_reversible"
    OPTIONAL_RESERVE_TOO_HIGH = "optional_reserve_too_high"
    PATRONAGE_EXCEEDS_SURPLUS = "patronage_exceeds_surplus"
    PERIOD_LOCKED = "period_locked"
    PREVIOUS_YEAR_OPEN = "previous_year_open"
    RESERVE_RATE_TOO_LOW = "reserve_rate_too_low"
    RESERVES_EXCEED_SURPLUS = "reserves_exceed_surplus"
    REVERSAL_BEFORE_ENTRY = "reversal_before_entry"
    SAME_CHANNEL = "same_channel"
    SHARE_INTEREST_TOO_HIGH = "share_interest_too_high"
    SOURCE_REF_REUSED = "source_ref_reused"
    UNBALANCED = "unbalanced"
    UNKNOWN_ACCOUNT = "unknown_account"
    UNKNOWN_CATEGORY = "unknown_category"
    UNKNOWN_CHANNEL = "unknown_channel"
    UNKNOWN_JOURNAL = "unknown_journal"
    YEAR_CLOSED = "year_closed"
    YEAR_NOT_CLOSED = "year_not_closed"
    YEAR_NOT_OVER = "year_not_over"
