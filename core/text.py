"""Text normalisation for search: case and accents ignored on every database.

SQLite has no ``unaccent``; rather than two code paths, each searchable model keeps a
``search_text`` column written by its service with :func:`fold`, and searches use
:func:`search_q` on it.
"""

from __future__ import annotations

import unicodedata

from django.db.models import Q


def fold(*parts: object) -> str:
    """Lower-case, strip accents and collapse spaces: ``"Thiès"`` -> ``"thies"``."""
    text = " ".join(str(p) for p in parts if p not in (None, ""))
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(stripped.casefold().split())


def search_q(query: str | None, field: str = "search_text") -> Q:
    """Every word of the query must appear in ``field`` (already folded)."""
    q = Q()
    for word in fold(query or "").split():
        q &= Q(**{f"{field}__contains": word})
    return q
