"""Purchasing's entries in the cooperatives' books, through the ledger's posting
interface (ledger.services.entry_post), SYSCOHADA accounts, idempotent by source_ref.

The group's books are those of its lead cooperative (a union is itself a cooperative):

| event | group's books | buying cooperative's books |
| --- | --- | --- |
| supplier's invoice (receipt) | 6011 D / 401 C | |
| invoice to a cooperative (receipt) | 411 D / 7011 C | 6021 D / 401 C |
| the cooperative pays | treasury D / 411 C | 401 D / treasury C |
| the group pays the supplier | 401 D / treasury C | |

The lead cooperative's own allocation is part of the supplier's invoice (6011): it is not
invoiced to itself (no 411/7011 nor 6021/401 pair), and its invoice is settled at issue.
"""

from __future__ import annotations

import datetime

from ledger.services import entry_post, journal_for_channel, treasury_account

SUPPLIERS = "401"
CUSTOMERS = "411"
PURCHASES_GOODS = "6011"
PURCHASES_INPUTS = "6021"
SALES_GOODS = "7011"


def supplier_invoice(*, actor, books, amount: int, on: datetime.date, ref: str, label: str):
    return entry_post(
        actor=actor,
        cooperative=books,
        journal="OD",
        on=on,
        label=label,
        lines=[(PURCHASES_GOODS, amount, 0), (SUPPLIERS, 0, amount)],
        source="purchasing.supplier_invoice",
        source_ref=ref,
    )


def supplier_payment(*, actor, books, amount, on, channel: str, ref: str, label: str):
    return entry_post(
        actor=actor,
        cooperative=books,
        journal=journal_for_channel(channel),
        on=on,
        label=label,
        lines=[(SUPPLIERS, amount, 0), (treasury_account(channel), 0, amount)],
        source="purchasing.supplier_payment",
        source_ref=ref,
    )


def cooperative_invoice(*, actor, books, buyer, amount: int, on, ref: str, label: str):
    """The group sells the allocation to the buyer; the buyer owes it (two books)."""
    sold = entry_post(
        actor=actor,
        cooperative=books,
        journal="OD",
        on=on,
        label=label,
        lines=[(CUSTOMERS, amount, 0), (SALES_GOODS, 0, amount)],
        source="purchasing.invoice_issued",
        source_ref=ref,
    )
    bought = entry_post(
        actor=actor,
        cooperative=buyer,
        journal="OD",
        on=on,
        label=label,
        lines=[(PURCHASES_INPUTS, amount, 0), (SUPPLIERS, 0, amount)],
        source="purchasing.purchase",
        source_ref=ref,
    )
    return sold, bought


def cooperative_payment(*, actor, books, buyer, amount: int, on, channel: str, ref, label):
    paid = entry_post(
        actor=actor,
        cooperative=buyer,
        journal=journal_for_channel(channel),
        on=on,
        label=label,
        lines=[(SUPPLIERS, amount, 0), (treasury_account(channel), 0, amount)],
        source="purchasing.purchase_payment",
        source_ref=ref,
    )
    received = entry_post(
        actor=actor,
        cooperative=books,
        journal=journal_for_channel(channel),
        on=on,
        label=label,
        lines=[(treasury_account(channel), amount, 0), (CUSTOMERS, 0, amount)],
        source="purchasing.invoice_paid",
        source_ref=ref,
    )
    return paid, received
