import json

import pytest

from core.errors import Forbidden, ValidationFailed
from messaging import services
from messaging.backends import FileBackend, SmsSendError
from messaging.kinds import register_kind
from messaging.models import MessageStatus, Recipient, SmsMessage, SmsTemplate
from messaging.rendering import template_texts

pytestmark = pytest.mark.django_db

KIND = "test_notice"


@pytest.fixture(autouse=True)
def kind():
    return register_kind(
        KIND,
        label="Avis de test",
        placeholders={"name", "amount"},
        default_fr="Bonjour {name}, vous devez {amount}.",
        example={"name": "Awa", "amount": "1 000 F"},
    )


# --- templates: French and Wolof per kind ----------------------------------------------


def test_templates_fall_back_to_the_default_and_follow_what_national_writes(world):
    assert template_texts(KIND) == {"fr": "Bonjour {name}, vous devez {amount}.", "wo": ""}
    services.template_save(kind=KIND, texts={"wo": "Na nga def {name}?"}, actor=world.national)
    services.template_save(kind=KIND, texts={"fr": "Salut {name}."}, actor=world.national)
    assert template_texts(KIND) == {"fr": "Salut {name}.", "wo": "Na nga def {name}?"}
    # an empty text goes back to the default
    services.template_save(kind=KIND, texts={"fr": ""}, actor=world.national)
    assert template_texts(KIND)["fr"] == "Bonjour {name}, vous devez {amount}."
    assert SmsTemplate.history.filter(kind=KIND).count() == 3  # audited
    with pytest.raises(ValidationFailed):  # all or nothing
        services.template_save(
            kind=KIND, texts={"fr": "Nouveau", "wo": "{x}"}, actor=world.national
        )
    assert template_texts(KIND)["fr"].startswith("Bonjour")


@pytest.mark.parametrize(
    "text,code",
    [
        ("Bonjour {nom}", "unknown_placeholder"),
        ("Bonjour {name", "malformed_placeholder"),
        ("Bonjour name}", "malformed_placeholder"),
        ("a\x00b", "invalid_character"),
        ("a" * 641, "too_long"),
    ],
)
def test_bad_template_text_is_refused_with_nothing_written(world, text, code):
    with pytest.raises(ValidationFailed) as err:
        services.template_save(kind=KIND, texts={"wo": text}, actor=world.national)
    assert err.value.code == code and err.value.field == "wo"
    assert not SmsTemplate.objects.exists()


def test_only_national_staff_write_templates(world):
    for user in (world.agent_tc, world.officer, world.member, world.lender):
        with pytest.raises(Forbidden):
            services.template_save(kind=KIND, texts={"fr": "x"}, actor=user)
    with pytest.raises(ValidationFailed) as err:
        services.template_save(kind="nope", texts={"fr": "x"}, actor=world.national)
    assert err.value.code == "unknown_kind"
    with pytest.raises(ValidationFailed):
        services.template_save(kind=KIND, texts={"en": "x"}, actor=world.national)


# --- sending and opt-out ------------------------------------------------------------------


def test_sms_send_logs_parts_and_an_opted_out_number_gets_nothing(world, tmp_path):
    backend = FileBackend(tmp_path / "out.jsonl")
    sent = services.sms_send(kind=KIND, phone="77 123 45 67", text="ê" * 71, backend=backend)
    assert sent.status == MessageStatus.SENT and sent.phone == "+221771234567"
    assert (sent.encoding, sent.parts) == ("ucs2", 2) and sent.provider_id
    services.recipient_opt_out(phone="+221771234567", actor=world.national, reason="demande")
    blocked = services.sms_send(kind=KIND, phone="+221771234567", text="x", backend=backend)
    assert blocked.status == MessageStatus.BLOCKED and blocked.provider_id == ""
    assert len((tmp_path / "out.jsonl").read_text().splitlines()) == 1  # only the first left
    services.recipient_opt_in(phone="+221771234567", actor=world.national)
    again = services.sms_send(kind=KIND, phone="+221771234567", text="x", backend=backend)
    assert again.status == MessageStatus.SENT


def test_a_gateway_failure_is_logged_and_raised(world):
    class Down:
        name = "down"

        def send(self, to, text):
            raise SmsSendError("passerelle injoignable")

    with pytest.raises(SmsSendError):
        services.sms_send(kind=KIND, phone="+221771234567", text="x", backend=Down())
    failed = SmsMessage.objects.get()
    assert failed.status == MessageStatus.FAILED and "injoignable" in failed.error


def test_agents_record_refusals_only_for_their_persons(world):
    person_tc = world.persons_tc[0]
    person_tc.phone = "+221781112233"
    person_tc.save()
    person_th = world.persons_thies[0]
    person_th.phone = "+221781112244"
    person_th.save()
    services.recipient_opt_out(phone="78 111 22 33", actor=world.agent_tc)
    assert Recipient.objects.get(phone="+221781112233").opted_out
    with pytest.raises(ValidationFailed) as err:
        services.recipient_opt_out(phone="+221781112244", actor=world.agent_tc)
    assert err.value.code == "unknown_phone"
    for user in (world.officer, world.member, world.lender):
        with pytest.raises(Forbidden):
            services.recipient_opt_out(phone="+221781112233", actor=user)
    with pytest.raises(ValidationFailed) as err:
        services.recipient_opt_out(phone="12", actor=world.national)
    assert err.value.code == "invalid_phone"


