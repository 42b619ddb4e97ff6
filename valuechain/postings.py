"""The value chain's entries in the cooperatives' books, through the ledger's posting
interface (ledger.services.entry_post), SYSCOHADA accounts, idempotent by source_ref.

A sale, in the shop's books: treasury D per payment (cash 5711, mobile money 552; 411 for
a mobile-money payment still awaited) / 7021 C own products, 7011 C goods bought
outright, 471 C consigned goods (owed to the depositor).
An awaited mobile-money payment confirmed: 552 D / 411 C.
A consignment settlement: shop 471 D gross / treasury C net, 7061 C commission; the
producing cooperative treasury D net, 632 D commission / 7021 C gross. Paid by mobile
money, the settlement is a payout (payments, purpose ``consignment_settlement``): the
entries above go to the OD journal with 471 in place of the treasury (the net stays owed),
and the payout's success posts the money's move in the MM journal: shop 471 D / 552 C
net, producing cooperative 552 D / 471 C net (nothing on a failure or a refusal).
Shared equipment's usage fee (the invoice): the booking cooperative 6223 D (equipment
rented) / 401 C (the workshop, a supplier); the workshop's operating cooperative, when it
has one, 411 D / 7061 C (services sold).

Goods bought outright (services/outright.py): invoiced, the shop 6011 D / 401 C and the
supplier 411 D / 7021 C; paid, the shop 401 D / treasury C, the supplier treasury D / 411 C.

Stock is kept in quantities (movements); the books use the periodic inventory method
(no 31x/36x entry per sale): the variation of stock is entered at the year's inventory.
"""

from __future__ import annotations

from collections import defaultdict

from django.utils import timezone

from ledger.services import entry_post, journal_for_channel, treasury_account

CUSTOMERS = "411"
CONSIGNORS = "471"  # débiteurs et créditeurs divers: depositors of consigned goods
SALES_OWN = "7021"
SALES_BOUGHT = "7011"
COMMISSION_EARNED = "7061"
COMMISSION_PAID = "632"
SUPPLIERS = "401"
WALLET = "552"  # monnaie électronique (journal MM)
EQUIPMENT_RENT = "6223"
GOODS_BOUGHT = "6011"  # achats de marchandises (bought outright for resale)
SERVICES_SOLD = "7061"


def sale_lines(sale, payments) -> list[tuple]:
    """The entry's lines for ``sale`` (its lines and ``payments``, already saved)."""
    credits: dict[str, int] = defaultdict(int)
    for line in sale.lines.all():
        if line.consignor_id:
            credits[CONSIGNORS] += line.amount
        elif line.lot.cooperative_id == sale.cooperative_id:
            credits[SALES_OWN] += line.amount
        else:
            credits[SALES_BOUGHT] += line.amount
    debits: dict[str, int] = defaultdict(int)
    for p in payments:
        account = treasury_account(p.channel) if p.confirmed else CUSTOMERS
        debits[account] += p.amount
    return [(a, d, 0) for a, d in sorted(debits.items()) if d] + [
        (a, 0, c) for a, c in sorted(credits.items()) if c
    ]


def sale(*, actor, sale, payments):
    if sale.cooperative_id is None or not sale.total:
        return None
    return entry_post(
        actor=actor,
        cooperative=sale.cooperative,
        journal="OD",
        on=timezone.localtime(sale.sold_at).date(),
        label=f"Vente ticket {sale.till.name} n° {sale.receipt_number}"[:200],
        lines=sale_lines(sale, payments),
        source="valuechain.sale",
        source_ref=f"sale:{sale.pk}",
    )


def mobile_money_confirmed(*, actor, sale, payment, on):
    return entry_post(
        actor=actor,
        cooperative=sale.cooperative,
        journal=journal_for_channel("mobile_money"),
        on=on,
        label=f"Mobile money reçu, ticket n° {sale.receipt_number}"[:200],
        lines=[
            (treasury_account("mobile_money"), payment.amount, 0),
            (CUSTOMERS, 0, payment.amount),
        ],
        source="valuechain.sale_mobile_money",
        source_ref=f"sale-payment:{payment.pk}",
    )


