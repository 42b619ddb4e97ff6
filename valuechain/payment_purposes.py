"""The ``sale`` purpose of the payments app (registered in ValueChainConfig.ready; the code
is the one docs/payments.md lists): a shop sale's awaited mobile-money part paid by the
buyer's phone through payments (Wave, Orange Money)."""

from __future__ import annotations

from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from core import dates
from core.errors import Conflict
from payments.purposes import Target
from payments.rules import can_manage_payments
from valuechain.errors import Code
from valuechain.models import Sale, SalePayment, Settlement
from valuechain.rules import can_operate
from valuechain.selectors import sale_get, settlement_get
from valuechain.services import sale_mobile_money_confirm, settlement_payout_settled


def _awaited(sale: Sale):
    return SalePayment.objects.filter(sale=sale, channel="mobile_money", confirmed=False)


def _target(sale: Sale) -> Target:
    due = _awaited(sale).aggregate(s=Sum("amount"))["s"] or 0
    return Target(
        id=sale.pk,
        label=_("Ticket n° %(n)s — %(shop)s") % {"n": sale.receipt_number, "shop": sale.site},
        amount_due=due,
        cooperative_id=sale.cooperative_id,
        area_id=sale.site.commune_id,
        person_id=None,
        amount_suggested=due,
    )


class SalePurpose:
    code = "sale"

    def target_for(self, *, target_id: int, actor) -> Target:
        return _target(sale_get(actor=actor, pk=target_id))

    def target_get(self, *, target_id: int) -> Target:
        return _target(Sale.objects.select_related("site").get(pk=target_id))

    def on_succeeded(self, *, intent) -> str:
        sale = Sale.objects.get(pk=intent.target_id)
        awaited = list(_awaited(sale).order_by("pk"))
        if sum(p.amount for p in awaited) != intent.amount:
            raise Conflict(
                _("Le montant payé diffère du mobile money attendu pour ce ticket."),
                code=Code.AMOUNT_DIFFERS,
            )
        paid_at = getattr(intent, "paid_at", None)
        on = timezone.localdate(paid_at) if paid_at else dates.today()
        for payment in awaited:
            sale_mobile_money_confirm(
                actor=intent.created_by,
                payment=payment,
                reference=str(getattr(intent, "reference", ""))[:80],
                on=on,
            )
        return f"sale:{sale.pk}"


class SettlementPayoutPurpose:
    """The ``consignment_settlement`` payout purpose: a settlement by mobile money paid to
    the producing cooperative's wallet. The shop's operators (or national staff) request
    it; above the threshold another operator of the shop or national staff approves
    (payments keeps maker-checker: never the requester)."""

    code = "consignment_settlement"
    kind = "settlement"

    def may_request(self, *, actor, target_id: int) -> bool:
        settlement = settlement_get(actor=actor, pk=target_id)  # NotFound outside the scope
        return can_operate(actor, settlement.site)

    def may_approve(self, *, actor, payout) -> bool:
        settlement = Settlement.objects.select_related("site").filter(pk=payout.target_id).first()
        if settlement is None:
            return False
        return can_operate(actor, settlement.site) or can_manage_payments(actor)

    def on_settled(self, *, payout) -> None:
        settlement_payout_settled(payout=payout)
