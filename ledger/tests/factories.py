"""Test helpers for the books: a cooperative with an officer who may post."""

import datetime

from accounts.services import role_assign
from accounts.tests.factories import UserFactory
from geo.tests.factories import commune
from ledger.services import entry_post
from registry.tests.factories import CooperativeFactory


def books(name="Coopérative test"):
    """(cooperative, officer) ready to post."""
    area = commune("SN-TC-KPT-01", "Koumpentoum", "SN-TC-KPT")
    coop = CooperativeFactory(name=name, commune=area)
    officer = UserFactory()
    role_assign(user=officer, role="officer", cooperative=coop)
    return coop, officer


def post(coop, officer, on=datetime.date(2026, 3, 10), lines=None, journal="CA", label="Vente"):
    return entry_post(
        actor=officer,
        cooperative=coop,
        journal=journal,
        on=on,
        label=label,
        lines=lines or [("5711", 10_000, 0), ("7021", 0, 10_000)],
    )
