"""A cooperative's page lists its members by pages of 50 (``?membres=2``), counted in one
query with the active ones; the rows' labels and links are computed once per page."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from registry.models import Membership, Person
from registry.views import MEMBERS_PAGE_SIZE

pytestmark = pytest.mark.django_db


def _url(coop, **params):
    url = reverse("registry:cooperative_detail", args=[coop.pk])
    return url + ("?" + "&".join(f"{k}={v}" for k, v in params.items()) if params else "")


def _add_members(coop, n, *, start=0, status="active"):
    people = Person.objects.bulk_create(
        [
            Person(
                first_name=f"Awa{i}",
                last_name=f"Ndiaye{i:04d}",
                sex="F",
                birth_date=date(1990, 1, 1),
                commune=coop.commune,
            )
            for i in range(start, start + n)
        ]
    )
    Membership.objects.bulk_create(
        [
            Membership(
                cooperative=coop,
                person=p,
                joined_on=date(2020, 1, 1),
                role="membre",
                status=status,
                left_on=date(2024, 1, 1) if status == "left" else None,
            )
            for p in people
        ]
    )


def _rows(response):
    return list(response.context["members"].object_list)


def test_members_are_paginated_and_counted_over_every_page(client, world):
    coop = world.coop_tc
    _add_members(coop, 100)
    _add_members(coop, 12, start=500, status="left")
    total = Membership.objects.filter(cooperative=coop).count()
    active = Membership.objects.filter(cooperative=coop, status="active").count()
    assert total > 2 * MEMBERS_PAGE_SIZE
    client.force_login(world.national)
    r = client.get(_url(coop))
    html = r.content.decode()
    assert len(_rows(r)) == MEMBERS_PAGE_SIZE == html.count('data-label="Sexe"')
    assert r.context["members_count"] == total and r.context["active_count"] == active
    assert f'data-testid="active-count">{active}<' in html
    assert f'data-testid="members-count">({total})<' in html
    assert "Page 1 sur 3" in html and 'href="?membres=2#membres"' in html
    assert "Précédente" not in html
    # the last page: the rest, the members who left last (active first)
    r = client.get(_url(coop, membres=3))
    last = _rows(r)
    assert len(last) == total - 2 * MEMBERS_PAGE_SIZE
    assert all(m.status == "left" for m in last[-12:])
    html = r.content.decode()
    assert "Page 3 sur 3" in html and 'href="?membres=2#membres"' in html
    assert "Suivante" not in html
    # every member once over the pages
    seen = [m.pk for page in (1, 2, 3) for m in _rows(client.get(_url(coop, membres=page)))]
    assert sorted(seen) == sorted(
        Membership.objects.filter(cooperative=coop).values_list("pk", flat=True)
    )
    # a page out of range or not a number: the last, the first
    assert client.get(_url(coop, membres=99)).context["members"].number == 3
    assert client.get(_url(coop, membres="x")).context["members"].number == 1


def test_rows_keep_their_labels_and_links(client, world):
    coop = world.coop_tc
    president = Membership.objects.filter(cooperative=coop, status="active").order_by("id")[0]
    Membership.objects.filter(pk=president.pk).update(role="president")
    client.force_login(world.officer)
    r = client.get(_url(coop))
    html = r.content.decode()
    row = next(m for m in _rows(r) if m.pk == president.pk)
    assert row.role_label == "président(e)" and row.status_label == "actif"
    assert ">Président(e)<" in html and '<span class="badge ok">actif</span>' in html
    assert reverse("registry:person_detail", args=[president.person_id]) in html
    assert reverse("registry:member_role", args=[coop.pk, president.pk]) in html
    assert reverse("registry:member_leave", args=[coop.pk, president.pk]) in html
    assert 'data-label="Sexe"' in html and 'data-label="Âge"' in html
    # a member reads the page without the management links
    client.force_login(world.member)
    html = client.get(_url(coop)).content.decode()
    assert reverse("registry:member_leave", args=[coop.pk, president.pk]) not in html
    assert reverse("registry:person_detail", args=[president.person_id]) in html


def test_a_cooperative_without_members(client, world):
    coop = world.coop_tc
    Membership.objects.filter(cooperative=coop).delete()
    client.force_login(world.national)
    r = client.get(_url(coop))
    html = r.content.decode()
    assert "Aucun membre pour l" in html and 'data-testid="members"' not in html
    assert r.context["members_count"] == 0 and r.context["active_count"] == 0
    assert 'data-testid="members-pages"' not in html
    assert 'data-testid="members-count"' not in html
    assert 'data-testid="active-count">0<' in html


def test_the_page_costs_the_same_whatever_the_members(client, world):
    coop = world.coop_tc
    client.force_login(world.officer)
    client.get(_url(coop))

    def cost():
        with CaptureQueriesContext(connection) as ctx:
            r = client.get(_url(coop))
        return len(ctx.captured_queries), len(r.content)

    few_queries, few_bytes = cost()
    _add_members(coop, 3 * MEMBERS_PAGE_SIZE)
    many_queries, many_bytes = cost()
    assert many_queries == few_queries
    # the page shows 50 rows, not 150 nor 300: its size does not grow either
    _add_members(coop, 3 * MEMBERS_PAGE_SIZE, start=1000)
    more_queries, more_bytes = cost()
    assert more_queries == few_queries
    assert abs(more_bytes - many_bytes) < many_bytes * 0.02
