"""Issue 19 point 9: many devices pushing at once, against the app served by gunicorn on
PostgreSQL, then the database counted (docs/benchmarks.md, "Offline sync").

    BENCH_ONLY=sync_push DATABASE_URL=postgres://… make bench     # this part only

The national scale's database is copied (``CREATE DATABASE … TEMPLATE``) so that the
records written are thrown away with the copy afterwards. ``BENCH_SYNC_DEVICES`` devices
(1,000) of ``BENCH_SYNC_PER_DEVICE`` records (50: 40 % new persons, 30 % their
memberships naming the person by its device UUID, 20 % visits, 10 % cash repayments with
a receipt number; ``bench.sync.device_batch``) are sent by ``BENCH_SYNC_CLIENTS``
concurrent clients (8), each batch twice (the retry after a lost answer), to
``BENCH_SYNC_WORKERS`` gunicorn workers (2), each client with the department agent's
Bearer token. Then ``manage.py bench_sync --count`` reads what the database holds of the
UUIDs sent: **lost** (sent, neither written nor refused with a code) and **doubled**
(written twice). ``BENCH_SYNC_SECONDS`` bounds the run (devices not sent by then are
not sent, and said).
"""

from __future__ import annotations

import json
import os
import queue
import tempfile
import threading
import time
import urllib.parse

from bench.load import Session, percentile
from bench.run import PRODUCTION_LIKE, database_url, log, manage, start_server
from bench.sync import device_batch, doubled_of

AGENT = "bench-agent-department"
BENCH_PASSWORD = "bench-sunucoop-2026"  # noqa: S105 (bench.synthetic's; that module needs Django)


def _copy_database(source: str, name: str) -> str:
    import psycopg

    parsed = urllib.parse.urlsplit(source)
    admin = urllib.parse.urlunsplit(parsed._replace(path="/postgres"))
    template = parsed.path.lstrip("/")
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
    return urllib.parse.urlunsplit(parsed._replace(path=f"/{name}"))


def _drop_database(url: str) -> None:
    import psycopg

    parsed = urllib.parse.urlsplit(url)
    admin = urllib.parse.urlunsplit(parsed._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{parsed.path.lstrip("/")}"')


def _token(port: int) -> str:
    return Session("127.0.0.1", port).api_login(AGENT, BENCH_PASSWORD)


def _send(port, token, batches: queue.Queue, out: dict, lock, deadline: float) -> None:
    s = Session("127.0.0.1", port)
    s.headers["Authorization"] = f"Bearer {token}"
    s.headers["Content-Type"] = "application/json"
    while time.monotonic() < deadline:
        try:
            device, batch = batches.get_nowait()
        except queue.Empty:
            return
        body = json.dumps({"device": f"banc-{device:04d}", "records": batch}).encode()
        for _attempt in range(2):  # the retry after a lost answer
            started = time.perf_counter()
            try:
                status, answer = s.request("POST", "/api/v1/sync/push", body=body)
            except OSError as exc:  # a dropped connection: the device keeps its batch
                status, answer = 0, str(exc).encode()
            spent = time.perf_counter() - started
            with lock:
                out["times"].append(spent)
                if status != 200:
                    out["errors"][str(status)] = out["errors"].get(str(status), 0) + 1
                    continue
                for result in json.loads(answer)["results"]:
                    key = f"{result['status']}:{result['code'] or ''}"
                    out["answers"][key] = out["answers"].get(key, 0) + 1
        with lock:
            out["sent"] += [r["uuid"] for r in batch]
            out["devices"] += 1


def measure_push_concurrent() -> dict:
    devices = int(os.environ.get("BENCH_SYNC_DEVICES", "1000"))
    per_device = int(os.environ.get("BENCH_SYNC_PER_DEVICE", "50"))
    clients = int(os.environ.get("BENCH_SYNC_CLIENTS", "8"))
    workers = int(os.environ.get("BENCH_SYNC_WORKERS", "2"))
    seconds = float(os.environ.get("BENCH_SYNC_SECONDS", "1200"))
    source = os.environ.get("BENCH_SYNC_DATABASE_URL") or database_url(
        os.environ.get("SCALE", "national")
    )
    if not source.startswith("postgres"):
        return {"skipped": "PostgreSQL only (concurrent writers)"}
    db = _copy_database(source, "sunucoop_bench_sync_push")
    try:
        context = json.loads(manage(["bench_sync", "--context"], db, **PRODUCTION_LIKE))
        batches: queue.Queue = queue.Queue()
        for device in range(devices):
            batches.put((device, _batch(device, per_device, context)))
        proc, port = start_server(db, workers=workers, extra=["--timeout", "300"])
        out = {"times": [], "errors": {}, "answers": {}, "sent": [], "devices": 0}
        try:
            token = _token(port)
            lock = threading.Lock()
            load_before = os.getloadavg()
            started = time.perf_counter()
            deadline = time.monotonic() + seconds
            threads = [
                threading.Thread(target=_send, args=(port, token, batches, out, lock, deadline))
                for _ in range(clients)
            ]
            for t in threads:
                t.start()
            for t in threads:
                t.join()
            elapsed = time.perf_counter() - started
            load_after = os.getloadavg()
        finally:
            proc.terminate()
            proc.wait(timeout=60)
        with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as f:
            json.dump(out["sent"], f)
        try:
            written = json.loads(
                manage(["bench_sync", "--count", f.name], db, **PRODUCTION_LIKE).splitlines()[-1]
            )
        finally:
            os.unlink(f.name)
    finally:
        _drop_database(db)
    return _report(out, written, elapsed, devices, per_device, clients, workers) | {
        "load_average_before": load_before,
        "load_average_after": load_after,
    }


def _batch(device: int, per_device: int, context: dict) -> list[dict]:
    import datetime

    today = datetime.date.fromisoformat(context["today"])
    return device_batch(device, per_device, {**context, "today": today})


def _report(out, written, elapsed, devices, per_device, clients, workers) -> dict:
    sent = len(out["sent"])
    refused = sum(n for key, n in out["answers"].items() if key.startswith("rejected:")) // 2
    times = out["times"]
    return {
        "devices_asked": devices,
        "devices_sent": out["devices"],
        "per_device": per_device,
        "clients": clients,
        "workers": workers,
        "records": sent,
        "seconds": round(elapsed, 1),
        "records_per_second": round(2 * sent / elapsed, 1) if elapsed else None,
        "request_p50_ms": round(percentile(times, 0.5) * 1000, 1),
        "request_p95_ms": round(percentile(times, 0.95) * 1000, 1),
        "errors": out["errors"],
        "answers": out["answers"],
        "refused": refused,
        "written": written,
        "lost": sent - written["applied"] - refused,
        "doubled": doubled_of(written),
    }


def main() -> None:
    report = measure_push_concurrent()
    log(f"envois simultanés : {json.dumps(report)}")
