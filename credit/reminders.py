"""SMS reminders before and after due dates (a system job: ``manage.py credit_reminders``).

Steps: ``settings.CREDIT_REMINDER_DAYS_BEFORE`` (default ``[3]``) days before a due date,
``settings.CREDIT_REMINDER_DAYS_AFTER`` (default ``[1, 7, 30]``) days after it while the
instalment is unpaid. Each (instalment, step) is sent at most once: a ``Reminder`` row is
written after the backend accepted the message, so a failed send is retried next run.
The SMS leave through the messaging app (``messaging.services.sms_send``: the backend of
``settings.SMS_BACKEND``, the log of every SMS, and the numbers that refused SMS, which get
nothing). The two message kinds ``loan_reminder_before`` and ``loan_reminder_late`` are
registered with messaging (``credit.apps``); their texts are edited in the SMS template
editor (French; Wolof). Text: French, and the Wolof text of the template editor, or else of
``settings.CREDIT_REMINDER_TEXT_WO`` (``{"before": "...", "late": "..."}``, placeholders
among ``{number}``, ``{loan}``, ``{amount}``, ``{due_on}``, ``{lender}``) when it is set; no
Wolof text ships by default, it must be written and checked by a Wolof speaker. The
setting is checked before anything is sent (:func:`wolof_texts`): an unknown key or
placeholder, or a malformed brace, stops the run with ``ImproperlyConfigured`` naming the problem.

A number whose preferred language is known to messaging (the USSD menu records the
caller's choice) gets that language only (French when no Wolof text exists); any other
number gets both languages: French then Wolof in one SMS when the two fit in
``settings.CREDIT_REMINDER_MAX_SEGMENTS`` SMS segments (default 3: 459 characters in the
GSM 7-bit alphabet, 201 when a character outside it, such as « ê » or « ë », forces UCS-2;
the French text alone already needs UCS-2), else
two SMS, the French one first. Both are recorded on the same ``Reminder`` row (message ids
joined by a comma); if the second send fails, the row is not written and both are sent
again on the next run.
"""

from __future__ import annotations

from datetime import date, timedelta
from string import Formatter

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db.models import F
from django.utils.translation import gettext_lazy as _

from core.errors import ValidationFailed
from core.money import format_xof
from core.services import service
from credit.models import Instalment, LoanStatus, Reminder, ReminderKind
from messaging.backends import SmsBackend, get_backend
from messaging.kinds import register_kind
from messaging.models import MessageStatus
from messaging.parts import sms_segments
from messaging.rendering import template_texts
from messaging.selectors import recipient_language
from messaging.services import sms_send
from registry.services import normalize_phone

MESSAGE_KIND = {
    ReminderKind.BEFORE: "loan_reminder_before",
    ReminderKind.LATE: "loan_reminder_late",
}

TEXT_FR = {
    ReminderKind.BEFORE: (
        "SunuCoop : l'échéance n° {number} de votre prêt n° {loan} ({amount}) est due le "
        "{due_on}. {lender}."
    ),
    ReminderKind.LATE: (
        "SunuCoop : l'échéance n° {number} de votre prêt n° {loan} ({amount}) est impayée "
        "depuis le {due_on}. Merci de régulariser auprès de {lender}."
    ),
}


PLACEHOLDERS = frozenset({"number", "loan", "amount", "due_on", "lender"})


def register_message_kinds() -> None:
    """Declare the two reminder kinds to messaging (credit.apps, at start-up)."""
    example = {
        "number": 3,
        "loan": 1204,
        "amount": format_xof(91_680),
        "due_on": "15/02/2026",
        "lender": "MEC Koumpentoum",
    }
    register_kind(
        MESSAGE_KIND[ReminderKind.BEFORE],
        label=_("Rappel avant échéance de prêt"),
        placeholders=PLACEHOLDERS,
        default_fr=TEXT_FR[ReminderKind.BEFORE],
        example=example,
    )
    register_kind(
        MESSAGE_KIND[ReminderKind.LATE],
        label=_("Relance d'échéance de prêt impayée"),
        placeholders=PLACEHOLDERS,
        default_fr=TEXT_FR[ReminderKind.LATE],
        example=example,
    )


def wolof_texts() -> dict[str, str]:
    """``settings.CREDIT_REMINDER_TEXT_WO``, checked: keys ``before``/``late``, text, and
    only known placeholders. Raises ``ImproperlyConfigured`` with the problem."""
    raw = getattr(settings, "CREDIT_REMINDER_TEXT_WO", None) or {}
    if not isinstance(raw, dict):
        raise ImproperlyConfigured(
            'CREDIT_REMINDER_TEXT_WO doit être un dictionnaire {"before": ..., "late": ...}.'
        )
    texts = {}
    for kind, text in raw.items():
        if kind not in ReminderKind.values:
            raise ImproperlyConfigured(
                f"CREDIT_REMINDER_TEXT_WO : clé inconnue « {kind} » (attendu : before, late)."
            )
        if not text:
            continue
        if not isinstance(text, str):
            raise ImproperlyConfigured(f"CREDIT_REMINDER_TEXT_WO[{kind!r}] doit être un texte.")
        try:
            names = {name for _, name, _, _ in Formatter().parse(text) if name is not None}
        except ValueError as exc:
            raise ImproperlyConfigured(
                f"CREDIT_REMINDER_TEXT_WO[{kind!r}] : accolade mal formée ({exc})."
            ) from None
        unknown = sorted(names - PLACEHOLDERS)
        if unknown:
            raise ImproperlyConfigured(
                f"CREDIT_REMINDER_TEXT_WO[{kind!r}] : champ(s) inconnu(s) "
                f"{', '.join('{' + n + '}' for n in unknown)} ; champs possibles : "
                f"{', '.join('{' + n + '}' for n in sorted(PLACEHOLDERS))}."
            )
        texts[kind] = text
    return texts


