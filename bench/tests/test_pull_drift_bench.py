"""The pull-drift measure (bench/pull_drift.py) runs, counts what a pull examines, and
rolls back. ``BENCH_PULL_DRIFT=0,1000,3000`` makes it the measure of docs/offline.md
("Measured"), printed (run it with ``-s``, on PostgreSQL with ``DATABASE_URL``)."""

import json
import os
from io import StringIO

import pytest
from django.core.management import call_command

from registry.models import Person
from sync.models import PullCursor
from sync.tests.conftest import field  # noqa: F401 (the fixture: a session and a loan)


@pytest.mark.django_db
@pytest.mark.usefixtures("field")
def test_bench_pull_drift_measures_and_rolls_back(world):
    persons = Person.objects.count()
    counts = os.environ.get("BENCH_PULL_DRIFT", "0,4")
    out = StringIO()
    call_command(
        "bench_pull_drift",
        agent=world.agent_tc.username,
        commune=world.koumpentoum.code,
        counts=counts,
        pulls=int(os.environ.get("BENCH_PULL_DRIFT_PULLS", "3")),
        stdout=out,
    )
    result = json.loads(out.getvalue())
    print(json.dumps(result, indent=1))
    steps = result["steps"]
    assert [s["persons_registered_last_hour"] for s in steps] == [int(c) for c in counts.split(",")]
    for before, step in zip([{"persons_registered_last_hour": 0}, *steps], steps, strict=False):
        added = step["persons_registered_last_hour"] - before["persons_registered_last_hour"]
        assert step["sent_by_the_pull_after_them"] == added
        assert step["records_sent"] == 0  # nothing changed since each timed pull's cursor
        assert step["p95_ms"] >= step["p50_ms"] > 0
    assert Person.objects.count() == persons
    assert not PullCursor.objects.exists()
