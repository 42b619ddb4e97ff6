"""``make soak``: a day of load in a bounded time (issue 23, points 2 and 3).

    make soak                         # 30 minutes at SOAK_RATE requests a second
    SOAK_MINUTES=5 make soak          # a short run
    SOAK_FAULTS=0 make soak           # without the faults

What it does, all on this machine (nothing leaves it):
1. starts its own PostgreSQL server (a throwaway cluster on a free port, so that the fault
   "the database restarts" touches nothing else), migrates it and loads the demo;
2. serves the app with gunicorn (SOAK_WORKERS sync workers, production settings) and the
   payment and SMS sandboxes, pointed at each other;
3. sends the mixed workload of bench/soak_workload.py, open loop, at SOAK_RATE requests a
   second (see docs/benchmarks.md, "Soak", for the national peak this stands for);
4. with faults on: a quarter of the way a worker is killed (SIGKILL), half way the database
   restarts, three quarters of the way the Wave sandbox stops answering for 30 s;
5. afterwards checks the database (``manage.py soak_check``): books balanced, no repayment,
   sale, payment or synced record lost or doubled, rollups equal to a recomputation.

Writes var/soak/report.json and prints a summary; exits 1 when a goal is missed: errors
outside the faults' windows, an answer lost (no HTTP answer) outside them, p95 drifting up,
a worker's memory growing, a check failing.
"""

from __future__ import annotations

import base64
import json
import os
import random
import signal
import subprocess
import sys
import threading
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from bench import soak_analysis as analysis
from bench.cluster import Cluster
from bench.run import OUT as BENCH_OUT
from bench.run import ROOT, collect_static, free_port, log, manage
from bench.soak_workload import MIX, Workload

OUT = BENCH_OUT.parent / "soak"
MINUTES = float(os.environ.get("SOAK_MINUTES", "30"))
RATE = float(os.environ.get("SOAK_RATE", "25"))
WORKERS = int(os.environ.get("SOAK_WORKERS", "3"))
FAULTS = os.environ.get("SOAK_FAULTS", "1") != "0"
THREADS = int(os.environ.get("SOAK_THREADS", "32"))
SEED = int(os.environ.get("SOAK_SEED", "7"))
WAVE_SECRET = "soak-wave-secret"  # noqa: S105 - throwaway secrets of the local sandboxes
SANDBOX_ENV = {
    "WAVE_WEBHOOK_SECRET": WAVE_SECRET,
    "WAVE_API_KEY": "soak-wave-key",
    "SMS_GATEWAY_TOKEN": "soak-sms-token",
    "SMS_CALLBACK_TOKEN": "soak-sms-callback",
}


