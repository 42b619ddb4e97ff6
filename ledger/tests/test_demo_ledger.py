"""The demo year of books loads through the services, balances, and loads only once."""

import datetime

from demo.ledger_data import load_ledger
from ledger.models import JournalEntry, MemberTransaction
from ledger.selectors import balance_sheet, trial_balance


def test_demo_books_are_idempotent_and_balanced(world):
    report = load_ledger(actor=world.officer)
    entries = JournalEntry.objects.filter(cooperative=world.coop_tc).count()
    assert report == [f"écritures comptables ajoutées : {entries}"]
    assert entries > 100
    deliveries = MemberTransaction.objects.count()
    assert load_ledger(actor=world.officer) == ["écritures comptables ajoutées : 0"]
    assert MemberTransaction.objects.count() == deliveries
    rows = trial_balance(actor=world.national, cooperative=world.coop_tc)
    assert sum(r["balance"] for r in rows) == 0
    sheet = balance_sheet(
        actor=world.national, cooperative=world.coop_tc, on=datetime.date(2026, 10, 31)
    )
    assert sheet["total_assets"] == sheet["total_liabilities"] > 0
