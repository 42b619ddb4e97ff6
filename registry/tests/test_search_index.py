"""Person search on PostgreSQL is served by one GIN index over the search text's trigrams
and the scope text's words (migration 0010, which replaced 0009's, which replaced 0004's)."""

from __future__ import annotations

import pytest
from django.db import connection

from registry.models import Person
from registry.tests.factories import PersonFactory

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL index"),
]


def test_person_search_text_has_a_trigram_index():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexdef FROM pg_indexes WHERE tablename = 'registry_person' "
            "AND indexname = 'registry_person_search_scope_words'"
        )
        rows = cursor.fetchall()
    assert len(rows) == 1
    assert "gin_trgm_ops" in rows[0][0] and "string_to_array" in rows[0][0]
    with connection.cursor() as cursor:  # the former indexes are gone (writes pay each one)
        cursor.execute(
            "SELECT count(*) FROM pg_indexes WHERE tablename = 'registry_person' "
            "AND indexname IN ('registry_person_search_scope_trgm', "
            "'registry_person_search_text_trgm')"
        )
        assert cursor.fetchone()[0] == 0


def test_a_substring_search_can_use_it():
    for _ in range(3):
        PersonFactory(first_name="Fatou", last_name="Ndiaye")
    PersonFactory(first_name="Awa", last_name="Diop")
    qs = Person.objects.filter(search_text__contains="ndiaye")
    assert qs.count() == 3
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")  # a tiny table: force the choice
        sql, params = qs.query.sql_with_params()
        cursor.execute("EXPLAIN " + sql, params)
        plan = "\n".join(r[0] for r in cursor.fetchall())
    assert "registry_person_search_scope_words" in plan, plan
