"""Paginators for large lists: a count that stops at a cap; a count given; ids first.

Counting every match of a broad search over millions of rows costs more than the page
itself (an agent's region: hundreds of thousands of persons). Past ``cap`` the exact number
is of no use to whoever reads the page: "plus de 1 000" and narrowing the search is. The
count reads at most ``cap + 1`` rows (``COUNT(*)`` over a ``LIMIT``); pages go up to
``cap`` rows.

``CountedPaginator``: a paginator given its count (a cooperative's page counts its members
in the aggregate that also gives the active ones).

``FirstFoundPaginator``: a broad search (an agent's region at household scale: ten
thousand "ndiaye") lists the first ``cap + 1`` rows the database finds, sorted as asked,
in one query per page that also counts them: past the cap, the list is the first 1,000
found by name, and the page says "plus de 1 000 : affinez la recherche".

``DeferredJoinPaginator``: the page's ids first, then those rows with their joins (the
arrears list).
"""

from __future__ import annotations

import math

from django.core.paginator import Paginator
from django.db.models import Count, Window
from django.utils.functional import cached_property

COUNT_CAP = 1000


class CappedPaginator(Paginator):
    def __init__(self, object_list, per_page, *, cap: int | None = None, **kwargs):
        self.cap = COUNT_CAP if cap is None else cap
        super().__init__(object_list, per_page, **kwargs)

    @cached_property
    def seen(self) -> int:
        """How many rows were found, at most ``cap + 1``: counted without the list's order
        (any ``cap + 1`` rows tell the same), so the database stops reading at the cap
        instead of sorting every match first."""
        rows = self.object_list
        if hasattr(rows, "order_by"):
            rows = rows.order_by()
        return rows[: self.cap + 1].count()

    @cached_property
    def count(self) -> int:
        return min(self.seen, self.cap)

    @property
    def capped(self) -> bool:
        """Whether there are more rows than ``count`` says."""
        return self.seen > self.cap


class FirstFoundPaginator(CappedPaginator):
    """The first ``cap + 1`` rows found by the database (in its own order: no sort, so it
    stops reading there), listed in the queryset's order, each page one query that counts
    them too (``COUNT(*) OVER ()``). Under the cap the list is exactly the queryset's;
    past it, the first ``cap`` rows found, sorted (``capped`` says so).

    Sorting every match to show 25 costs a read of every match: ten thousand rows for
    an agent's region at household scale where national has six hundred. The
    queryset's order must be total (ending with ``id``)."""

    def __init__(self, object_list, per_page, *, cap: int | None = None, **kwargs):
        super().__init__(object_list, per_page, cap=cap, **kwargs)
        model = object_list.model
        found = object_list.order_by().values("pk")[: self.cap + 1]
        rows = model._default_manager.filter(pk__in=found)
        rows.query.select_related = object_list.query.select_related
        order = object_list.query.order_by or model._meta.ordering
        self.object_list = rows.order_by(*order).annotate(found=Window(Count("pk")))

    def get_page(self, number):
        """The page asked for, read with its count; a page outside the list, or not a
        number, as Django's ``get_page`` answers it (the first or the last page)."""
        try:
            wanted = int(number)
        except (TypeError, ValueError):
            wanted = 1  # no page asked, or not a number: the first (as Django answers)
        if not self.orphans and 1 <= wanted <= math.ceil(self.cap / self.per_page):
            bottom = (wanted - 1) * self.per_page
            rows = list(self.object_list[bottom : min(bottom + self.per_page, self.cap)])
            if rows:
                self.__dict__["seen"] = rows[0].found
                return self._get_page(rows, wanted, self)
        return super().get_page(number)


class CountedPaginator(Paginator):
    """A paginator told its count (e.g. from an aggregate the page needs anyway), so that
    it asks the database only for the page's rows."""

    def __init__(self, object_list, per_page, *, count: int, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        self.__dict__["count"] = count  # Paginator.count is a cached_property


class DeferredJoinPaginator(Paginator):
    """A page read in two queries: the ids of the page first (the queryset's filter and
    order, without its ``select_related`` joins and annotations), then those rows with
    them, in the ids' order. When the order is not read from an index, PostgreSQL sorts
    after every join: all the matching rows joined to show 25. Here the sort runs over the
    table's own columns and only the page's rows are joined. The queryset's order must be
    total (ending with ``id``)."""

    def page(self, number):
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = bottom + self.per_page
        if top + self.orphans >= self.count:
            top = self.count
        ids = list(self.object_list.values_list("pk", flat=True)[bottom:top])
        position = {pk: i for i, pk in enumerate(ids)}
        rows = sorted(self.object_list.filter(pk__in=ids), key=lambda row: position[row.pk])
        return self._get_page(rows, number, self)
