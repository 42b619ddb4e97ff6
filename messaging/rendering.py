"""The text of a message kind in a language: the stored template when national staff wrote
one, else the kind's default (an empty Wolof text means "no Wolof text": callers then send
French only)."""

from __future__ import annotations

from messaging.kinds import LANGUAGES, kind_get
from messaging.models import SmsTemplate


def template_texts(kind: str) -> dict[str, str]:
    """``{"fr": ..., "wo": ...}`` for ``kind`` (one query)."""
    message_kind = kind_get(kind)
    texts = {"fr": message_kind.default_fr, "wo": message_kind.default_wo}
    for language, text in SmsTemplate.objects.filter(kind=kind).values_list("language", "text"):
        if language in LANGUAGES and text:
            texts[language] = text
    return texts


def render(template: str, values: dict) -> str:
    return template.format(**values) if template else ""
