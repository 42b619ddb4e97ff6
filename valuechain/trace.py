"""Traceability over every step, both ways (EPCIS: transformation events link input lots to
output lots; transfers and sales keep the lot's identity).

One recursive query (WITH RECURSIVE) per direction over the production runs, whatever the
depth: a trace costs three queries (upstream, downstream, sales) on the indexes of
``RunInput.lot``, ``RunInput.run`` and ``Lot.run`` (docs/benchmarks.md).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import connection

from valuechain.models import Lot, RunInput, SaleLine, Site, StockMovement


def _tables() -> dict[str, str]:
    return {"lot": Lot._meta.db_table, "input": RunInput._meta.db_table}


# One recursive query a direction (PostgreSQL and SQLite both have WITH RECURSIVE): the
# cost is one round trip whatever the depth; UNION (not UNION ALL) keeps each lot once,
# so even a cycle written by hand in the data would end.
UPSTREAM = """
WITH RECURSIVE up(lot_id) AS (
    SELECT ri.lot_id FROM {input} ri JOIN {lot} l ON l.run_id = ri.run_id WHERE l.id = %s
    UNION
    SELECT ri.lot_id FROM up
        JOIN {lot} l ON l.id = up.lot_id
        JOIN {input} ri ON ri.run_id = l.run_id
)
SELECT lot_id FROM up WHERE lot_id <> %s
"""
DOWNSTREAM = """
WITH RECURSIVE down(lot_id) AS (
    SELECT l.id FROM {input} ri JOIN {lot} l ON l.run_id = ri.run_id WHERE ri.lot_id = %s
    UNION
    SELECT l.id FROM down
        JOIN {input} ri ON ri.lot_id = down.lot_id
        JOIN {lot} l ON l.run_id = ri.run_id
)
SELECT lot_id FROM down WHERE lot_id <> %s
"""


def _walk(sql: str, lot_id: int) -> list[int]:
    with connection.cursor() as cursor:
        cursor.execute(sql.format(**_tables()), [lot_id, lot_id])
        return sorted({row[0] for row in cursor.fetchall()})


def upstream_ids(lot_id: int) -> list[int]:
    """Every lot ``lot_id`` was made from, through every production run (one query)."""
    return _walk(UPSTREAM, lot_id)


def downstream_ids(lot_id: int) -> list[int]:
    """Every lot made from ``lot_id``, through every production run (one query)."""
    return _walk(DOWNSTREAM, lot_id)


@dataclass
class Trace:
    upstream: list[int]
    downstream: list[int]
    sales: list[int]


def trace(lot: Lot) -> Trace:
    """Every lot ``lot`` was made from, every lot made from it, every sale of it or of
    those made from it."""
    up = upstream_ids(lot.pk)
    down = downstream_ids(lot.pk)
    sales = sorted(
        set(SaleLine.objects.filter(lot__in=[lot.pk, *down]).values_list("sale_id", flat=True))
    )
    return Trace(up, down, sales)


@dataclass
class Recall:
    lots: list[Lot]
    sites: list = field(default_factory=list)
    sales: list = field(default_factory=list)
    phones: list[str] = field(default_factory=list)


def recall(lot: Lot) -> Recall:
    """What a recall of ``lot`` must reach: every downstream lot, every site holding any
    of them, every sale and the buyers' phones."""
    ids = [lot.pk, *downstream_ids(lot.pk)]
    lots = list(Lot.objects.filter(pk__in=ids).select_related("product", "site"))
    site_ids = set(StockMovement.objects.filter(lot__in=ids).values_list("site_id", flat=True))
    lines = SaleLine.objects.filter(lot__in=ids).select_related("sale__site", "lot")
    sales = sorted({ln.sale for ln in lines}, key=lambda s: (s.sold_at, s.pk))
    sites = list(Site.objects.filter(pk__in=site_ids).order_by("name"))
    phones = sorted({s.buyer_phone for s in sales if s.buyer_phone})
    return Recall(lots=lots, sites=sites, sales=sales, phones=phones)