def settlement(*, actor, settlement):
    s = settlement
    label = f"Dépôt-vente {s.period_from:%d/%m/%Y}-{s.period_to:%d/%m/%Y}"
    by_payout = s.channel == "mobile_money"  # the net stays owed (471) until the payout
    journal = "OD" if by_payout else journal_for_channel(s.channel)
    treasury = CONSIGNORS if by_payout else treasury_account(s.channel)
    shop_lines = [(CONSIGNORS, s.commission if by_payout else s.gross, 0)]
    coop_lines = []
    if s.net:
        coop_lines.append((treasury, s.net, 0))
        if not by_payout:
            shop_lines.append((treasury, 0, s.net))
    if s.commission:
        shop_lines.append((COMMISSION_EARNED, 0, s.commission))
        coop_lines.append((COMMISSION_PAID, s.commission, 0))
    coop_lines.append((SALES_OWN, 0, s.gross))
    ref = f"settlement:{s.pk}"
    common = {"actor": actor, "journal": journal, "on": s.paid_on, "label": label}
    shop = None
    if shop_lines[0][1]:  # by payout without commission: nothing moves at the shop yet
        shop = entry_post(
            cooperative=s.site.cooperative,
            lines=shop_lines,
            source="valuechain.settlement_paid",
            source_ref=ref,
            **common,
        )
    coop = entry_post(
        cooperative=s.cooperative,
        lines=coop_lines,
        source="valuechain.settlement_received",
        source_ref=ref,
        **common,
    )
    return shop, coop


def settlement_payout(*, actor, settlement, on):
    """A settlement's payout confirmed by the operator: the net leaves the shop's wallet
    (471 D / 552 C) and reaches the producing cooperative's (552 D / 471 C), MM journal."""
    s = settlement
    label = f"Versement dépôt-vente {s.period_from:%d/%m/%Y}-{s.period_to:%d/%m/%Y}"
    ref = f"settlement:{s.pk}"
    common = {"actor": actor, "journal": "MM", "on": on, "label": label, "source_ref": ref}
    shop = entry_post(
        cooperative=s.site.cooperative,
        lines=[(CONSIGNORS, s.net, 0), (WALLET, 0, s.net)],
        source="valuechain.settlement_payout_sent",
        **common,
    )
    coop = entry_post(
        cooperative=s.cooperative,
        lines=[(WALLET, s.net, 0), (CONSIGNORS, 0, s.net)],
        source="valuechain.settlement_payout_received",
        **common,
    )
    return shop, coop


def equipment_fee(*, actor, booking):
    """The usage fee of ``booking`` invoiced: in the booking cooperative's books and, when
    a cooperative runs the workshop (and is not the one booking), in the workshop's."""
    fee, workshop = booking.fee, booking.equipment.site
    if not fee:
        return None
    label = f"Redevance {booking.equipment.name} {booking.hours_used} h"[:200]
    ref = f"equipment-booking:{booking.pk}"
    common = {"actor": actor, "journal": "OD", "on": booking.used_on, "label": label}
    entries = []
    if workshop.cooperative_id == booking.cooperative_id:
        return None  # its own equipment: no invoice to itself
    entries.append(
        entry_post(
            cooperative=booking.cooperative,
            lines=[(EQUIPMENT_RENT, fee, 0), (SUPPLIERS, 0, fee)],
            source="valuechain.equipment_fee_owed",
            source_ref=ref,
            **common,
        )
    )
    if workshop.cooperative_id:
        entries.append(
            entry_post(
                cooperative=workshop.cooperative,
                lines=[(CUSTOMERS, fee, 0), (SERVICES_SOLD, 0, fee)],
                source="valuechain.equipment_fee_invoiced",
                source_ref=ref,
                **common,
            )
        )
    return entries


def purchase_invoice(*, actor, invoice):
    """An outright purchase invoiced: in the buying shop's books and the supplier's."""
    label = f"Facture {invoice} achat ferme"[:200]
    common = {"actor": actor, "journal": "OD", "on": invoice.issued_on, "label": label}
    ref, amount = f"purchase-invoice:{invoice.pk}", invoice.amount
    return (
        entry_post(
            cooperative=invoice.buyer,
            lines=[(GOODS_BOUGHT, amount, 0), (SUPPLIERS, 0, amount)],
            source="valuechain.purchase_invoice_received",
            source_ref=ref,
            **common,
        ),
        entry_post(
            cooperative=invoice.supplier,
            lines=[(CUSTOMERS, amount, 0), (SALES_OWN, 0, amount)],
            source="valuechain.purchase_invoice_issued",
            source_ref=ref,
            **common,
        ),
    )


def purchase_paid(*, actor, invoice):
    """An outright purchase's invoice paid: the shop pays its supplier."""
    label = f"Paiement facture {invoice}"[:200]
    journal, treasury = journal_for_channel(invoice.channel), treasury_account(invoice.channel)
    common = {"actor": actor, "journal": journal, "on": invoice.paid_on, "label": label}
    ref, amount = f"purchase-invoice-paid:{invoice.pk}", invoice.amount
    return (
        entry_post(
            cooperative=invoice.buyer,
            lines=[(SUPPLIERS, amount, 0), (treasury, 0, amount)],
            source="valuechain.purchase_invoice_paid",
            source_ref=ref,
            **common,
        ),
        entry_post(
            cooperative=invoice.supplier,
            lines=[(treasury, amount, 0), (CUSTOMERS, 0, amount)],
            source="valuechain.purchase_invoice_cashed",
            source_ref=ref,
            **common,
        ),
    )
