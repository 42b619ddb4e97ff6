"""The ``pledge`` purpose of the payments app (registered in NetworkConfig.ready).

Target: a pending pledge (anyone may pay one: pledges need no account, and the pledge's
own id names exactly what is paid). Success makes the pledge count and lets the match
funds match it (network.services.pledge_paid)."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from core.errors import NotFound
from network.models import Pledge, PledgeStatus
from network.services import pledge_paid
from payments.purposes import Target


def _target(pledge: Pledge) -> Target:
    return Target(
        id=pledge.pk,
        label=_("Don à la campagne n° %(id)s") % {"id": pledge.campaign_id},
        amount_due=pledge.amount if pledge.status == PledgeStatus.PENDING else 0,
        return_path=reverse("network:pledge_return", args=[pledge.token]),
    )


class PledgePurpose:
    code = "pledge"

    def target_for(self, *, target_id: int, actor) -> Target:
        return self.target_get(target_id=target_id)

    def target_get(self, *, target_id: int) -> Target:
        pledge = Pledge.objects.filter(pk=target_id).first()
        if pledge is None:
            raise NotFound(_("Promesse introuvable."), field="target")
        return _target(pledge)

    def on_succeeded(self, *, intent) -> str:
        return pledge_paid(intent=intent)
