"""Issue 23's soak drift (``manage.py bench_pull_drift``): what one pull of changes costs
as the changes of the last hour grow, inside a transaction rolled back afterwards (the
database is left unchanged), in process (``sync.services.snapshot_take``), on any database.

The agent's device pulls everything; then, step by step, persons are registered in the
agent's commune through ``registry.services.person_create`` until each of ``counts`` is
reached (the soak's agent registering persons). After each step the device pulls once (its
cursor is now taken after those persons), then ``pulls`` pulls of changes follow, each with
the cursor of the one before (as a device does), nothing written in between. Per step:
wall time p50/p95/max, the queries of one pull, the records sent, and the **candidates
examined** by one pull: the ids of the incremental kinds (cooperative, person,
membership, session, visit) whose scope and data it computed (docs/offline.md, "What a
pull of changes computes"; a whole pull counts every one it computed). With nothing
changed since the cursor, it should be 0. The history written before the measure is dated
a day earlier first (rolled back with the rest), as a real database's is.
"""

from __future__ import annotations

import datetime
import os
import statistics
import time

from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from core import dates


class _Rollback(Exception):
    pass


def _ms(values: list[float]) -> dict:
    values = sorted(values)
    p95 = values[max(0, round(0.95 * len(values)) - 1)]
    return {
        "p50_ms": round(statistics.median(values) * 1000, 1),
        "p95_ms": round(p95 * 1000, 1),
        "max_ms": round(values[-1] * 1000, 1),
    }


class _Examined:
    """Counts the ids the pull of changes hands to each incremental kind's computation."""

    def __init__(self, pull_module):
        self.module, self.count, self.saved = pull_module, 0, {}

    def __enter__(self):
        kinds = self.module.KINDS
        for kind in self.module.INCREMENTAL:
            self.saved[kind] = kinds[kind]
            kinds[kind] = self._counted(kinds[kind])
        return self

    def __exit__(self, *exc):
        self.module.KINDS.update(self.saved)

    def _counted(self, rows):
        def counted(actor, today, only=None):
            if only is None:  # a whole pull: every record of the kind computed
                for row in rows(actor, today):
                    self.count += 1
                    yield row
            else:
                self.count += len(only)
                yield from rows(actor, today, only=only)

        return counted


def _age_history() -> None:
    """The history written before the measure dated a day earlier, as a real database's
    is (the test world was made a moment ago: an area's history row of the last hour makes
    every pull a whole one, ``map_changed``)."""
    from geo.models import Area
    from registry.models import Cooperative, Membership, Person

    day_before = timezone.now() - datetime.timedelta(days=1)
    for model in (Area, Cooperative, Membership, Person):
        model.history.update(history_date=day_before)


def _register(agent, commune, n: int, start: int) -> None:
    from registry import services as registry_services

    for i in range(start, start + n):
        registry_services.person_create(
            actor=agent,
            first_name=f"Derive{i:05d}",
            last_name="Banc",
            sex="F" if i % 2 else "M",
            commune=commune,
        )


def _step(agent, cursor: str, pulls: int, today) -> tuple[dict, str]:
    from accounts.models import User
    from sync import pull as pull_module
    from sync.services import snapshot_take

    # the pull right after the registrations sends them; the timed ones follow it
    answer = snapshot_take(actor=User.objects.get(pk=agent.pk), since=cursor, today=today)
    cursor, first_sent = answer["cursor"], len(answer["records"])
    times, examined, sent = [], [], []
    with _Examined(pull_module) as spy:
        for _i in range(pulls):
            actor = User.objects.get(pk=agent.pk)  # a fresh scope, as each request has
            spy.count = 0
            started = time.perf_counter()
            with CaptureQueriesContext(connection) as queries:
                answer = snapshot_take(actor=actor, since=cursor, today=today)
            times.append(time.perf_counter() - started)
            examined.append(spy.count)
            cursor = answer["cursor"]
            sent.append(len(answer["records"]))
    return {
        "sent_by_the_pull_after_them": first_sent,
        **_ms(times),
        "queries": len(queries),
        "examined": max(examined),
        "records_sent": max(sent),
    }, cursor


def measure_pull_drift(*, agent, commune, counts=(0, 1000, 3000), pulls: int = 10) -> dict:
    """One row per count of persons registered in the last hour (see the module)."""
    from sync.services import snapshot_take

    today = dates.today()
    steps = []
    try:
        with transaction.atomic():
            _age_history()
            cursor = snapshot_take(actor=agent, today=today)["cursor"]
            registered = 0
            for count in counts:
                started = time.perf_counter()
                _register(agent, commune, count - registered, registered)
                seconds = time.perf_counter() - started
                step, cursor = _step(agent, cursor, pulls, today)
                steps.append(
                    {
                        "persons_registered_last_hour": count,
                        "registered_in_s": round(seconds, 1),
                        **step,
                    }
                )
                registered = count
            raise _Rollback
    except _Rollback:
        pass
    return {
        "database": connection.vendor,
        "pulls_per_step": pulls,
        "load_average": os.getloadavg(),
        "steps": steps,
    }
