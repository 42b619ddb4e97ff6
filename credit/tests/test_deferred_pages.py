"""core.pagination.DeferredJoinPaginator on the arrears list: the same pages as Django's
paginator, in three queries (count, the page's ids, the page's rows with their joins)."""

from datetime import date

import pytest
from django.core.paginator import Paginator
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core.pagination import DeferredJoinPaginator
from credit import selectors, services

pytestmark = pytest.mark.django_db


def test_same_pages_as_djangos_paginator(credit):
    services.refresh_loan_figures(credit.loan_tc, date(2026, 6, 1))
    services.refresh_loan_figures(credit.loan_mbour, date(2026, 6, 1))
    services.refresh_loan_figures(credit.loan_person, date(2026, 3, 1))
    services.refresh_loan_figures(credit.loan_other, date(2026, 9, 1))
    loans = selectors.arrears_list(actor=credit.w.national)
    assert loans.count() == 4
    for per_page, orphans in [(1, 0), (2, 0), (3, 0), (3, 1), (25, 0)]:
        plain = Paginator(loans, per_page, orphans=orphans)
        deferred = DeferredJoinPaginator(loans, per_page, orphans=orphans)
        assert deferred.num_pages == plain.num_pages
        for number in plain.page_range:
            expected = [loan.pk for loan in plain.page(number)]
            with CaptureQueriesContext(connection) as ctx:
                page = deferred.page(number)
                got = [(loan.pk, loan.area.code, loan.last_action_kind) for loan in page]
            assert [pk for pk, _, _ in got] == expected, (per_page, orphans, number)
            assert len(ctx.captured_queries) <= 3  # count (first page), ids, rows
            assert page.has_next() == plain.page(number).has_next()
    assert not list(DeferredJoinPaginator(loans.none(), 25).get_page(1))
