import pytest
from django.urls import reverse

from messaging import services
from messaging.models import Recipient, SmsTemplate

pytestmark = pytest.mark.django_db


def test_template_list_and_editor_for_national(client, world):
    client.force_login(world.national)
    r = client.get(reverse("messaging:template_list"))
    assert r.status_code == 200
    assert "Rappel avant échéance de prêt" in r.content.decode()
    url = reverse("messaging:template_edit", args=["loan_reminder_before"])
    r = client.get(url)
    body = r.content.decode()
    assert r.status_code == 200 and "sms-parts.js" in body and "<script>" not in body
    assert 'data-sms-counter="fr"' in body and "SMS" in body
    r = client.post(
        url, {"fr": "Rappel {amount} le {due_on}.", "wo": "Sa fay {amount} ci {due_on}."}
    )
    assert r.status_code == 302
    assert SmsTemplate.objects.get(kind="loan_reminder_before", language="wo").text.startswith("Sa")


def test_editor_shows_a_bad_placeholder_on_its_field(client, world):
    client.force_login(world.national)
    url = reverse("messaging:template_edit", args=["loan_reminder_late"])
    r = client.post(url, {"fr": "Rappel", "wo": "Sa fay {montant}"})
    assert r.status_code == 200 and "{montant}" in r.content.decode()
    assert not SmsTemplate.objects.exists()


def test_agents_read_templates_but_cannot_write(client, world):
    client.force_login(world.agent_tc)
    url = reverse("messaging:template_edit", args=["loan_reminder_before"])
    assert client.get(url).status_code == 200
    client.post(url, {"fr": "x", "wo": "y"})
    assert not SmsTemplate.objects.exists()
    client.force_login(world.officer)
    assert client.get(reverse("messaging:template_list")).status_code == 403
    assert client.get(url).status_code == 403
    client.force_login(world.national)
    assert client.get(reverse("messaging:template_edit", args=["nope"])).status_code == 404


def test_opt_out_page_records_lists_and_lifts(client, world, django_assert_max_num_queries):
    person = world.persons_tc[0]
    person.phone = "+221781112233"
    person.save()
    client.force_login(world.agent_tc)
    url = reverse("messaging:opt_out_list")
    r = client.get(url)
    assert r.status_code == 200 and "Aucun refus" in r.content.decode()
    r = client.post(url, {"phone": "78 111 22 33", "reason": "ne veut plus"})
    assert r.status_code == 302 and Recipient.objects.get().opted_out
    for i in range(30):  # numbers of persons outside the agent's area stay hidden
        Recipient.objects.create(phone=f"+22177000{i:04d}", opted_out=True)
    with django_assert_max_num_queries(8):
        r = client.get(url)
    body = r.content.decode()
    assert "+221781112233" in body and "+221770000001" not in body
    client.force_login(world.national)
    r = client.get(url)
    assert "Page 1 sur 2" in r.content.decode()
    r = client.get(url, {"q": "7811122"})
    assert "+221781112233" in r.content.decode() and "+221770000001" not in r.content.decode()
    client.force_login(world.agent_tc)
    r = client.post(reverse("messaging:opt_out_lift"), {"phone": "+221781112233", "confirm": "1"})
    assert r.status_code == 302 and not Recipient.objects.get(phone="+221781112233").opted_out


def test_opt_out_page_refuses_unknown_numbers_and_other_roles(client, world):
    client.force_login(world.agent_tc)
    r = client.post(reverse("messaging:opt_out_list"), {"phone": "+221781119999"})
    assert r.status_code == 200 and "Aucune personne de votre zone" in r.content.decode()
    client.force_login(world.member)
    assert client.get(reverse("messaging:opt_out_list")).status_code == 403
    services.recipient_opt_out(phone="+221781119999", actor=world.national)
    r = client.post(reverse("messaging:opt_out_lift"), {"phone": "+221781119999"})
    assert r.status_code == 403 and Recipient.objects.get().opted_out


def test_the_editor_counts_each_languages_parts_160_gsm_or_70_ucs2(client, world):
    """Point 7: the counter shown under each text (before any script runs) says the
    characters, encoding and SMS parts of its example (placeholders filled): 161 GSM-7
    characters are 2 SMS, 70 UCS-2 one."""
    client.force_login(world.national)
    url = reverse("messaging:template_edit", args=["loan_reminder_before"])
    french = "Rappel : " + "x" * (161 - len("Rappel : "))  # no placeholder: the example is
    wolof = "Ñaari fay " + "ë" * (70 - len("Ñaari fay "))  # the text itself
    assert client.post(url, {"fr": french, "wo": wolof}).status_code == 302
    body = client.get(url).content.decode()
    counters = {
        lang: body.split(f'data-testid="counter-{lang}">')[1].split("</p>")[0]
        for lang in ("fr", "wo")
    }
    assert counters == {
        "fr": "161 caractères (GSM7) : 2 SMS",
        "wo": "70 caractères (UCS2) : 1 SMS",
    }