@pytest.mark.parametrize("word", ["STOP", "stop", " Arret ", "ARRÊT.", "stop sms"])
def test_a_stop_reply_opts_the_sender_out(db, word):
    inbound = services.inbound_record(phone="+221771234567", text=word, provider_id="in-1")
    assert inbound.action == "opt_out"
    recipient = Recipient.objects.get(phone="+221771234567")
    assert recipient.opted_out and recipient.opt_out_source == "reply"


@pytest.mark.parametrize("word", ["Merci", "STOPPER le prêt", "arrete de m'écrire stp", ""])
def test_other_replies_are_stored_and_change_nothing(db, word):
    inbound = services.inbound_record(phone="+221771234567", text=word)
    assert inbound.action == ""
    assert not Recipient.objects.filter(opted_out=True).exists()


def test_start_lifts_a_refusal(db):
    services.inbound_record(phone="+221771234567", text="STOP")
    services.inbound_record(phone="+221771234567", text="START")
    assert not Recipient.objects.get(phone="+221771234567").opted_out


# --- delivery receipts ------------------------------------------------------------------------


def _sent(world, tmp_path, provider_id="gw-1"):
    class Fixed:
        name = "http"

        def send(self, to, text):
            return provider_id

    return services.sms_send(kind=KIND, phone="+221771234567", text="x", backend=Fixed())


def test_receipts_move_the_message_and_are_all_kept(world, tmp_path):
    message = _sent(world, tmp_path)
    services.receipt_record(provider_id="gw-1", status="DELIVERED")
    message.refresh_from_db()
    assert message.status == MessageStatus.DELIVERED and message.delivered_at
    services.receipt_record(provider_id="gw-1", status="failed", error="late")  # stays delivered
    message.refresh_from_db()
    assert message.status == MessageStatus.DELIVERED
    orphan = services.receipt_record(provider_id="unknown", status="delivered")
    assert orphan.message is None
    assert message.receipts.count() == 2


def test_a_failure_receipt_marks_the_message_failed(world, tmp_path):
    message = _sent(world, tmp_path, "gw-2")
    services.receipt_record(provider_id="gw-2", status="undelivered", error="absent")
    message.refresh_from_db()
    assert message.status == MessageStatus.FAILED and message.error == "absent"


# --- the gateway's callbacks -----------------------------------------------------------------


def _post(client, path, body, token="cb-secret"):
    headers = {"X-Gateway-Token": token} if token is not None else {}
    return client.post(path, json.dumps(body), content_type="application/json", headers=headers)


def test_callbacks_need_the_token(client, world, settings, tmp_path):
    settings.SMS_CALLBACK_TOKEN = "cb-secret"
    _sent(world, tmp_path, "gw-3")
    for token in (None, "", "wrong"):
        r = _post(client, "/api/v1/sms/receipts", {"id": "gw-3", "status": "delivered"}, token)
        assert r.status_code == 401 and r.json()["code"] == "unauthenticated"
        r = _post(client, "/api/v1/sms/inbound", {"from": "+221771234567", "text": "STOP"}, token)
        assert r.status_code == 401
    assert not Recipient.objects.exists()
    assert SmsMessage.objects.get().status == MessageStatus.SENT
    r = _post(client, "/api/v1/sms/receipts", {"id": "gw-3", "status": "delivered"})
    assert r.status_code == 200 and r.json()["status"] == "recorded"
    assert SmsMessage.objects.get().status == MessageStatus.DELIVERED
    r = _post(client, "/api/v1/sms/inbound", {"from": "771234567", "text": "ARRET"})
    assert r.status_code == 200 and r.json()["status"] == "opt_out"
    assert Recipient.objects.get(phone="+221771234567").opted_out


def test_callbacks_are_refused_when_no_token_is_configured(client, settings):
    settings.SMS_CALLBACK_TOKEN = ""
    r = _post(client, "/api/v1/sms/inbound", {"from": "+221771234567", "text": "STOP"}, "")
    assert r.status_code == 401 and not Recipient.objects.exists()


@pytest.mark.parametrize(
    "body,field",
    [
        ({"from": "+221771234567", "text": "a\x00"}, "text"),
        ({"from": "+221771234567", "text": "a" * 641}, "text"),
        ({"from": "abc", "text": "STOP"}, "from"),
        ({"text": "STOP"}, "from"),
    ],
)
def test_bad_inbound_bodies_answer_400(client, settings, body, field):
    settings.SMS_CALLBACK_TOKEN = "cb-secret"
    r = _post(client, "/api/v1/sms/inbound", body)
    assert r.status_code == 400 and r.json()["field"] == field
    assert not Recipient.objects.exists()
