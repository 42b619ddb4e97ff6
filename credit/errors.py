"""The error codes credit raises: one enum, the stable ``code`` of its domain errors.

The codes are part of the API's contract (``{"code", "message", "field"}``,
docs/api.md): a code is never renamed; a new rule adds one. ``core/tests/test_house.py``
fails when a service raises a literal code instead of one of these.
"""

from enum import StrEnum


class Code(StrEnum):
    ALREADY_REVERSED = "already_reversed"
    BORROWER = "borrower"
    DATE_ORDER = "date_order"
    DEDUCTION_NOT_REVERSIBLE = "deduction_not_reversible"
    DUPLICATE = "duplicate"
    IDEMPOTENCY_MISMATCH = "idempotency_mismatch"
    INVALID = "invalid"
    LOAN_STATE = "loan_state"
    MAKER_CHECKER = "maker_checker"
    NO_ACTOR = "no_actor"
    NOT_AWAITING = "not_awaiting"
    NOT_MEMBER = "not_member"
    OUT_OF_RANGE = "out_of_range"
    OVERPAYMENT = "overpayment"
    PAYOUT_PENDING = "payout_pending"
    PENDING_REQUEST = "pending_request"
    PRODUCT_INACTIVE = "product_inactive"
    PROMISE = "promise"
    REQUEST_STATE = "request_state"
    REQUIRED = "required"
    REVERSAL_OF_REVERSAL = "reversal_of_reversal"
    UNKNOWN_AREA = "unknown_area"
    USURY_CAP = "usury_cap"
