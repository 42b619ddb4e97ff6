"""Issue 19's measures (``manage.py bench_sync``), on any database, inside a transaction
rolled back afterwards (the database is left unchanged), through the full Django stack
(``django.test.Client``: middleware, session, ninja, JSON), DEBUG off:

- **Pull**: the agent of a department (``bench-agent-department``) pulls everything
  (time, records, bytes as sent gzip-compressed); a day's changes are written (``changes``
  persons edited through ``person_update``, in their department); then ``requests`` pulls
  of changes against the first pull's cursor, stored a day earlier (so that the day's
  history falls after it). p50/p95/max reported. Target: p95 under 150 ms.
- **Push**: ``devices`` devices, each pushing ``per_device`` records in one request (40 %
  new persons, 30 % their memberships naming the person by its device UUID, 20 % visits,
  10 % cash repayments of 100 F with a receipt number), then the same batch again (a
  retry after a lost answer). Afterwards the database is counted: every record written
  once (**lost** = sent but not written, **doubled** = written twice). Requests are made
  one after the other (one process; the concurrency of the same UUID is
  ``sync/tests/test_push.py``'s).
"""

from __future__ import annotations

import datetime
import gzip
import json
import os
import statistics
import time
import uuid

from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from core import dates

PULL_TARGET_MS = 150
AGENT = "bench-agent-department"


class _Rollback(Exception):
    pass


def _client(user) -> Client:
    # a host every settings file allows; gzip accepted, as the field app's browser does
    client = Client(HTTP_HOST="localhost", HTTP_ACCEPT_ENCODING="gzip")
    client.force_login(user)
    return client


def _json(response):
    if response.get("Content-Encoding") == "gzip":
        return json.loads(gzip.decompress(response.content))
    return response.json()


def _ms(values: list[float]) -> dict:
    values = sorted(values)
    p95 = values[max(0, round(0.95 * len(values)) - 1)]
    return {
        "count": len(values),
        "p50_ms": round(statistics.median(values) * 1000, 1),
        "p95_ms": round(p95 * 1000, 1),
        "max_ms": round(values[-1] * 1000, 1),
    }


def _day_of_changes(agent, changes: int) -> int:
    """``changes`` persons of the agent's area edited through the service (a day's work)."""
    from registry import selectors as registry_selectors
    from registry import services as registry_services

    persons = registry_selectors.person_list(actor=agent).order_by("id")[:changes]
    for i, person in enumerate(persons):
        registry_services.person_update(actor=agent, person=person, phone=f"7700{i:05d}")
    return len(persons)


def measure_pull(*, requests: int = 30, changes: int = 50, agent: str = AGENT) -> dict:
    from accounts.models import User
    from sync.models import PullCursor

    agent = User.objects.get(username=agent)
    try:
        with transaction.atomic():
            client = _client(agent)
            started = time.perf_counter()
            first = client.get("/api/v1/sync/pull", secure=True)
            first_seconds = time.perf_counter() - started
            assert first.status_code == 200, first.status_code
            body = _json(first)
            PullCursor.objects.filter(token=body["cursor"]).update(
                created_at=timezone.now() - datetime.timedelta(days=1)
            )
            edited = _day_of_changes(agent, changes)
            times, cpu, sent = [], [], 0
            for _i in range(requests):
                started, begun = time.perf_counter(), time.process_time()
                answer = client.get("/api/v1/sync/pull", {"since": body["cursor"]}, secure=True)
                times.append(time.perf_counter() - started)
                cpu.append(time.process_time() - begun)
                assert answer.status_code == 200, answer.status_code
                again = _json(answer)
                sent = len(again["records"])
                PullCursor.objects.filter(token=again["cursor"]).delete()  # keep the first
            with CaptureQueriesContext(connection) as queries:
                client.get("/api/v1/sync/pull", {"since": body["cursor"]}, secure=True)
            result = {
                "first": {
                    "ms": round(first_seconds * 1000, 1),
                    "records": len(body["records"]),
                    "gzip_kib": round(len(first.content) / 1024, 1),  # as sent
                    "gzip": first.get("Content-Encoding") == "gzip",
                },
                "changes": {
                    "edited": edited,
                    "records_sent": sent,
                    **_ms(times),
                    # what the load does not change: the process's CPU (server and client,
                    # one process) and the queries of one pull of changes
                    "cpu": _ms(cpu),
                    "queries": len(queries),
                    "load_average": os.getloadavg(),
                },
                "target_p95_ms": PULL_TARGET_MS,
            }
            raise _Rollback
    except _Rollback:
        pass
    result["met"] = result["changes"]["p95_ms"] < PULL_TARGET_MS
    return result


