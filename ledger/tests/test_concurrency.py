"""Concurrent posts into one journal never collide nor leave gaps (row lock on the journal).
Needs real concurrent transactions: PostgreSQL only."""

import datetime
import threading

import pytest
from django.db import connection, connections

from geo.models import Area
from ledger.models import Account, JournalEntry
from ledger.services import entry_post
from ledger.tests.factories import books
from registry.models import Sector

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="concurrent transactions need PostgreSQL"
)


def reference_data():
    """The rows of data migrations this test needs, should a transactional test before it
    have flushed them (serialized rollback restores them, but do not depend on it)."""
    import importlib

    chart = importlib.import_module("ledger.migrations.0002_seed_syscohada_chart").CHART
    for code, label in chart:
        Account.objects.get_or_create(
            code=code, defaults={"label": label, "account_class": int(code[0])}
        )
    parent, path = None, ""
    for code, level in [("SN", "country"), ("SN-TC", "region"), ("SN-TC-KPT", "department")]:
        path += f"{code}/"
        parent, _ = Area.objects.get_or_create(
            code=code, defaults={"name": code, "level": level, "parent": parent, "path": path}
        )
    Sector.objects.get_or_create(code="artisanat", defaults={"name": "Artisanat"})


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_concurrent_posts_get_consecutive_numbers():
    reference_data()
    coop, officer = books()
    errors = []

    def worker(n):
        try:
            for i in range(5):
                entry_post(
                    actor=officer,
                    cooperative=coop,
                    journal="CA",
                    on=datetime.date(2026, 5, 1),
                    label=f"Vente {n}-{i}",
                    lines=[("5711", 100, 0), ("7021", 0, 100)],
                )
        except Exception as exc:  # noqa: BLE001 (reported below)
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    numbers = sorted(JournalEntry.objects.filter(cooperative=coop).values_list("number", flat=True))
    assert numbers == list(range(1, 21))
