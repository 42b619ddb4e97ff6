"""The mutual's own books (docs/health.md, "Books"): each scheme keeps double-entry books
in the ledger as a holder (``ledger.services.holder_entry_post``), on the SYSCOHADA chart.
Every entry is balanced and posted once per (source, reference): a retry posts nothing.

- contribution received: debit the treasury of its channel (5711 cash, 521 bank, 552
  mobile money, 471 withheld from a ristourne by the cooperative) and 419 for the
  household's credit used; credit 7582 the joining fees, 7581 the months begun on the day
  of payment, 477 the months not yet begun, 419 what is left as credit;
- a month paid in advance begins (``contributions_earn``): 477 to 7581;
- claim valuated: debit 6588 (care paid by the mutual), credit 401 (the provider);
- claim paid (by hand or by a payout): debit 401, credit the treasury of its channel;
- the operator's fee on a claim's payout: debit 631 (bank and operators' fees), credit 552.

Posting into a locked month or a closed year of the mutual's books is refused (409
``period_locked``) and the operation rolls back with it: nothing is written.
"""

from __future__ import annotations

import datetime

from django.utils.translation import gettext as _

from ledger.services import holder_book_open, holder_entry_post

HOLDER = "health.scheme"
TREASURY = {"cash": "5711", "bank": "521", "mobile_money": "552", "ristourne": "471"}
FEES, EARNED, DEFERRED, CREDIT = "7582", "7581", "477", "419"
CLAIMS, PROVIDERS = "6588", "401"
FEES_PAID = "631"


def book_for(scheme):
    return holder_book_open(holder=HOLDER, holder_id=scheme.pk, name=scheme.name)


def _post(scheme, *, actor, on, label, source, ref, lines):
    lines = [(a, d, c) for a, d, c in lines if d or c]
    if not lines:
        return None
    return holder_entry_post(
        actor=actor,
        book=book_for(scheme),
        on=on,
        label=str(label)[:200],
        source=source,
        source_ref=str(ref),
        lines=lines,
    )


def contribution_received(contribution, *, scheme, deferred: int, actor):
    """``deferred``: the part of the months bought that had not begun on ``paid_on``."""
    c = contribution
    credit_before = c.joining_fees + c.months_amount + c.credit_after - c.amount
    credit_change = c.credit_after - credit_before
    return _post(
        scheme,
        actor=actor,
        on=c.paid_on,
        label=_("Cotisation du ménage n° %(n)s") % {"n": c.household_id},
        source="health_contribution",
        ref=c.pk,
        lines=[
            (TREASURY[c.channel], c.amount, 0),
            (CREDIT, max(-credit_change, 0), 0),
            (FEES, 0, c.joining_fees),
            (EARNED, 0, c.months_amount - deferred),
            (DEFERRED, 0, deferred),
            (CREDIT, 0, max(credit_change, 0)),
        ],
    )


def months_earned(scheme, *, on: datetime.date, amount: int, ref: str, actor):
    return _post(
        scheme,
        actor=actor,
        on=on,
        label=_("Cotisations acquises (mois commencés au %(d)s)") % {"d": on.strftime("%d/%m/%Y")},
        source="health_earned",
        ref=ref,
        lines=[(DEFERRED, amount, 0), (EARNED, 0, amount)],
    )


def claim_valuated(claim, *, on: datetime.date, actor):
    return _post(
        claim.scheme,
        actor=actor,
        on=on,
        label=_("Demande de remboursement n° %(n)s — %(p)s") % {"n": claim.pk, "p": claim.provider},
        source="health_claim",
        ref=claim.pk,
        lines=[(CLAIMS, claim.covered_amount, 0), (PROVIDERS, 0, claim.covered_amount)],
    )


def claim_paid(claim, *, actor):
    return _post(
        claim.scheme,
        actor=actor,
        on=claim.paid_on,
        label=_("Paiement de la demande n° %(n)s — %(p)s") % {"n": claim.pk, "p": claim.provider},
        source="health_claim_paid",
        ref=claim.pk,
        lines=[
            (PROVIDERS, claim.covered_amount, 0),
            (TREASURY[claim.paid_channel], 0, claim.covered_amount),
        ],
    )


def payout_fee(claim, payout, *, on: datetime.date, actor):
    """The operator's fee on a claim's payout, borne by the mutual (its wallet paid it)."""
    return _post(
        claim.scheme,
        actor=actor,
        on=on,
        label=_("Frais du versement de la demande n° %(n)s") % {"n": claim.pk},
        source="health_payout_fee",
        ref=payout.pk,
        lines=[(FEES_PAID, payout.fee, 0), (TREASURY["mobile_money"], 0, payout.fee)],
    )
