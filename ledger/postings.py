"""The entries other apps post into a cooperative's books, as plain-value functions.

Each takes the cooperative (registry.Cooperative), whole-franc amounts, a date, a
``channel`` ("cash", "bank" or "mobile_money") where money moves, the member's person id
where the line belongs to a member, and a ``source_ref`` unique in the calling app (for
example the payment's id): a retried call returns the first entry and never posts twice.
The calling service has checked its own actor's permission (see TRUSTED_SOURCES).
See docs/ledger.md for the table of entries.
"""

from __future__ import annotations

import datetime

from ledger import chart
from ledger.models import JournalEntry
from ledger.services import entry_post, journal_for_channel, treasury_account


def share_subscription(
    *, actor, cooperative, person_id: int, amount: int, on: datetime.date, source_ref: str
) -> JournalEntry:
    """A member subscribes shares (called up, not yet paid): 4613 D / 1012 C."""
    return entry_post(
        actor=actor,
        cooperative=cooperative,
        journal="OD",
        on=on,
        label="Souscription de parts sociales",
        lines=[
            (chart.MEMBERS_CAPITAL_CALLED, amount, 0, person_id),
            (chart.CAPITAL_CALLED_UNPAID, 0, amount, person_id),
        ],
        source="capital.share_subscription",
        source_ref=source_ref,
    )


def share_payment(
    *,
    actor,
    cooperative,
    person_id: int,
    amount: int,
    on: datetime.date,
    channel: str,
    source_ref: str,
) -> JournalEntry:
    """A member pays up subscribed shares: treasury D / 4613 C, and the capital moves from
    called-unpaid to paid-up: 1012 D / 1013 C."""
    return entry_post(
        actor=actor,
        cooperative=cooperative,
        journal=journal_for_channel(channel),
        on=on,
        label="Libération de parts sociales",
        lines=[
            (treasury_account(channel), amount, 0),
            (chart.MEMBERS_CAPITAL_CALLED, 0, amount, person_id),
            (chart.CAPITAL_CALLED_UNPAID, amount, 0, person_id),
            (chart.CAPITAL_PAID, 0, amount, person_id),
        ],
        source="capital.share_payment",
        source_ref=source_ref,
    )


def share_refund(
    *,
    actor,
    cooperative,
    person_id: int,
    amount: int,
    on: datetime.date,
    channel: str,
    source_ref: str,
) -> JournalEntry:
    """Paid-up shares refunded to a departing member: 1013 D / 4619 C, then 4619 D /
    treasury C (both in one entry)."""
    return entry_post(
        actor=actor,
        cooperative=cooperative,
        journal=journal_for_channel(channel),
        on=on,
        label="Remboursement de parts sociales",
        lines=[
            (chart.CAPITAL_PAID, amount, 0, person_id),
            (chart.MEMBERS_CAPITAL_TO_REFUND, 0, amount, person_id),
            (chart.MEMBERS_CAPITAL_TO_REFUND, amount, 0, person_id),
            (treasury_account(channel), 0, amount),
        ],
        source="capital.share_refund",
        source_ref=source_ref,
    )


def loan_disbursement(
    *,
    actor,
    cooperative,
    principal: int,
    fees: int = 0,
    on: datetime.date,
    channel: str,
    source_ref: str,
) -> JournalEntry:
    """A loan to the cooperative is paid out: treasury D (net of fees withheld), fees 631 D
    / 162 C for the principal."""
    lines = [(treasury_account(channel), principal - fees, 0)] if principal > fees else []
    if fees:
        lines.append((chart.BANK_FEES, fees, 0))
    lines.append((chart.BANK_LOANS, 0, principal))
    return entry_post(
        actor=actor,
        cooperative=cooperative,
        journal=journal_for_channel(channel),
        on=on,
        label="Décaissement d'un emprunt",
        lines=lines,
        source="credit.loan_disbursement",
        source_ref=source_ref,
    )


def loan_repayment(
    *,
    actor,
    cooperative,
    principal: int,
    interest: int,
    fees: int = 0,
    on: datetime.date,
    channel: str,
    source_ref: str,
) -> JournalEntry:
    """A repayment by the cooperative, split as the credit app allocated it: 162 D
    (principal), 6712 D (interest), 631 D (fees) / treasury C (the total)."""
    lines = []
    for code, amount in [
        (chart.BANK_LOANS, principal),
        (chart.LOAN_INTEREST, interest),
        (chart.BANK_FEES, fees),
    ]:
        if amount:
            lines.append((code, amount, 0))
    lines.append((treasury_account(channel), 0, principal + interest + fees))
    return entry_post(
        actor=actor,
        cooperative=cooperative,
        journal=journal_for_channel(channel),
        on=on,
        label="Remboursement d'emprunt",
        lines=lines,
        source="credit.loan_repayment",
        source_ref=source_ref,
    )
