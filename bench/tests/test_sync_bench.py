"""The offline sync bench runs (small sizes), counts honestly, and rolls back."""

import json
from io import StringIO

import pytest
from django.core.management import call_command

from registry.models import Person
from sync.models import PullCursor, PushedRecord
from sync.tests.conftest import field  # noqa: F401 (the fixture: a session and a loan)


@pytest.mark.django_db
@pytest.mark.usefixtures("field")
def test_bench_sync_measures_and_rolls_back(world):
    persons = Person.objects.count()
    out = StringIO()
    call_command(
        "bench_sync",
        agent=world.agent_tc.username,
        requests=3,
        changes=2,
        devices=3,
        per_device=10,
        stdout=out,
    )
    result = json.loads(out.getvalue())
    pull = result["pull"]
    assert pull["first"]["records"] > 0 and pull["first"]["gzip_kib"] > 0
    assert pull["first"]["gzip"] is True  # sent compressed
    assert pull["changes"]["edited"] == 2 and pull["changes"]["records_sent"] == 2
    assert pull["changes"]["p95_ms"] >= pull["changes"]["p50_ms"] > 0
    push = result["push"]
    assert push["records"] == 30
    assert push["answers"] == {"applied:": 30, "duplicate:": 30}
    assert push["written"]["objects"] == {"person": 12, "membership": 9, "visit": 6, "repayment": 3}
    assert (push["lost"], push["doubled"], push["met"]) == (0, 0, True)
    assert Person.objects.count() == persons
    assert not PushedRecord.objects.exists() and not PullCursor.objects.exists()
