"""The ``engagement`` purpose of the payments app (registered in ConsultingConfig.ready).

Target: a signed engagement; what may be paid is what is still due. The client's users
(and the network's administrators) start the payment; success splits it
(consulting.services.engagement_paid)."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from consulting.models import Engagement
from consulting.rules import can_act_for_client
from consulting.selectors import engagement_figures
from consulting.services import engagement_paid
from core.errors import NotFound
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
