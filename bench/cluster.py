"""A throwaway PostgreSQL server of the machine's own binaries, on a free port, and its
streaming replica: for ``make soak`` (a database restart that touches nothing else) and the
replica bench (issue 23, point 5: a second server made by ``pg_basebackup``)."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

from bench.run import free_port


def server_binaries() -> Path | None:
    """The newest installed PostgreSQL's bin folder, or None."""
    bins = sorted(Path("/usr/lib/postgresql").glob("*/bin/pg_ctl"))
    return bins[-1].parent if bins else None


class Cluster:
    """A throwaway PostgreSQL server; ``standby_of`` makes it a streaming replica."""

    def __init__(self, database: str = "sunucoop_soak", prefix: str = "sunucoop-soak-"):
        bin_dir = server_binaries()
        if bin_dir is None:
            raise SystemExit("PostgreSQL's server binaries are not installed")
        self.bin = bin_dir
        self.dir = Path(tempfile.mkdtemp(prefix=prefix))
        self.data = self.dir / "data"
        self.port = free_port()
        self.database = database
        self.url = f"postgres://postgres@127.0.0.1:{self.port}/{database}"

    def _run(self, *args: str) -> str:
        command = [str(self.bin / args[0]), *args[1:]]
        if os.geteuid() == 0:  # the server refuses to run as root: as the postgres user
            command = ["runuser", "-u", "postgres", "--", *command]
        return subprocess.run(command, check=True, capture_output=True, text=True).stdout

    def _own_dir(self) -> None:
        if os.geteuid() == 0:
            shutil.chown(self.dir, user="postgres")

    def start(self) -> None:
        """initdb (trust on 127.0.0.1, replication lines included), start, create the
        database."""
        self._own_dir()
        self._run("initdb", "-D", str(self.data), "-U", "postgres", "-A", "trust", "-E", "UTF8")
        self.pg_ctl("start")
        self._run(
            "createdb", "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres", self.database
        )

    def standby_of(self, primary: Cluster) -> float:
        """A hot standby of ``primary``: ``pg_basebackup`` (WAL streamed, ``-R`` writes the
        standby's connection), then started; returns the seconds the base backup took."""
        self._own_dir()
        started = time.perf_counter()
        self._run(
            "pg_basebackup",
            "-h", "127.0.0.1",
            "-p", str(primary.port),
            "-U", "postgres",
            "-D", str(self.data),
            "-X", "stream",
            "-c", "fast",
            "-R",
        )  # fmt: skip
        seconds = time.perf_counter() - started
        self.pg_ctl("start")
        return seconds

    def pg_ctl(self, action: str, *extra: str) -> None:
        options = f"-p {self.port} -k {self.dir} -c listen_addresses=127.0.0.1"
        self._run(
            "pg_ctl",
            "-D",
            str(self.data),
            "-o",
            options,
            "-l",
            str(self.dir / "log"),
            "-w",
            action,
            *extra,
        )

    def query(self, sql: str, *params) -> list[tuple]:
        import psycopg

        with psycopg.connect(self.url, autocommit=True) as conn:
            cursor = conn.execute(sql, params)
            return cursor.fetchall() if cursor.description else []

    def size(self) -> int:
        return self.query("SELECT pg_database_size(current_database())")[0][0]

    def wait_replayed(self, primary: Cluster, timeout: float = 120) -> float:
        """Seconds until this standby has replayed the primary's current WAL position."""
        (lsn,) = primary.query("SELECT pg_current_wal_lsn()::text")[0]
        started = time.perf_counter()
        while time.perf_counter() - started < timeout:
            (done,) = self.query("SELECT pg_last_wal_replay_lsn() >= %s::pg_lsn", lsn)[0]
            if done:
                return time.perf_counter() - started
            time.sleep(0.05)
        raise SystemExit(f"the replica did not replay {lsn} in {timeout:g} s")

    def stop(self) -> None:
        try:
            self.pg_ctl("stop", "-m", "fast")
        except subprocess.CalledProcessError:
            pass  # it never started: nothing to stop
        finally:
            shutil.rmtree(self.dir, ignore_errors=True)
