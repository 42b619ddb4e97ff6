"""Issue 23, point 5: the replica bench's servers. A throwaway primary, a hot standby made
from it by ``pg_basebackup``, a write on the primary replayed on the standby, which refuses
writes of its own. Real PostgreSQL servers of the machine's binaries (run on CI's
PostgreSQL pass, where they are installed)."""

import os

import psycopg
import pytest

from bench.cluster import Cluster, server_binaries

pytestmark = pytest.mark.skipif(
    server_binaries() is None or not os.environ.get("DATABASE_URL", "").startswith("postgres"),
    reason="PostgreSQL's server binaries and a PostgreSQL run are needed",
)


def test_a_standby_made_by_basebackup_replays_the_primarys_writes_and_refuses_its_own():
    primary = Cluster(database="replica_check", prefix="sunucoop-test-primary-")
    standby = Cluster(database="replica_check", prefix="sunucoop-test-standby-")
    try:
        primary.start()
        primary.query("CREATE TABLE t (n integer)")
        primary.query("INSERT INTO t VALUES (1)")
        assert standby.standby_of(primary) > 0
        assert standby.query("SELECT pg_is_in_recovery()") == [(True,)]
        primary.query("INSERT INTO t VALUES (2)")  # after the base backup: streamed
        assert standby.wait_replayed(primary) >= 0
        assert standby.query("SELECT n FROM t ORDER BY n") == [(1,), (2,)]
        with pytest.raises(psycopg.errors.ReadOnlySqlTransaction):
            standby.query("INSERT INTO t VALUES (3)")
        assert primary.query("SELECT state FROM pg_stat_replication") == [("streaming",)]
    finally:
        standby.stop()
        primary.stop()
    assert not primary.dir.exists() and not standby.dir.exists()
