"""No dead link for the user who sees it (issue 14, point 10).

For each role of the authorization matrix's world (national, region and department
agents, officer, lender, member, no role), start at the home page, follow every internal
link the pages show (a few pages per URL name), and fail when a link shown answers 403,
404 or 500: a link the user may not follow must not be shown.
"""

from __future__ import annotations

from collections import defaultdict, deque
from html.parser import HTMLParser
from urllib.parse import urldefrag, urljoin, urlsplit

import pytest
from django.db import transaction
from django.urls import Resolver404, resolve

from accounts.tests.authz import SIGNED_IN
from web.tests.matrix_world import build_matrix_world, matrix_modules

SITE = "http://testserver"
PER_NAME = 2  # paths fetched per URL name (different objects)
PER_PATH = 20  # query strings fetched per path (filters, areas of a map, pages)
MAX_PAGES = 250  # per role, a bound in case a page links to an endless series
SKIP_PREFIXES = ("/static/", "/admin/", "/api/v1/docs", "/comptes/deconnexion/")
FILE_SUFFIXES = (".pdf", ".xlsx", ".csv")


class Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.hrefs: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag == "a":
            href = dict(attrs).get("href")
            if href:
                self.hrefs.append(href)


def internal_links(html: str, page: str = "/") -> list[str]:
    """The links of ``html`` (shown on ``page``) that stay on this site, as path?query;
    relative ones (``?area=SN-TC``) resolved against the page."""
    parser = Links()
    parser.feed(html)
    found = []
    for href in parser.hrefs:
        if href.startswith("#"):
            continue  # the same page
        parts = urlsplit(urldefrag(urljoin(SITE + page, href))[0])
        if parts.scheme not in ("http", "https") or parts.netloc != urlsplit(SITE).netloc:
            continue  # external, mailto:, tel:
        link = parts.path + (f"?{parts.query}" if parts.query else "")
        if not link.startswith(SKIP_PREFIXES):
            found.append(link)
    return found


def url_name(url: str) -> str:
    try:
        match = resolve(urlsplit(url).path)
    except Resolver404:
        return "?"
    return match.view_name


def crawl(client) -> tuple[list[str], int]:
    """Follow the links shown, breadth first. Returns the dead links and the pages seen."""
    queue = deque([("/", "(start)")])
    seen, paths, per_path, dead, fetched = {"/"}, defaultdict(set), defaultdict(int), [], 0
    while queue and fetched < MAX_PAGES:
        url, source = queue.popleft()
        path = urlsplit(url).path
        name_paths = paths[url_name(url)]
        limit = 1 if path.endswith(FILE_SUFFIXES) else PER_NAME
        if path not in name_paths and len(name_paths) >= limit or per_path[path] >= PER_PATH:
            continue
        name_paths.add(path)
        per_path[path] += 1
        with transaction.atomic():
            response = client.get(url)
            transaction.set_rollback(True)
        fetched += 1
        if response.status_code in (403, 404) or response.status_code >= 500:
            dead.append(f"{url} -> {response.status_code} (shown on {source})")
            continue
        if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
            continue
        for link in internal_links(response.content.decode("utf-8", "replace"), url):
            if link not in seen:
                seen.add(link)
                queue.append((link, url))
    return dead, fetched


@pytest.fixture(scope="module")
def crawl_world(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        yield build_matrix_world(matrix_modules())
        transaction.set_rollback(True)


@pytest.mark.django_db
@pytest.mark.parametrize("role", SIGNED_IN)
def test_no_dead_link(role, crawl_world):
    dead, fetched = crawl(crawl_world["pages"][role])
    assert fetched > 1 or role == "nobody", f"{role}: the crawl saw only {fetched} page(s)"
    assert not dead, f"{role}: links shown that answer 403/404/500:\n  " + "\n  ".join(dead)


def test_internal_links_parser():
    html = (
        '<a href="/credit/prets/1/#echeancier">a</a><a href="https://example.org/">b</a>'
        '<a href="mailto:x@example.sn">c</a><a href="#top">d</a><a href="/static/x.css">e</a>'
        '<a href="/registre/cooperatives/?page=2">f</a><a href="?area=SN-TC&amp;year=2026">g</a>'
        '<a href="//cdn.example.org/x.js">h</a>'
    )
    assert internal_links(html, "/suivi/?area=SN") == [
        "/credit/prets/1/",
        "/registre/cooperatives/?page=2",
        "/suivi/?area=SN-TC&year=2026",
    ]
