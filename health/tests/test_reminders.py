"""SMS before lapse and the notice of a child leaving the cover (file SMS backend)."""

import datetime
import json

import pytest

from health import services
from health.reminders import reminders_send
from health.tests.factories import enrolled, national_user, scheme_of_example
from messaging.backends import FileBackend

D = datetime.date


@pytest.mark.django_db
def test_a_head_is_reminded_once_before_lapse_and_a_child_leaves_at_the_limit(world, tmp_path):
    scheme = scheme_of_example(national_user())
    household = enrolled(world.officer, scheme, world.coop_tc, 3)
    household.head.phone = "+221771234567"
    household.head.save()
    services.contribution_pay(
        actor=world.officer,
        household=household,
        amount=7_500 + 2 * 1_650,
        paid_on=D(2026, 1, 1),
        channel="cash",
    )  # covered to 28/02
    child_line = household.members.get(relation="child")
    child_line.person.birth_date = D(2008, 2, 10)
    child_line.person.save()
    backend = FileBackend(tmp_path / "sms.jsonl")
    assert reminders_send(as_of=D(2026, 2, 10), backend=backend) == {"lapse": 0, "aged_out": 1}
    assert reminders_send(as_of=D(2026, 2, 21), backend=backend) == {"lapse": 1, "aged_out": 0}
    assert reminders_send(as_of=D(2026, 2, 22), backend=backend) == {"lapse": 0, "aged_out": 0}
    sent = [json.loads(line) for line in (tmp_path / "sms.jsonl").read_text().splitlines()]
    assert [m["to"] for m in sent] == ["+221771234567"] * 2
    assert "âge limite" in sent[0]["text"] and "28/02/2026" in sent[1]["text"]
    assert "1 100" in sent[1]["text"].replace("\u202f", " ")  # next month, two persons left
    child_line.refresh_from_db()
    assert child_line.left_on == D(2026, 2, 10)


@pytest.mark.django_db
def test_reminders_leave_through_messaging_and_an_opted_out_number_gets_nothing(world, tmp_path):
    from health.models import Reminder
    from messaging.models import MessageStatus, SmsMessage
    from messaging.services import recipient_opt_out

    scheme = scheme_of_example(national_user())
    first = enrolled(world.officer, scheme, world.coop_tc, 1)
    second = enrolled(world.officer, scheme, world.coop_tc, 1)
    for household, phone in ((first, "+221771234501"), (second, "+221771234502")):
        household.head.phone = phone
        household.head.save()
        services.contribution_pay(
            actor=world.officer,
            household=household,
            amount=2_500 + 550,
            paid_on=D(2026, 1, 1),
            channel="cash",
        )  # covered to 31/01
    recipient_opt_out(phone="+221771234502", source="reply")
    backend = FileBackend(tmp_path / "sms.jsonl")
    assert reminders_send(as_of=D(2026, 1, 28), backend=backend) == {"lapse": 1, "aged_out": 0}
    logged = SmsMessage.objects.filter(kind="health_lapse_reminder")
    assert sorted(logged.values_list("phone", "status")) == [
        ("+221771234501", MessageStatus.SENT),
        ("+221771234502", MessageStatus.BLOCKED),
    ]
    assert list(Reminder.objects.values_list("household", flat=True)) == [first.pk]
    sent = [json.loads(line) for line in (tmp_path / "sms.jsonl").read_text().splitlines()]
    assert [m["to"] for m in sent] == ["+221771234501"]
