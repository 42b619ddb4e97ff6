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
from ledger.services import (
    entry_post,
    journal_for_channel,
    source_entry_reverse,
    treasury_account,
)

# Accounts of the postings below that the simple mode does not use (seeded by the data
# migration ledger 0003_loan_accounts).
LATE_INTEREST = "674"  # Autres intérêts: late-payment penalties (intérêts de retard)
DEBT_FORGIVEN = "846"  # Abandons de créances obtenus (HAO): a loan written off by the lender


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


def share_transfer(
    *,
    actor,
    cooperative,
    from_person_id: int,
    to_person_id: int,
    amount: int,
    on: datetime.date,
    source_ref: str,
) -> JournalEntry:
    """Fully paid shares move from one member to another (the price, if any, is paid
    between them): 1013 D (transferor) / 1013 C (transferee), in OD."""
    return entry_post(
        actor=actor,
        cooperative=cooperative,
        journal="OD",
        on=on,
        label="Cession de parts sociales entre membres",
        lines=[
            (chart.CAPITAL_PAID, amount, 0, from_person_id),
            (chart.CAPITAL_PAID, 0, amount, to_person_id),
        ],
        source="capital.share_transfer",
        source_ref=source_ref,
    )


def share_refund(
    *,
    actor,
    cooperative,
    person_id: int,
    paid_up: int,
    amount: int,
    unpaid: int = 0,
    on: datetime.date,
    channel: str,
    source_ref: str,
) -> JournalEntry | None:
    """A departing member's shares are cancelled and refunded, in one entry:

    - paid-up capital becomes a debt to the member: 1013 D / 4619 C (``paid_up``);
    - the refund paid now: 4619 D / treasury C (``amount`` ≤ ``paid_up``; what is not paid
      stays on 4619, owed to the former member until paid or decided otherwise);
    - capital subscribed but never paid is cancelled: 1012 D / 4613 C (``unpaid``).

    Journal: the treasury's when money moves, else OD. Nothing to post: None.
    """
    lines = []
    if paid_up:
        lines += [
            (chart.CAPITAL_PAID, paid_up, 0, person_id),
            (chart.MEMBERS_CAPITAL_TO_REFUND, 0, paid_up, person_id),
        ]
    if amount:
        lines += [
            (chart.MEMBERS_CAPITAL_TO_REFUND, amount, 0, person_id),
            (treasury_account(channel), 0, amount),
        ]
    if unpaid:
        lines += [
            (chart.CAPITAL_CALLED_UNPAID, unpaid, 0, person_id),
            (chart.MEMBERS_CAPITAL_CALLED, 0, unpaid, person_id),
        ]
    if not lines:
        return None
    return entry_post(
        actor=actor,
        cooperative=cooperative,
        journal=journal_for_channel(channel) if amount else "OD",
        on=on,
        label="Remboursement de parts sociales (sortie d'un membre)",
        lines=lines,
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
    label: str = "Décaissement d'un emprunt",
) -> JournalEntry:
    """A loan to the cooperative is paid out: treasury D (net of the fees withheld), 631 D
    (fees) / 162 C (the principal)."""
    lines = [(treasury_account(channel), principal - fees, 0)] if principal > fees else []
    if fees:
        lines.append((chart.BANK_FEES, fees, 0))
    lines.append((chart.BANK_LOANS, 0, principal))
    return entry_post(
        actor=actor,
        cooperative=cooperative,
        journal=journal_for_channel(channel),
        on=on,
        label=label,
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
    penalties: int = 0,
    on: datetime.date,
    channel: str,
    source_ref: str,
    label: str = "Remboursement d'emprunt",
) -> JournalEntry:
    """A repayment by the cooperative, split as the credit app allocated it: 162 D
    (principal), 6712 D (interest), 631 D (fees), 674 D (late-payment penalties) /
    treasury C (the total)."""
    lines = []
    for code, amount in [
        (chart.BANK_LOANS, principal),
        (chart.LOAN_INTEREST, interest),
        (chart.BANK_FEES, fees),
        (LATE_INTEREST, penalties),
    ]:
        if amount:
            lines.append((code, amount, 0))
    lines.append((treasury_account(channel), 0, principal + interest + fees + penalties))
    return entry_post(
        actor=actor,
        cooperative=cooperative,
        journal=journal_for_channel(channel),
        on=on,
        label=label,
        lines=lines,
        source="credit.loan_repayment",
        source_ref=source_ref,
    )


def loan_repayment_reversal(
    *, actor, cooperative, repayment_ref: str, on: datetime.date, source_ref: str, label: str = ""
) -> JournalEntry | None:
    """A repayment cancelled in the credit app: the opposite of its entry (kind
    ``reversal``, pointing at it), in the same journal, dated ``on``. None when the
    repayment had no entry (recorded before the automatic postings)."""
    return source_entry_reverse(
        actor=actor,
        cooperative=cooperative,
        source="credit.loan_repayment",
        source_ref=repayment_ref,
        on=on,
        reversal_source="credit.repayment_reversal",
        reversal_ref=source_ref,
        label=label,
    )


def loan_write_off(
    *,
    actor,
    cooperative,
    principal: int,
    on: datetime.date,
    source_ref: str,
    label: str = "Passage en perte de l'emprunt par le prêteur",
) -> JournalEntry | None:
    """The lender writes the loan off: the principal still owed leaves the debt, as a debt
    forgiveness received (HAO income): 162 D / 846 C, in OD. Nothing owed: None."""
    if not principal:
        return None
    return entry_post(
        actor=actor,
        cooperative=cooperative,
        journal="OD",
        on=on,
        label=label,
        lines=[(chart.BANK_LOANS, principal, 0), (DEBT_FORGIVEN, 0, principal)],
        source="credit.loan_write_off",
        source_ref=source_ref,
    )
