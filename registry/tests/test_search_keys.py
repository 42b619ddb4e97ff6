"""Person search's region keys (registry.scope_text, migration 0011): a scoped search on
PostgreSQL reads its regions' entries of the index, and finds exactly what the scope rule
and the words find."""

from __future__ import annotations

import importlib

import pytest
from django.core.exceptions import EmptyResultSet
from django.db import connection

from accounts.scoping import scope_for
from core.text import search_q
from geo.models import Area
from registry import scope_text, selectors
from registry.models import Person
from registry.scope_text import has_search_keys, query_trigrams, search_keys_q
from registry.tests import test_scope_text
from registry.tests.factories import PersonFactory
from registry.tests.test_scope_text import bitmap_plan, visible_by_rule

pytestmark = pytest.mark.django_db
postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the search keys are PostgreSQL's"
)
varied = test_scope_text.varied  # the fixture: the scoping world, everyone named Kane
MIGRATION = importlib.import_module("registry.migrations.0011_person_search_keys")


def test_the_query_trigrams_are_those_of_its_ascii_letter_and_digit_runs():
    assert query_trigrams("Ndiaye") == ["ndi", "dia", "iay", "aye"]
    assert query_trigrams("Sène") == ["sen", "ene"]  # accents folded away
    assert query_trigrams("aw ba") == []  # no run of three
    assert query_trigrams("n'diaye") == ["dia", "iay", "aye"]  # pg_trgm splits at '
    assert query_trigrams("+221 77") == []  # digits: the scope words alone
    assert query_trigrams("awa77ba") == ["awa"]
    assert query_trigrams("fall fall") == ["fal", "all"]
    assert len(query_trigrams("x" * 20 + "abcdefghijklmnopqrstuvwxyz")) == 12  # bounded


def test_the_scope_text_names_the_regions_of_the_persons_areas(varied):
    w, _users, extra = varied
    commuter = Person.objects.get(pk=extra["commuter"].pk)  # lives in Kaolack, member in Mbour
    words = commuter.scope_text.split()
    for code in ("SN-KL", "SN-TH"):
        assert f"rg{Area.objects.get(code=code).pk}" in words, code
    assert f"rg{Area.objects.get(code='SN').pk}" not in words
    assert not [w for w in words if w.startswith("rg") and w != w.strip()]


@postgresql
def test_the_database_keeps_the_keys_of_every_write(varied):
    assert has_search_keys(connection)
    with connection.cursor() as cursor:  # a small pending list: every search reads it
        cursor.execute("SELECT reloptions FROM pg_class WHERE relname = %s", [MIGRATION.INDEX])
        assert f"gin_pending_list_limit={MIGRATION.PENDING_KB}" in cursor.fetchone()[0]
    w, _users, _extra = varied
    region = Area.objects.get(code="SN-TC").pk
    person = w.persons_tc[0]

    def keys():
        with connection.cursor() as cursor:
            cursor.execute("SELECT search_keys FROM registry_person WHERE id = %s", [person.pk])
            return set(cursor.fetchone()[0])

    Person.objects.filter(pk=person.pk).update(search_text="kane +221771234567")
    # the inner trigrams of letters only: no padded one, none with a digit
    assert keys() == {f"rg{region}:kan", f"rg{region}:ane"}
    Person.objects.filter(pk=person.pk).update(search_text="diop")
    assert f"rg{region}:kan" not in keys() and f"rg{region}:dio" in keys()
    Person.objects.filter(pk=person.pk).update(scope_text="")
    assert keys() == set()


@postgresql
def test_a_scoped_search_asks_its_regions_keys(varied):
    w, users, _extra = varied
    for user in users:
        scope = scope_for(user)
        keyed = search_keys_q(scope, user.pk, "kane", search_q("kane"))
        uses_keys = not scope.national and bool(scope.area_ids or scope.cooperative_ids)
        assert (keyed is not None) == uses_keys, user.username
        try:
            sql = str(selectors.person_list(actor=user, filters={"q": "kane"}).query)
        except EmptyResultSet:  # sees nobody: nothing asked
            sql = ""
        assert ("search_keys" in sql) == uses_keys, user.username
    # two areas in two regions: one branch per region
    two = next(u for u in users if u.username == "agent-two")
    sql = str(selectors.person_list(actor=two, filters={"q": "kane"}).query)
    for code in ("SN-KL", "SN-TH"):
        assert f"rg{Area.objects.get(code=code).pk}:kan" in sql, code
    # no trigram in the words, or a country-wide area: the scope words alone
    assert search_keys_q(scope_for(w.agent_th), w.agent_th.pk, "ka", search_q("ka")) is None


@postgresql
def test_keyed_search_finds_exactly_the_scope_rule_and_the_words(varied):
    """Names that share trigrams but not the word, in and out of each scope."""
    w, users, extra = varied
    PersonFactory(last_name="Kanté", commune=w.thies)  # 'kan' but not 'kane'
    PersonFactory(last_name="Diane", commune=extra["kaolack"])  # 'ane' but not 'kane'
    scope_text.rebuild()
    for query in ("kane", "ane", "kan", "Kané", "ka", "221"):
        for user in users:
            rule = visible_by_rule(user)
            expected = set(
                Person.objects.filter(search_q(query), pk__in=rule).values_list("pk", flat=True)
            )
            found = set(
                selectors.person_list(actor=user, filters={"q": query}).values_list("pk", flat=True)
            )
            assert found == expected, (query, user.username)


@postgresql
def test_a_region_agents_search_is_one_scan_of_the_keys_index(varied):
    """The plan: the region's keys are the index condition (no scan of the country's
    trigrams). On a tiny table the planner prefers other paths: they are turned off."""
    w, _users, _extra = varied
    keyed = search_keys_q(scope_for(w.agent_th), w.agent_th.pk, "kane", search_q("kane"))
    plan = bitmap_plan(Person.objects.filter(keyed))
    lines = plan.splitlines()
    scans = [n for n, line in enumerate(lines) if "Bitmap Index Scan on" in line]
    on_keys = [n for n in scans if "registry_person_search_keys" in lines[n]]
    assert len(on_keys) == 1, plan
    region = Area.objects.get(code="SN-TH").pk
    assert f"rg{region}:kan" in lines[on_keys[0] + 1], plan
    # the words' trigram index is not read: the region's keys stand for the name's trigrams
    assert "registry_person_search_scope_words" not in plan, plan


@postgresql
def test_the_migrations_backfill_writes_the_regions_as_the_services_do(varied):
    expected = dict(Person.objects.values_list("pk", "scope_text"))
    assert any(" rg" in text for text in expected.values())
    with connection.cursor() as cursor:
        cursor.execute(MIGRATION.WITHOUT_REGIONS.replace("%%", "%"))
        cursor.execute("SELECT count(*) FROM registry_person WHERE scope_text LIKE '% rg%'")
        assert cursor.fetchone()[0] == 0
        cursor.execute(MIGRATION.WITH_REGIONS)
    assert dict(Person.objects.values_list("pk", "scope_text")) == expected
