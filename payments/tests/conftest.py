import datetime as dt
import json
import time

import pytest

from payments import services
from payments.models import PaymentIntent
from payments.providers.wave import sign


@pytest.fixture
def wave(sandboxes, settings):
    """The Wave sandbox of the session; the app's Wave settings point at it."""
    sandbox = sandboxes["wave"].sandbox
    for key, value in sandbox.settings_for(sandbox.url).items():
        setattr(settings, key, value)
    settings.WAVE_WEBHOOK_SECRETS_PREVIOUS = []
    return sandbox


def wave_post(client, event: dict, *, secret="test-wave-secret", t=None, header=None):
    body = json.dumps(event).encode()
    t = int(time.time()) if t is None else t
    signature = header if header is not None else sign(secret, body, t)
    return client.post(
        "/api/v1/webhooks/wave",
        data=body,
        content_type="application/json",
        headers={"Wave-Signature": signature},
    )


def completed(intent, *, event_id="AE_1", amount=None, currency="XOF", status="succeeded"):
    """A Wave ``checkout.session.completed`` event for ``intent``."""
    return {
        "id": event_id,
        "type": "checkout.session.completed",
        "data": {
            "id": intent.provider_session_id,
            "amount": str(intent.amount if amount is None else amount),
            "currency": currency,
            "client_reference": intent.reference,
            "checkout_status": "complete",
            "payment_status": status,
            "transaction_id": "TX" + event_id,
            "when_completed": "2026-03-02T10:00:00Z",
        },
    }


# --- shared by several test modules (fixtures live here, never imported between modules)


def start(credit, actor=None, loan=None, amount=50_000, phone="77 123 45 67", **kw):
    return services.payment_start(
        purpose=kw.pop("purpose", "loan_repayment"),
        target_id=(loan or credit.loan_person).pk,
        amount=amount,
        phone=phone,
        provider=kw.pop("provider", "wave"),
        actor=actor or credit.w.member,
    )


@pytest.fixture
def orange(sandboxes, settings):
    sandbox = sandboxes["orange_money"].sandbox
    for key, value in sandbox.settings_for(sandbox.url).items():
        setattr(settings, key, value)
    from django.core.cache import cache

    cache.clear()  # no token of another test
    sandbox.notifications_on = False  # these tests post the notifications themselves
    yield sandbox
    sandbox.notifications_on = True


STATEMENT = """\ufeffdate;transaction_id;montant;frais;reference;telephone
2026-03-02T09:10:00Z;T1;15000;150;{a};+221771111111
2026-03-02T10:00:00Z;T2;20000;200;;+221772222222
2026-03-02T11:30:00Z;T3;5000;50;;+221773333333
2026-03-02T12:00:00Z;T4;7000;70;;+221776666666
2026-03-02T15:00:00Z;T5;-10000;100;{p};+221775555555
"""


@pytest.fixture
def example(client, credit, wave, settings):
    """The payments of the worked example (docs/payments.md, "Worked example")."""
    w, loan = credit.w, credit.loan_tc
    a = start(credit, actor=w.officer, loan=loan, amount=15_000, phone="771111111")
    b = start(credit, actor=w.officer, loan=loan, amount=20_000, phone="772222222")
    c = start(credit, actor=w.officer, loan=loan, amount=5_000, phone="773333333")
    d = start(credit, actor=w.officer, loan=loan, amount=7_000, phone="774444444")
    assert wave_post(client, completed(a, event_id="EA")).json()["outcome"] == "applied"
    event_b = completed(b, event_id="EB")
    event_b["data"]["transaction_id"] = "T2"
    assert wave_post(client, event_b).json()["outcome"] == "applied"
    # c's and d's webhooks never came: both still pending
    PaymentIntent.objects.filter(pk__in=[c.pk, d.pk]).update(
        created_at=dt.datetime(2026, 3, 2, 11, 0, tzinfo=dt.UTC)
    )
    settings.PAYMENTS_PAYOUT_APPROVAL_THRESHOLD = 100_000
    p = services.payout_request(
        kind="settlement",
        provider="wave",
        amount=10_000,
        phone="775555555",
        name="Fatou Diop",
        reason="Dépôt-vente février",
        actor=w.national,
        cooperative=w.coop_tc,
    )
    p = services.payout_send(payout=p, actor=w.national)
    text = STATEMENT.format(a=a.reference, p=p.reference).encode()
    return {"a": a, "b": b, "c": c, "d": d, "p": p, "file": text}
