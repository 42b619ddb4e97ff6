"""Which areas' operational data changed, when, and from which business day on: the
freshness signal of monitoring.

A service that changes data counted by an indicator (a membership, a loan's repayment,
a journal entry, a completed training...) calls :func:`areas_touch` with the commune(s)
concerned and, when it knows it, the first business day whose figures change (a member
admitted on 12 March changes nothing before 12 March). Monitoring stores computed
figures per area and "as of" day, and recomputes a figure when a commune of its subtree
was touched after it was computed with a change that counts on its day
(:func:`changed_since`). An explicit call in the service, not a signal: the services are
the only writers (docs/architecture.md).

The mark is written twice: inside the service's transaction, so it is never lost when
the data commits; and again right after the commit, so that a figure computed while the
transaction was still open (and could not see its rows) is always older than the mark.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.db import IntegrityError, transaction
from django.utils import timezone

from geo.models import Area, AreaChange

Mark = tuple[int, datetime.date]


def _upsert(marks: Iterable[Mark]) -> None:
    now = timezone.now()
    AreaChange.objects.bulk_create(
        [AreaChange(area_id=a, affects_from=d, changed_at=now) for a, d in sorted(set(marks))],
        update_conflicts=True,
        unique_fields=["area", "affects_from"],
        update_fields=["changed_at"],
    )


def areas_touch(area_ids: Iterable[int | None], *, on: datetime.date | None = None) -> None:
    """Mark the areas (communes, by id) whose operational data just changed; ``on``: the
    first business day whose figures change (None: every day, the safe default)."""
    day = on or AreaChange.EVERY_DAY
    marks = {(i, day) for i in area_ids if i is not None}
    if not marks:
        return
    _upsert(marks)
    connection = transaction.get_connection()
    if connection.in_atomic_block:
        _after_commit(connection).marks.update(marks)


class _MarkAgain:
    """The after-commit callback of one transaction: one upsert for every area it touched,
    however many services it ran (loading a data set runs thousands in one transaction)."""

    def __init__(self):
        self.marks: set[Mark] = set()

    def __call__(self):
        if not transaction.get_connection().in_atomic_block:
            # after the commit, in autocommit: a mark of an area gone is refused at once
            # (its foreign key), and only then are the areas that still exist looked up
            try:
                _upsert(self.marks)
                return
            except IntegrityError:
                pass
        # An area created by the transaction and then deleted may no longer exist.
        existing = set(
            Area.objects.filter(id__in={a for a, _d in self.marks}).values_list("id", flat=True)
        )
        _upsert(m for m in self.marks if m[0] in existing)


def _after_commit(connection) -> _MarkAgain:
    # Django keeps the transaction's callbacks in ``run_on_commit`` and drops them on
    # rollback (of the transaction or of the savepoint that registered them), so a
    # callback found there belongs to the current transaction and nothing leaks to the
    # next one.
    for _sids, func, _robust in connection.run_on_commit:
        if isinstance(func, _MarkAgain):
            return func
    callback = _MarkAgain()
    transaction.on_commit(callback)
    return callback


def changes_q(*, since: datetime.datetime, on: datetime.date | None = None):
    """The changes made after ``since`` that count on day ``on`` (None: any day)."""
    qs = AreaChange.objects.filter(changed_at__gt=since)
    return qs if on is None else qs.filter(affects_from__lte=on)


def changed_since(area: Area, since: datetime.datetime, *, on: datetime.date | None = None) -> bool:
    """Whether data of ``area``'s subtree changed after ``since`` in a way that counts on
    day ``on`` (None: on any day)."""
    return changes_q(since=since, on=on).filter(area__path__startswith=area.path).exists()


def last_change(area: Area) -> datetime.datetime | None:
    """When data of ``area``'s subtree last changed (None if never recorded)."""
    return (
        AreaChange.objects.filter(area__path__startswith=area.path)
        .order_by("-changed_at")
        .values_list("changed_at", flat=True)
        .first()
    )


def changes_prune(*, before: datetime.datetime) -> int:
    """Forget the marks made before ``before`` (when no stored figure is older)."""
    deleted, _ = AreaChange.objects.filter(changed_at__lt=before).delete()
    return deleted
