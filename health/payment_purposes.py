"""The ``contribution`` purpose of the payments app (registered in HealthConfig.ready).

Target: a household the actor may see; a payment may bring up to the joining fees still
due and twelve months ahead. On success the contribution is recorded on the channel
mobile money and the fixed coverage rule applies (health.services)."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _

from health.models import Household
from health.selectors import household_get
from health.services import amount_payable, contribution_pay_confirmed
from payments.purposes import Target


def _target(household: Household) -> Target:
    coop = household.cooperative
    return Target(
        id=household.pk,
        label=_("Cotisation santé — ménage n° %(n)s (%(head)s)")
        % {"n": household.pk, "head": household.head},
        amount_due=amount_payable(household),
        cooperative_id=household.cooperative_id,
        area_id=coop.commune_id if coop else household.head.commune_id,
        person_id=household.head_id,
    )


class ContributionPurpose:
    code = "contribution"

    def target_for(self, *, target_id: int, actor) -> Target:
        return _target(household_get(actor=actor, pk=target_id))

    def target_get(self, *, target_id: int) -> Target:
        households = Household.objects.select_related("scheme", "head", "cooperative")
        return _target(households.get(pk=target_id))

    def on_succeeded(self, *, intent) -> str:
        household = Household.objects.select_related("scheme").get(pk=intent.target_id)
        paid_at = intent.paid_at or timezone.now()
        contribution = contribution_pay_confirmed(
            actor=intent.created_by,
            household=household,
            amount=intent.amount,
            paid_on=timezone.localdate(paid_at),
            reference=intent.reference,
        )
        return f"contribution:{contribution.pk}"
