"""Payments bench (issue 18, point 11), part of ``make bench`` (docs/benchmarks.md):

1. **Webhook load**: the app served by gunicorn (PostgreSQL when DATABASE_URL says so)
   receives signed Wave ``checkout.session.completed`` webhooks at BENCH_WEBHOOK_RATE a
   second (200) for BENCH_WEBHOOK_SECONDS (60), open loop (one send every 1/rate s,
   whatever the answers), every 10th event delivered twice (Wave retries). Reported: p50 /
   p95 / p99 latency, errors, and from the database afterwards: events stored, payments
   applied, **lost** (an event answered 200 whose payment is not applied) and **doubly
   applied** (a payment whose history holds two applications): both must be 0.
2. **Reconciliation**: a generated statement of BENCH_STATEMENT_LINES lines (100 000) as a
   CSV file, read (``statement_rows``) and imported (``statement_import``: matching by
   reference, transaction id, amount + day + phone in bulk queries, lines bulk-inserted),
   timed; goal < 10 s.

    BENCH_ONLY=payments DATABASE_URL=postgres://… make bench     # this part only
    BENCH_WEBHOOK_SECONDS=10 BENCH_STATEMENT_LINES=20000 …       # a quick run

The payments are of a purpose of the bench's own (``bench_payment``, registered in the
server only): its ``on_succeeded`` records nothing beyond the payments app's own writes, so
the figure is the payments app's path (signature, event row, lock, status, history), not
a purpose's service (a loan repayment adds its repayment row and its MM journal entry).
"""

from __future__ import annotations

import base64
import contextlib
import json
import os
import subprocess
import sys
import threading
import time
import urllib.parse
from concurrent.futures import ThreadPoolExecutor

from payments.purposes import Target

RATE = int(os.environ.get("BENCH_WEBHOOK_RATE", "200"))
SECONDS = float(os.environ.get("BENCH_WEBHOOK_SECONDS", "60"))
LINES = int(os.environ.get("BENCH_STATEMENT_LINES", "100000"))
THREADS = int(os.environ.get("BENCH_WEBHOOK_THREADS", "32"))
WORKERS = int(os.environ.get("BENCH_PAYMENTS_WORKERS", "4"))
# The load client shares the machine with the server: its threads run at this nice value
# so that the server's workers get the cores first (0: same priority).
CLIENT_NICE = int(os.environ.get("BENCH_CLIENT_NICE", "10"))
# Queued mode (PAYMENTS_WEBHOOK_QUEUED, docs/payments.md): the server stores and answers,
# `payments_webhook_worker` applies beside it at APPLIER_NICE (the answers first). 0: the
# inline mode (each request applies its event before answering).
QUEUED = os.environ.get("BENCH_WEBHOOK_QUEUED", "1") == "1"
APPLIER_NICE = int(os.environ.get("BENCH_APPLIER_NICE", "15"))
DRAIN_TIMEOUT = float(os.environ.get("BENCH_DRAIN_TIMEOUT", "900"))
WEBHOOK_PATH = "/api/v1/webhooks/wave"
SECRET = "bench-wave-secret"  # noqa: S105 - a throwaway secret for the bench's server
TARGET_P95_MS = 50.0
TARGET_RECONCILE_S = 10.0


class BenchPurpose:
    """The bench's purpose: every target may take any amount; success records its id."""

    def _target(self, target_id: int) -> Target:
        return Target(id=target_id, label=f"Banc {target_id}", amount_due=10**9)

    def target_for(self, *, target_id, actor):
        return self._target(target_id)

    def target_get(self, *, target_id):
        return self._target(target_id)

    def on_succeeded(self, *, intent) -> str:
        return f"bench:{intent.pk}"


def database_url() -> str:
    base = os.environ.get("DATABASE_URL", "")
    if base.startswith(("postgres://", "postgresql://")):
        parsed = urllib.parse.urlsplit(base)
        return urllib.parse.urlunsplit(parsed._replace(path="/sunucoop_bench_payments"))
    from bench.run import OUT

    return f"sqlite:///{OUT / 'payments.sqlite3'}"


