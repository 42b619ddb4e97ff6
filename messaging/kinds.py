"""The registry of message kinds: each app that sends SMS declares its kinds here, in its
``AppConfig.ready`` (credit: the loan reminders). A kind names its placeholders and its
default French text; the Wolof text (and any change to the French one) is written by
national staff in the template editor and stored in :class:`messaging.models.SmsTemplate`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from string import Formatter

from django.utils.translation import gettext as _

from core.errors import ValidationFailed
from messaging.errors import Code

LANGUAGES = ("fr", "wo")


@dataclass(frozen=True)
class MessageKind:
    code: str
    label: str  # lazy translation, French source
    placeholders: frozenset[str]
    default_fr: str
    default_wo: str = ""
    example: dict = field(default_factory=dict)  # values shown in the editor's preview


_KINDS: dict[str, MessageKind] = {}


def register_kind(
    code: str,
    *,
    label,
    placeholders,
    default_fr: str,
    default_wo: str = "",
    example: dict | None = None,
) -> MessageKind:
    """Declare a message kind (idempotent for the same code: the last declaration wins)."""
    kind = MessageKind(
        code=code,
        label=label,
        placeholders=frozenset(placeholders),
        default_fr=default_fr,
        default_wo=default_wo,
        example=dict(example or {}),
    )
    for lang, text in (("fr", default_fr), ("wo", default_wo)):
        if text:
            check_placeholders(kind, text, field=lang)
    _KINDS[code] = kind
    return kind


def kind_get(code: str) -> MessageKind:
    try:
        return _KINDS[code]
    except KeyError:
        raise ValidationFailed(
            _("Nature de message inconnue."), code=Code.UNKNOWN_KIND, field="kind"
        ) from None


def kind_list() -> list[MessageKind]:
    return sorted(_KINDS.values(), key=lambda k: k.code)


def check_placeholders(kind: MessageKind, text: str, *, field: str = "text") -> None:
    """Refuse a malformed brace or a placeholder the kind does not know."""
    try:
        names = {name for _, name, _, _ in Formatter().parse(text) if name is not None}
    except ValueError:
        raise ValidationFailed(
            _("Accolade mal formée : écrivez {champ} ou {{ et }} pour une accolade."),
            code=Code.MALFORMED_PLACEHOLDER,
            field=field,
        ) from None
    unknown = sorted(names - kind.placeholders)
    if unknown:
        raise ValidationFailed(
            _("Champ(s) inconnu(s) %(unknown)s ; champs possibles : %(known)s.")
            % {
                "unknown": ", ".join("{" + n + "}" for n in unknown),
                "known": ", ".join("{" + n + "}" for n in sorted(kind.placeholders)),
            },
            code=Code.UNKNOWN_PLACEHOLDER,
            field=field,
        )
