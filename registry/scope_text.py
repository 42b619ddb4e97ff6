"""The person's stored scope text: who may see a person, in words a trigram index can read.

Person search at the household scale (2.5 million persons) was slow because the scope
(an agent's area, an officer's cooperatives) was a subquery over every membership of the
area, checked against every name match. ``Person.scope_text`` stores, as space-delimited
words, everything the scope rule of :func:`registry.selectors.person_scope_q` looks at:

- ``ar<id>`` for the person's commune and each of its ancestors (country, region,
  department), and the same for the commune of every cooperative the person is or was a
  member of: an agent whose area is ``<id>`` sees the person (``covers`` is "the area
  itself or below it", i.e. the area is an ancestor-or-self of the commune);
- ``co<id>`` for every cooperative the person is or was a member of (officers);
- ``us<id>`` for the user who entered the person (staff see whom they entered);
- ``rg<id>`` for the region (the area right under a country) of each of those communes:
  not a scope rule, the key prefix of the search keys below.

Search then matches the name words on ``search_text`` and the actor's words on
``scope_text`` (:class:`HasAnyWord`). On PostgreSQL both are conditions of one GIN index
(migration 0010): trigrams of the search text and the scope text's words as an array, so
the index returns only visible matches, and an agent's area is one exact key (``ar14``:
the region's persons) rather than trigrams such as ``ar1`` that nearly every person's text
holds (migration 0009's index, which read most of the table's entries at household scale).

On PostgreSQL the text also feeds ``registry_person.search_keys`` (migration 0011, a
stored generated column with its own GIN index): every inner trigram of letters of the
search text prefixed by each of the person's region words (``rg14:dia``). A scoped search
asks for the query's trigrams within the regions of the actor's scope
(:func:`search_keys_q`): the index then reads a region's entries of those trigrams, not
the country's, so its cost follows the region's size (at household scale the agent's
index scan went from 13.7 ms to about 2 ms; docs/registry.md).

The text is written by the registry's services (person created, commune changed, member
admitted, cooperative moved to another commune, persons merged) through :func:`rebuild`,
never by signals or ``save()``. :func:`rebuild` reads and writes with plain SQL on the
tables, so the migrations (backfill) and the bench generator use it too.
"""

from __future__ import annotations

import functools
import operator
import re
from collections.abc import Iterable

from django.db import NotSupportedError, connections
from django.db.models import BooleanField, F, Func, Q

from core.text import fold

CHUNK = 20_000
IN_BATCH = 500  # ids per IN (...): under SQLite's variable limit


def area_word(area_id: int) -> str:
    return f"ar{area_id}"


def cooperative_word(cooperative_id: int) -> str:
    return f"co{cooperative_id}"


def creator_word(user_id: int) -> str:
    return f"us{user_id}"


def region_word(area_id: int) -> str:
    return f"rg{area_id}"


def compose(words: Iterable[str]) -> str:
    """The stored text: sorted distinct words, a space before and after each."""
    unique = sorted(set(words))
    return f" {' '.join(unique)} " if unique else ""


class Ancestors:
    """Ancestor-or-self area ids of each area, from the materialised paths."""

    def __init__(self, rows: Iterable[tuple[int, str, str]]):
        rows = list(rows)
        by_code = {code: pk for pk, code, _path in rows}
        self.of: dict[int, tuple[int, ...]] = {
            pk: tuple(by_code[c] for c in path.split("/") if c in by_code)
            for pk, _code, path in rows
        }

    @classmethod
    def load(cls, using: str = "default") -> Ancestors:
        with connections[using].cursor() as cursor:
            cursor.execute("SELECT id, code, path FROM geo_area")
            return cls(cursor.fetchall())

    def words(self, area_id: int | None) -> list[str]:
        return [area_word(a) for a in self.of.get(area_id, ())] if area_id else []

    def region_words(self, area_id: int | None) -> list[str]:
        """The region of ``area_id`` (its ancestor right under the country), as a word."""
        chain = self.of.get(area_id, ()) if area_id else ()
        return [region_word(chain[1])] if len(chain) >= 2 else []


def person_words(
    ancestors: Ancestors,
    *,
    commune_id: int | None,
    creator_id: int | None,
    cooperatives: Iterable[tuple[int, int | None]],
) -> list[str]:
    """``cooperatives``: (cooperative id, its commune id) of every membership."""
    words = ancestors.words(commune_id) + ancestors.region_words(commune_id)
    if creator_id:
        words.append(creator_word(creator_id))
    for coop_id, coop_commune_id in cooperatives:
        words.append(cooperative_word(coop_id))
        words.extend(ancestors.words(coop_commune_id))
        words.extend(ancestors.region_words(coop_commune_id))
    return words


def _memberships(cursor, person_ids: list[int]) -> dict[int, list[tuple[int, int | None]]]:
    found: dict[int, list[tuple[int, int | None]]] = {}
    for start in range(0, len(person_ids), IN_BATCH):
        batch = person_ids[start : start + IN_BATCH]
        marks = ", ".join(["%s"] * len(batch))
        cursor.execute(
            "SELECT m.person_id, m.cooperative_id, c.commune_id FROM registry_membership m "  # noqa: S608 - placeholders only
            "JOIN registry_cooperative c ON c.id = m.cooperative_id "
            f"WHERE m.person_id IN ({marks})",
            batch,
        )
        for person_id, coop_id, commune_id in cursor.fetchall():
            found.setdefault(person_id, []).append((coop_id, commune_id))
    return found


