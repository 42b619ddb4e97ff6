"""Every write of the messaging app (docs/messaging.md).

``sms_send`` is the one way out for an SMS: it honours the recipient's refusal, counts the
parts, hands the text to the configured backend and logs the message. Templates and
refusals are written by people (history kept); receipts and replies come from the gateway.
"""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _

from core.errors import Forbidden, ValidationFailed
from core.services import service
from messaging import rules
from messaging.backends import SmsBackend, SmsSendError, get_backend
from messaging.errors import Code
from messaging.kinds import LANGUAGES, check_placeholders, kind_get
from messaging.models import (
    TEMPLATE_MAX,
    DeliveryReceipt,
    InboundSms,
    MessageStatus,
    OptOutSource,
    Recipient,
    SmsMessage,
    SmsTemplate,
)
from messaging.parts import sms_parts
from messaging.selectors import phone_is_visible
from registry.services import normalize_phone

STOP_WORDS = frozenset({"STOP", "ARRET", "ARRÊT", "STOPSMS", "STOP SMS", "DESABONNER"})
START_WORDS = frozenset({"START", "MARCHE", "REPRENDRE"})
DELIVERED = frozenset({"delivered", "delivrd", "success"})
FAILED = frozenset({"failed", "undelivered", "undeliv", "rejected", "expired"})


def clean_text(value, *, field: str, max_length: int, required: bool = False) -> str:
    text = "" if value is None else str(value)
    if "\x00" in text:
        raise ValidationFailed(
            _("Caractère interdit (NUL)."), code=Code.INVALID_CHARACTER, field=field
        )
    text = text.replace("\r\n", "\n").strip()
    if len(text) > max_length:
        raise ValidationFailed(
            _("Texte trop long (%(n)s caractères au plus).") % {"n": max_length},
            code=Code.TOO_LONG,
            field=field,
        )
    if required and not text:
        raise ValidationFailed(_("Ce texte est obligatoire."), code=Code.REQUIRED, field=field)
    return text


# --- templates ----------------------------------------------------------------------------


@service(texts=((SmsTemplate, {"kind": "kind"}),))
def template_save(*, kind: str, texts: dict[str, str], actor) -> list[SmsTemplate]:
    """Write the texts of ``kind`` by language (``{"fr": ..., "wo": ...}``), all or none;
    an empty text falls back to the kind's default."""
    if not rules.may_edit_templates(actor):
        raise Forbidden(_("Seul le niveau national modifie les modèles de SMS."))
    message_kind = kind_get(kind)
    cleaned = {}
    for language, text in texts.items():
        if language not in LANGUAGES:
            raise ValidationFailed(
                _("Langue inconnue."), code=Code.UNKNOWN_LANGUAGE, field="language"
            )
        cleaned[language] = clean_text(text, field=language, max_length=TEMPLATE_MAX)
        check_placeholders(message_kind, cleaned[language], field=language)
    saved = []
    for language, text in cleaned.items():
        template, _created = SmsTemplate.objects.select_for_update().get_or_create(
            kind=kind, language=language, defaults={"text": text}
        )
        if template.text != text:
            template.text = text
            template.save()
        saved.append(template)
    return saved


# --- recipients: language and refusal ------------------------------------------------------


def _visible(actor, phone: str) -> None:
    if not phone_is_visible(actor=actor, phone=phone):
        raise ValidationFailed(
            _("Aucune personne de votre zone n'a ce numéro."),
            code=Code.UNKNOWN_PHONE,
            field="phone",
        )


def _recipient(phone: str) -> Recipient:
    recipient, _created = Recipient.objects.select_for_update().get_or_create(phone=phone)
    return recipient


@service(texts=((Recipient, {"reason": "opt_out_reason", "source": "opt_out_source"}),))
def recipient_opt_out(
    *, phone: str, source: str = OptOutSource.AGENT, reason: str = "", actor=None
) -> Recipient:
    if source == OptOutSource.AGENT and not rules.may_manage_opt_outs(actor):
        raise Forbidden(_("Votre rôle ne permet pas d'enregistrer un refus de SMS."))
    phone = normalize_phone(clean_text(phone, field="phone", max_length=40, required=True))
    reason = clean_text(reason, field="reason", max_length=200)
    if source == OptOutSource.AGENT:
        _visible(actor, phone)
    recipient = _recipient(phone)
    recipient.opted_out = True
    recipient.opt_out_source = source
    recipient.opt_out_reason = reason
    recipient.save()
    return recipient


@service
def recipient_opt_in(*, phone: str, by_reply: bool = False, actor=None) -> Recipient:
    if not by_reply and not rules.may_manage_opt_outs(actor):
        raise Forbidden(_("Votre rôle ne permet pas de lever un refus de SMS."))
    phone = normalize_phone(clean_text(phone, field="phone", max_length=40, required=True))
    if not by_reply:
        _visible(actor, phone)
    recipient = _recipient(phone)
    recipient.opted_out = False
    recipient.opt_out_source = ""
    recipient.opt_out_reason = ""
    recipient.save()
    return recipient


