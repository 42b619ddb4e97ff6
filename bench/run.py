"""``make bench``: measure SunuCoop through its full HTTP stack at two data scales.

    SCALE=small make bench          # smoke run (small only), a few minutes
    make bench                      # small and national (generation cached)
    DATABASE_URL=postgres://… make bench   # on PostgreSQL (one database per scale)

Writes var/bench/report.json and prints a summary; docs/benchmarks.md explains it.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import platform
import socket
import subprocess
import sys
import time
import urllib.parse
from datetime import UTC, datetime
from pathlib import Path

from bench.compare import compare_reports, comparison_lines
from bench.load import Session, measure

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "var" / "bench"
GENERATOR_VERSION = "3"
# The data depend on these (and the migrations), not on the load runner or the report.
GENERATOR_FILES = ["synthetic.py", "activity.py", "rows.py", "names.py", "scales.py"]
CLIENTS = int(os.environ.get("BENCH_CLIENTS", "4"))
# A smoke run (SCALE=small) takes fewer samples a page so that it stays within 3 minutes.
REQUESTS = int(
    os.environ.get("BENCH_REQUESTS", "100" if os.environ.get("SCALE") == "small" else "200")
)
WORKERS = int(os.environ.get("BENCH_WORKERS", "2"))
# A page slower than this per sample set stops early (after 3 requests a client).
PAGE_SECONDS = float(os.environ.get("BENCH_PAGE_SECONDS", "45"))
SEED = int(os.environ.get("BENCH_SEED", "42"))
IMPORT_ROWS = {"small": 300, "national": 2000, "household": 2000}
# The server and the measurements run with production's DEBUG (off); a throwaway key.
PRODUCTION_LIKE = {
    "DEBUG": "0",
    "SECRET_KEY": "bench-" + "x" * 60,
    "HEALTH_CARD_SIGNING_KEY": base64.b64encode(os.urandom(32)).decode(),  # throwaway
}


def log(msg: str) -> None:
    print(f"[bench {datetime.now():%H:%M:%S}] {msg}", flush=True)


def base_database_url() -> str:
    return os.environ.get("DATABASE_URL", "")


def database_url(scale: str) -> str:
    base = base_database_url()
    if base.startswith(("postgres://", "postgresql://")):
        parsed = urllib.parse.urlsplit(base)
        return urllib.parse.urlunsplit(parsed._replace(path=f"/sunucoop_bench_{scale}"))
    return f"sqlite:///{OUT / f'{scale}.sqlite3'}"


def vendor() -> str:
    return "postgresql" if base_database_url().startswith("postgres") else "sqlite"


def schema_fingerprint() -> str:
    h = hashlib.sha256(GENERATOR_VERSION.encode())
    generator = [ROOT / "bench" / name for name in GENERATOR_FILES]
    for path in sorted(ROOT.glob("*/migrations/*.py")) + generator:
        h.update(path.read_bytes())
    return h.hexdigest()[:16]


def generator_fingerprint() -> str:
    """What the generated rows depend on, the migrations aside."""
    h = hashlib.sha256(GENERATOR_VERSION.encode())
    for name in GENERATOR_FILES:
        h.update((ROOT / "bench" / name).read_bytes())
    return h.hexdigest()[:16]


def migration_digests() -> dict[str, str]:
    """Each migration file (``app/name``) and a digest of its text."""
    return {
        f"{path.parent.parent.name}/{path.stem}": hashlib.sha256(path.read_bytes()).hexdigest()[:12]
        for path in sorted(ROOT.glob("*/migrations/0*.py"))
    }


def migrated_forward(cached: dict, wanted: dict) -> bool:
    """A cached database made by the same generator and seed, whose migrations are all still
    there unchanged, only behind newer ones: brought forward by ``migrate`` as production
    would be, instead of generated again (16 min at household scale). A changed or removed
    migration, or another generator, means generating again."""
    if any(cached.get(k) != wanted[k] for k in ("seed", "scale")):
        return False
    if cached.get("generator") != generator_fingerprint():
        return False
    before, now = cached.get("migrations") or {}, migration_digests()
    return bool(before) and all(now.get(name) == digest for name, digest in before.items())


def manage(args: list[str], db_url: str, **env) -> str:
    # DEBUG=1, not the test settings: passwords must be hashed as production verifies them.
    environment = {**os.environ, "DATABASE_URL": db_url, "DEBUG": "1", **env}
    environment.pop("SUNUCOOP_TESTING", None)
    proc = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        check=False,
    )
    if proc.returncode:
        sys.stderr.write(proc.stdout + proc.stderr)
        raise SystemExit(f"manage.py {' '.join(args)} failed")
    return proc.stdout


def recreate_database(scale: str) -> None:
    if vendor() == "sqlite":
        path = OUT / f"{scale}.sqlite3"
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        return
    import psycopg

    admin = urllib.parse.urlsplit(base_database_url())._replace(path="/postgres")
    with psycopg.connect(urllib.parse.urlunsplit(admin), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "sunucoop_bench_{scale}"')
        conn.execute(f'CREATE DATABASE "sunucoop_bench_{scale}"')


def ensure_data(scale: str) -> dict:
    """Generate the scale's data unless a cached copy matches seed and schema."""
    marker = OUT / f"cache-{vendor()}-{scale}.json"
    wanted = {"seed": SEED, "fingerprint": schema_fingerprint(), "scale": scale}
    if marker.exists():
        cached = json.loads(marker.read_text())
        if {k: cached.get(k) for k in wanted} == wanted:
            log(f"{scale}: données en cache ({marker.name})")
            return cached
        if migrated_forward(cached, wanted):
            log(f"{scale}: données en cache, migrations nouvelles appliquées ({marker.name})")
            manage(["migrate", "--noinput", "-v0"], database_url(scale))
            cached.update(fingerprint=wanted["fingerprint"], migrations=migration_digests())
            cached["migrated_forward"] = cached.get("migrated_forward", 0) + 1
            marker.write_text(json.dumps(cached, indent=2))
            return cached
    log(f"{scale}: génération des données…")
    recreate_database(scale)
    db = database_url(scale)
    manage(["migrate", "--noinput", "-v0"], db)
    started = time.perf_counter()
    output = manage(["bench_generate", "--scale", scale, "--seed", str(SEED)], db)
    wanted["generation_seconds"] = round(time.perf_counter() - started, 1)
    wanted["generation_log"] = output.strip().splitlines()
    wanted.update(generator=generator_fingerprint(), migrations=migration_digests())
    if vendor() == "postgresql":
        manage(["dbshell", "--", "-c", "VACUUM ANALYZE"], db)
    marker.write_text(json.dumps(wanted, indent=2))
    log(f"{scale}: généré en {wanted['generation_seconds']} s")
    return wanted


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(
    db_url: str,
    *,
    workers: int = WORKERS,
    extra: list[str] | None = None,
    environment: dict | None = None,
) -> tuple[subprocess.Popen, int]:
    """gunicorn on a free port (``extra``: more of its options, e.g. an access log;
    ``environment``: more of its variables, e.g. a replica's URL)."""
    port = free_port()
    env = {
        **os.environ,
        **(environment or {}),
        "DATABASE_URL": db_url,
        **PRODUCTION_LIKE,
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SECURE_SSL_REDIRECT": "0",
        "SECURE_COOKIES": "0",
        "SECURE_HSTS_SECONDS": "0",
        "LOG_LEVEL": "ERROR",
    }
    env.pop("SUNUCOOP_TESTING", None)
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "config.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(workers),
            "--log-level",
            "warning",
            *(extra or []),
        ],
        cwd=ROOT,
        env=env,
    )
    for _ in range(100):
        try:
            s = Session("127.0.0.1", port)
            if s.request("GET", "/healthz")[0] == 200:
                return proc, port
        except OSError:
            time.sleep(0.2)
    proc.kill()
    raise SystemExit("gunicorn did not start")