def recreate() -> None:
    url = database_url()
    if url.startswith("sqlite"):
        from pathlib import Path

        path = Path(urllib.parse.urlsplit(url).path)
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        return
    import psycopg

    admin = urllib.parse.urlsplit(url)._replace(path="/postgres")
    with psycopg.connect(urllib.parse.urlunsplit(admin), autocommit=True) as conn:
        conn.execute('DROP DATABASE IF EXISTS "sunucoop_bench_payments"')
        conn.execute('CREATE DATABASE "sunucoop_bench_payments"')


def _exists(url: str) -> bool:
    if url.startswith("sqlite"):
        from pathlib import Path

        return Path(urllib.parse.urlsplit(url).path).exists()
    import psycopg

    admin = urllib.parse.urlsplit(url)._replace(path="/postgres")
    with psycopg.connect(urllib.parse.urlunsplit(admin), autocommit=True) as conn:
        found = conn.execute(
            "SELECT 1 FROM pg_database WHERE datname = 'sunucoop_bench_payments'"
        ).fetchone()
    return found is not None


def _event(n: int) -> bytes:
    return json.dumps(
        {
            "id": f"AE_BENCH_{n:08d}",
            "type": "checkout.session.completed",
            "data": {
                "id": f"cos-bench-{n}",
                "amount": "1000",
                "currency": "XOF",
                "client_reference": f"BN{n:08d}",
                "checkout_status": "complete",
                "payment_status": "succeeded",
                "transaction_id": f"TBENCH{n:08d}",
                "when_completed": "2026-03-02T10:00:00Z",
            },
        }
    ).encode()


def lower_priority() -> None:
    """This thread at CLIENT_NICE (Linux: a thread's nice value is its own)."""
    if CLIENT_NICE:
        with contextlib.suppress(AttributeError, OSError):
            os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), CLIENT_NICE)


def server_times(log_path) -> list[float]:
    """The app server's own time per webhook (ms): gunicorn's access log, ``%(D)s`` (from
    the request parsed to the response written; not the time waiting to be accepted)."""
    from pathlib import Path

    times = []
    for line in Path(log_path).read_text().splitlines():
        parts = line.split()
        if len(parts) == 3 and parts[:2] == [WEBHOOK_PATH, "200"] and parts[2].isdigit():
            times.append(int(parts[2]) / 1000)
    return times


def workers_cpu_seconds(master: int) -> float:
    """User + system CPU of the gunicorn master's children (its workers), from /proc."""
    from pathlib import Path

    total = 0
    tick = os.sysconf("SC_CLK_TCK")
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == master:  # ppid
            total += int(fields[11]) + int(fields[12])  # utime, stime
    return total / tick


def stop(proc) -> None:
    """gunicorn's graceful stop (its workers finish their request), killed after a minute:
    on a loaded machine it took longer than 30 s."""
    proc.terminate()
    try:
        proc.wait(timeout=60)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(timeout=30)


def warm_up(port: int) -> None:
    """Each worker's first request (URLconf imported, database connected) before the
    clock starts: unsigned deliveries, refused with 401, write nothing."""
    from bench.load import Session

    def one(_):
        return Session("127.0.0.1", port).request("POST", WEBHOOK_PATH, body=b"{}")[0]

    with ThreadPoolExecutor(WORKERS * 2) as pool:
        statuses = set(pool.map(one, range(WORKERS * 6)))
    if statuses != {401}:
        raise SystemExit(f"webhook warm-up answered {sorted(statuses)}, not 401")


def fire(port: int, total: int) -> dict:
    """Open loop: the n-th webhook leaves at n / RATE s; every 10th is sent twice. The
    client's threads run at CLIENT_NICE."""
    result: dict = {}
    runner = threading.Thread(target=lambda: result.update(_fire(port, total)))
    runner.start()
    runner.join()
    return result


