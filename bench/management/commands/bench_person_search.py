"""Print, as JSON, person search's cost (issue 23, point 1) on the bench database, for the
bench's users: the former query (scope through ``person_scope_q``'s membership subquery,
exact count) and today's (stored scope text, count capped at 1,000), both as the list
page runs them (count, then the first page of 25 with the commune), and today's whole page
through Django's test client. p50/p95 in ms over ``--requests`` runs after one warm-up,
the number of matches, the queries of one page. Nothing is written."""

import json
import statistics
import time

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.core.paginator import Paginator
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core.pagination import CappedPaginator, FirstFoundPaginator
from core.text import search_q
from registry import selectors
from registry.models import Person


def _timed(func, n: int) -> dict:
    func()  # warm-up
    samples = []
    for _ in range(n):
        started = time.perf_counter()
        func()
        samples.append((time.perf_counter() - started) * 1000)
    samples.sort()
    return {
        "p50_ms": round(statistics.median(samples), 1),
        "p95_ms": round(samples[max(0, int(len(samples) * 0.95) - 1)], 1),
    }


def _former(user, q: str):
    return (
        Person.objects.filter(selectors.person_scope_q(user), merged_into__isnull=True)
        .filter(search_q(q))
        .select_related("commune")
    )


def _run_page(queryset, paginator_class) -> int:
    page = paginator_class(queryset, 25).get_page(1)
    list(page.object_list)
    return page.paginator.count


def measure(username: str, q: str, requests: int, former_too: bool = True) -> dict:
    user = get_user_model().objects.get(username=username)
    former = _former(user, q)
    today = selectors.person_list(actor=user, filters={"q": q})
    result = {"user": username, "q": q}
    result["matches"] = former.count()
    assert today.count() == result["matches"], "the stored scope text disagrees with the rule"
    if former_too:
        result["former"] = _timed(lambda: _run_page(former, Paginator), requests)
    # every match sorted, count capped (until 08/12/2026); today: the first found, sorted
    result["sorted_all"] = _timed(lambda: _run_page(today, CappedPaginator), requests)
    result["today"] = _timed(lambda: _run_page(today, FirstFoundPaginator), requests)
    client = Client()
    client.force_login(user)
    url = reverse("registry:person_list")
    result["today_page"] = _timed(lambda: client.get(url, {"q": q}), requests)
    with CaptureQueriesContext(connection) as queries:
        client.get(url, {"q": q})
    result["today_page"]["queries"] = len(queries)
    if connection.vendor != "postgresql":
        return result
    with connection.cursor() as cursor:
        page = FirstFoundPaginator(today, 25)
        sql, params = page.object_list[:25].query.sql_with_params()
        cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql, params)
        result["plan"] = [r[0] for r in cursor.fetchall()]
    return result


class Command(BaseCommand):
    help = "Mesure la recherche de personnes (ancienne requête et requête actuelle), en JSON."

    def add_arguments(self, parser):
        parser.add_argument("--requests", type=int, default=30)
        parser.add_argument("--q", default="ndiaye")
        parser.add_argument(
            "--users", default="bench-agent-region,bench-agent-department,bench-officer"
        )
        parser.add_argument(
            "--without-former", action="store_true", help="sans l'ancienne requête (lente)"
        )

    def handle(self, *args, requests, q, users, without_former, **options):
        out = [measure(u, q, requests, not without_former) for u in users.split(",") if u]
        self.stdout.write(json.dumps(out))
