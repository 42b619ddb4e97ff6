"""Goods bought outright by a shop from a producing cooperative (issue 17, point 5): the
transfer that brings them into the shop's stock carries the supplier's invoice, posted in
both books, and its payment, posted once.

Books (SYSCOHADA, periodic inventory): the shop 6011 D (goods bought for resale) / 401 C
(the supplier); the supplier 411 D (the shop, a customer) / 7021 C (its products sold).
Paid: the shop 401 D / treasury C; the supplier treasury D / 411 C. Sales of these goods
at the shop are then 7011 (goods bought outright, ``postings.sale_lines``).
"""

from __future__ import annotations

import datetime

from django.db.models import Max
from django.utils.translation import gettext_lazy as _

from core.dates import check_event_date
from core.errors import Conflict, ValidationFailed
from core.money import check_amount
from core.services import service
from registry.models import Cooperative
from valuechain import postings
from valuechain.errors import Code
from valuechain.models import PurchaseInvoice, Transfer
from valuechain.rules import can_operate, require

PAY_CHANNELS = ("cash", "bank", "mobile_money")


def outright_check(*, from_site, to_site, quantity: int, unit_price) -> int:
    """What an outright purchase needs before anything is written: two cooperatives (the
    supplier runs the site the goods leave, the buyer the one they enter) and a price."""
    if not from_site.cooperative_id or not to_site.cooperative_id:
        raise ValidationFailed(
            _("Un achat ferme se fait entre deux sites tenus par des coopératives."),
            code=Code.INVALID,
            field="to_site",
        )
    if from_site.cooperative_id == to_site.cooperative_id:
        raise ValidationFailed(
            _("Un achat ferme se fait entre deux coopératives différentes."),
            code=Code.INVALID,
            field="to_site",
        )
    if isinstance(unit_price, bool) or not isinstance(unit_price, int) or unit_price < 1:
        raise ValidationFailed(
            _("Le prix unitaire d'un achat ferme doit être d'au moins 1 F CFA."),
            code=Code.INVALID_PRICE,
            field="unit_price",
        )
    check_amount(unit_price, field="unit_price")
    check_amount(quantity * unit_price, field="quantity")
    return unit_price


def invoice_for_transfer(*, actor, transfer: Transfer, unit_price: int) -> PurchaseInvoice:
    """The supplier's invoice for an outright ``transfer`` (checked by ``outright_check``),
    numbered per supplier under a lock of the supplier's row, posted in both books."""
    supplier = Cooperative.objects.select_for_update().get(pk=transfer.from_site.cooperative_id)
    last = PurchaseInvoice.objects.filter(supplier=supplier).aggregate(n=Max("number"))["n"]
    invoice = PurchaseInvoice.objects.create(
        transfer=transfer,
        supplier=supplier,
        buyer_id=transfer.to_site.cooperative_id,
        number=(last or 0) + 1,
        issued_on=transfer.on,
        quantity=transfer.quantity,
        unit_price=unit_price,
        amount=transfer.quantity * unit_price,
    )
    postings.purchase_invoice(actor=actor, invoice=invoice)
    return invoice


@service(event_dates=("paid_on",))
def purchase_invoice_pay(
    *, actor, invoice: PurchaseInvoice, paid_on: datetime.date, channel: str = "cash"
) -> PurchaseInvoice:
    """The shop pays the supplier's invoice (its operator): once (409 ``already_paid``),
    not before the invoice's date; posted in both books."""
    invoice = (
        PurchaseInvoice.objects.select_for_update()
        .select_related("transfer__to_site", "supplier", "buyer")
        .get(pk=invoice.pk)
    )
    require(can_operate(actor, invoice.transfer.to_site))
    if channel not in PAY_CHANNELS:
        raise ValidationFailed(
            _("Moyen de paiement inconnu."), code=Code.INVALID_CHOICE, field="channel"
        )
    if invoice.paid_on is not None:
        raise Conflict(
            _("Cette facture est déjà payée (le %(day)s).")
            % {"day": invoice.paid_on.strftime("%d/%m/%Y")},
            code=Code.ALREADY_PAID,
        )
    check_event_date(paid_on, field="paid_on")
    if paid_on < invoice.issued_on:
        raise ValidationFailed(
            _("Le paiement ne peut précéder la facture (%(day)s).")
            % {"day": invoice.issued_on.strftime("%d/%m/%Y")},
            code=Code.BEFORE_START,
            field="paid_on",
        )
    invoice.paid_on, invoice.channel = paid_on, channel
    invoice.save(update_fields=["paid_on", "channel"])
    postings.purchase_paid(actor=actor, invoice=invoice)
    return invoice
