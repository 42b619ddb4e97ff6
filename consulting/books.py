"""Consulting's entries in the platform's own double-entry books (network.books; the
programme's ledger keeps cooperatives' books, not the platform's: docs/consulting.md).

| event | debit | credit |
| --- | --- | --- |
| a client's payment received | 552 wallet | 4192 clients' payments to split |
| its split | 4192 | 4673 owed to the consultant, 706 platform, 4675 ESS fund |
| the consultant's payout (not while a dispute holds it) | 4673 | 552 |
| a client refunded after a dispute | 4673, 706, 4675 (held shares, pro rata) | 4196 owed back |
| its payout to the client | 4196 | 552 |
| a support of the ESS fund decided | 4675 | 4671 owed to the organisation |
| its payout to the organisation | 4671 | 552 |
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from network.books import COMMISSION, OWED, WALLET, post

RECEIVED, CONSULTANT_OWED, ESS_FUND = "4192", "4673", "4675"
REFUND_OWED = "4196"


def payment_received(payment) -> None:
    engagement = payment.engagement
    label = _("Mission %(id)s : paiement du client") % {"id": engagement.pk}
    post(
        on=payment.paid_on,
        label=label,
        source="engagement_payment",
        source_ref=payment.pk,
        lines=[(WALLET, payment.amount, 0), (RECEIVED, 0, payment.amount)],
    )
    post(
        on=payment.paid_on,
        label=_("Mission %(id)s : répartition") % {"id": engagement.pk},
        source="engagement_split",
        source_ref=payment.pk,
        lines=[
            (RECEIVED, payment.amount, 0),
            (CONSULTANT_OWED, 0, payment.consultant_share),
            (COMMISSION, 0, payment.platform_share),
            (ESS_FUND, 0, payment.ess_share),
        ],
    )


def consultant_paid_out(payment, on) -> None:
    """The consultant's share, less what a refund after a dispute took back from it."""
    net = payment.consultant_share - payment.consultant_refunded
    post(
        on=on,
        label=_("Mission %(id)s : versement au consultant") % {"id": payment.engagement_id},
        source="engagement_payout",
        source_ref=payment.pk,
        lines=[(CONSULTANT_OWED, net, 0), (WALLET, 0, net)],
    )


def dispute_refunded(refund, on) -> None:
    """The client refunded: the held shares reversed in proportion, then paid back."""
    label = _("Mission %(id)s : remboursement au client (litige)") % {"id": refund.engagement_id}
    post(
        on=on,
        label=label,
        source="engagement_refund",
        source_ref=refund.pk,
        lines=[
            (CONSULTANT_OWED, refund.consultant_part, 0),
            (COMMISSION, refund.platform_part, 0),
            (ESS_FUND, refund.ess_part, 0),
            (REFUND_OWED, 0, refund.amount),
        ],
    )
    post(
        on=on,
        label=label,
        source="engagement_refund_payout",
        source_ref=refund.pk,
        lines=[(REFUND_OWED, refund.amount, 0), (WALLET, 0, refund.amount)],
    )


def support_decided(support) -> None:
    post(
        on=support.on,
        label=_("Fonds ESS : %(what)s") % {"what": support.description},
        source="ess_support",
        source_ref=support.pk,
        lines=[(ESS_FUND, support.amount, 0), (OWED, 0, support.amount)],
    )
    if support.payout_id:
        post(
            on=support.on,
            label=_("Fonds ESS : versement à %(org)s") % {"org": support.organisation.name},
            source="ess_support_payout",
            source_ref=support.pk,
            lines=[(OWED, support.amount, 0), (WALLET, 0, support.amount)],
        )