def device_batch(device: int, per_device: int, context: dict) -> list[dict]:
    coops, loans, commune = context["coops"], context["loans"], context["commune"]
    n_persons = per_device * 4 // 10
    n_members = per_device * 3 // 10
    n_visits = per_device * 2 // 10
    n_repayments = per_device - n_persons - n_members - n_visits
    day = context["today"] - datetime.timedelta(days=1)
    records, person_uuids = [], []
    for i in range(n_persons):
        person_uuids.append(str(uuid.uuid4()))
        data = {
            "first_name": f"Banc{device:04d}",
            "last_name": f"Appareil{i:03d}",
            "sex": "F" if i % 2 else "M",
            "commune": commune,
        }
        records.append({"uuid": person_uuids[-1], "kind": "person", "data": data})
    for i in range(n_members):
        data = {
            "cooperative": coops[(device + i) % len(coops)],
            "person": person_uuids[i],
            "joined_on": day.isoformat(),
        }
        records.append({"uuid": str(uuid.uuid4()), "kind": "membership", "data": data})
    for i in range(n_visits):
        data = {
            "cooperative": coops[(device * 7 + i) % len(coops)],
            "visited_on": day.isoformat(),
            "purpose": "Banc de synchronisation",
            "findings": f"Appareil {device}, visite {i}",
        }
        records.append({"uuid": str(uuid.uuid4()), "kind": "visit", "data": data})
    for i in range(n_repayments):
        data = {
            "loan": loans[(device * 5 + i) % len(loans)],
            "amount": 100,
            "paid_on": day.isoformat(),
            "reference": f"BANC-{device:04d}-{i:02d}",
        }
        records.append({"uuid": str(uuid.uuid4()), "kind": "repayment", "data": data})
    return records


def push_context(agent: str = AGENT) -> dict:
    """What the devices' batches name: the agent's cooperatives (not dissolved), loans and
    a commune."""
    from accounts.models import User

    return _push_context(User.objects.get(username=agent))


def _push_context(agent) -> dict:
    from credit import selectors as credit_selectors
    from credit.models import LoanStatus
    from registry import selectors as registry_selectors

    # a dissolved cooperative admits no one: its memberships would be refused by the rule
    coops = registry_selectors.cooperative_list(actor=agent).exclude(stage="dissoute")
    coops = coops.order_by("id")
    first = coops.select_related("commune").first()
    loans = credit_selectors.loan_list(actor=agent, status=LoanStatus.ACTIVE).filter(
        outstanding_principal__gte=10_000
    )
    return {
        "coops": list(coops.values_list("id", flat=True)),
        "loans": list(loans.order_by("id").values_list("id", flat=True)[:500]),
        "commune": first.commune.code,
        "today": dates.today(),
    }


def written(uuids: list[str]) -> dict:
    """What the database holds of the pushed UUIDs: per kind, rows applied, and distinct
    objects written (a doubled record would show two objects or two rows)."""
    from credit.models import Repayment
    from registry.models import Person
    from sync.models import PushedRecord, RecordStatus

    rows = PushedRecord.objects.filter(uuid__in=uuids, status=RecordStatus.APPLIED)
    by_kind: dict[str, set] = {}
    for kind, object_id in rows.values_list("kind", "object_id"):
        by_kind.setdefault(kind, set()).add(object_id)
    return {
        "applied": rows.count(),
        "objects": {kind: len(ids) for kind, ids in by_kind.items()},
        "persons_named": Person.objects.filter(first_name__startswith="Banc").count(),
        "repayments_referenced": Repayment.objects.filter(reference__startswith="BANC-").count(),
    }


def doubled_of(held: dict) -> int:
    """Records written twice: two objects behind one UUID, or more persons and repayments
    of the bench's names than were applied (a second write under another UUID)."""
    objects = held["objects"]
    return (
        sum(objects.values())
        - held["applied"]
        + max(0, held["persons_named"] - objects.get("person", 0))
        + max(0, held["repayments_referenced"] - objects.get("repayment", 0))
    )


def measure_push(*, devices: int = 1000, per_device: int = 50, agent: str = AGENT) -> dict:
    from accounts.models import User

    agent = User.objects.get(username=agent)
    try:
        with transaction.atomic():
            client = _client(agent)
            context = _push_context(agent)
            answers: dict[str, int] = {}
            times, sent = [], []
            started = time.perf_counter()
            for device in range(devices):
                batch = device_batch(device, per_device, context)
                sent += [r["uuid"] for r in batch]
                for _attempt in range(2):  # the retry after a lost answer
                    payload = json.dumps({"device": f"banc-{device:04d}", "records": batch})
                    begun = time.perf_counter()
                    reply = client.post(
                        "/api/v1/sync/push", payload, content_type="application/json", secure=True
                    )
                    times.append(time.perf_counter() - begun)
                    for result in reply.json()["results"]:
                        key = f"{result['status']}:{result['code'] or ''}"
                        answers[key] = answers.get(key, 0) + 1
            seconds = time.perf_counter() - started
            held = written(sent)
            raise _Rollback
    except _Rollback:
        pass
    expected = devices * per_device
    # a record refused by a rule is answered, not lost: lost is what was neither
    refused = sum(n for key, n in answers.items() if key.startswith("rejected:")) // 2
    lost = expected - held["applied"] - refused
    doubled = doubled_of(held)
    return {
        "devices": devices,
        "per_device": per_device,
        "records": expected,
        "seconds": round(seconds, 1),
        "records_per_second": round(2 * expected / seconds, 1),
        "request": _ms(times),
        "answers": answers,
        "refused": refused,
        "written": held,
        "lost": lost,
        "doubled": doubled,
        "met": lost == 0 and doubled == 0,
    }
