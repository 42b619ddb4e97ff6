"""The national dashboard and the public portal read through a local streaming replica
(issue 23, point 5; docs/scale-out.md).

    BENCH_ONLY=replica make bench                # national scale, 50,000 organisations
    BENCH_REPLICA_SCALE=small BENCH_REPLICA_ORGS=2000 BENCH_ONLY=replica make bench

All on this machine, in throwaway servers (nothing else is touched):
1. a primary PostgreSQL server (bench/cluster.py), the scale's data generated into it
   (``bench_generate``, then the portal's organisations and live campaigns with
   ``bench_network generate``), the nightly jobs, ``VACUUM ANALYZE``;
2. a second server on another port made from it by ``pg_basebackup -X stream -R``: a hot
   standby streaming from the primary;
3. gunicorn with ``DATABASE_REPLICA_URL`` pointing at the standby: the national dashboard,
   a region's dashboard, the indicators API, the directory (with and without a search) and
   a live campaign's page, ``BENCH_REPLICA_REQUESTS`` (200) each; the rows each server
   returned meanwhile (``pg_stat_database.tup_returned``) say which one served the reads;
4. the same pages with gunicorn on the primary only, for the comparison;
5. the standby's lag: a write on the primary (a checkpoint's worth of a bulk update) and the
   time until the standby has replayed it.

Writes var/bench/report-replica.json (and ``report["replica"]`` in a full run).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time

from bench.cluster import Cluster, server_binaries
from bench.load import Session, measure
from bench.run import OUT, PRODUCTION_LIKE, collect_static, log, manage, start_server
from core.replica import PIN_COOKIE

SCALE = os.environ.get("BENCH_REPLICA_SCALE", "national")
ORGS = int(os.environ.get("BENCH_REPLICA_ORGS", "50000"))
CAMPAIGNS = int(os.environ.get("BENCH_REPLICA_CAMPAIGNS", str(max(1, ORGS // 10))))
REQUESTS = int(os.environ.get("BENCH_REPLICA_REQUESTS", "200"))
CLIENTS = int(os.environ.get("BENCH_CLIENTS", "4"))
SEED = int(os.environ.get("BENCH_SEED", "42"))


def prepare(primary: Cluster) -> dict:
    """The primary's data: the scale's programme, the portal's organisations, the nightly
    jobs; returns what was generated and how long each step took."""
    steps: dict = {}

    def step(name: str, args: list[str], **env) -> str:
        started = time.perf_counter()
        out = manage(args, primary.url, **env)
        steps[name] = round(time.perf_counter() - started, 1)
        log(f"réplique : {name} en {steps[name]} s")
        return out

    step("migrate", ["migrate", "--noinput", "-v0"])
    step("programme", ["bench_generate", "--scale", SCALE, "--seed", str(SEED)])
    out = step(
        "portal",
        ["bench_network", "generate", "--orgs", str(ORGS), "--campaigns", str(CAMPAIGNS)],
        **PRODUCTION_LIKE,
    )
    step("portfolio_refresh", ["portfolio_refresh"])
    step("monitoring_refresh", ["monitoring_refresh"])
    primary.query("VACUUM ANALYZE")
    return {"seconds": steps, "network": json.loads(out.strip().splitlines()[-1])}


def pages(primary: Cluster) -> list[tuple[str, str | None, str, str]]:
    """(name, user or None, kind, path): the replica's surfaces of the bench."""
    targets = json.loads(manage(["bench_targets"], primary.url).strip().splitlines()[-1])
    by_name = {name: (name, user, kind, path) for name, user, kind, path in targets["pages"]}
    chosen = [by_name[n] for n in ("dashboard_national", "dashboard_region", "indicators")]
    campaign = primary.query(
        "SELECT c.id FROM network_campaign c JOIN network_project p ON p.id = c.project_id "
        "WHERE p.slug LIKE 'banc-%%' ORDER BY c.id LIMIT 1"
    )
    chosen += [
        ("directory", None, "page", "/reseau/organisations/"),
        ("directory_search", None, "page", "/reseau/organisations/?q=cooperative+sante"),
        ("directory_country", None, "page", "/reseau/organisations/?country=ML"),
    ]
    if campaign:
        chosen.append(("campaign_page", None, "page", f"/reseau/campagnes/{campaign[0][0]}/"))
    return chosen, targets["password"]


def start_app(primary: Cluster, replica: Cluster | None) -> tuple[subprocess.Popen, int]:
    """gunicorn on the primary, reading the replica's surfaces from ``replica`` if given."""
    environment = {"DATABASE_REPLICA_URL": replica.url} if replica else {}
    if not replica:
        os.environ.pop("DATABASE_REPLICA_URL", None)
    return start_server(primary.url, environment=environment)


