"""Consignment settlements paid by mobile money: a payout of payments' purpose
``consignment_settlement`` to the producing cooperative's wallet (its registered phone,
``registry.Cooperative.phone``). The payout's reference, hence its idempotency key, is
derived from the settlement row (``PO-CONSSETT-<id>-<attempt>``); above the payments
threshold a second person approves it (never the requester); the net moves in the books
only when the operator confirms it (``postings.settlement_payout``)."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from core import dates
from core.errors import Conflict, ValidationFailed
from core.services import service
from valuechain import postings
from valuechain.errors import Code
from valuechain.models import Settlement

PURPOSE = "consignment_settlement"
OPEN = ("awaiting_approval", "approved", "processing")


def settlement_payout_start(*, actor, settlement: Settlement, provider: str = "wave"):
    """Ask (or ask again) for the payout of a mobile-money settlement, inside the
    settlement's transaction; it is sent once that transaction commits (when approved).
    Asked again, the payout still live is answered: one payout, one key."""
    from payments.services import payout_request

    settlement.cooperative.refresh_from_db(fields=["phone", "name"])  # its number today
    phone = settlement.cooperative.phone
    if not phone:
        raise ValidationFailed(
            _(
                "La coopérative n'a pas de numéro de téléphone enregistré : "
                "impossible de la payer par mobile money."
            ),
            code=Code.NO_WALLET,
            field="channel",
        )
    payout = payout_request(
        kind="settlement",
        purpose=PURPOSE,
        target_id=settlement.pk,
        provider=provider,
        amount=settlement.net,
        phone=phone,
        name=settlement.cooperative.name[:100],
        reason=str(_("Règlement de dépôt-vente n° %(n)s") % {"n": settlement.pk}),
        actor=actor,
        cooperative=settlement.site.cooperative,
    )
    if payout.status == "approved":
        transaction.on_commit(lambda: _send(payout, actor))
    return payout


def _send(payout, actor):
    from payments.services import payout_send

    return payout_send(payout=payout, actor=actor)


@service(atomic=False)
def settlement_payout_approve(*, actor, settlement: Settlement, approve: bool = True):
    """The checker's decision on a settlement's payout above the threshold (another
    operator of the shop or national staff, never the requester); approved, it is sent."""
    from payments.selectors import purpose_payout
    from payments.services import payout_approve

    payout = purpose_payout(purpose=PURPOSE, target_id=settlement.pk)
    if payout is None or payout.status != "awaiting_approval":
        raise Conflict(_("Aucun versement à approuver."), code=Code.NOT_AWAITING)
    payout = payout_approve(payout=payout, actor=actor, approve=approve)
    return _send(payout, actor) if payout.status == "approved" else payout


@service
def settlement_payout_settled(*, payout, actor=None) -> Settlement | None:
    """The payout is final: succeeded, the net's move is posted in both books (MM journal,
    once); failed or refused, nothing is posted and the settlement stays unpaid (its page
    says so; making it again asks a new payout)."""
    settlement = (
        Settlement.objects.select_related("site__cooperative", "cooperative")
        .filter(pk=payout.target_id)
        .first()
    )
    if settlement is None or payout.status != "succeeded":
        return settlement
    postings.settlement_payout(
        actor=actor or payout.approved_by or payout.requested_by,
        settlement=settlement,
        on=dates.today(),
    )
    return settlement
