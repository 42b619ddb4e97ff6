"""Reads of the messaging app that a person triggers (scoped)."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from core.errors import Forbidden, NotFound, ValidationFailed
from messaging import rules
from messaging.kinds import MessageKind, kind_get, kind_list
from messaging.models import Recipient, SmsMessage, SmsTemplate
from messaging.parts import Parts, sms_parts
from registry.selectors import person_list


@dataclass(frozen=True)
class TemplateRow:
    kind: MessageKind
    language: str
    text: str
    is_default: bool
    preview: str
    parts: Parts


def _preview(kind: MessageKind, text: str) -> str:
    try:
        return text.format(**kind.example) if text else ""
    except (KeyError, IndexError, ValueError):
        return text


def template_rows(*, actor, kind: str | None = None) -> list[TemplateRow]:
    """Every kind's French and Wolof texts, with the example rendered and its parts."""
    if not rules.may_see_templates(actor):
        raise Forbidden(_("Les modèles de SMS sont gérés par le niveau national."))
    if kind is None:
        kinds = kind_list()
    else:
        try:
            kinds = [kind_get(kind)]
        except ValidationFailed:
            raise NotFound(_("Nature de message inconnue.")) from None
    stored = {
        (t.kind, t.language): t.text
        for t in SmsTemplate.objects.filter(kind__in=[k.code for k in kinds])
    }
    rows = []
    for k in kinds:
        for language, default in (("fr", k.default_fr), ("wo", k.default_wo)):
            text = stored.get((k.code, language)) or default
            preview = _preview(k, text)
            rows.append(
                TemplateRow(
                    kind=k,
                    language=language,
                    text=text,
                    is_default=not stored.get((k.code, language)),
                    preview=preview,
                    parts=sms_parts(preview),
                )
            )
    return rows


def visible_phones(actor) -> QuerySet:
    """The phones of the persons ``actor`` sees (a subquery)."""
    return person_list(actor=actor).exclude(phone="").values("phone")


def opt_out_list(*, actor, q: str | None = None) -> QuerySet[Recipient]:
    """The numbers that refused SMS among the persons the actor sees (national: all)."""
    if not rules.may_manage_opt_outs(actor):
        raise Forbidden(_("Votre rôle ne permet pas de gérer les refus de SMS."))
    qs = Recipient.objects.filter(opted_out=True).order_by("-changed_at", "pk")
    if not rules.may_edit_templates(actor):  # agents: their persons' numbers only
        qs = qs.filter(phone__in=visible_phones(actor))
    if q:
        qs = qs.filter(phone__contains="".join(c for c in q if c.isdigit() or c == "+")[:20])
    return qs


def phone_is_visible(*, actor, phone: str) -> bool:
    if rules.may_edit_templates(actor):
        return True
    return person_list(actor=actor).filter(phone=phone).exists()


def message_list(*, actor) -> QuerySet[SmsMessage]:
    """The SMS log: national staff only (it holds every number)."""
    if not rules.may_edit_templates(actor):
        raise Forbidden(_("Le journal des SMS est réservé au niveau national."))
    return SmsMessage.objects.order_by("-created_at", "-pk")


def recipient_language(phone: str) -> str:
    """The phone's preferred language ("" when unknown)."""
    return Recipient.objects.filter(phone=phone).values_list("language", flat=True).first() or ""