# ---------------------------------------------------------------------- the app
def start_app(db_url: str) -> tuple[subprocess.Popen, subprocess.Popen, int, dict]:
    """gunicorn and the sandboxes, pointed at each other: (app, sandboxes, app's port, the
    app's environment)."""
    from sandboxes import REGISTRY

    port, base = free_port(), _free_base(len(REGISTRY))
    env = {**os.environ, **SANDBOX_ENV}
    env.pop("SUNUCOOP_TESTING", None)
    sandboxes = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "sandboxes",
            "--app-url",
            f"http://127.0.0.1:{port}",
            "--port-base",
            str(base),
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=(OUT / "sandboxes.log").open("w"),
    )
    printed = subprocess.run(
        [sys.executable, "-m", "sandboxes", "--print-env", "--port-base", str(base)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    for line in printed.splitlines():
        key, _, value = line.removeprefix("export ").partition("=")
        env[key] = value
    env |= {
        "DATABASE_URL": db_url,
        "DEBUG": "0",
        "SECRET_KEY": "soak-" + "x" * 60,
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SECURE_SSL_REDIRECT": "0",
        "SECURE_COOKIES": "0",
        "SECURE_HSTS_SECONDS": "0",
        "PAYMENTS_PUBLIC_URL": f"http://127.0.0.1:{port}",
        "PAYMENTS_HTTP_TIMEOUT": "5",
        "HEALTH_CARD_SIGNING_KEY": base64.b64encode(os.urandom(32)).decode(),  # throwaway
        "LOG_LEVEL": "ERROR",
    }
    app = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "config.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(WORKERS),
            "--timeout",
            "30",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
        stderr=(OUT / "app.log").open("w"),  # the faults' tracebacks: kept, not printed
    )
    try:
        _wait_for(f"http://127.0.0.1:{port}/healthz")
    except SystemExit:
        for proc in (app, sandboxes):
            proc.terminate()
            proc.wait(timeout=30)
        raise
    return app, sandboxes, port, env


def _free_base(count: int) -> int:
    for _ in range(50):
        base = free_port()
        if base + count < 65535 and all(_port_free(base + i) for i in range(count)):
            return base
    raise SystemExit("make soak: no free ports for the sandboxes")


def _port_free(port: int) -> bool:
    import socket

    with socket.socket() as s:
        try:
            s.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def _wait_for(url: str) -> None:
    for _ in range(150):
        try:
            with urllib.request.urlopen(url, timeout=2) as r:  # noqa: S310 - loopback
                if r.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    raise SystemExit(f"make soak: {url} did not answer")


def worker_pids(master: int) -> list[int]:
    path = Path(f"/proc/{master}/task/{master}/children")
    return [int(p) for p in path.read_text().split()] if path.exists() else []


def rss_kb(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


# ---------------------------------------------------------------------- the run
class Soak:
    def __init__(
        self, workload: Workload, app: subprocess.Popen, cluster: Cluster, sandbox_url: str
    ):
        self.workload, self.app, self.cluster = workload, app, cluster
        self.sandbox_url = sandbox_url
        self.samples: list[tuple] = []  # (second, operation, ms, status, ok)
        self.memory: list[tuple] = []  # (second, pid, kB)
        self.faults: list[dict] = []
        self.lock = threading.Lock()
        self.start = 0.0
        self.stop = threading.Event()

    def now(self) -> float:
        return time.monotonic() - self.start

    def one(self, name: str) -> None:
        at, begun = self.now(), time.perf_counter()
        try:
            status, ok = self.workload.run(name)
        except Exception as exc:  # a client bug must show in the report, not stop the run
            log(f"soak: {name}: {exc!r}")
            status, ok = -1, False
        ms = (time.perf_counter() - begun) * 1000
        with self.lock:
            self.samples.append((round(at, 2), name, round(ms, 1), status, ok))

    def send(self, seconds: float) -> None:
        """Open loop: one operation every 1/RATE s whatever the answers, drawn from MIX."""
        names, weights = list(MIX), list(MIX.values())
        rng = random.Random(SEED)
        with ThreadPoolExecutor(THREADS) as pool:
            n = 0
            while not self.stop.is_set():
                planned = n / RATE
                if planned >= seconds:
                    break
                delay = planned - self.now()
                if delay > 0:
                    time.sleep(delay)
                pool.submit(self.one, rng.choices(names, weights)[0])
                n += 1

    def watch(self) -> None:
        while not self.stop.wait(10):
            for pid in worker_pids(self.app.pid):
                self.memory.append((round(self.now()), pid, rss_kb(pid)))

    def fault_plan(self, seconds: float) -> list[tuple[float, str]]:
        return [
            (seconds / 4, "kill_worker"),
            (seconds / 2, "database_restart"),
            (seconds * 3 / 4, "provider_timeout"),
        ]

    def inject(self, seconds: float) -> None:
        for at, kind in self.fault_plan(seconds):
            if self.stop.wait(max(0.0, at - self.now())):
                return
            began = self.now()
            detail = getattr(self, f"fault_{kind}")()
            self.faults.append(
                {"kind": kind, "at": round(began, 1), "until": round(self.now(), 1), **detail}
            )
            log(f"soak: panne {kind} à {began:.0f} s : {detail}")

    def fault_kill_worker(self) -> dict:
        pids = worker_pids(self.app.pid)
        os.kill(pids[0], signal.SIGKILL)
        return {"killed": pids[0]}

    def fault_database_restart(self) -> dict:
        begun = time.perf_counter()
        self.cluster.pg_ctl("restart", "-m", "fast")
        return {"restart_seconds": round(time.perf_counter() - begun, 1)}

    def fault_provider_timeout(self) -> dict:
        _control(self.sandbox_url, "/_sandbox/delay/15")
        self.stop.wait(30)
        _control(self.sandbox_url, "/_sandbox/delay/0")
        return {"provider_delay_s": 15, "held_s": 30}

    def run(self, seconds: float) -> None:
        self.start = time.monotonic()
        threads = [threading.Thread(target=self.watch, daemon=True)]
        if FAULTS:
            threads.append(threading.Thread(target=self.inject, args=(seconds,), daemon=True))
        for t in threads:
            t.start()
        try:
            self.send(seconds)
        finally:
            self.stop.set()


def _control(base: str, path: str) -> None:
    request = urllib.request.Request(base + path, data=b"", method="POST")  # noqa: S310
    with urllib.request.urlopen(request, timeout=5):  # noqa: S310 - loopback sandbox
        pass


def recover_payments(db_url: str, app_env: dict) -> dict:
    """What production's scheduled ``payments_poll`` does every 5 minutes: ask the provider
    about payments still pending (a webhook lost while the database restarted)."""
    keys = [k for k in app_env if k.startswith(("WAVE_", "ORANGE_MONEY_", "PAYMENTS_"))]
    output = manage(["payments_poll", "--older-than", "0"], db_url, **{k: app_env[k] for k in keys})
    counts = dict(line.split(": ") for line in output.strip().splitlines() if ": " in line)
    log(f"soak : payments_poll {counts}")
    return counts


def prepare(cluster: Cluster) -> dict:
    log("soak : base PostgreSQL à part, migrations, démo…")
    cluster.start()
    manage(["migrate", "--noinput", "-v0"], cluster.url)
    manage(["load_demo"], cluster.url)
    manage(["monitoring_refresh"], cluster.url)
    return json.loads(manage(["soak_targets"], cluster.url).strip().splitlines()[-1])


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    seconds = MINUTES * 60
    collect_static()
    cluster = Cluster()
    try:
        soak, checks, sizes, poll = _soak(cluster, seconds)
    finally:
        cluster.stop()
    report = analysis.report(
        samples=soak.samples,
        memory=soak.memory,
        faults=soak.faults,
        checks=checks,
        settings={
            "minutes": MINUTES,
            "rate": RATE,
            "workers": WORKERS,
            "faults": FAULTS,
            "mix": MIX,
        },
        database_bytes=sizes,
    )
    report["payments_poll"] = poll
    report["load_average"] = os.getloadavg()
    (OUT / "report.json").write_text(json.dumps(report, indent=2, ensure_ascii=False))
    for line in analysis.summary_lines(report):
        print(line)
    log(f"rapport : {OUT / 'report.json'}")
    sys.exit(0 if report["met"] else 1)


def _soak(cluster: Cluster, seconds: float) -> tuple:
    """Prepare, serve, load, check; the cluster is the caller's to stop."""
    app = sandboxes = None
    try:
        targets = prepare(cluster)
        app, sandboxes, port, app_env = start_app(cluster.url)
        size_before = cluster.size()
        workload = Workload("127.0.0.1", port, targets)
        soak = Soak(workload, app, cluster, app_env["WAVE_BASE_URL"])
        log(f"soak : {MINUTES:g} min à {RATE:g} requêtes/s, pannes : {'oui' if FAULTS else 'non'}")
        soak.run(seconds)
        time.sleep(5)  # the last answers, the last webhooks
        (OUT / "record.json").write_text(json.dumps(workload.record))
        poll = recover_payments(cluster.url, app_env)
        size_after = cluster.size()
    finally:
        for proc in (app, sandboxes):
            if proc is not None:
                proc.terminate()
                proc.wait(timeout=30)
    checks = json.loads(
        manage(["soak_check", str(OUT / "record.json")], cluster.url).strip().splitlines()[-1]
    )
    return soak, checks, (size_before, size_after), poll


if __name__ == "__main__":
    main()
