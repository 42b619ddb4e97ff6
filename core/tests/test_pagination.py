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
