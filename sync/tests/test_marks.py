"""The history marks a pull keeps (sync/marks.py): the highest id seen per history table,
and the ids below it not seen yet (gaps), waited for until ``CHANGES_MARGIN``."""

import datetime

from django.utils import timezone

from registry.models import Person
from sync.marks import CHANGES_MARGIN, MAX_GAPS, Mark, mark_start

NOW = datetime.datetime(2026, 3, 2, 10, 0, tzinfo=datetime.UTC)
T = int(NOW.timestamp())


def test_the_mark_moves_to_the_highest_id_and_keeps_what_it_skipped():
    mark = Mark(10).advanced([13, 11, 16, 13], now=NOW)
    assert mark == Mark(16, [[12, 12, T], [14, 15, T]])
    assert Mark(16, mark.gaps).advanced([], now=NOW) == mark  # nothing new: unchanged


def test_a_gap_that_appears_leaves_the_mark_and_the_rest_keeps_its_time():
    earlier = T - 600
    mark = Mark(16, [[12, 12, earlier], [14, 15, earlier]]).advanced([14, 17], now=NOW)
    assert mark == Mark(17, [[12, 12, earlier], [15, 15, earlier]])
    split = Mark(30, [[20, 25, earlier]]).advanced([22, 23], now=NOW)
    assert split.gaps == [[20, 21, earlier], [24, 25, earlier]]


def test_a_gap_not_filled_within_the_margin_is_forgotten():
    margin = int(CHANGES_MARGIN.total_seconds())
    mark = Mark(20, [[5, 5, T - margin - 1], [8, 8, T - margin]]).advanced([], now=NOW)
    assert mark.gaps == [[8, 8, T - margin]]  # the one seen exactly the margin ago waits


def test_too_many_gaps_are_merged_with_their_closest_neighbours():
    # single ids, every third id; every tenth one further apart
    ids, at = [], 0
    for i in range(MAX_GAPS + 50):
        at += 30 if i % 10 == 0 else 3
        ids.append(at)
    gaps = [[i, i, T - i] for i in ids]
    mark = Mark(at + 1, gaps).advanced([], now=NOW)
    assert len(mark.gaps) == MAX_GAPS
    for i in ids:  # every id still waited for, with a time no earlier than its own
        held = [g for g in mark.gaps if g[0] <= i <= g[1]]
        assert len(held) == 1 and held[0][2] >= T - i
    assert all(b[0] > a[1] for a, b in zip(mark.gaps, mark.gaps[1:], strict=False))
    # the wide spaces are where they stayed apart
    assert sum(1 for a, b in zip(mark.gaps, mark.gaps[1:], strict=False) if b[0] - a[1] > 3)


def test_the_json_of_a_mark_reads_back():
    mark = Mark(17, [[12, 12, T]])
    assert Mark.from_json(mark.to_json()) == mark


def test_a_whole_pulls_mark_waits_only_for_ids_that_may_still_be_in_flight(world):
    """Without a mark to start from, every id missing among the history written since
    twice the margin is a gap; one missing among older rows is not waited for."""
    now = timezone.now()
    ids = list(Person.history.order_by("history_id").values_list("history_id", flat=True))
    old, recent = ids[:-3], ids[-3:]
    Person.history.filter(history_id__in=old).update(history_date=now - 3 * CHANGES_MARGIN)
    Person.history.filter(history_id__in=[old[2], recent[1]]).delete()
    mark = mark_start(Person, now=now)
    assert mark.at == recent[-1]
    assert mark.gaps == [[recent[1], recent[1], int(now.timestamp())]]
    Person.history.all().delete()
    assert mark_start(Person, now=now) == Mark(0, [])
