"""The error codes valuechain raises: one enum, the stable ``code`` of its domain errors.

The codes are part of the API's contract (``{"code", "message", "field"}``,
docs/api.md): a code is never renamed; a new rule adds one. ``core/tests/test_house.py``
fails when a service raises a literal code instead of one of these.
"""

from enum import StrEnum


class Code(StrEnum):
    ALREADY_CLOSED = "already_closed"
    ALREADY_CONCLUDED = "already_concluded"
    ALREADY_DECIDED = "already_decided"
    ALREADY_PAID = "already_paid"
    AMOUNT_DIFFERS = "amount_differs"
    BEFORE_START = "before_start"
    BOOKING_CLOSED = "booking_closed"
    BOOKING_OVERLAP = "booking_overlap"
    CLIENT_UUID_REUSED = "client_uuid_reused"
    DAY_CLOSED = "day_closed"
    INSUFFICIENT_STOCK = "insufficient_stock"
    INVALID = "invalid"
    INVALID_AMOUNT = "invalid_amount"
    INVALID_CHOICE = "invalid_choice"
    INVALID_HOURS = "invalid_hours"
    INVALID_JSON = "invalid_json"
    INVALID_PRICE = "invalid_price"
    INVALID_QUANTITY = "invalid_quantity"
    INVALID_SCORE = "invalid_score"
    INVALID_SLOT = "invalid_slot"
    NOTHING_TO_SETTLE = "nothing_to_settle"
    NOT_AWAITING = "not_awaiting"
    NO_WALLET = "no_wallet"
    NOT_A_WORKSHOP = "not_a_workshop"
    NOT_YOUR_DELIVERY = "not_your_delivery"
    NOT_IN_CHAIN = "not_in_chain"
    OUTPUT_EXCEEDS_INPUTS = "output_exceeds_inputs"
    OUT_OF_RANGE = "out_of_range"
    PAYMENTS_MISMATCH = "payments_mismatch"
    REQUIRED = "required"
