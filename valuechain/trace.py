"""Traceability over every step, both ways (EPCIS: transformation events link input lots to
output lots; transfers and sales keep the lot's identity).

Breadth-first over production runs, one query per step and direction, so that a trace six
steps deep costs about a dozen indexed queries at national scale (docs/benchmarks.md).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from valuechain.models import Lot, RunInput, SaleLine, Site, StockMovement

MAX_STEPS = 100  # a guard: production graphs are acyclic, but never loop for ever


def upstream_ids(lot_id: int) -> list[int]:
    seen: set[int] = set()
    frontier = {lot_id}
    for _step in range(MAX_STEPS):
        runs = set(
            Lot.objects.filter(pk__in=frontier, run__isnull=False).values_list("run_id", flat=True)
        )
        if not runs:
            break
        parents = set(RunInput.objects.filter(run__in=runs).values_list("lot_id", flat=True))
        frontier = parents - seen - {lot_id}
        seen |= frontier
        if not frontier:
            break
    return sorted(seen)


def downstream_ids(lot_id: int) -> list[int]:
    seen: set[int] = set()
    frontier = {lot_id}
    for _step in range(MAX_STEPS):
        runs = set(RunInput.objects.filter(lot__in=frontier).values_list("run_id", flat=True))
        if not runs:
            break
        children = set(Lot.objects.filter(run__in=runs).values_list("pk", flat=True))
        frontier = children - seen - {lot_id}
        seen |= frontier
        if not frontier:
            break
    return sorted(seen)


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
