"""core.pagination.CappedPaginator: a count that stops at the cap, without sorting."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core.pagination import CappedPaginator
from geo.models import Area

pytestmark = pytest.mark.django_db


def test_the_capped_count_reads_at_most_cap_plus_one_rows_and_never_sorts():
    areas = Area.objects.order_by("-name", "id")  # the reference areas of the migrations
    total = areas.count()
    assert total > 20
    paginator = CappedPaginator(areas, 5, cap=20)
    with CaptureQueriesContext(connection) as queries:
        assert paginator.count == 20 and paginator.capped
    (count_sql,) = [q["sql"] for q in queries.captured_queries]
    assert "COUNT(" in count_sql.upper() and "LIMIT 21" in count_sql.upper()
    # any 21 rows tell the same: the database is not asked to sort every match first
    assert "ORDER BY" not in count_sql.upper(), count_sql
    # the pages keep the list's order
    assert list(paginator.page(1).object_list) == list(areas[:5])


def test_under_the_cap_the_count_is_exact():
    areas = Area.objects.filter(level="region").order_by("name")
    paginator = CappedPaginator(areas, 5, cap=1000)
    assert paginator.count == areas.count() and not paginator.capped


def _pages(paginator) -> list[list[int]]:
    return [
        [a.pk for a in paginator.get_page(n).object_list] for n in range(1, paginator.num_pages + 1)
    ]


def test_first_found_under_the_cap_lists_exactly_the_queryset_one_query_a_page():
    from core.pagination import FirstFoundPaginator

    areas = Area.objects.filter(level="department").order_by("name", "id")
    expected = list(areas.values_list("pk", flat=True))
    paginator = FirstFoundPaginator(areas, 7, cap=1000)
    with CaptureQueriesContext(connection) as queries:
        page = paginator.get_page(1)
        assert paginator.count == len(expected) and not paginator.capped
    assert len(queries.captured_queries) == 1  # the page's rows carry their count
    assert [a.pk for a in page.object_list] == expected[:7]
    assert sum(_pages(paginator), []) == expected
    assert page.has_next() and not page.has_previous()


def test_first_found_past_the_cap_lists_cap_rows_found_sorted_and_says_more():
    from core.pagination import FirstFoundPaginator

    areas = Area.objects.order_by("name", "id")
    total = areas.count()
    paginator = FirstFoundPaginator(areas, 10, cap=35)
    listed = _pages(paginator)
    assert paginator.capped and paginator.count == 35 and paginator.num_pages == 4
    rows = sum(listed, [])
    assert len(rows) == len(set(rows)) == 35 < total
    names = dict(Area.objects.filter(pk__in=rows).values_list("pk", "name"))
    keys = [(names[pk], pk) for pk in rows]
    assert keys == sorted(keys)  # sorted across the pages, as the list asks
    assert set(rows) <= set(areas.values_list("pk", flat=True))


def test_first_found_answers_odd_page_numbers_as_django_does():
    from core.pagination import FirstFoundPaginator

    areas = Area.objects.filter(level="region").order_by("name", "id")
    paginator = FirstFoundPaginator(areas, 5, cap=1000)
    last = paginator.num_pages
    assert last > 1
    assert paginator.get_page("abc").number == 1
    assert paginator.get_page(None).number == 1
    assert paginator.get_page("0").number == last
    assert paginator.get_page("-3").number == last
    assert paginator.get_page("9" * 20).number == last
    assert paginator.get_page(str(last + 1)).number == last


def test_first_found_without_a_page_asked_reads_the_first_in_one_query():
    """A search's first page is asked without ``page``: it was read by Django's
    ``get_page`` (a count, then the page), two scans of the search index where one does
    (person search at the household scale: 27 ms for the count alone)."""
    from core.pagination import FirstFoundPaginator

    areas = Area.objects.filter(level="department").order_by("name", "id")
    expected, total = list(areas.values_list("pk", flat=True)[:7]), areas.count()
    for asked in (None, "", "abc"):
        paginator = FirstFoundPaginator(areas, 7, cap=1000)
        with CaptureQueriesContext(connection) as queries:
            page = paginator.get_page(asked)
            assert page.number == 1 and paginator.count == total
        assert len(queries.captured_queries) == 1, asked
        assert [a.pk for a in page.object_list] == expected