def measure_scale(scale: str) -> dict:
    cache = ensure_data(scale)
    db = database_url(scale)
    targets = json.loads(manage(["bench_targets"], db).strip().splitlines()[-1])
    rollups = None
    # What production runs after midnight (README, "Scheduled jobs"): every loan's figures
    # on the new day (pages asking about today then read them), then the dashboards'
    # rollups of the day.
    manage(["portfolio_refresh"], db)
    if (ROOT / "monitoring" / "management" / "commands" / "monitoring_refresh.py").exists():
        started = time.perf_counter()
        manage(["monitoring_refresh"], db)
        rollups = round(time.perf_counter() - started, 1)
        log(f"{scale}: agrégats du tableau de bord rafraîchis en {rollups} s")
    if vendor() == "postgresql":
        # The nightly jobs rewrite every active loan's row; production's autovacuum cleans
        # up after them, but a server may run without it (this machine's does): vacuum as
        # it would, so the pages do not read dead rows left by earlier runs.
        manage(["dbshell", "--", "-c", "VACUUM ANALYZE"], db)
    proc, port = start_server(db)
    results, skipped = {}, list(targets["missing"])
    try:
        sessions_by_user: dict = {}

        def sessions_for(user):
            if user not in sessions_by_user:
                sessions = [Session("127.0.0.1", port) for _ in range(CLIENTS)]
                for s in sessions:
                    if user and s.login(user, targets["password"]) != 302:
                        raise SystemExit(f"login failed for {user}")
                sessions_by_user[user] = sessions
            return sessions_by_user[user]

        # Login itself: a fresh session each time (GET the form, POST the credentials).
        login_sessions = [Session("127.0.0.1", port) for _ in range(CLIENTS)]

        def do_login(s: Session, i: int) -> int:
            s.cookies.clear()
            return s.login("bench-agent-region", targets["password"])

        results["login"] = measure(
            "login", login_sessions, do_login, requests=max(CLIENTS, REQUESTS // 4)
        ).as_dict()
        for name, user, kind, path in targets["pages"]:
            sessions = sessions_for(user)
            if kind == "api":
                api_sessions = []
                for _ in sessions:
                    api = Session("127.0.0.1", port)
                    api.api_login(user, targets["password"])
                    api_sessions.append(api)
                sessions = api_sessions
            status, _ = sessions[0].request("GET", path)
            if status == 404 and kind == "api":
                skipped.append(name)
                continue
            results[name] = measure(
                name,
                sessions,
                lambda s, i, p=path: s.request("GET", p)[0],
                requests=REQUESTS,
                max_seconds=PAGE_SECONDS,
            ).as_dict()
            r = results[name]
            r["load_1m"] = round(os.getloadavg()[0], 2)
            log(
                f"{scale} {name:<22} p50 {r['p50_ms']:7.1f} ms  p95 {r['p95_ms']:7.1f} ms  "
                f"{r['throughput_rps']:6.1f} req/s  {r['status']}"
            )
    finally:
        proc.terminate()
        proc.wait(timeout=30)
    # The members import and the nightly job, once the server is stopped (same database).
    rows = int(os.environ.get("BENCH_IMPORT_ROWS", IMPORT_ROWS.get(scale, 2000)))
    log(f"{scale}: import de {rows} adhésions et traitement de nuit…")
    measures = json.loads(
        manage(
            ["bench_measure", "--rows", str(rows), "--import-repeat", "3"],
            db,
            # as production runs: DEBUG off (DEBUG records every query), median of three
            **PRODUCTION_LIKE,
        )
        .strip()
        .splitlines()[-1]
    )
    imp, nightly = measures["import"], measures["nightly"]
    log(
        f"{scale} import {imp['import']['per_second']} lignes/s "
        f"(brut {imp['raw_inserts']['per_second']}, ratio {imp['import_over_raw']}); "
        f"nuit {nightly['job']['per_second']} prêts/s "
        f"(SQL {nightly['sql_aggregate']['per_second']}, ratio {nightly['job_over_sql']}, "
        f"écarts {nightly['mismatches']})"
    )
    return {
        "pages": results,
        "skipped": skipped,
        "data": cache,
        "measures": measures,
        "monitoring_refresh_seconds": rollups,
        "load_average": os.getloadavg(),
    }


def collect_static() -> None:
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
        cwd=ROOT,
        env={
            **os.environ,
            "SECRET_KEY": "bench-collectstatic",
            "HEALTH_CARD_SIGNING_KEY": base64.b64encode(os.urandom(32)).decode(),
            "DEBUG": "0",
        },
        check=True,
    )


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    if os.environ.get("BENCH_ONLY") == "payments":
        from bench.payments import main as payments_main

        payments_main()
        return
    if os.environ.get("BENCH_ONLY") == "valuechain":
        from bench.valuechains import main as valuechain_main

        valuechain_main()
        return
    if os.environ.get("BENCH_ONLY") == "field":
        from bench.field_browser import main as field_main

        collect_static()
        field_main()
        return
    if os.environ.get("BENCH_ONLY") == "sync_push":
        from bench.sync_push import main as sync_push_main

        sync_push_main()
        return
    if os.environ.get("BENCH_ONLY") == "replica":
        from bench.replica import main as replica_main

        replica_main()
        return
    if os.environ.get("BENCH_ONLY") == "network":
        collect_static()
        report = {"network": measure_network(), "load_average": os.getloadavg()}
        (OUT / "report-network.json").write_text(json.dumps(report, indent=2, ensure_ascii=False))
        log(f"rapport : {OUT / 'report-network.json'}")
        return
    scales = scales_to_run(os.environ.get("SCALE", "national"))
    log(f"échelles : {scales}, base : {vendor()}, clients : {CLIENTS}, requêtes : {REQUESTS}")
    collect_static()
    started = time.perf_counter()
    by_scale = {scale: measure_scale(scale) for scale in scales}
    report = build_report(by_scale)
    if os.environ.get("BENCH_PURCHASING", "1") != "0":
        # issue 16: a 500 × 20 campaign's closing and the price page over 3 years of prices,
        # in the main scale's database (rolled back), as production runs (DEBUG off)
        out = manage(["bench_purchasing"], database_url(scales[-1]), **PRODUCTION_LIKE)
        report["purchasing"] = json.loads(out.strip().splitlines()[-1])
        log(f"achats groupés : {report['purchasing']}")
    if os.environ.get("BENCH_SYNC", "1") != "0":
        # issue 19: a department agent's pull of changes (rolled back); devices pushing at
        # once through gunicorn on a copy of the database (PostgreSQL); the field app's
        # first load and an offline page in Chromium throttled ×4
        out = manage(["bench_sync", "--devices", "0"], database_url(scales[-1]), **PRODUCTION_LIKE)
        report["sync"] = json.loads(out.strip().splitlines()[-1])
        if vendor() == "postgresql" and os.environ.get("BENCH_SYNC_PUSH", "1") != "0":
            # a copy of the main scale's database (BENCH_SYNC_PUSH=0 skips it: 8 GB at
            # household scale)
            from bench.sync_push import measure_push_concurrent

            report["sync"]["push"] = measure_push_concurrent()
        from bench.field_browser import measure as measure_field

        report["sync"]["field_app"] = measure_field()
        log(f"synchronisation hors ligne : {report['sync']}")
    if os.environ.get("BENCH_NETWORK", "1") != "0":
        report["network"] = measure_network()  # issue 20: directory, campaigns, pledges
    if os.environ.get("BENCH_PAYMENTS", "1") != "0":
        from bench.payments import measure_payments

        report["payments"] = measure_payments()  # issue 18: webhooks and reconciliation
    if os.environ.get("BENCH_VALUECHAIN", "1") != "0":
        from bench.valuechains import measure_valuechain

        report["valuechain"] = measure_valuechain()  # issue 17: 4 tills selling, 6-step traces
    if vendor() == "postgresql" and os.environ.get("BENCH_REPLICA", "1") != "0":
        from bench.replica import measure_replica

        # issue 23 point 5: the dashboards and the portal through a local streaming replica
        report["replica"] = measure_replica()
    report["seconds"] = round(time.perf_counter() - started, 1)
    # a copy by scale and database, so that a household or SQLite run is kept beside the
    # national PostgreSQL one; the previous copy is what this run is compared with
    kept = OUT / f"report-{report['scale']}-{vendor()}.json"
    previous = json.loads(kept.read_text()) if kept.is_file() else None
    report["comparison"] = compare_reports(previous, report)
    text = json.dumps(report, indent=2, ensure_ascii=False)
    (OUT / "report.json").write_text(text)
    kept.write_text(text)
    log(f"rapport : {OUT / 'report.json'} ({report['seconds']} s)")
    for line in summary_lines(report) + comparison_lines(report["comparison"]):
        print(line)


