import pytest

from demo.messaging_data import DEMO_USSD_PHONE, DEMO_USSD_PIN
from messaging.rendering import template_texts


@pytest.mark.django_db(transaction=True)
def test_the_demo_member_reaches_the_menu_with_the_printed_pin(demo_data, client, settings):
    settings.USSD_SHARED_SECRET = "demo-ussd-secret"
    assert any(DEMO_USSD_PHONE in line and DEMO_USSD_PIN in line for line in demo_data)
    assert template_texts("loan_reminder_before")["wo"].startswith("SunuCoop: sa fay")
    headers = {"X-Ussd-Secret": "demo-ussd-secret"}
    form = {"sessionId": "demo", "phoneNumber": DEMO_USSD_PHONE, "serviceCode": "*1#"}
    for text in ("", "1", f"1*{DEMO_USSD_PIN}"):
        r = client.post("/api/v1/ussd/generic", {**form, "text": text}, headers=headers)
    assert r.content.decode().startswith("CON 1. Ma prochaine")
    r = client.post(
        "/api/v1/ussd/generic", {**form, "text": f"1*{DEMO_USSD_PIN}*1"}, headers=headers
    )
    assert r.content.decode().startswith("END Pret no ")
