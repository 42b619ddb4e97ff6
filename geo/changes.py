"""Which areas' operational data changed, and when: the freshness signal of monitoring.

A service that changes data counted by an indicator (a membership, a loan's repayment,
a journal entry, a completed training...) calls :func:`areas_touch` with the commune(s)
concerned. Monitoring keeps computed figures per area and recomputes an area's figures
when a commune of its subtree was touched after they were computed
(:func:`changed_since`). An explicit call in the service, not a signal: the services are
the only writers (docs/architecture.md).

The mark is written twice: inside the service's transaction, so it is never lost when
the data commits; and again right after the commit, so that a figure computed while the
transaction was still open (and could not see its rows) is always older than the mark.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone

from geo.models import Area, AreaChange


def _upsert(ids: list[int]) -> None:
    now = timezone.now()
    AreaChange.objects.bulk_create(
        [AreaChange(area_id=i, changed_at=now) for i in ids],
        update_conflicts=True,
        unique_fields=["area"],
        update_fields=["changed_at"],
    )


def areas_touch(area_ids: Iterable[int | None]) -> None:
    """Mark the areas (communes, by id) whose operational data just changed."""
    ids = {i for i in area_ids if i is not None}
    if not ids:
        return
    _upsert(sorted(ids))
    connection = transaction.get_connection()
    if connection.in_atomic_block:
        # One upsert after the commit for all the areas the transaction touched, however
        # many services it ran (loading a data set runs thousands in one transaction).
        pending = connection.__dict__.setdefault("sunucoop_areas_touched", set())
        pending.update(ids)
        transaction.on_commit(lambda: _flush_pending(connection))


def _flush_pending(connection) -> None:
    # A transaction that rolled back leaves its areas in the set (Django has no rollback
    # hook); marking them again is harmless, but an area created by that transaction no
    # longer exists: only existing areas are marked.
    pending = connection.__dict__.pop("sunucoop_areas_touched", set())
    if pending:
        _upsert(sorted(Area.objects.filter(id__in=pending).values_list("id", flat=True)))


def changed_since(area: Area, since: datetime.datetime) -> bool:
    """Whether data of ``area``'s subtree changed after ``since``."""
    return AreaChange.objects.filter(
        area__path__startswith=area.path, changed_at__gt=since
    ).exists()


def last_change(area: Area) -> datetime.datetime | None:
    """When data of ``area``'s subtree last changed (None if never recorded)."""
    row = (
        AreaChange.objects.filter(area__path__startswith=area.path)
        .order_by("-changed_at")
        .values_list("changed_at", flat=True)
        .first()
    )
    return row