def network_database_url() -> str:
    base = base_database_url()
    if base.startswith(("postgres://", "postgresql://")):
        parsed = urllib.parse.urlsplit(base)
        return urllib.parse.urlunsplit(parsed._replace(path="/sunucoop_bench_network"))
    return f"sqlite:///{OUT / 'network.sqlite3'}"


def measure_network() -> dict:
    """Issue 20 (bench/network.py): its own database, kept between runs (the generation
    is skipped when its data is there; BENCH_NETWORK_FRESH=1 recreates it)."""
    db = network_database_url()
    if os.environ.get("BENCH_NETWORK_FRESH") == "1":
        recreate_database("network")
    elif vendor() == "postgresql":
        _create_if_missing("sunucoop_bench_network")
    manage(["migrate", "--noinput", "-v0"], db)
    steps = {}
    for step, args in (
        ("generate", []),
        ("pages", ["--requests", os.environ.get("BENCH_NETWORK_REQUESTS", "200")]),
        ("pledges", ["--rate", os.environ.get("BENCH_PLEDGE_RATE", "100"),
                     "--seconds", os.environ.get("BENCH_PLEDGE_SECONDS", "60")]),
    ):  # fmt: skip
        out = manage(["bench_network", step, *args], db, **PRODUCTION_LIKE)
        steps[step] = json.loads(out.strip().splitlines()[-1])
        log(f"réseau, {step} : {steps[step]}")
        if step == "generate" and vendor() == "postgresql" and steps[step]["generated"]:
            manage(["dbshell", "--", "-c", "VACUUM ANALYZE"], db)
    pages, pledges = steps["pages"], steps["pledges"]
    steps["load_average"] = os.getloadavg()
    steps["ok"] = pages["directory"]["ok"] and pages["campaign_page"]["ok"] and pledges["ok"]
    return steps


