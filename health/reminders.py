"""SMS to households (a system job: ``manage.py health_reminders``).

- **Before lapse**: ``scheme.reminder_days`` days (default 7) before ``covered_until``
  and until that day, the head of household gets one SMS per covered-until date.
- **A child reaching the age limit** leaves the household's cover on their birthday
  (``left_on``, reason "âge limite", service ``household_member_age_out``) and the head
  gets a notice to enrol them on their own.

Every SMS leaves through the messaging app (``messaging.services.sms_send``: the backend of
``settings.SMS_BACKEND``, the log of every SMS, the numbers that refused SMS). The two
message kinds ``health_lapse_reminder`` and ``health_aged_out_notice`` are registered with
messaging (``health.hooks``); national staff edit their texts (French, Wolof) in the SMS
template editor. A message is recorded (``health.Reminder``) only once sent, so a failed
send is retried on the next run and a message is never sent twice; a number that refused
SMS gets nothing and nothing is recorded (as credit's reminders do).
"""

from __future__ import annotations

import datetime

from django.utils.translation import gettext_lazy as _

from core.errors import ValidationFailed
from core.money import format_xof
from health import services
from health.models import Household, Reminder
from messaging.backends import SmsBackend, get_backend
from messaging.kinds import register_kind
from messaging.models import MessageStatus
from messaging.rendering import template_texts
from messaging.services import sms_send
from registry.services import normalize_phone

LAPSE = "lapse"
AGED_OUT = "aged_out"
MESSAGE_KIND = {LAPSE: "health_lapse_reminder", AGED_OUT: "health_aged_out_notice"}
TEXT_LAPSE = (
    "SunuCoop : la couverture santé de votre ménage ({scheme}) prend fin le {until}. "
    "Cotisation du mois : {amount}. Payez pour rester couverts."
)
TEXT_AGED_OUT = (
    "SunuCoop : {child} a atteint l'âge limite de la mutuelle {scheme} le {day} et ne "
    "fait plus partie de la couverture du ménage. Adhérez pour lui/elle à titre personnel."
)


def register_message_kinds() -> None:
    """Declare the two health kinds to messaging (health.hooks, at start-up)."""
    register_kind(
        MESSAGE_KIND[LAPSE],
        label=_("Santé : rappel avant la fin de la couverture"),
        placeholders={"scheme", "until", "amount"},
        default_fr=TEXT_LAPSE,
        example={"scheme": "Mutuelle des tisserands", "until": "31/03/2026", "amount": "2 200 F"},
    )
    register_kind(
        MESSAGE_KIND[AGED_OUT],
        label=_("Santé : enfant atteignant l'âge limite"),
        placeholders={"child", "scheme", "day"},
        default_fr=TEXT_AGED_OUT,
        example={"child": "Awa Diop", "scheme": "Benkadi", "day": "10/02/2026"},
    )


def _phone(person) -> str:
    raw = (getattr(person, "phone", "") or "").strip()
    try:
        return normalize_phone(raw) if raw else ""
    except ValidationFailed:
        return ""


def _send(backend: SmsBackend, *, household, person, kind, for_date, values) -> bool:
    phone = _phone(household.head)
    if (
        not phone
        or Reminder.objects.filter(
            household=household, person=person, kind=kind, for_date=for_date
        ).exists()
    ):
        return False
    text = template_texts(MESSAGE_KIND[kind])["fr"].format(**values)
    message = sms_send(
        kind=MESSAGE_KIND[kind],
        phone=phone,
        text=text,
        cooperative_id=household.cooperative_id,
        backend=backend,
    )
    if message.status == MessageStatus.BLOCKED:
        return False  # the number refused SMS: nothing sent, nothing recorded
    services.reminder_record(
        household=household,
        person=person,
        kind=kind,
        for_date=for_date,
        phone=phone,
        message_id=str(message.provider_id or message.pk),
    )
    return True


def lapse_reminders(*, as_of: datetime.date, backend: SmsBackend) -> int:
    sent = 0
    horizon = as_of + datetime.timedelta(days=60)
    households = Household.objects.filter(
        covered_until__gte=as_of, covered_until__lte=horizon
    ).select_related("scheme", "head")
    for household in households.iterator():
        if household.covered_until > as_of + datetime.timedelta(
            days=household.scheme.reminder_days
        ):
            continue
        members = list(household.members.filter(left_on__isnull=True).select_related("person"))
        cost = services.month_cost_function(household, members)(household.months_paid)
        sent += _send(
            backend,
            household=household,
            person=household.head,
            kind=LAPSE,
            for_date=household.covered_until,
            values={
                "scheme": household.scheme.name,
                "until": household.covered_until.strftime("%d/%m/%Y"),
                "amount": format_xof(cost),
            },
        )
    return sent


def aged_out_notices(*, as_of: datetime.date, backend: SmsBackend) -> int:
    sent = 0
    for member in services.children_aged_out(as_of=as_of):
        day = services.child_leaving_day(member)
        services.household_member_age_out(member=member, day=day)
        household = member.household
        sent += _send(
            backend,
            household=household,
            person=member.person,
            kind=AGED_OUT,
            for_date=day,
            values={
                "child": str(member.person),
                "scheme": household.scheme.name,
                "day": day.strftime("%d/%m/%Y"),
            },
        )
    return sent


def reminders_send(*, as_of: datetime.date, backend: SmsBackend | None = None) -> dict:
    backend = backend or get_backend()
    return {
        "lapse": lapse_reminders(as_of=as_of, backend=backend),
        "aged_out": aged_out_notices(as_of=as_of, backend=backend),
    }
