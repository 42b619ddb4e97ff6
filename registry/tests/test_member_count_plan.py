"""A cooperative's active member count is answered by the (cooperative, status) index
alone on PostgreSQL (an index-only scan), not by reading each membership's row: at the
household scale (900 members a cooperative) the cooperatives API spent 6.5 ms a row on it
(issue 23)."""

from __future__ import annotations

import pytest
from django.db import connection

from accounts.tests.world import build_world
from registry import selectors

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL plan"),
]


def test_the_member_count_reads_the_index_only():
    world = build_world()
    qs = selectors.cooperative_list(actor=world.national)
    assert {c.pk: c.member_count for c in qs}[world.coop_tc.pk] == len(world.persons_tc)
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")  # a tiny table: force the choice
        cursor.execute("SET LOCAL enable_bitmapscan = off")
        sql, params = qs.query.sql_with_params()
        cursor.execute("EXPLAIN " + sql, params)
        plan = "\n".join(r[0] for r in cursor.fetchall())
    subplan = plan[plan.index("SubPlan") :]
    assert "Index Only Scan" in subplan and "registry_membership" in subplan, plan
