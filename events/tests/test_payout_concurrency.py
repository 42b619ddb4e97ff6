"""An event's payout asked by several at once (the organiser's click, an administrator,
the daily job: PostgreSQL, threads on their own connections) is settled, booked, paid and
sent exactly once."""

import threading

import pytest
from django.db import connection, connections

from events import services
from events.models import EventSettlement
from network.models import BookEntry
from payments.models import Payout

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="concurrent writers need PostgreSQL: SQLite serialises whole-database writes",
)

THREADS = 6


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_payout_asked_many_times_at_once_is_made_once(cast, paid_event, wave):
    barrier = threading.Barrier(THREADS)
    created, errors = [], []

    def ask(i):
        try:
            barrier.wait(timeout=10)
            if i % 3 == 2:
                counts = services.event_payouts_due(actor=cast.admin)
                created.append(counts["requested"])
            else:
                actor = cast.user_sn if i % 3 == 0 else cast.admin
                _settlement, made = services.event_payout_request(actor=actor, event=paid_event)
                created.append(int(made))
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=ask, args=(i,)) for i in range(THREADS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert not errors, errors
    assert sum(created) == 1
    assert EventSettlement.objects.count() == 1
    payout = Payout.objects.get(purpose="event_payout")
    assert payout.status == "succeeded" and payout.amount == 19_000
    sent = [p for p in wave.payouts.values() if p["client_reference"] == payout.reference]
    assert len(sent) == 1
    assert BookEntry.objects.filter(source="event_settlement").count() == 1
    assert BookEntry.objects.filter(source="event_payout").count() == 1
