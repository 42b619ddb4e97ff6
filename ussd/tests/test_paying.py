"""Pay my instalment from the USSD menu: a loan_repayment payment through the Wave
sandbox, started with the member's login, and the link sent by SMS."""

import pytest

from messaging.models import SmsMessage
from payments.models import PaymentIntent
from ussd.tests.conftest import PHONE, PIN

pytestmark = pytest.mark.django_db


@pytest.fixture
def providers(sandboxes, settings):
    for name in ("wave", "orange_money"):
        sandbox = sandboxes[name].sandbox
        for key, value in sandbox.settings_for(sandbox.url).items():
            setattr(settings, key, value)
    settings.SMS_BACKEND = "messaging.backends.ConsoleBackend"
    from django.core.cache import cache

    cache.clear()


def test_pay_my_instalment_by_wave(member, dial, providers):
    inst = member.loan.instalments.get(number=1)
    amount = f"{inst.total_due:,}".replace(",", " ")
    status, choose = dial(f"1*{PIN}*4")
    assert (
        choose
        == f"CON Payer {amount} F (pret no {member.loan.pk}) avec :\n1. Wave\n2. Orange Money"
    )
    assert dial(f"1*{PIN}*4*1")[1] == f"CON Payer {amount} F avec Wave ?\n1. Oui\n2. Non"
    status, done = dial(f"1*{PIN}*4*1*1")
    intent = PaymentIntent.objects.get()
    assert (
        done
        == f"END Demande envoyée (réf. {intent.reference}). Un SMS vous donne le lien pour payer."
    )
    assert (intent.purpose, intent.target_id, intent.amount, intent.provider) == (
        "loan_repayment",
        member.loan.pk,
        inst.total_due,
        "wave",
    )
    assert intent.phone == PHONE and intent.created_by == member.person.ussd_pin.user
    sms = SmsMessage.objects.get(kind="ussd_payment_link")
    assert intent.checkout_url in sms.text and sms.phone == PHONE
    # the aggregator retries the last step: the same answer, no second payment
    assert dial(f"1*{PIN}*4*1*1")[1] == done and PaymentIntent.objects.count() == 1


def test_pay_by_orange_money_in_wolof_and_cancel(member, dial, providers):
    status, choose = dial(f"2*{PIN}*4", session="wo")
    assert choose.startswith("CON Fay ") and choose.endswith("2. Orange Money")
    assert dial(f"2*{PIN}*4*2", session="wo")[1].startswith("CON Fay ")
    assert dial(f"2*{PIN}*4*2*2", session="wo")[1] == "END Fay bi neenal nañu ko."
    assert not PaymentIntent.objects.exists()
    status, done = dial(f"{PIN}*4*2*1", session="wo2")
    assert done.startswith("END Yónne nanu sa laaj") or done.startswith("END Y")
    assert PaymentIntent.objects.get().provider == "orange_money"


def test_invalid_provider_choice(member, dial, providers):
    assert dial(f"1*{PIN}*4*9")[1] == "END Choix invalide. Recommencez."
