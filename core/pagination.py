"""Paginators for large lists: a count that stops at a cap; a count given; ids first.

Counting every match of a broad search over millions of rows costs more than the page
itself (an agent's region: hundreds of thousands of persons). Past ``cap`` the exact number
is of no use to whoever reads the page: "plus de 1 000" and narrowing the search is. The
count reads at most ``cap + 1`` rows (``COUNT(*)`` over a ``LIMIT``); pages go up to
``cap`` rows.

``CountedPaginator``: a paginator given its count (a cooperative's page counts its members
in the aggregate that also gives the active ones).

``DeferredJoinPaginator``: the page's ids first, then those rows with their joins (the
arrears list).
"""

from __future__ import annotations

from django.core.paginator import Paginator
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