def _create_if_missing(name: str) -> None:
    import psycopg

    admin = urllib.parse.urlsplit(base_database_url())._replace(path="/postgres")
    with psycopg.connect(urllib.parse.urlunsplit(admin), autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')


TARGET_RATIO_FLOOR = 10.0
TARGET_P95_MS = 150.0
TARGET_DASHBOARD_GROWTH = 1.5
TARGET_FLAT_GROWTH = 1.5  # issue 23: household p95 over national p95
TARGET_IMPORT_ROWS_S = 2000.0
TARGET_NIGHTLY_LOANS_S = 5000.0


def scales_to_run(scale: str) -> list[str]:
    """small alone for a smoke run; else small and the scale asked for, and national too
    before household: issue 23 compares each household p95 with its national one measured
    in the same run (the national data is cached between runs)."""
    if scale == "small":
        return ["small"]
    if scale == "household":
        return ["small", "national", "household"]
    return ["small", scale]


def growth_key(scale: str) -> str:
    """The ratios of a scale's p95 over small's: ``national_over_small`` (issue 9's name)."""
    return f"{scale}_over_small"


def build_report(by_scale: dict) -> dict:
    main_scale = list(by_scale)[-1]
    pages = by_scale[main_scale]["pages"]
    floor = pages["floor"]
    report = {
        "generated_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": {
            "cpus": os.cpu_count(),
            "python": platform.python_version(),
            "platform": platform.platform(),
            "database": vendor(),
            "load_average_at_end": [round(x, 2) for x in os.getloadavg()],
        },
        "scale": main_scale,
        "scales": list(by_scale),
        "floor": floor,
        "p95": {name: r["p95_ms"] for name, r in pages.items()},
        "ratios": {"p95_over_floor": {}, growth_key(main_scale): {}},
        "targets": {},
        "results": by_scale,
    }
    for name, r in pages.items():
        if name == "floor":
            continue
        ratio = r["p95_ms"] / floor["p95_ms"] if floor["p95_ms"] else None
        report["ratios"]["p95_over_floor"][name] = round(ratio, 2) if ratio else None
        report["targets"][name] = {
            "p95_within_10x_floor": ratio is not None and ratio <= TARGET_RATIO_FLOOR,
            "p95_under_150ms": r["p95_ms"] < TARGET_P95_MS,
        }
    measures = by_scale[main_scale].get("measures")
    if measures:
        imp, nightly = measures["import"], measures["nightly"]
        report["import"] = {
            "rows_per_second": imp["import"]["per_second"],
            "raw_rows_per_second": imp["raw_inserts"]["per_second"],
            "import_over_raw": imp["import_over_raw"],
        }
        report["nightly"] = {
            "loans_per_second": nightly["job"]["per_second"],
            "sql_loans_per_second": nightly["sql_aggregate"]["per_second"],
            "job_over_sql": nightly["job_over_sql"],
            "mismatches": nightly["mismatches"],
        }
        report["ratios"]["import_over_raw"] = imp["import_over_raw"]
        report["ratios"]["nightly_over_sql"] = nightly["job_over_sql"]
        report["targets"]["import"] = {
            "rows_per_second_at_least_2000": imp["import"]["per_second"] >= TARGET_IMPORT_ROWS_S
        }
        report["targets"]["nightly"] = {
            "loans_per_second_at_least_5000": nightly["job"]["per_second"]
            >= TARGET_NIGHTLY_LOANS_S,
            "same_figures_as_sql": nightly["mismatches"] == 0,
        }
    if "small" in by_scale and main_scale != "small":
        small = by_scale["small"]["pages"]
        for name, r in pages.items():
            if name in small and small[name]["p95_ms"]:
                report["ratios"][growth_key(main_scale)][name] = round(
                    r["p95_ms"] / small[name]["p95_ms"], 2
                )
        if main_scale == "household" and "national" in by_scale:
            household_over_national(report, pages, by_scale["national"]["pages"])
        growth = report["ratios"][growth_key(main_scale)].get("dashboard_national")
        if growth is not None:
            report["targets"]["dashboard_national"]["within_1.5x_small"] = (
                growth <= TARGET_DASHBOARD_GROWTH
            )
    return report


def household_over_national(report: dict, pages: dict, national: dict) -> None:
    """Issue 23 point 1: at household scale every page's p95 within 1.5 × its national p95
    (same run) and under 150 ms."""
    ratios = report["ratios"].setdefault("household_over_national", {})
    for name, r in pages.items():
        if name == "floor" or name not in national or not national[name]["p95_ms"]:
            continue
        ratios[name] = round(r["p95_ms"] / national[name]["p95_ms"], 2)
        report["targets"][name]["within_1.5x_national"] = ratios[name] <= TARGET_FLAT_GROWTH


def summary_lines(report: dict) -> list[str]:
    national = report["ratios"].get("household_over_national", {})
    lines = [
        f"{'page':<22} {'p50 ms':>8} {'p95 ms':>8} {'req/s':>7} {'/floor':>7} {'/small':>7}"
        + (f" {'/national':>9}" if national else "")
    ]
    pages = report["results"][report["scale"]]["pages"]
    for name, r in pages.items():
        lines.append(
            f"{name:<22} {r['p50_ms']:>8.1f} {r['p95_ms']:>8.1f} {r['throughput_rps']:>7.1f} "
            f"{report['ratios']['p95_over_floor'].get(name) or '':>7} "
            f"{report['ratios'].get(growth_key(report['scale']), {}).get(name) or '':>7}"
            + (f" {national.get(name) or '':>9}" if national else "")
        )
    if "import" in report:
        imp, nightly = report["import"], report["nightly"]
        lines.append(
            f"import des membres : {imp['rows_per_second']} lignes/s "
            f"(insertions brutes {imp['raw_rows_per_second']}, ratio {imp['import_over_raw']})"
        )
        lines.append(
            f"traitement de nuit : {nightly['loans_per_second']} prêts/s "
            f"(agrégat SQL {nightly['sql_loans_per_second']}, ratio {nightly['job_over_sql']}, "
            f"écarts {nightly['mismatches']})"
        )
    lines.append(f"charge machine (1, 5, 15 min) : {report['machine']['load_average_at_end']}")
    skipped = report["results"][report["scale"]]["skipped"]
    if skipped:
        lines.append(f"non mesurés (capacité absente) : {', '.join(skipped)}")
    return lines


if __name__ == "__main__":
    main()
