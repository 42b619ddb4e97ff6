"""The platform's own double-entry books of the crowdfunding money (docs/network.md).

Accounts (SYSCOHADA numbering):

| account | what |
| --- | --- |
| 552 | the platform's mobile-money wallet |
| 4191 | donors' money held for a campaign until it closes (pledges and matches) |
| 4671 | what is owed to organisations (succeeded campaigns, less the commission) |
| 4672 | the sponsors' match funds deposited with the platform, not yet committed |
| 706 | the platform's commission (succeeded campaigns only) |
| 4718 | donors' money moving from a failed campaign to the one they chose (0 after each move) |

Every entry is balanced and posted once per (source, source_ref): a retry posts nothing.
"""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _

from core import dates
from network.models import BookEntry, BookLine
from network.once import insert_once

WALLET, HELD, OWED, FUNDS, COMMISSION = "552", "4191", "4671", "4672", "706"
MOVING = "4718"


def post(*, on, label: str, source: str, source_ref: str, lines, campaign=None, fund=None):
    """Post one balanced entry (``lines``: ``(account, debit, credit)``), once: its id, or
    ``None`` when this (source, source_ref) was posted before."""
    lines = [(a, d, c) for a, d, c in lines if d or c]
    if sum(d for _a, d, _c in lines) != sum(c for _a, _d, c in lines):
        raise ValueError("unbalanced entry")
    if not lines:
        return None
    entry_id = insert_once(
        BookEntry,
        on=on,
        label=str(label)[:200],
        source=source,
        source_ref=str(source_ref),
        campaign_id=getattr(campaign, "pk", None),
        fund_id=getattr(fund, "pk", None),
        created_at=timezone.now(),
    )
    if entry_id is None:
        return None  # already posted
    BookLine.objects.bulk_create(
        [BookLine(entry_id=entry_id, account=a, debit=d, credit=c) for a, d, c in lines]
    )
    return entry_id


def pledge_received(pledge) -> None:
    post(
        on=timezone.localdate(pledge.paid_at),
        label=_("Don de %(name)s") % {"name": pledge.donor_name},
        source="pledge",
        source_ref=pledge.pk,
        campaign=pledge.campaign,
        lines=[(WALLET, pledge.amount, 0), (HELD, 0, pledge.amount)],
    )


def pledge_refunded(pledge, on) -> None:
    post(
        on=on,
        label=_("Remboursement du don de %(name)s") % {"name": pledge.donor_name},
        source="pledge_refund",
        source_ref=pledge.pk,
        campaign=pledge.campaign,
        lines=[(HELD, pledge.amount, 0), (WALLET, 0, pledge.amount)],
    )


def pledge_moved(old, new, on) -> None:
    """A failed campaign's pledge moved, at the donor's choice, to another campaign: the
    money held leaves the first campaign and is held for the second (two entries, one
    per campaign, through 4718; no money leaves the wallet)."""
    label = _("Don de %(name)s reporté de la campagne %(old)s sur la campagne %(new)s") % {
        "name": old.donor_name,
        "old": old.campaign_id,
        "new": new.campaign_id,
    }
    post(
        on=on,
        label=label,
        source="pledge_move_out",
        source_ref=old.pk,
        campaign=old.campaign,
        lines=[(HELD, old.amount, 0), (MOVING, 0, old.amount)],
    )
    post(on=on, label=label, source="pledge_move_in", source_ref=new.pk,
         campaign=new.campaign, lines=[(MOVING, new.amount, 0), (HELD, 0, new.amount)])  # fmt: skip


def fund_deposited(fund) -> None:
    post(
        on=dates.today(),
        label=_("Fonds de doublement de %(sponsor)s") % {"sponsor": fund.sponsor},
        source="fund",
        source_ref=fund.pk,
        fund=fund,
        lines=[(WALLET, fund.budget, 0), (FUNDS, 0, fund.budget)],
    )


def match_committed(match) -> None:
    post(
        on=dates.today(),
        label=_("Doublement par %(sponsor)s") % {"sponsor": match.fund.sponsor},
        source="match",
        source_ref=match.pk,
        campaign=match.campaign,
        fund=match.fund,
        lines=[(FUNDS, match.amount, 0), (HELD, 0, match.amount)],
    )


def match_released(match, on) -> None:
    post(
        on=on,
        label=_("Doublement rendu à %(sponsor)s") % {"sponsor": match.fund.sponsor},
        source="match_release",
        source_ref=match.pk,
        campaign=match.campaign,
        fund=match.fund,
        lines=[(HELD, match.amount, 0), (FUNDS, 0, match.amount)],
    )


def campaign_settled(campaign, on, *, total: int, commission: int, net: int) -> None:
    post(
        on=on,
        label=_("Campagne %(id)s réussie") % {"id": campaign.pk},
        source="campaign_success",
        source_ref=campaign.pk,
        campaign=campaign,
        lines=[(HELD, total, 0), (OWED, 0, net), (COMMISSION, 0, commission)],
    )
    if campaign.settlement_id:
        post(
            on=on,
            label=_("Versement à l'organisation, campagne %(id)s") % {"id": campaign.pk},
            source="campaign_payout",
            source_ref=campaign.pk,
            campaign=campaign,
            lines=[(OWED, net, 0), (WALLET, 0, net)],
        )
