"""The counters are exact under concurrent requests (PostgreSQL, threads on their own
connections): the day's row is created by the first and incremented by all, in one
statement each (an upsert), none lost."""

import threading

import pytest
from django.db import connection, connections

from core import dates
from sponsoring import services
from sponsoring.models import DailyCount
from sponsoring.tests.conftest import live

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="concurrent writers need PostgreSQL: SQLite serialises whole-database writes",
)

THREADS, EACH = 8, 25


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_concurrent_impressions_and_clicks_are_exact(cast):
    first, second = live(cast, title="Une"), live(cast, title="Deux")
    today = dates.today()
    barrier = threading.Barrier(THREADS)
    errors = []

    def hit():
        try:
            barrier.wait(timeout=10)
            for _ in range(EACH):
                services.impressions_record(booking_ids=[first.pk, second.pk], day=today)
                services.click_record(booking=first, day=today)
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=hit) for _ in range(THREADS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert not errors
    counts = {c.booking_id: (c.impressions, c.clicks) for c in DailyCount.objects.all()}
    assert counts == {first.pk: (THREADS * EACH, THREADS * EACH), second.pk: (THREADS * EACH, 0)}
