"""Value chain bench (issue 17, point 12), part of ``make bench`` (docs/benchmarks.md):

1. **Sales**: 4 tills of one shop sell at once (BENCH_VC_CLIENTS sessions, one till each,
   closed loop) through ``POST /api/v1/shop/sales`` on the app served by gunicorn; every
   10th sale is sent twice (a retried sync). Reported: p50 / p95 of a sale; from the
   database afterwards: sales written, **doubled** (a ``client_uuid`` answered by two
   sales: impossible by the unique index, checked anyway) and **gaps** in each till's
   receipt numbers. Goal: p95 < 100 ms.
2. **Trace**: ``GET /api/v1/lots/{id}/trace`` of lots 6 steps deep (6 production runs
   upstream of the lot, or 6 downstream), every cooperative producing weekly for a year:
   a harvest lot a week, milled with the week before's flour into a new flour lot, the
   chain restarting every 6 weeks. Goal: p95 < 150 ms at national scale (3 000
   cooperatives: 312 000 lots, 156 000 production runs).

    BENCH_ONLY=valuechain make bench                  # this part only
    BENCH_VC_COOPERATIVES=300 BENCH_ONLY=valuechain … # a modest scale (a tenth)

Its own database (``sunucoop_bench_valuechain`` on PostgreSQL, var/bench/valuechain.sqlite3
otherwise), generated once per size (``bench_valuechain setup``) and reused.
"""

from __future__ import annotations

import base64
import json
import os
import subprocess
import sys
import urllib.parse
import uuid

COOPERATIVES = int(os.environ.get("BENCH_VC_COOPERATIVES", "3000"))
WEEKS = int(os.environ.get("BENCH_VC_WEEKS", "52"))
CLIENTS = int(os.environ.get("BENCH_VC_CLIENTS", "4"))
SALES = int(os.environ.get("BENCH_VC_SALES", "400"))
TRACES = int(os.environ.get("BENCH_VC_TRACES", "200"))
TARGET_SALE_P95_MS = 100.0
TARGET_TRACE_P95_MS = 150.0
DB_NAME = "sunucoop_bench_valuechain"


def database_url() -> str:
    base = os.environ.get("DATABASE_URL", "")
    if base.startswith(("postgres://", "postgresql://")):
        return urllib.parse.urlunsplit(urllib.parse.urlsplit(base)._replace(path=f"/{DB_NAME}"))
    from bench.run import OUT

    return f"sqlite:///{OUT / 'valuechain.sqlite3'}"


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
        conn.execute(f'DROP DATABASE IF EXISTS "{DB_NAME}"')
        conn.execute(f'CREATE DATABASE "{DB_NAME}"')


def _exists() -> bool:
    url = database_url()
    if url.startswith("sqlite"):
        from pathlib import Path

        return Path(urllib.parse.urlsplit(url).path).exists()
    import psycopg

    admin = urllib.parse.urlsplit(url)._replace(path="/postgres")
    with psycopg.connect(urllib.parse.urlunsplit(admin), autocommit=True) as conn:
        found = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [DB_NAME])
        return found.fetchone() is not None


def _api_sessions(port: int, username: str, password: str, n: int) -> list:
    from bench.load import Session

    sessions = []
    for _ in range(n):
        s = Session("127.0.0.1", port)
        s.api_login(username, password)
        s.headers["Content-Type"] = "application/json"
        sessions.append(s)
    return sessions


