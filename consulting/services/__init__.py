"""Every write of consulting (docs/consulting.md), one module per entity."""

from consulting.services.changes import (
    amendment_decide,
    amendment_propose,
    engagement_cancel,
)
from consulting.services.engagements import (
    default_split,
    dispute_open,
    dispute_resolve,
    engagement_create,
    engagement_paid,
    engagement_payment_record,
    engagement_payment_start,
    engagement_rate,
    proposal_accept,
)
from consulting.services.fund import ess_support_grant
from consulting.services.profiles import consultant_profile_save, consultant_verify
from consulting.services.refunds import dispute_refund, dispute_refund_settled
from consulting.services.requests import proposal_submit, support_request_create

__all__ = [
    "amendment_decide",
    "amendment_propose",
    "dispute_refund",
    "dispute_refund_settled",
    "engagement_cancel",
    "consultant_profile_save",
    "consultant_verify",
    "default_split",
    "dispute_open",
    "dispute_resolve",
    "engagement_create",
    "engagement_paid",
    "engagement_payment_record",
    "engagement_payment_start",
    "engagement_rate",
    "ess_support_grant",
    "proposal_accept",
    "proposal_submit",
    "support_request_create",
]
