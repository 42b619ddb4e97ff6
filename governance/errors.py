"""The error codes governance raises: one enum, the stable ``code`` of its domain errors.

The codes are part of the API's contract (``{"code", "message", "field"}``,
docs/api.md): a code is never renamed; a new rule adds one. ``core/tests/test_house.py``
fails when a service raises a literal code instead of one of these.
"""

from enum import StrEnum


class Code(StrEnum):
    ACCOUNTS_NEED_ORDINARY = "accounts_need_ordinary"
    AGENDA_REQUIRED = "agenda_required"
    ALREADY_ENDED = "already_ended"
    ALREADY_ON_BODY = "already_on_body"
    ALREADY_RECORDED = "already_recorded"
    ASSEMBLY_CLOSED = "assembly_closed"
    ASSEMBLY_NOT_HELD_YET = "assembly_not_held_yet"
    BODY_NOT_FOR_FORM = "body_not_for_form"
    BODY_SIZE_LIMIT = "body_size_limit"
    HOLDS_PROXIES = "holds_proxies"
    INVALID = "invalid"
    NOT_INTEGER = "not_integer"
    NOTICE_TOO_SHORT = "notice_too_short"
    PROXY_HOLDER_ABSENT = "proxy_holder_absent"
    PROXY_LIMIT = "proxy_limit"
    PROXY_SELF = "proxy_self"
    REQUIRED = "required"
    RESOLUTION_NOT_VOTED = "resolution_not_voted"
    TERM_INVALID = "term_invalid"
    TOO_MANY_VOTES = "too_many_votes"
