"""Issue 23, points 2 and 3: what `make soak` concludes from its samples (errors outside and
inside the faults' windows, p95 drifting up, a worker's memory growing), and its checks of
the database afterwards (books, nothing lost or doubled, rollups)."""

import json
import uuid

import pytest
from django.core.management import call_command

from bench import soak_analysis as analysis
from core import dates

SETTINGS = {"minutes": 30, "rate": 25, "workers": 3, "faults": True, "mix": {}}
KILL = {"kind": "kill_worker", "at": 450.0, "until": 450.0}


def steady(op="home", ms=40.0, seconds=1800, every=2, status=200):
    return [(float(s), op, ms, status, True) for s in range(0, seconds, every)]


def run(samples, memory=(), faults=(), checks=None):
    return analysis.report(
        samples=samples,
        memory=list(memory),
        faults=list(faults),
        checks=checks or {"ok": True},
        settings=SETTINGS,
        database_bytes=(1000, 5000),
    )


def test_a_steady_run_meets_every_goal():
    r = run(steady())
    assert r["met"] and r["errors_outside_faults"] == 0
    assert r["operations"]["home"]["p95_ms"] == 40.0
    assert r["drift"]["home"]["drifts"] is False
    assert r["database_growth_bytes"] == 4000


def test_an_error_outside_a_fault_misses_the_goal_but_inside_one_it_is_reported():
    inside = (460.0, "home", 5.0, 502, False)  # 10 s after the kill: its window
    lost = (470.0, "repayment", 1.0, 0, False)  # no answer at all, in the window too
    r = run([*steady(), inside, lost], faults=[KILL])
    assert r["met"] is True and r["errors_outside_faults"] == 0
    (kill,) = r["faults"]
    assert kill["failures_by_status"] == {"502": 1, "0": 1}
    assert kill["no_answer"] == 1 and kill["last_failure_after_s"] == 20.0

    # sent 0.05 s before the kill and answered 500 after it: in flight, the fault's too
    in_flight = (449.95, "home", 120.0, 500, False)
    r = run([*steady(), in_flight], faults=[KILL])
    assert r["met"] is True and r["errors_outside_faults"] == 0
    assert r["faults"][0]["failures_by_status"] == {"500": 1}
    # answered before the fault began: not the fault's
    before = (449.0, "home", 120.0, 500, False)
    assert run([*steady(), before], faults=[KILL])["errors_outside_faults"] == 1

    outside = (1200.0, "home", 5.0, 500, False)  # long after the fault: a real error
    r = run([*steady(), outside], faults=[KILL])
    assert r["met"] is False and r["errors_outside_faults"] == 1
    assert r["goals"]["no_error_outside_faults"] is False


def test_p95_drifting_up_is_flagged_and_noise_is_not():
    slow_end = [(s, "home", 40.0 if s < 1200 else 90.0, 200, True) for s, *_ in steady()]
    r = run(slow_end)
    assert r["drift"]["home"]["drifts"] is True and r["goals"]["p95_flat"] is False
    assert r["drift"]["home"]["ratio"] == 2.25
    slightly = [(s, "home", 4.0 if s < 1200 else 20.0, 200, True) for s, *_ in steady()]
    assert run(slightly)["drift"]["home"]["drifts"] is False  # ×5 but only 16 ms


def test_a_worker_whose_memory_grows_is_flagged():
    flat = [(t, 11, 120_000) for t in range(0, 1800, 10)]
    growing = [(t, 12, 120_000 + t * 40) for t in range(0, 1800, 10)]  # +70 MB
    short = [(t, 13, 10 + t * 1000) for t in range(900, 1000, 10)]  # a respawned worker
    r = run(steady(), memory=flat + growing + short)
    assert set(r["workers_memory"]) == {"11", "12"}
    assert r["workers_memory"]["11"]["grows"] is False
    assert r["workers_memory"]["12"]["grows"] is True
    assert r["goals"]["memory_flat"] is False


def test_a_failed_check_misses_the_goal_and_is_named():
    r = run(steady(), checks={"ok": False, "books": {"ok": False}, "sales": {"ok": True}})
    assert r["met"] is False
    assert "ÉCHEC books" in "\n".join(analysis.summary_lines(r))


@pytest.fixture
def checked(tmp_path, credit):
    """soak_check over the credit world, with ``record`` as the client's record."""

    def check(record: dict) -> dict:
        path = tmp_path / "record.json"
        path.write_text(json.dumps(record))
        out = []

        class Out:
            def write(self, text):
                out.append(text)

        call_command("soak_check", str(path), stdout=Out())
        return json.loads("".join(out))

    return check


def test_soak_check_finds_a_repayment_lost_and_one_doubled(checked, credit, world, api_client):
    loan = credit.loan_tc
    client = api_client(world.national)
    keys = []
    for n in range(2):
        key = f"soak-{uuid.uuid4().hex}"
        reply = client.post(
            f"/api/v1/loans/{loan.pk}/repayments",
            {
                "amount": 100,
                "paid_on": str(dates.today()),
                "channel": "cash",
                "reference": f"SOAK-{n}",
            },
            content_type="application/json",
            headers={"Idempotency-Key": key},
        )
        assert reply.status_code == 201, reply.content
        keys.append({"user": world.national.username, "key": key, "status": 201})
    result = checked({"repayments": keys})
    assert result["repayments"]["ok"] and result["books"]["ok"], result
    assert result["repayments"]["repayments_made"] == 2
    lost = {"user": world.national.username, "key": "soak-never-written", "status": 201}
    result = checked({"repayments": [*keys, lost]})
    assert result["repayments"]["ok"] is False and result["repayments"]["missing"] == 1
    assert result["ok"] is False
