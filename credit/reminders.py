"""SMS reminders before and after due dates (a system job: ``manage.py credit_reminders``).

Steps: ``settings.CREDIT_REMINDER_DAYS_BEFORE`` (default ``[3]``) days before a due date,
``settings.CREDIT_REMINDER_DAYS_AFTER`` (default ``[1, 7, 30]``) days after it while the
instalment is unpaid. Each (instalment, step) is sent at most once: a ``Reminder`` row is
written after the backend accepted the message, so a failed send is retried next run.
Text: French, followed by the Wolof text of ``settings.CREDIT_REMINDER_TEXT_WO``
(``{"before": "...", "late": "..."}`` with the same ``{placeholders}``) when it is set;
no Wolof text ships by default, it must be written and checked by a Wolof speaker.
"""

from __future__ import annotations

from datetime import date, timedelta

from django.conf import settings
from django.db.models import F

from core.money import format_xof
from core.services import service
from credit.models import Instalment, LoanStatus, Reminder, ReminderKind
from credit.sms import SmsBackend, get_backend

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


def reminder_text(kind: str, **values) -> str:
    text = TEXT_FR[kind].format(**values)
    wolof = (getattr(settings, "CREDIT_REMINDER_TEXT_WO", None) or {}).get(kind)
    return f"{text}\n{wolof.format(**values)}" if wolof else text


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


def reminders_send(*, as_of: date, backend: SmsBackend | None = None, actor=None) -> int:
    """Send the reminders due on ``as_of``; returns how many were sent."""
    backend = backend or get_backend()
    sent = 0
    for inst, kind, days in _candidates(as_of):
        if Reminder.objects.filter(instalment=inst, kind=kind, days=days).exists():
            continue
        loan = inst.loan
        borrower = loan.borrower_person or loan.borrower_cooperative
        phone = (getattr(borrower, "phone", "") or "").strip()
        if not phone:
            continue
        text = reminder_text(
            kind,
            number=inst.number,
            loan=loan.pk,
            amount=format_xof(inst.left),
            due_on=inst.due_on.strftime("%d/%m/%Y"),
            lender=loan.lender.name,
        )
        message_id = backend.send(phone, text)
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