def reminder_messages(
    kind: str, *, wolof: dict[str, str] | None = None, language: str = "", **values
) -> list[str]:
    """The SMS to send: French and Wolof in one message when they fit in
    ``CREDIT_REMINDER_MAX_SEGMENTS`` segments, else French then Wolof apart; only one of
    them when ``language`` is the number's known preference."""
    texts = template_texts(MESSAGE_KIND[kind])
    french = texts["fr"].format(**values)
    template = texts["wo"] or (wolof_texts() if wolof is None else wolof).get(kind)
    if not template or language == "fr":
        return [french]
    other = template.format(**values)
    if language == "wo":
        return [other]
    both = f"{french}\n{other}"
    limit = int(getattr(settings, "CREDIT_REMINDER_MAX_SEGMENTS", 3))
    return [both] if sms_segments(both) <= limit else [french, other]


def reminder_text(kind: str, **values) -> str:
    """Everything a borrower receives for one reminder (the messages one after the other)."""
    return "\n".join(reminder_messages(kind, **values))


def _candidates(as_of: date):
    before = getattr(settings, "CREDIT_REMINDER_DAYS_BEFORE", [3])
    after = getattr(settings, "CREDIT_REMINDER_DAYS_AFTER", [1, 7, 30])
    remaining = (
        F("principal_due")
        + F("interest_due")
        + F("fee_due")
        + F("penalty_due")
        - F("principal_paid")
        - F("interest_paid")
        - F("fee_paid")
        - F("penalty_paid")
        - F("interest_waived")
    )
    base = (
        Instalment.objects.filter(loan__status=LoanStatus.ACTIVE, superseded=False, number__gt=0)
        .annotate(left=remaining)
        .filter(left__gt=0)
        .select_related("loan__lender", "loan__borrower_person", "loan__borrower_cooperative")
    )
    for days in before:
        for inst in base.filter(due_on=as_of + timedelta(days=days)):
            yield inst, ReminderKind.BEFORE, -days
    for days in after:
        for inst in base.filter(due_on=as_of - timedelta(days=days)):
            yield inst, ReminderKind.LATE, days


@service
def _record(*, inst, kind, days, as_of, phone, text, message_id, actor=None) -> Reminder:
    return Reminder.objects.create(
        loan=inst.loan,
        cooperative_id=inst.loan.cooperative_id,
        instalment=inst,
        kind=kind,
        days=days,
        sent_on=as_of,
        phone=phone,
        text=text,
        message_id=message_id,
    )


def _phone(borrower) -> str:
    """The borrower's phone in E.164, or "" when it has none or an invalid one."""
    raw = (getattr(borrower, "phone", "") or "").strip()
    try:
        return normalize_phone(raw) if raw else ""
    except ValidationFailed:
        return ""


def reminders_send(*, as_of: date, backend: SmsBackend | None = None, actor=None) -> int:
    """Send the reminders due on ``as_of``; returns how many were sent."""
    wolof = wolof_texts()  # a wrong setting stops the run before any SMS leaves
    backend = backend or get_backend()
    sent = 0
    for inst, kind, days in _candidates(as_of):
        if Reminder.objects.filter(instalment=inst, kind=kind, days=days).exists():
            continue
        loan = inst.loan
        borrower = loan.borrower_person or loan.borrower_cooperative
        phone = _phone(borrower)
        if not phone:
            continue
        texts = reminder_messages(
            kind,
            wolof=wolof,
            language=recipient_language(phone),
            number=inst.number,
            loan=loan.pk,
            amount=format_xof(inst.left),
            due_on=inst.due_on.strftime("%d/%m/%Y"),
            lender=loan.lender.name,
        )
        sent_messages = [
            sms_send(
                kind=MESSAGE_KIND[kind],
                phone=phone,
                text=text,
                cooperative_id=loan.cooperative_id,
                backend=backend,
                actor=actor,
            )
            for text in texts
        ]
        if any(m.status == MessageStatus.BLOCKED for m in sent_messages):
            continue  # the number refused SMS (opt-out): nothing sent, nothing recorded
        message_id = ",".join(m.provider_id for m in sent_messages)
        text = "\n".join(texts)
        _record(
            inst=inst,
            kind=kind,
            days=days,
            as_of=as_of,
            phone=phone,
            text=text,
            message_id=message_id,
            actor=actor,
        )
        sent += 1
    return sent
