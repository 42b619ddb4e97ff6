"""The network's statutes as settings (docs/networkgov.md, "Statuts du réseau").

The African ESS network's own statutes were not available to us: these defaults are an
assumption, aligned on the choices the cooperatives' statutes use in governance
(docs/capital-and-governance.md: 1/2 quorum and simple majority for an ordinary
assembly, 2/3 and 2/3 for an extraordinary one) with a longer notice for members spread
over many countries. ``settings.NETWORK_STATUTES`` overrides any of them.
"""

from __future__ import annotations

import datetime

from django.conf import settings

DEFAULTS = {
    "ordinary_quorum": "1/2",  # of the member organisations in good standing, voting
    "ordinary_majority": "1/2",  # simple: strictly more "pour" than half the votes cast
    "extraordinary_quorum": "2/3",
    "extraordinary_majority": "2/3",
    "notice_days": 30,  # between the notice and the assembly
    "dues_due_month": 3,  # a year's dues are due by the last day of this month
    "new_member_days": 30,  # a member joining later has this many days to pay
    "lapse_days": 90,  # unpaid this many days after the due date: lapsed
    "reminder_days": 15,  # the reminder leaves this many days before the due date
}


def statutes() -> dict:
    return {**DEFAULTS, **getattr(settings, "NETWORK_STATUTES", {})}


def quorum_and_majority(kind: str) -> tuple[str, str]:
    """For an assembly's kind (governance.models.AssemblyKind: ``ordinaire``,
    ``extraordinaire``)."""
    s = statutes()
    prefix = "extraordinary" if kind == "extraordinaire" else "ordinary"
    return s[f"{prefix}_quorum"], s[f"{prefix}_majority"]


def year_due_on(year: int) -> datetime.date:
    """The statutory due date of a year's dues: the last day of ``dues_due_month``."""
    month = statutes()["dues_due_month"]
    first_next = datetime.date(year + (month == 12), month % 12 + 1, 1)
    return first_next - datetime.timedelta(days=1)
