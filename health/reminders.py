"""SMS to households (a system job: ``manage.py health_reminders``).

- **Before lapse**: ``scheme.reminder_days`` days (default 7) before ``covered_until``
  and until that day, the head of household gets one SMS per covered-until date.
- **A child reaching the age limit** leaves the household's cover on their birthday
  (``left_on``, reason "âge limite") and the head gets a notice to enrol them on their own.

Each message is recorded (``health.Reminder``) only after the SMS backend accepted it, so
a failed send is retried on the next run and a message is never sent twice. The backend is
``messaging.backends`` (``settings.SMS_BACKEND``); see docs/messaging.md for sms_send.
"""

from __future__ import annotations

import datetime

from django.db import transaction

from core.money import format_xof
from health import services
from health.models import Household, Reminder
from messaging.backends import SmsBackend, get_backend

LAPSE = "lapse"
AGED_OUT = "aged_out"
TEXT_LAPSE = (
    "SunuCoop : la couverture santé de votre ménage ({scheme}) prend fin le {until}. "
    "Cotisation du mois : {amount}. Payez pour rester couverts."
)
TEXT_AGED_OUT = (
    "SunuCoop : {child} a atteint l'âge limite de la mutuelle {scheme} le {day} et ne "
    "fait plus partie de la couverture du ménage. Adhérez pour lui/elle à titre personnel."
)


def _send(backend: SmsBackend, *, household, person, kind, for_date, text) -> bool:
    phone = household.head.phone
    if (
        not phone
        or Reminder.objects.filter(
            household=household, person=person, kind=kind, for_date=for_date
        ).exists()
    ):
        return False
    message_id = backend.send(phone, text)
    Reminder.objects.create(
        household=household,
        person=person,
        kind=kind,
        for_date=for_date,
        phone=phone,
        message_id=str(message_id)[:80],
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
        text = TEXT_LAPSE.format(
            scheme=household.scheme.name,
            until=household.covered_until.strftime("%d/%m/%Y"),
            amount=format_xof(cost),
        )
        with transaction.atomic():
            sent += _send(
                backend,
                household=household,
                person=household.head,
                kind=LAPSE,
                for_date=household.covered_until,
                text=text,
            )
    return sent


def aged_out_notices(*, as_of: datetime.date, backend: SmsBackend) -> int:
    sent = 0
    for member in services.children_aged_out(as_of=as_of):
        day = services.child_leaving_day(member)
        household = member.household
        with transaction.atomic():
            member.left_on = day
            member.left_reason = "âge limite"
            member._change_reason = "âge limite atteint"
            member.save(update_fields=["left_on", "left_reason"])
            text = TEXT_AGED_OUT.format(
                child=member.person, scheme=household.scheme.name, day=day.strftime("%d/%m/%Y")
            )
            sent += _send(
                backend,
                household=household,
                person=member.person,
                kind=AGED_OUT,
                for_date=day,
                text=text,
            )
    return sent


def reminders_send(*, as_of: datetime.date, backend: SmsBackend | None = None) -> dict:
    backend = backend or get_backend()
    return {
        "lapse": lapse_reminders(as_of=as_of, backend=backend),
        "aged_out": aged_out_notices(as_of=as_of, backend=backend),
    }
