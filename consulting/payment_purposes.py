"""The ``engagement`` purpose of the payments app (registered in ConsultingConfig.ready).

Target: a signed engagement; what may be paid is what is still due. The client's users
(and the network's administrators) start the payment; success splits it
(consulting.services.engagement_paid)."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from consulting.models import Engagement
from consulting.rules import can_act_for_client, can_see_engagement
from consulting.selectors import engagement_figures
from consulting.services import dispute_refund_settled, engagement_paid
from core.errors import NotFound
from network.rules import is_network_admin
from payments.purposes import Target


def _target(engagement: Engagement) -> Target:
    return Target(
        id=engagement.pk,
        label=_("Mission n° %(id)s : %(title)s") % {"id": engagement.pk, "title": engagement.title},
        amount_due=engagement_figures(engagement)["due"],
        return_path=reverse("consulting:engagement_detail", args=[engagement.pk]),
    )


class EngagementPurpose:
    code = "engagement"

    def target_for(self, *, target_id: int, actor) -> Target:
        engagement = Engagement.objects.filter(pk=target_id).first()
        if engagement is None or not can_act_for_client(actor, engagement):
            raise NotFound(_("Mission introuvable."), field="target")
        return _target(engagement)

    def target_get(self, *, target_id: int) -> Target:
        engagement = Engagement.objects.filter(pk=target_id).first()
        if engagement is None:
            raise NotFound(_("Mission introuvable."), field="target")
        return _target(engagement)

    def on_succeeded(self, *, intent) -> str:
        return engagement_paid(intent=intent)


class RefundPayoutPurpose:
    """The ``consulting_refund`` payout purpose: a client refunded when a dispute is
    resolved (consulting.services.dispute_refund). The network's administrators request
    it; above the threshold another administrator approves (never the requester)."""

    code = "consulting_refund"
    kind = "refund"

    def may_request(self, *, actor, target_id: int) -> bool:
        from consulting.models import DisputeRefund

        refund = DisputeRefund.objects.select_related("engagement").filter(pk=target_id).first()
        if refund is None or not can_see_engagement(actor, refund.engagement):
            raise NotFound(_("Remboursement introuvable."))
        return is_network_admin(actor)

    def may_approve(self, *, actor, payout) -> bool:
        return is_network_admin(actor)

    def on_settled(self, *, payout) -> None:
        dispute_refund_settled(payout=payout)
