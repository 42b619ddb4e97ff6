"""The ``contribution`` purpose of the payments app (registered in HealthConfig.ready).

Target: a household the actor may see; a payment may bring up to the joining fees still
due and twelve months ahead. On success the contribution is recorded on the channel
mobile money and the fixed coverage rule applies (health.services)."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _

from health import rules
from health.models import Claim, Household
from health.selectors import claim_get, household_get
from health.services import amount_payable, claim_payout_settled, contribution_pay_confirmed
from payments.purposes import Target
from payments.rules import can_manage_payments


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


class ClaimPayoutPurpose:
    """The ``health_claim`` payout purpose: a valuated claim paid by phone. The scheme's
    agents request; another agent of the scheme or national staff approves above the
    threshold (payments keeps maker-checker: never the requester)."""

    code = "health_claim"
    kind = "claim"

    def may_request(self, *, actor, target_id: int) -> bool:
        claim = claim_get(actor=actor, pk=target_id)  # NotFound outside the scope
        return rules.can_process_claim(actor, claim)

    def may_approve(self, *, actor, payout) -> bool:
        claim = Claim.objects.filter(pk=payout.target_id).first()
        if claim is None:
            return False
        return rules.can_process_claim(actor, claim) or can_manage_payments(actor)

    def on_settled(self, *, payout) -> None:
        claim_payout_settled(payout=payout)
