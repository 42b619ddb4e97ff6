import json
from datetime import date

import pytest
from django.core.management import call_command

from credit import services
from credit.models import Reminder
from credit.reminders import reminders_send
from credit.sms import FileBackend

pytestmark = pytest.mark.django_db


@pytest.fixture
def phones(credit):
    credit.w.coop_tc.phone = "+221771234567"
    credit.w.coop_tc.save()
    person = credit.loan_person.borrower_person
    person.phone = "+221781234567"
    person.save()
    return credit


def test_before_and_after_due_dates_once_each(phones, tmp_path):
    backend = FileBackend(tmp_path / "outbox.jsonl")
    # 12/02: 3 days before the first due date (15/02) of the three loans of 15/01
    assert reminders_send(as_of=date(2026, 2, 12), backend=backend) == 2  # coop_mbour: no phone
    assert reminders_send(as_of=date(2026, 2, 12), backend=backend) == 0  # never twice
    lines = [json.loads(x) for x in (tmp_path / "outbox.jsonl").read_text().splitlines()]
    assert {x["to"] for x in lines} == {"+221771234567", "+221781234567"}
    assert "est due le 15/02/2026" in lines[0]["text"] and "91\u202f680" in lines[0]["text"]
    # paid on time: no late reminder for loan_tc; the member's loan is reminded
    services.repayment_post(
        actor=phones.w.lender,
        loan=phones.loan_tc,
        amount=91_680,
        paid_on=date(2026, 2, 15),
        channel="cash",
    )
    assert reminders_send(as_of=date(2026, 2, 16), backend=backend) == 1
    late = Reminder.objects.get(kind="late")
    assert late.loan == phones.loan_person and "impayée depuis le 15/02/2026" in late.text


def test_wolof_text_is_configurable(phones, tmp_path, settings):
    settings.CREDIT_REMINDER_TEXT_WO = {"before": "Sa fay bi {amount} ci {due_on}."}
    reminders_send(as_of=date(2026, 2, 12), backend=FileBackend(tmp_path / "o.jsonl"))
    text = Reminder.objects.first().text
    assert text.splitlines()[1].startswith("Sa fay bi 91")


def test_command_uses_the_configured_backend(phones, tmp_path, settings):
    settings.SMS_BACKEND = "credit.sms.FileBackend"
    settings.SMS_FILE_PATH = str(tmp_path / "cmd.jsonl")
    call_command("credit_reminders", "--as-of", "2026-02-12")
    assert len((tmp_path / "cmd.jsonl").read_text().splitlines()) == 2