def fire_sales(port: int, targets: dict) -> dict:
    """Each session is a till of the shop; every 10th sale is sent again (a replay)."""
    import datetime

    from bench.load import measure

    sessions = _api_sessions(port, targets["cashier"], targets["password"], CLIENTS)
    sold_at = (datetime.datetime.now(datetime.UTC) - datetime.timedelta(minutes=1)).isoformat()
    run = uuid.uuid4().hex  # the sales of this run: new client_uuids each run

    def sell(s, i: int) -> int:
        """Sale ``i`` of the run; every 10th request replays the one before it (its
        ``client_uuid`` again: the server answers the first sale, 200)."""
        n = i - 1 if i % 10 == 9 else i
        till = targets["tills"][sessions.index(s) % len(targets["tills"])]
        body = json.dumps(
            {
                "client_uuid": str(uuid.uuid5(uuid.NAMESPACE_OID, f"{run}-{n}")),
                "site": targets["shop"],
                "till": till,
                "sold_at": sold_at,
                "lines": [{"lot": targets["shop_lot"], "quantity": 1, "unit_price": 600}],
                "payments": [{"channel": "cash", "amount": 600}],
            }
        ).encode()
        return s.request("POST", "/api/v1/shop/sales", body=body)[0]

    result = measure("sale", sessions, sell, requests=SALES, warmup=0).as_dict()
    result["replays"] = result["status"].get("200", 0)
    return result


def fire_floor(port: int) -> dict:
    """The server's floor on this machine now: ``/healthz`` from as many clients."""
    from bench.load import Session, measure

    sessions = [Session("127.0.0.1", port) for _ in range(CLIENTS)]
    return measure(
        "floor", sessions, lambda s, i: s.request("GET", "/healthz")[0], requests=TRACES
    ).as_dict()


def fire_traces(port: int, targets: dict) -> dict:
    from bench.load import measure

    sessions = _api_sessions(port, targets["reader"], targets["password"], CLIENTS)
    lots = targets["deep_lots"]

    def trace(s, i: int) -> int:
        return s.request("GET", f"/api/v1/lots/{lots[i % len(lots)]}/trace")[0]

    return measure("trace_6_steps", sessions, trace, requests=TRACES).as_dict()


def measure_valuechain() -> dict:
    from bench.run import log, manage, start_server

    db = database_url()
    size = {"cooperatives": COOPERATIVES, "weeks": WEEKS}
    log(f"filière : base {db.split('/')[-1]}, {COOPERATIVES} coopératives × {WEEKS} semaines")
    marker_args = ["--cooperatives", str(COOPERATIVES), "--weeks", str(WEEKS)]
    if os.environ.get("BENCH_VC_FRESH") == "1" or not _exists():
        recreate()
    manage(["migrate", "--noinput", "-v0"], db)
    setup = json.loads(manage(["bench_valuechain", "setup", *marker_args], db).splitlines()[-1])
    log(f"filière : données {setup}")
    targets = json.loads(manage(["bench_valuechain", "targets"], db).splitlines()[-1])
    proc, port = start_server(db)
    try:
        floor = fire_floor(port)
        log(f"filière : plancher (/healthz) p95 {floor['p95_ms']:.1f} ms")
        traces = fire_traces(port, targets)
        log(f"filière : trace 6 étapes p95 {traces['p95_ms']:.1f} ms ({traces['status']})")
        sales = fire_sales(port, targets)
        log(f"filière : vente p95 {sales['p95_ms']:.1f} ms ({sales['status']})")
    finally:
        proc.terminate()
        proc.wait(timeout=30)
    check = json.loads(manage(["bench_valuechain", "check"], db).splitlines()[-1])
    log(f"filière : contrôle {check}")
    return {
        "size": {**size, **setup},
        "floor": floor,
        "sale": sales,
        "trace_6_steps": traces,
        "check": check,
        "load_average": [round(x, 2) for x in os.getloadavg()],
        "targets": {"sale_p95_ms": TARGET_SALE_P95_MS, "trace_p95_ms": TARGET_TRACE_P95_MS},
        "ok": sales["p95_ms"] < TARGET_SALE_P95_MS
        and traces["p95_ms"] < TARGET_TRACE_P95_MS
        and check["doubled"] == 0
        and check["receipt_gaps"] == 0,
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
    report = measure_valuechain()
    (OUT / "report-valuechain.json").write_text(json.dumps(report, indent=2))
    log(f"rapport : {OUT / 'report-valuechain.json'} (objectifs tenus : {report['ok']})")


if __name__ == "__main__":
    main()
