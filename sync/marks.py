"""Where a pull of changes starts reading the history: a high-water mark per history table
(docs/offline.md, "What a pull of changes computes").

A history table's ``history_id`` comes from one sequence: a row written after a pull read
the table gets a higher id than every row that pull saw, so the next pull reads only the
rows above the highest id seen (the **mark**), however long ago or recently anything else
changed. An id below the mark that was not visible then (a **gap**) is a row whose
transaction had not committed yet (PostgreSQL gives ids at insert, rows appear at commit),
or an insert rolled back (never appears): each gap is kept with the time it was seen, read
again by the next pulls until it appears, and forgotten once older than ``CHANGES_MARGIN``
(a transaction longer than that is not waited for: the same assumption as the time window
this replaces, which looked one hour back at every pull).

A mark is read at the start of a pull, before its data: a write that lands during the pull
has a higher id, or fills a gap, and is read by the next one.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import F, Q, Window
from django.db.models.functions import Lag, Lead

# Gaps are waited for this long (and a cursor without marks looks this far back): a write
# committed later than that after its history row took its id is not seen.
CHANGES_MARGIN = datetime.timedelta(hours=1)
# The most gaps (ranges of ids) a mark keeps per table: beyond, the closest ones are merged
# (a merged range's visible ids are read again, which costs a comparison and is harmless).
MAX_GAPS = 200


@dataclass
class Mark:
    """The highest ``history_id`` a pull saw in one history table, and the ranges of ids
    below it it did not see: ``[low, high, seen]``, ``seen`` in seconds since the epoch."""

    at: int = 0
    gaps: list[list[int]] = field(default_factory=list)

    def to_json(self) -> list:
        return [self.at, self.gaps]

    @classmethod
    def from_json(cls, raw) -> Mark:
        at, gaps = raw
        return cls(int(at), [[int(lo), int(hi), int(seen)] for lo, hi, seen in gaps])

    def condition(self) -> Q:
        """The history rows the next pull reads: above the mark, or in one of its gaps."""
        where = Q(history_id__gt=self.at)
        for low, high, _seen in self.gaps:
            where |= Q(history_id__gte=low, history_id__lte=high)
        return where

    def advanced(self, found: Iterable[int], *, now: datetime.datetime) -> Mark:
        """The mark after a read of :meth:`condition` that found the history ids ``found``:
        at the highest id seen; the gaps still missing kept if seen within
        ``CHANGES_MARGIN``; the ids between the old and the new mark not found added as
        gaps seen ``now``."""
        found = sorted(set(found))
        seen_now = int(now.timestamp())
        oldest = seen_now - int(CHANGES_MARGIN.total_seconds())
        gaps = []
        for low, high, seen in self.gaps:
            if seen >= oldest:
                gaps += _without(low, high, seen, [i for i in found if low <= i <= high])
        previous = self.at
        for history_id in (i for i in found if i > self.at):
            if history_id > previous + 1:
                gaps.append([previous + 1, history_id - 1, seen_now])
            previous = history_id
        return Mark(previous, _bounded(gaps))


def _without(low: int, high: int, seen: int, found: list[int]) -> list[list[int]]:
    """The range ``[low, high]`` less the (sorted) ids ``found`` in it."""
    out, start = [], low
    for history_id in found:
        if history_id > start:
            out.append([start, history_id - 1, seen])
        start = history_id + 1
    if start <= high:
        out.append([start, high, seen])
    return out


def _bounded(gaps: list[list[int]]) -> list[list[int]]:
    """At most ``MAX_GAPS`` ranges: the neighbours closest to each other merged (the later
    of their times kept, so that neither is forgotten early)."""
    gaps = sorted(gaps)
    if len(gaps) <= MAX_GAPS:
        return gaps
    spaces = sorted(range(len(gaps) - 1), key=lambda i: gaps[i + 1][0] - gaps[i][1])
    joined = set(spaces[: len(gaps) - MAX_GAPS])  # i joined with i + 1
    out = [list(gaps[0])]
    for i in range(1, len(gaps)):
        if i - 1 in joined:
            out[-1][1] = max(out[-1][1], gaps[i][1])
            out[-1][2] = max(out[-1][2], gaps[i][2])
        else:
            out.append(list(gaps[i]))
    return out


def mark_start(model, *, now: datetime.datetime) -> Mark:
    """The mark of ``model``'s history for a pull that has none to start from (a whole
    pull, or a cursor of the former format), in two queries whatever the table's size.

    Every id not visible now among those that may belong to a transaction still running
    is a gap: the ids above the newest row dated more than twice ``CHANGES_MARGIN`` ago (a
    transaction shorter than ``CHANGES_MARGIN`` took its id after that row's own, itself
    shorter). The database returns only the rows that follow a gap, and the last one."""
    history = model.history.order_by()
    cut = now - 2 * CHANGES_MARGIN
    floor = history.filter(history_date__lt=cut).order_by("-history_date")
    floor = floor.values_list("history_id", flat=True).first() or 0
    order = F("history_id").asc()
    rows = (
        history.filter(history_id__gt=floor)
        .annotate(
            before=Window(Lag("history_id", default=floor), order_by=order),
            after=Window(Lead("history_id"), order_by=order),
        )
        .filter(Q(history_id__gt=F("before") + 1) | Q(after__isnull=True))
        .values_list("before", "history_id")
    )
    seen = int(now.timestamp())
    at, gaps = floor, []
    for before, history_id in rows:
        if history_id > before + 1:
            gaps.append([before + 1, history_id - 1, seen])
        at = max(at, history_id)
    return Mark(at, _bounded(gaps))
