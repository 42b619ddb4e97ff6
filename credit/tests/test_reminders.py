import json
from datetime import date

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command

from credit import services
from credit.models import Reminder
from credit.reminders import (
    TEXT_FR,
    reminder_messages,
    reminders_send,
    sms_segments,
    wolof_texts,
)
from messaging.backends import FileBackend

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
    settings.SMS_BACKEND = "messaging.backends.FileBackend"
    settings.SMS_FILE_PATH = str(tmp_path / "cmd.jsonl")
    call_command("credit_reminders", "--as-of", "2026-02-12")
    assert len((tmp_path / "cmd.jsonl").read_text().splitlines()) == 2


# --- Wolof text: checked placeholders, one SMS when it fits, else two -------------------


class Recorder(FileBackend):
    def __init__(self, path):
        super().__init__(path)
        self.sent = []

    def send(self, to, text):
        self.sent.append((to, text))
        return super().send(to, text)


@pytest.mark.parametrize(
    "value,message",
    [
        ({"before": "Sa fay {montant} ci {due_on}."}, "{montant}"),
        ({"before": "Sa fay {amount.real}."}, "{amount.real}"),
        ({"before": "Sa fay {}."}, "{}"),
        ({"late": "Sa fay {amount."}, "accolade"),
        ({"late": "Sa fay amount}."}, "accolade"),
        ({"avant": "Sa fay {amount}."}, "clé inconnue « avant »"),
        ("Sa fay {amount}.", "dictionnaire"),
    ],
)
def test_wrong_wolof_setting_stops_before_any_sms(phones, tmp_path, settings, value, message):
    settings.CREDIT_REMINDER_TEXT_WO = value
    backend = Recorder(tmp_path / "o.jsonl")
    with pytest.raises(ImproperlyConfigured) as err:
        reminders_send(as_of=date(2026, 2, 12), backend=backend)
    assert message in str(err.value)
    assert backend.sent == [] and not Reminder.objects.exists()


def test_valid_wolof_setting_with_every_placeholder(settings):
    settings.CREDIT_REMINDER_TEXT_WO = {
        "before": "{lender}: sa fay {number} ci bor {loan} ({amount}) mu ngi ñëw {due_on}.",
        "late": "",
    }
    assert set(wolof_texts()) == {"before"}  # an empty text is no text
    values = {"number": 2, "loan": 7, "amount": "10 F", "due_on": "15/02/2026", "lender": "MEC"}
    [one] = reminder_messages("before", **values)
    assert one.splitlines()[1] == "MEC: sa fay 2 ci bor 7 (10 F) mu ngi ñëw 15/02/2026."
    assert reminder_messages("late", **values) == [TEXT_FR["late"].format(**values)]


def test_french_and_wolof_in_one_sms_when_they_fit(phones, tmp_path, settings):
    settings.CREDIT_REMINDER_TEXT_WO = {"before": "Sa fay bi {amount} ci {due_on}."}
    backend = Recorder(tmp_path / "o.jsonl")
    assert reminders_send(as_of=date(2026, 2, 12), backend=backend) == 2
    assert len(backend.sent) == 2  # one SMS per borrower
    for _to, text in backend.sent:
        french, wolof = text.split("\n")
        assert french.startswith("SunuCoop") and wolof.startswith("Sa fay bi 91")
        assert sms_segments(text) <= 3
    reminder = Reminder.objects.first()
    assert "," not in reminder.message_id


def test_too_long_for_one_sms_goes_in_two_french_first(phones, tmp_path, settings):
    long_wolof = "Sa fay bi {amount} ci {due_on}. " + "Jërëjëf " * 12
    settings.CREDIT_REMINDER_TEXT_WO = {"before": long_wolof}
    backend = Recorder(tmp_path / "o.jsonl")
    assert reminders_send(as_of=date(2026, 2, 12), backend=backend) == 2  # two reminders
    assert len(backend.sent) == 4  # of two SMS each
    firsts, seconds = backend.sent[0::2], backend.sent[1::2]
    assert all(t.startswith("SunuCoop") for _, t in firsts)
    assert all(t.startswith("Sa fay bi") for _, t in seconds)
    reminder = Reminder.objects.first()
    assert reminder.message_id.count(",") == 1 and "Jërëjëf" in reminder.text
    # a larger allowance puts them back in one SMS
    settings.CREDIT_REMINDER_MAX_SEGMENTS = 6
    values = {"number": 1, "loan": 1, "amount": "1 F", "due_on": "x", "lender": "MEC"}
    assert len(reminder_messages("before", **values)) == 1


def test_a_failed_second_sms_records_nothing_and_is_retried(phones, tmp_path, settings):
    settings.CREDIT_REMINDER_TEXT_WO = {"before": "Jërëjëf " * 40}

    class FailsOnWolof(Recorder):
        def send(self, to, text):
            if text.startswith("Jërëjëf"):
                raise RuntimeError("gateway down")
            return super().send(to, text)

    with pytest.raises(RuntimeError):
        reminders_send(as_of=date(2026, 2, 12), backend=FailsOnWolof(tmp_path / "o.jsonl"))
    assert not Reminder.objects.exists()
    assert reminders_send(as_of=date(2026, 2, 12), backend=Recorder(tmp_path / "p.jsonl")) == 2


@pytest.mark.parametrize(
    "text,segments",
    [
        ("a" * 160, 1),
        ("a" * 161, 2),
        ("a" * 306, 2),
        ("a" * 307, 3),
        ("€" * 80, 1),  # extension characters count twice
        ("€" * 81, 2),
        ("ë" * 70, 1),  # outside GSM: UCS-2
        ("ë" * 71, 2),
        ("ë" * 134, 2),
        ("ë" * 135, 3),
    ],
)
def test_sms_segments(text, segments):
    assert sms_segments(text) == segments


def test_the_command_reports_a_wrong_wolof_setting_as_a_clear_error(phones, settings):
    from django.core.management import CommandError, call_command

    settings.CREDIT_REMINDER_TEXT_WO = {"avant": "Sa fay {amount}."}
    with pytest.raises(CommandError, match="Réglage des rappels invalide : .*avant"):
        call_command("credit_reminders", "--as-of", "2026-02-12")
    assert not Reminder.objects.exists()
