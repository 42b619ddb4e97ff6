"""Authorization-matrix entries of the books (see accounts/tests/authz.py).

Each side's cooperative has one entry in its cash journal."""

import datetime

from accounts.services import role_assign
from accounts.tests.authz import E, Pair, api, page
from accounts.tests.factories import UserFactory
from ledger.services import entry_post


def _entry(officer, coop):
    return entry_post(
        actor=officer,
        cooperative=coop,
        journal="CA",
        on=datetime.date(2026, 3, 10),
        label="Vente",
        lines=[("5711", 10_000, 0), ("7021", 0, 10_000)],
    )


def build(world, objs):
    officer_b = UserFactory(username="matrix-officer-mbour")
    role_assign(user=officer_b, role="officer", cooperative=world.coop_mbour)
    objs["entry"] = Pair(_entry(world.officer, world.coop_tc), _entry(officer_b, world.coop_mbour))


ENTRY_IN = {
    "journal": "CA",
    "date": "2026-03-11",
    "label": "Vente",
    "lines": [{"account": "5711", "debit": 5_000}, {"account": "7021", "credit": 5_000}],
}

# ledger/rules.py: the books are read by national, agents (area) and the officer; only
# the officer posts. Lenders and members do not see them.
READ = E(200, lender=404, member=404, nobody=404)
POST = E(403, officer=200, lender=404, member=404, nobody=404)

ENTRIES = [
    # pages
    # Agents and officers are sent to the books of their (only) cooperative.
    # an agent whose area holds several cooperatives (the matrix world's side A has the
    # value chain's second one) gets the list; an officer goes straight to their books
    page("ledger:home", expect=E(200, officer=302)),
    page("ledger:dashboard", coop_id="@cooperative", expect=READ),
    page("ledger:receipt", coop_id="@cooperative", expect=POST),
    page("ledger:payment", coop_id="@cooperative", expect=POST),
    page("ledger:transfer", coop_id="@cooperative", expect=POST),
    page("ledger:entries", coop_id="@cooperative", expect=READ),
    page("ledger:entry", coop_id="@cooperative", pk="@entry", expect=READ),
    page("ledger:trial_balance", coop_id="@cooperative", expect=READ),
    page("ledger:general_ledger", coop_id="@cooperative", expect=READ),
    page("ledger:statements", coop_id="@cooperative", expect=READ),
    page("ledger:year", coop_id="@cooperative", year=2026, expect=READ),
    page(
        "ledger:refund_statement",
        coop_id="@cooperative",
        year=2025,
        person_id="@person",
        expect=E(404),  # no allocation that year: 404 for all; other side 404 too
    ),
    page("ledger:member_transactions", coop_id="@cooperative", expect=READ),
    # API
    api(
        "GET /api/v1/cooperatives/{coop_id}/journal-entries",
        coop_id="@cooperative",
        expect=READ,
    ),
    api(
        "POST /api/v1/cooperatives/{coop_id}/journal-entries",
        coop_id="@cooperative",
        body=ENTRY_IN,
        expect=E(403, officer=201, lender=404, member=404, nobody=404),
    ),
    api(
        "GET /api/v1/cooperatives/{coop_id}/trial-balance",
        coop_id="@cooperative",
        expect=READ,
    ),
]
