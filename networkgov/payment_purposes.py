"""The ``network_dues`` purpose of the payments app (registered in NetworkGovConfig.ready).

Target: a year's membership; what may be paid is what remains of its dues. The
organisation's accounts start the payment; success records it and posts it in the
platform's books (networkgov.services.dues_paid)."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from core.errors import NotFound
from networkgov.models import Membership
from networkgov.rules import can_pay_dues
from networkgov.services import dues_paid
from payments.purposes import Target


def _target(membership: Membership) -> Target:
    return Target(
        id=membership.pk,
        label=_("Cotisation %(year)s au réseau : %(name)s")
        % {"year": membership.year, "name": membership.organisation.name},
        amount_due=membership.remaining,
        return_path=reverse("networkgov:membership"),
    )


def _get(target_id: int) -> Membership:
    membership = Membership.objects.select_related("organisation").filter(pk=target_id).first()
    if membership is None:
        raise NotFound(_("Adhésion introuvable."), field="target")
    return membership


class DuesPurpose:
    code = "network_dues"

    def target_for(self, *, target_id: int, actor) -> Target:
        membership = _get(target_id)
        if not can_pay_dues(actor, membership):
            raise NotFound(_("Adhésion introuvable."), field="target")
        return _target(membership)

    def target_get(self, *, target_id: int) -> Target:
        return _target(_get(target_id))

    def on_succeeded(self, *, intent) -> str:
        return dues_paid(intent=intent)
