"""The freshness signal: which areas' data changed, and when."""

import datetime

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from geo.changes import areas_touch, changed_since, changes_prune, last_change
from geo.models import Area, AreaChange
from geo.tests.factories import commune

pytestmark = pytest.mark.django_db


@pytest.fixture
def communes():
    return (
        commune("SN-TH-MBO-01", "Mbour", "SN-TH-MBO"),
        commune("SN-TC-KPT-01", "Koumpentoum", "SN-TC-KPT"),
    )


def test_a_touch_is_seen_from_the_commune_and_every_ancestor_only(communes):
    mbour, koumpentoum = communes
    before = timezone.now() - datetime.timedelta(seconds=1)
    areas_touch([mbour.id, None])
    for code in ["SN", "SN-TH", "SN-TH-MBO", "SN-TH-MBO-01"]:
        assert changed_since(Area.objects.get(code=code), before), code
    for code in ["SN-TC", "SN-TC-KPT", "SN-TH-THI"]:
        assert not changed_since(Area.objects.get(code=code), before), code
    assert not changed_since(koumpentoum, before)
    assert last_change(Area.objects.get(code="SN-TH")) is not None
    assert last_change(Area.objects.get(code="SN-TC")) is None


def test_a_second_touch_moves_the_mark_forward_and_keeps_one_row(communes):
    mbour, _ = communes
    areas_touch([mbour.id])
    first = AreaChange.objects.get(area=mbour).changed_at
    areas_touch([mbour.id, mbour.id])
    assert AreaChange.objects.filter(area=mbour).count() == 1
    assert AreaChange.objects.get(area=mbour).changed_at >= first
    assert not changed_since(mbour, AreaChange.objects.get(area=mbour).changed_at)


def test_a_dated_change_counts_from_its_day_on_and_an_undated_one_on_every_day(communes):
    mbour, koumpentoum = communes
    before = timezone.now() - datetime.timedelta(seconds=1)
    areas_touch([mbour.id], on=datetime.date(2026, 3, 12))
    assert not changed_since(mbour, before, on=datetime.date(2026, 3, 11))
    assert changed_since(mbour, before, on=datetime.date(2026, 3, 12))
    assert changed_since(mbour, before, on=datetime.date(2026, 12, 31))
    assert changed_since(mbour, before)  # on any day
    areas_touch([koumpentoum.id])
    assert changed_since(koumpentoum, before, on=datetime.date(1990, 1, 1))
    # Another day of the same commune is another mark; the same day is upserted.
    areas_touch([mbour.id], on=datetime.date(2026, 3, 1))
    areas_touch([mbour.id], on=datetime.date(2026, 3, 1))
    assert AreaChange.objects.filter(area=mbour).count() == 2
    assert changed_since(mbour, before, on=datetime.date(2026, 3, 5))


def test_old_marks_can_be_pruned(communes):
    mbour, _ = communes
    areas_touch([mbour.id], on=datetime.date(2026, 3, 1))
    cut = timezone.now() + datetime.timedelta(seconds=1)
    areas_touch([mbour.id], on=datetime.date(2026, 3, 2))
    AreaChange.objects.filter(affects_from=datetime.date(2026, 3, 2)).update(
        changed_at=cut + datetime.timedelta(seconds=1)
    )
    assert changes_prune(before=cut) == 1
    assert list(AreaChange.objects.values_list("affects_from", flat=True)) == [
        datetime.date(2026, 3, 2)
    ]


def test_the_mark_is_written_again_after_commit(communes, django_capture_on_commit_callbacks):
    mbour, _ = communes
    with django_capture_on_commit_callbacks(execute=True) as callbacks, transaction.atomic():
        areas_touch([mbour.id])
        inside = AreaChange.objects.get(area=mbour).changed_at
    assert len(callbacks) == 1
    assert AreaChange.objects.get(area=mbour).changed_at >= inside


def test_a_rolled_back_change_leaves_no_mark(communes, django_capture_on_commit_callbacks):
    mbour, _ = communes
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        areas_touch([mbour.id])
        raise RuntimeError
    assert callbacks == []
    assert not AreaChange.objects.filter(area=mbour).exists()


def test_nothing_to_touch_writes_nothing():
    areas_touch([None])
    areas_touch([])
    assert not AreaChange.objects.exists()


def test_many_touches_in_one_transaction_are_marked_again_once_after_commit(
    communes, django_capture_on_commit_callbacks, django_assert_num_queries
):
    mbour, koumpentoum = communes
    with django_capture_on_commit_callbacks() as callbacks, transaction.atomic():
        for _ in range(3):
            areas_touch([mbour.id])
        areas_touch([koumpentoum.id])
    with django_assert_num_queries(2):  # which areas still exist, one upsert
        for callback in callbacks:
            callback()
    assert AreaChange.objects.count() == 2


def test_areas_of_a_rolled_back_transaction_do_not_break_the_next_commit(
    communes, django_capture_on_commit_callbacks
):
    mbour, _ = communes
    with pytest.raises(RuntimeError), transaction.atomic():
        ghost = commune("SN-TH-MBO-99", "Fantôme", "SN-TH-MBO")
        areas_touch([ghost.id])
        raise RuntimeError
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        areas_touch([mbour.id])
    assert list(AreaChange.objects.values_list("area__code", flat=True)) == ["SN-TH-MBO-01"]


@pytest.mark.django_db(transaction=True)
def test_after_a_real_commit_the_mark_again_is_one_upsert():
    mbour = commune("SN-TH-MBO-01", "Mbour", "SN-TH-MBO")
    koumpentoum = commune("SN-TC-KPT-01", "Koumpentoum", "SN-TC-KPT")
    with transaction.atomic():
        areas_touch([mbour.id])
        areas_touch([koumpentoum.id], on=datetime.date(2026, 3, 1))
        inside = AreaChange.objects.get(area=mbour).changed_at
        callbacks = list(transaction.get_connection().run_on_commit)
        transaction.get_connection().run_on_commit = []  # run by hand below, counted
    (_sids, mark_again, _robust) = callbacks[0]
    with CaptureQueriesContext(connection) as queries:
        mark_again()
    # in autocommit: one upsert (in its own transaction), no look-up of the areas
    statements = [q["sql"].split()[0] for q in queries.captured_queries]
    assert [s for s in statements if s not in ("BEGIN", "COMMIT")] == ["INSERT"]
    assert AreaChange.objects.count() == 2
    assert AreaChange.objects.get(area=mbour).changed_at > inside


@pytest.mark.django_db(transaction=True)
def test_an_area_made_and_deleted_in_the_transaction_is_not_marked_again():
    mbour = commune("SN-TH-MBO-01", "Mbour", "SN-TH-MBO")
    with transaction.atomic():
        ghost = commune("SN-TH-MBO-99", "Fantôme", "SN-TH-MBO")
        areas_touch([ghost.id, mbour.id])
        AreaChange.objects.filter(area=ghost).delete()
        ghost.delete()
    assert list(AreaChange.objects.values_list("area__code", flat=True)) == ["SN-TH-MBO-01"]