def _fire(port: int, total: int) -> dict:
    from bench.load import Session, percentile
    from payments.providers.wave import sign

    lower_priority()

    local = threading.local()
    latencies: list[float] = []
    lags: list[float] = []  # how late a send started against its schedule (the client's queue)
    prepare: list[float] = []  # the client's own work per send (body, signature)
    statuses: dict[str, int] = {}
    lock = threading.Lock()

    def send(n: int, planned: float) -> None:
        begun = time.perf_counter()
        session = getattr(local, "session", None)
        if session is None:
            session = local.session = Session("127.0.0.1", port)
        body = _event(n)
        headers = {
            "Content-Type": "application/json",
            "Wave-Signature": sign(SECRET, body, int(time.time())),
        }
        started = time.perf_counter()
        try:
            status = session.request("POST", WEBHOOK_PATH, body=body, headers=headers)[0]
        except OSError:
            status = 0
        elapsed = (time.perf_counter() - started) * 1000
        with lock:
            latencies.append(elapsed)
            lags.append((begun - planned) * 1000)
            prepare.append((started - begun) * 1000)
            statuses[str(status)] = statuses.get(str(status), 0) + 1

    schedule = [n for n in range(total) for _ in range(2 if n % 10 == 0 else 1)]
    step = 1.0 / (RATE * len(schedule) / total)
    load_before = os.getloadavg()
    began = time.perf_counter()
    with ThreadPoolExecutor(THREADS, initializer=lower_priority) as pool:
        for i, n in enumerate(schedule):
            planned = began + i * step
            delay = planned - time.perf_counter()
            if delay > 0:
                time.sleep(delay)
            pool.submit(send, n, planned)
    wall = time.perf_counter() - began
    return {
        "sent": len(schedule),
        "distinct_events": total,
        "seconds": round(wall, 1),
        "rate_per_s": round(len(schedule) / wall, 1),
        "p50_ms": round(percentile(latencies, 0.50), 2),
        "p95_ms": round(percentile(latencies, 0.95), 2),
        "p99_ms": round(percentile(latencies, 0.99), 2),
        "client_start_lag_p95_ms": round(percentile(lags, 0.95), 2),
        "client_prepare_p95_ms": round(percentile(prepare, 0.95), 3),
        "threads": THREADS,
        "client_nice": CLIENT_NICE,
        "load_average_before": [round(x, 2) for x in load_before],
        "load_average": [round(x, 2) for x in os.getloadavg()],
        "status": statuses,
    }


def start_applier(db: str) -> subprocess.Popen:
    """The queued mode's worker, its own process at APPLIER_NICE, settings as the server's."""
    from bench.run import PRODUCTION_LIKE, ROOT

    env = {**os.environ, "DATABASE_URL": db, **PRODUCTION_LIKE, "LOG_LEVEL": "ERROR"}
    env.update({"BENCH_PAYMENTS_PURPOSE": "1", "PAYMENTS_WEBHOOK_QUEUED": "1"})
    env.pop("SUNUCOOP_TESTING", None)
    return subprocess.Popen(
        [sys.executable, "manage.py", "payments_webhook_worker", "--interval", "0.1"],
        cwd=ROOT,
        env=env,
        preexec_fn=lambda: os.nice(APPLIER_NICE),  # noqa: PLW1509 - no threads yet here
        stdout=subprocess.DEVNULL,
    )


def process_cpu_seconds(pid: int) -> float:
    from pathlib import Path

    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def queued_count(db: str) -> int:
    """Events stored and not applied yet (read straight from the database)."""
    sql = "SELECT count(*) FROM payments_webhookevent WHERE outcome = 'queued'"
    if db.startswith("sqlite"):
        import sqlite3

        with contextlib.closing(sqlite3.connect(urllib.parse.urlsplit(db).path)) as conn:
            return conn.execute(sql).fetchone()[0]
    import psycopg

    with psycopg.connect(db) as conn:
        return conn.execute(sql).fetchone()[0]


def drain(db: str, applier: subprocess.Popen, fired_at: float) -> dict:
    """Wait until the applier emptied the queue; its time after the last send and its CPU
    per event."""
    left = queued_count(db)
    while left and time.perf_counter() - fired_at < DRAIN_TIMEOUT and applier.poll() is None:
        time.sleep(0.5)
        left = queued_count(db)
    cpu = process_cpu_seconds(applier.pid)
    return {
        "applier_nice": APPLIER_NICE,
        "applier_cpu_s": round(cpu, 1),
        "queued_left": left,
        "applied_within_s_after_last_send": round(time.perf_counter() - fired_at, 1),
    }


def server_summary(times: list[float], cpu_seconds: float, sent: int) -> dict:
    from bench.load import percentile

    return {
        "server_answered": len(times),
        "server_p50_ms": round(percentile(times, 0.50), 2),
        "server_p95_ms": round(percentile(times, 0.95), 2),
        "server_p99_ms": round(percentile(times, 0.99), 2),
        "workers": WORKERS,
        "workers_cpu_ms_per_webhook": round(cpu_seconds * 1000 / sent, 2) if sent else None,
    }


