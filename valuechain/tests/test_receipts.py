"""The receipt of a sale by SMS (issue 17, point 5): sent once after the sale commits (a
replayed sale sends nothing), in the kind's template; sent again from the sale's page by
the shop's operator only; an invalid number is refused with a French message."""

import datetime
import uuid

import pytest
from django.utils import timezone

from core.money import format_xof
from messaging.models import SmsMessage
from valuechain import services
from valuechain.tests.factories import chain, flour_at_shop

pytestmark = pytest.mark.django_db


def sale_with_phone(c, flour, uid, phone="77 123 45 67"):
    return services.sale_record(
        actor=c.cashier,
        client_uuid=uid,
        site=c.shop,
        sold_at=timezone.now() - datetime.timedelta(minutes=5),
        lines=[(flour, 2, 600)],
        payments=[("cash", 1200, "")],
        buyer_phone=phone,
    )


def test_a_sale_with_the_buyers_phone_sends_its_receipt_once(
    world, django_capture_on_commit_callbacks
):
    c = chain(world)
    _m, flour = flour_at_shop(c)
    uid = uuid.uuid4()
    with django_capture_on_commit_callbacks(execute=True):
        sale, created = sale_with_phone(c, flour, uid)
    with django_capture_on_commit_callbacks(execute=True):
        again, replayed = sale_with_phone(c, flour, uid)
    assert (created, replayed, again.pk) == (True, False, sale.pk)
    sms = SmsMessage.objects.get(kind="sale_receipt")
    assert sms.phone == "+221771234567" and sms.cooperative_id == c.shop_coop.pk
    assert f"ticket n° {sale.receipt_number}" in sms.text and flour.code in sms.text
    assert format_xof(1200) in sms.text and "2 × Farine de mil" in sms.text
    with django_capture_on_commit_callbacks(execute=True):
        sale_with_phone(c, flour, uuid.uuid4(), phone="12")  # not a number: no SMS, a sale
    assert SmsMessage.objects.count() == 1 and c.shop.sales.count() == 2


def test_the_sale_page_sends_the_receipt_again(world, client):
    c = chain(world)
    _m, flour = flour_at_shop(c)
    sale, _ = sale_with_phone(c, flour, uuid.uuid4(), phone="")
    url = f"/filiere/ventes/{sale.pk}/sms/"
    client.force_login(c.cashier)
    assert "Envoyer le ticket par SMS" in client.get(f"/filiere/ventes/{sale.pk}/").content.decode()
    sent = client.post(url, {"phone": "77 765 43 21"}, follow=True)
    assert "Ticket envoyé par SMS." in sent.content.decode()
    assert SmsMessage.objects.get(kind="sale_receipt").phone == "+221777654321"
    bad = client.post(url, {"phone": "12"}, follow=True)
    assert "Numéro de téléphone invalide" in bad.content.decode()
    client.force_login(world.agent_mbour)
    assert client.post(url, {"phone": "77 765 43 21"}).status_code == 403
    assert SmsMessage.objects.count() == 1