def _write(cursor, vendor: str, texts: list[tuple[int, str]]) -> None:
    if not texts:
        return
    if vendor == "postgresql":
        cursor.execute(
            "UPDATE registry_person AS p SET scope_text = v.t "
            "FROM unnest(%s::bigint[], %s::text[]) AS v(id, t) "
            "WHERE p.id = v.id AND p.scope_text IS DISTINCT FROM v.t",
            [[pk for pk, _ in texts], [t for _, t in texts]],
        )
    else:
        cursor.executemany(
            "UPDATE registry_person SET scope_text = %s WHERE id = %s",
            [(t, pk) for pk, t in texts],
        )


def _rebuild_rows(cursor, vendor: str, ancestors: Ancestors, rows) -> int:
    """``rows``: (id, commune_id, created_by_id) of the persons to rewrite."""
    memberships = _memberships(cursor, [r[0] for r in rows])
    texts = [
        (
            pk,
            compose(
                person_words(
                    ancestors,
                    commune_id=commune_id,
                    creator_id=creator_id,
                    cooperatives=memberships.get(pk, ()),
                )
            ),
        )
        for pk, commune_id, creator_id in rows
    ]
    _write(cursor, vendor, texts)
    return len(texts)


def rebuild(person_ids: Iterable[int] | None = None, *, using: str = "default") -> int:
    """Rewrite the scope text of these persons (all of them, by chunks, when ``None``)."""
    connection = connections[using]
    ancestors = Ancestors.load(using)
    done = 0
    with connection.cursor() as cursor:
        if person_ids is not None:
            ids = sorted({int(pk) for pk in person_ids})
            for start in range(0, len(ids), IN_BATCH):
                batch = ids[start : start + IN_BATCH]
                marks = ", ".join(["%s"] * len(batch))
                cursor.execute(
                    "SELECT id, commune_id, created_by_id FROM registry_person "  # noqa: S608 - placeholders only
                    f"WHERE id IN ({marks})",
                    batch,
                )
                done += _rebuild_rows(cursor, connection.vendor, ancestors, cursor.fetchall())
            return done
        last = 0
        while True:
            cursor.execute(
                "SELECT id, commune_id, created_by_id FROM registry_person "
                "WHERE id > %s ORDER BY id LIMIT %s",
                [last, CHUNK],
            )
            rows = cursor.fetchall()
            if not rows:
                return done
            done += _rebuild_rows(cursor, connection.vendor, ancestors, rows)
            last = rows[-1][0]


def rebuild_cooperative_members(cooperative_ids: Iterable[int], *, using: str = "default") -> int:
    """Rewrite the scope text of every person who is or was a member of these cooperatives
    (their commune changed)."""
    ids = sorted({int(pk) for pk in cooperative_ids})
    persons: set[int] = set()
    with connections[using].cursor() as cursor:
        for start in range(0, len(ids), IN_BATCH):
            batch = ids[start : start + IN_BATCH]
            marks = ", ".join(["%s"] * len(batch))
            cursor.execute(
                "SELECT DISTINCT person_id FROM registry_membership "  # noqa: S608 - placeholders only
                f"WHERE cooperative_id IN ({marks})",
                batch,
            )
            persons.update(r[0] for r in cursor.fetchall())
    return rebuild(persons, using=using)


class HasAnyWord(Func):
    """Whether a scope text holds one of ``words`` (space-delimited, as :func:`compose`
    writes it). PostgreSQL: ``string_to_array(btrim(text), ' ') && ARRAY[...]``, the
    expression of migration 0010's GIN index; elsewhere: ``LIKE '% word %'`` per word."""

    output_field = BooleanField()

    def __init__(self, expression, words: list[str]):
        if not words or any(not w.isalnum() for w in words):
            raise ValueError("scope words are letters and digits")
        self.words = list(words)
        super().__init__(expression)

    def as_sql(self, compiler, connection, **extra):
        column, params = compiler.compile(self.source_expressions[0])
        likes = " OR ".join([f"{column} LIKE %s"] * len(self.words))
        return f"({likes})", [*params * len(self.words), *(f"% {w} %" for w in self.words)]

    def as_postgresql(self, compiler, connection, **extra):
        column, params = compiler.compile(self.source_expressions[0])
        return (
            f"(string_to_array(btrim({column}), ' ') && %s::text[])",
            [*params, self.words],
        )


def _scope_words(scope) -> list[str]:
    """The words of the actor's areas and cooperatives."""
    words = [area_word(a) for a in sorted(scope.area_ids)]
    return words + [cooperative_word(c) for c in sorted(scope.cooperative_ids)]