def measure_payments() -> dict:
    from bench.run import OUT, PRODUCTION_LIKE, log, manage, start_server

    db = database_url()
    total = int(RATE * SECONDS)
    log(f"paiements : base {db.split('/')[-1]}, {total} paiements, {RATE}/s pendant {SECONDS} s")
    if os.environ.get("BENCH_PAYMENTS_FRESH") == "1" or not _exists(db):
        recreate()  # else the previous run's database, its bench rows removed by setup
    manage(["migrate", "--noinput", "-v0"], db)
    manage(["bench_payments", "setup", "--intents", str(total)], db)
    env = {
        "WAVE_WEBHOOK_SECRET": SECRET,
        "BENCH_PAYMENTS_PURPOSE": "1",
        "PAYMENTS_WEBHOOK_RATE_LIMIT": "0",  # one client address here; see docs/benchmarks.md
        "PAYMENTS_WEBHOOK_QUEUED": "1" if QUEUED else "0",
    }
    saved = {k: os.environ.get(k) for k in env}
    os.environ.update(env)
    access_log = OUT / "payments-access.log"
    access_log.unlink(missing_ok=True)
    extra = ["--access-logfile", str(access_log), "--access-logformat", "%(U)s %(s)s %(D)s"]
    # A worker's first request imports every URLconf: on a loaded machine that took longer
    # than gunicorn's default 30 s and the workers were killed in a loop.
    extra += ["--timeout", "120"]
    try:
        proc, port = start_server(db, workers=WORKERS, extra=extra)
    finally:
        for k, v in saved.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v
    applier = start_applier(db) if QUEUED else None
    try:
        warm_up(port)
        cpu_before = workers_cpu_seconds(proc.pid)
        load = fire(port, total)
        cpu = workers_cpu_seconds(proc.pid) - cpu_before
        if applier is not None:
            load.update(drain(db, applier, time.perf_counter()))
            load["applier_cpu_ms_per_event"] = round(
                load["applier_cpu_s"] * 1000 / max(load["sent"], 1), 2
            )
    finally:
        stop(proc)
        if applier is not None:
            applier.terminate()
            applier.wait(timeout=60)
    load["mode"] = "queued" if QUEUED else "inline"
    load.update(server_summary(server_times(access_log), cpu, load["sent"]))
    checked = manage(["bench_payments", "check", "--intents", str(total)], db)
    load.update(json.loads(checked.strip().splitlines()[-1]))
    log(
        f"webhooks : {load['rate_per_s']}/s, p95 {load['p95_ms']} ms (serveur "
        f"{load['server_p95_ms']} ms), perdus {load['lost']}, "
        f"appliqués deux fois {load['doubly_applied']}, statuts {load['status']}"
    )
    rec = json.loads(
        manage(
            ["bench_payments", "reconcile", "--lines", str(LINES)],
            db,
            **PRODUCTION_LIKE,
        )
        .strip()
        .splitlines()[-1]
    )
    log(
        f"rapprochement : {rec['lines']} lignes, lecture {rec['read_seconds']} s, "
        f"import {rec['import_seconds']} s, total {rec['total_seconds']} s"
    )
    return {
        "webhooks": load,
        "reconciliation": rec,
        "targets": {"webhook_p95_ms": TARGET_P95_MS, "reconcile_seconds": TARGET_RECONCILE_S},
        "ok": load["lost"] == 0
        and load["doubly_applied"] == 0
        and load["p95_ms"] < TARGET_P95_MS
        and rec["total_seconds"] < TARGET_RECONCILE_S,
    }


def main() -> None:
    from bench.run import OUT, log

    OUT.mkdir(parents=True, exist_ok=True)
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
        cwd=OUT.parent.parent,
        env={
            **os.environ,
            "SECRET_KEY": "bench-collectstatic",
            "HEALTH_CARD_SIGNING_KEY": base64.b64encode(os.urandom(32)).decode(),
            "DEBUG": "0",
        },
        check=True,
    )
    report = measure_payments()
    (OUT / "report-payments.json").write_text(json.dumps(report, indent=2))
    log(f"rapport : {OUT / 'report-payments.json'} (objectifs tenus : {report['ok']})")


if __name__ == "__main__":
    main()