@service(texts=((Recipient, {"language": "language"}),))
def recipient_language_set(*, phone: str, language: str, actor=None) -> Recipient:
    """The language a phone prefers (the USSD menu records the caller's choice)."""
    if language not in LANGUAGES:
        raise ValidationFailed(_("Langue inconnue."), code=Code.UNKNOWN_LANGUAGE, field="language")
    phone = normalize_phone(clean_text(phone, field="phone", max_length=40, required=True))
    recipient = _recipient(phone)
    if recipient.language != language:
        recipient.language = language
        recipient.save()
    return recipient


# --- sending --------------------------------------------------------------------------------


@service
def _log(
    *, kind, phone, text, backend, status, provider_id="", error="", cooperative_id=None, actor=None
) -> SmsMessage:
    parts = sms_parts(text)
    return SmsMessage.objects.create(
        kind=kind,
        phone=phone,
        text=text,
        encoding=parts.encoding,
        parts=max(1, parts.count),
        backend=backend,
        provider_id=provider_id[:100],
        status=status,
        error=error[:200],
        cooperative_id=cooperative_id,
        created_by=actor if getattr(actor, "pk", None) else None,
    )


def is_opted_out(phone: str) -> bool:
    return Recipient.objects.filter(phone=phone, opted_out=True).exists()


def sms_send(
    *,
    kind: str,
    phone: str,
    text: str,
    cooperative_id: int | None = None,
    backend: SmsBackend | None = None,
    actor=None,
) -> SmsMessage:
    """Send ``text`` to ``phone`` unless the number refused SMS (then logged as blocked).

    The backend is called outside any transaction; the log is written after it answered.
    A :class:`SmsSendError` is logged as a failure and raised again; any other exception
    leaves no log (the caller's own retry rule applies)."""
    kind_get(kind)
    phone = normalize_phone(phone)
    backend = backend or get_backend()
    name = getattr(backend, "name", type(backend).__name__)
    common = {
        "kind": kind,
        "phone": phone,
        "text": text,
        "backend": name,
        "cooperative_id": cooperative_id,
        "actor": actor,
    }
    if is_opted_out(phone):
        return _log(status=MessageStatus.BLOCKED, **common)
    try:
        provider_id = backend.send(phone, text)
    except SmsSendError as exc:
        _log(status=MessageStatus.FAILED, error=str(exc), **common)
        raise
    message = _log(status=MessageStatus.SENT, provider_id=str(provider_id), **common)
    _receipts_before_the_log(message)
    return message


@service
def _receipts_before_the_log(message: SmsMessage) -> None:
    """A receipt may overtake the log of its message (the gateway answered, then sent the
    receipt before we wrote the row): attach it now and apply it."""
    early = list(
        DeliveryReceipt.objects.select_for_update()
        .filter(message=None, provider_id=message.provider_id)
        .order_by("pk")
    )
    for receipt in early:
        DeliveryReceipt.objects.filter(pk=receipt.pk).update(message=message)
        _apply_receipt(message, receipt.status, receipt.error)
        message.refresh_from_db()


# --- what the gateway sends back --------------------------------------------------------------


@service(texts=((DeliveryReceipt, {"status": "status", "error": "error"}),))
def receipt_record(
    *, provider_id: str, status: str, error: str = "", backend: str = "http"
) -> DeliveryReceipt:
    """Store a delivery receipt and move its message to delivered or failed."""
    provider_id = clean_text(provider_id, field="id", max_length=100, required=True)
    status = clean_text(status, field="status", max_length=20, required=True).lower()
    error = clean_text(error, field="error", max_length=200)
    message = (
        SmsMessage.objects.select_for_update()
        .filter(backend=backend, provider_id=provider_id)
        .first()
    )
    receipt = DeliveryReceipt.objects.create(
        message=message, provider_id=provider_id, status=status, error=error
    )
    if message is not None:
        _apply_receipt(message, status, error)
    return receipt


def _apply_receipt(message: SmsMessage, status: str, error: str) -> None:
    if message.status == MessageStatus.BLOCKED:
        return
    if status in DELIVERED:
        SmsMessage.objects.filter(pk=message.pk).update(
            status=MessageStatus.DELIVERED, delivered_at=timezone.now(), error=""
        )
    elif status in FAILED and message.status != MessageStatus.DELIVERED:
        SmsMessage.objects.filter(pk=message.pk).update(
            status=MessageStatus.FAILED, error=error or status
        )


def _keyword(text: str) -> str:
    return " ".join(text.upper().split()).strip(" .!")


@service(texts=((InboundSms, {"text": "text"}),))
def inbound_record(*, phone: str, text: str, provider_id: str = "") -> InboundSms:
    """Store a reply; STOP/ARRET records the sender's refusal, START lifts it."""
    raw_phone = clean_text(phone, field="from", max_length=40, required=True)
    text = clean_text(text, field="text", max_length=640)
    provider_id = clean_text(provider_id, field="id", max_length=100)
    phone = normalize_phone(raw_phone, field="from")
    word = _keyword(text)
    action = ""
    if word in STOP_WORDS:
        recipient_opt_out(phone=phone, source=OptOutSource.REPLY, reason=text[:200])
        action = "opt_out"
    elif word in START_WORDS:
        recipient_opt_in(phone=phone, by_reply=True)
        action = "opt_in"
    return InboundSms.objects.create(phone=phone, text=text, provider_id=provider_id, action=action)