def rows_returned(cluster: Cluster) -> int:
    return cluster.query(
        "SELECT tup_returned FROM pg_stat_database WHERE datname = current_database()"
    )[0][0]


def measure_pages(port: int, chosen: list, password: str) -> dict:
    results: dict = {}
    sessions_by_user: dict = {}
    for name, user, kind, path in chosen:
        key = (user, kind)
        if key not in sessions_by_user:
            sessions = [Session("127.0.0.1", port) for _ in range(CLIENTS)]
            for s in sessions:
                if kind == "api":
                    s.api_login(user, password)
                elif user and s.login(user, password) != 302:
                    raise SystemExit(f"login failed for {user}")
                # the login's POST pinned the browser to the primary for
                # REPLICA_PIN_SECONDS: the bench reads as a user does after that time
                s.cookies.pop(PIN_COOKIE, None)
            sessions_by_user[key] = sessions
        r = measure(
            name,
            sessions_by_user[key],
            lambda s, i, p=path: s.request("GET", p)[0],
            requests=REQUESTS,
        ).as_dict()
        r["load_1m"] = round(os.getloadavg()[0], 2)
        results[name] = r
        log(f"réplique {name:<18} p50 {r['p50_ms']:7.1f} ms  p95 {r['p95_ms']:7.1f} ms")
    return results


def run_pages(primary: Cluster, replica: Cluster | None, chosen, password) -> dict:
    app, port = start_app(primary, replica)
    try:
        before = {"primary": rows_returned(primary)}
        if replica:
            before["replica"] = rows_returned(replica)
        results = measure_pages(port, chosen, password)
        after = {"primary": rows_returned(primary)}
        if replica:
            after["replica"] = rows_returned(replica)
    finally:
        app.terminate()
        app.wait(timeout=30)
    rows = {k: after[k] - before[k] for k in after}
    return {
        "pages": results,
        "rows_returned": rows,
        # of the rows read meanwhile, the replica's share (1.0: every read went there)
        "replica_share": round(rows.get("replica", 0) / (sum(rows.values()) or 1), 3),
    }


def lag(primary: Cluster, replica: Cluster) -> dict:
    """A write on the primary (every organisation's row touched) and the standby's time to
    replay it; ``pg_stat_replication`` as the primary sees its standby."""
    started = time.perf_counter()
    primary.query("UPDATE network_organisation SET name = name")
    written = time.perf_counter() - started
    replayed = replica.wait_replayed(primary)
    state = primary.query(
        "SELECT state, sync_state FROM pg_stat_replication WHERE application_name <> ''"
    )
    return {
        "write_seconds": round(written, 2),
        "replayed_after_seconds": round(replayed, 3),
        "replication": [list(row) for row in state],
    }


def measure_replica() -> dict:
    if server_binaries() is None:
        return {"skipped": "PostgreSQL's server binaries are not installed"}
    primary = Cluster(database="sunucoop_replica", prefix="sunucoop-primary-")
    replica = Cluster(database="sunucoop_replica", prefix="sunucoop-replica-")
    try:
        log(f"réplique : serveur principal à part, données {SCALE}, {ORGS} organisations…")
        primary.start()
        data = prepare(primary)
        log("réplique : pg_basebackup…")
        basebackup = replica.standby_of(primary)
        replica.wait_replayed(primary)
        (recovering,) = replica.query("SELECT pg_is_in_recovery()")[0]
        chosen, password = pages(primary)
        through = run_pages(primary, replica, chosen, password)
        alone = run_pages(primary, None, chosen, password)
        report = {
            "scale": SCALE,
            "organisations": ORGS,
            "data": data,
            "basebackup_seconds": round(basebackup, 1),
            "database_bytes": primary.size(),
            "standby_in_recovery": recovering,
            "through_replica": through,
            "primary_only": alone,
            "lag": lag(primary, replica),
            "load_average": os.getloadavg(),
        }
        report["ok"] = bool(
            recovering
            and through["rows_returned"]["replica"] > 0
            and all(r["errors"] == 0 for r in through["pages"].values())
        )
        return report
    finally:
        replica.stop()
        primary.stop()


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    collect_static()
    report = measure_replica()
    (OUT / "report-replica.json").write_text(json.dumps(report, indent=2, ensure_ascii=False))
    log(f"rapport : {OUT / 'report-replica.json'}")
    sys.exit(0 if report.get("ok", True) else 1)


if __name__ == "__main__":
    main()