def scope_words_q(scope, actor_id: int | None) -> Q:
    """The persons ``scope`` may see, read from the stored scope text (national: all).

    Exactly :func:`registry.selectors.person_scope_q`'s rule (tested side by side):
    an agent's areas, an officer's cooperatives, the persons a staff member entered,
    a member's own person.
    """
    if scope.national:
        return Q()
    words = _scope_words(scope)
    if words and actor_id:
        words.append(creator_word(actor_id))
    q = Q(HasAnyWord("scope_text", words)) if words else Q(pk__in=[])
    if scope.person_ids:
        q |= Q(id__in=sorted(scope.person_ids))
    return q


# --- search keys (PostgreSQL) ----------------------------------------------------------

SEARCH_KEYS_MAX_TRIGRAMS = 12  # of the query: enough to be selective, a bounded key list
_LETTER_RUN = re.compile(r"[a-z]{3,}")


def query_trigrams(query: str) -> list[str]:
    """Trigrams every search text matching ``query`` holds among its keys.

    ``search_q`` asks for each folded word as a substring; ``pg_trgm`` splits the text
    into words of letters and digits, so a run of three or more ASCII letters inside a
    query word lies inside a word of any matching text, and its trigrams are inner
    trigrams of that word (``show_trgm``), made of letters: the ones the keys keep
    (migration 0011). Digits (a phone number's fragment), accents (folded away) and
    anything ``pg_trgm`` would hash give no trigram; an empty list means no key."""
    found: list[str] = []
    for word in fold(query or "").split():
        for run in _LETTER_RUN.findall(word):
            found.extend(run[i : i + 3] for i in range(len(run) - 2))
    return list(dict.fromkeys(found))[:SEARCH_KEYS_MAX_TRIGRAMS]


class HasSearchKeys(Func):
    """``registry_person.search_keys @> ARRAY[keys]`` (PostgreSQL: the generated column
    of migration 0011, which the model does not declare)."""

    output_field = BooleanField()

    def __init__(self, keys: list[str]):
        self.keys = list(keys)
        super().__init__(F("scope_text"))

    def as_sql(self, compiler, connection, **extra):
        raise NotSupportedError("search_keys is PostgreSQL's")

    def as_postgresql(self, compiler, connection, **extra):
        column, params = compiler.compile(self.source_expressions[0])
        # the table's alias as the query names it (e.g. U0 in a subquery)
        keys_column = column.removesuffix('"scope_text"') + '"search_keys"'
        return f"({keys_column} @> %s::text[])", [*params, self.keys]


def _scope_regions(scope) -> list[int] | None:
    """The regions holding every area and cooperative of ``scope`` (ids), or ``None``
    when one of its areas is a whole country."""
    from geo.models import Area
    from registry.models import Cooperative

    paths = list(scope.area_paths)
    paths += [
        p
        for p in Cooperative.objects.filter(pk__in=sorted(scope.cooperative_ids)).values_list(
            "commune__path", flat=True
        )
        if p
    ]
    codes = [[c for c in path.split("/") if c] for path in paths]
    if any(len(c) < 2 for c in codes):
        return None
    wanted = sorted({"/".join(c[:2]) + "/" for c in codes})
    return sorted(Area.objects.filter(path__in=wanted).values_list("pk", flat=True))


_KEYS_COLUMN: dict[str, bool] = {}


def has_search_keys(connection) -> bool:
    """Whether this PostgreSQL database has the ``search_keys`` column (migration 0011
    skips it without ``pg_trgm``); asked once per database."""
    if connection.vendor != "postgresql":
        return False
    name = connection.settings_dict["NAME"]
    if name not in _KEYS_COLUMN:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT 1 FROM information_schema.columns WHERE table_schema = current_schema() "
                "AND table_name = 'registry_person' AND column_name = 'search_keys'"
            )
            _KEYS_COLUMN[name] = cursor.fetchone() is not None
    return _KEYS_COLUMN[name]


def search_keys_q(scope, actor_id: int | None, query: str, match: Q) -> Q | None:
    """:func:`scope_words_q` ANDed with ``match`` (the query's words, ``search_q``), with
    the search keys of ``query``: one branch per region of the scope, and the creator's
    and the member's branches, ORed flat so that each is one index scan of a BitmapOr.
    ``None`` when the keys cannot serve (national scope, no trigram in the query, an area
    that is a whole country, no area or cooperative in the scope): the caller keeps
    :func:`scope_words_q`.

    The same persons as ``scope_words_q(...) & match``: a person an area or cooperative
    word makes visible holds that area's region word, hence the region's key of every
    trigram of a matching text (tested side by side)."""
    if scope.national:
        return None
    words = _scope_words(scope)
    trigrams = query_trigrams(query)
    if not words or not trigrams:
        return None
    regions = _scope_regions(scope)
    if not regions:
        return None
    visible = Q(HasAnyWord("scope_text", words)) & match
    branches = [
        Q(HasSearchKeys([f"{region_word(region)}:{t}" for t in trigrams])) & visible
        for region in regions
    ]
    if actor_id:
        branches.append(Q(created_by_id=actor_id) & match)
    if scope.person_ids:
        branches.append(Q(id__in=sorted(scope.person_ids)) & match)
    return functools.reduce(operator.or_, branches)
