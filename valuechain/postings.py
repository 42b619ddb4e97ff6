"""The value chain's entries in the cooperatives' books, through the ledger's posting
interface (ledger.services.entry_post), SYSCOHADA accounts, idempotent by source_ref.

A sale, in the shop's books: treasury D per payment (cash 5711, mobile money 552; 411 for
a mobile-money payment still awaited) / 7021 C own products, 7011 C goods bought
outright, 471 C consigned goods (owed to the depositor).
An awaited mobile-money payment confirmed: 552 D / 411 C.
A consignment settlement: shop 471 D gross / treasury C net, 7061 C commission; the
producing cooperative treasury D net, 632 D commission / 7021 C gross.
Shared equipment's usage fee (the invoice): the booking cooperative 6223 D (equipment
rented) / 401 C (the workshop, a supplier); the workshop's operating cooperative, when it
has one, 411 D / 7061 C (services sold).

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
EQUIPMENT_RENT = "6223"
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
    journal = journal_for_channel(s.channel)
    treasury = treasury_account(s.channel)
    shop_lines = [(CONSIGNORS, s.gross, 0)]
    coop_lines = []
    if s.net:
        shop_lines.append((treasury, 0, s.net))
        coop_lines.append((treasury, s.net, 0))
    if s.commission:
        shop_lines.append((COMMISSION_EARNED, 0, s.commission))
        coop_lines.append((COMMISSION_PAID, s.commission, 0))
    coop_lines.append((SALES_OWN, 0, s.gross))
    ref = f"settlement:{s.pk}"
    shop = entry_post(
        actor=actor,
        cooperative=s.site.cooperative,
        journal=journal,
        on=s.paid_on,
        label=label,
        lines=shop_lines,
        source="valuechain.settlement_paid",
        source_ref=ref,
    )
    coop = entry_post(
        actor=actor,
        cooperative=s.cooperative,
        journal=journal,
        on=s.paid_on,
        label=label,
        lines=coop_lines,
        source="valuechain.settlement_received",
        source_ref=ref,
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
