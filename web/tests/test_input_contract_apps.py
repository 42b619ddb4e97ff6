"""Issue 14, point 2, for the newer apps (payments, messaging, ussd, purchasing, health):
their write services declare ``@service(texts=..., event_dates=..., amounts=...)`` like
the older apps, and their API answers a too-long text, a NUL, a future date or a huge
amount with 400, the stable code and the field, never a 500 nor a stored value (SQLite
and PostgreSQL)."""

import datetime
import json

import pytest

from core.errors import ValidationFailed
from core.money import MAX_AMOUNT

HUGE = MAX_AMOUNT + 1  # beyond the documented maximum (core.money.MAX_AMOUNT)
BEYOND_64_BITS = 10**20
FUTURE = "2999-01-01"


def _post(client, path, body, **headers):
    return client.post(path, json.dumps(body), content_type="application/json", headers=headers)


def assert_refused(response, codes, field):
    assert response.status_code == 400, response.content
    body = response.json()
    codes = (codes,) if isinstance(codes, str) else codes
    assert body["code"] in codes, body
    assert body["field"] == field, body
    assert body["message"]


# ---------------------------------------------------------------- health


@pytest.fixture
def health(world):
    from health.tests.factories import enrolled, mutual_agent, scheme_of_example

    scheme = scheme_of_example(world.national)
    agent = mutual_agent(world.national, scheme)
    household = enrolled(agent, scheme, world.coop_tc)
    return scheme, household, agent


def test_health_scheme(world, api_client):
    from health.models import Scheme

    api = api_client(world.national)
    good = {"name": "Mutuelle de Thiès", "country": "SN", "joining_fee": 1000}
    good["monthly_contribution"] = 500
    cases = [
        ({"name": "x" * 161}, "too_long", "name"),
        ({"name": "Mutuelle\x00"}, "invalid_character", "name"),
        ({"joining_fee": HUGE}, "amount_out_of_range", "joining_fee"),
        ({"monthly_contribution": BEYOND_64_BITS}, "out_of_range", "monthly_contribution"),
        ({"annual_ceiling": -1}, "amount_out_of_range", "annual_ceiling"),
    ]
    before = Scheme.objects.count()
    for change, code, field in cases:
        assert_refused(_post(api, "/api/v1/health/schemes", {**good, **change}), code, field)
    assert Scheme.objects.count() == before
    assert _post(api, "/api/v1/health/schemes", good).status_code == 201


def test_health_contribution(world, api_client, health):
    from health.models import Contribution

    _scheme, household, agent = health
    api = api_client(agent)
    path = f"/api/v1/health/households/{household.pk}/contributions"
    good = {"amount": 2200, "paid_on": "2026-01-02", "channel": "cash"}
    cases = [
        ({"paid_on": FUTURE}, "date_out_of_range", "paid_on"),
        ({"paid_on": "1899-12-31"}, "date_out_of_range", "paid_on"),
        ({"amount": HUGE}, "amount_out_of_range", "amount"),
        ({"reference": "r" * 81}, "too_long", "reference"),
        ({"reference": "ref\x00"}, "invalid_character", "reference"),
    ]
    before = Contribution.objects.count()
    for change, code, field in cases:
        assert_refused(_post(api, path, {**good, **change}), code, field)
    assert Contribution.objects.count() == before


def test_health_services_declare_their_inputs(world, health):
    from health import services

    scheme, household, agent = health
    with pytest.raises(ValidationFailed) as info:
        services.provider_create(actor=world.national, name="p" * 161)
    assert (info.value.code, info.value.field) == ("too_long", "name")
    with pytest.raises(ValidationFailed) as info:
        services.household_enrol(
            actor=agent,
            scheme=scheme,
            head=household.head,
            enrolled_on=datetime.date(2999, 1, 1),
        )
    assert (info.value.code, info.value.field) == ("date_out_of_range", "enrolled_on")


# ---------------------------------------------------------------- purchasing


def test_purchasing_market_price(world, api_client):
    from purchasing.models import MarketPrice
    from purchasing.tests.factories import market

    m = market(world)
    api = api_client(world.agent_th)
    good = {"product": m.rice.product_id, "area": "SN-TH", "price": 15000}
    good |= {"observed_on": "2026-03-02", "source": "Relevé du marché de Thiès"}
    cases = [
        ({"observed_on": FUTURE}, "date_out_of_range", "observed_on"),
        ({"price": HUGE}, "amount_out_of_range", "price"),
        ({"price": BEYOND_64_BITS}, "out_of_range", "price"),
        ({"source": "s" * 121}, "too_long", "source"),
        ({"source": "bulletin\x00"}, "invalid_character", "source"),
    ]
    before = MarketPrice.objects.count()
    for change, code, field in cases:
        assert_refused(_post(api, "/api/v1/prices", {**good, **change}), code, field)
    assert MarketPrice.objects.count() == before
    assert _post(api, "/api/v1/prices", good).status_code == 201


def test_purchasing_supplier(world, api_client):
    api = api_client(world.national)
    good = {"name": "Intrants du Sine"}
    cases = [
        ({"name": "n" * 201}, "too_long", "name"),
        ({"contact_name": "c" * 121}, "too_long", "contact_name"),
        ({"address": "a" * 256}, "too_long", "address"),
    ]
    for change, code, field in cases:
        assert_refused(_post(api, "/api/v1/suppliers", {**good, **change}), code, field)


# ---------------------------------------------------------------- payments


def test_payments_start(world, api_client):
    from payments.models import PaymentIntent

    api = api_client(world.national)
    good = {"purpose": "loan_repayment", "target": 1, "amount": 1000}
    good |= {"phone": "+221771234567", "provider": "wave"}
    assert_refused(
        _post(api, "/api/v1/payments", {**good, "amount": BEYOND_64_BITS}),
        ("out_of_range", "amount_out_of_range"),
        "amount",
    )
    assert_refused(
        _post(api, "/api/v1/payments", {**good, "amount": HUGE}), "amount_out_of_range", "amount"
    )
    assert_refused(
        _post(api, "/api/v1/payments", {**good, "phone": "77\x00"}), "invalid_character", "phone"
    )
    assert not PaymentIntent.objects.exists()


def test_payments_services_declare_their_inputs(world):
    from payments import services

    with pytest.raises(ValidationFailed) as info:
        services.payment_start(
            purpose="p" * 33,
            target_id=1,
            amount=1000,
            phone="+221771234567",
            provider="wave",
            actor=world.national,
        )
    assert (info.value.code, info.value.field) == ("too_long", "purpose")
    with pytest.raises(ValidationFailed) as info:
        services.payout_request(
            kind="refund",
            provider="wave",
            amount=1000,
            phone="+221771234567",
            name="n" * 101,
            reason="Remboursement",
            actor=world.national,
        )
    assert (info.value.code, info.value.field) == ("too_long", "name")


# ---------------------------------------------------------------- messaging


def test_messaging_inbound_sms(world, client, settings):
    from messaging.models import InboundSms

    settings.SMS_CALLBACK_TOKEN = "cb-secret"
    token = {"X-Gateway-Token": "cb-secret"}
    good = {"id": "gw-1", "from": "+221771234567", "text": "Merci"}
    assert_refused(
        _post(client, "/api/v1/sms/inbound", {**good, "text": "t" * 641}, **token),
        "too_long",
        "text",
    )
    assert_refused(
        _post(client, "/api/v1/sms/inbound", {**good, "text": "STOP\x00"}, **token),
        "invalid_character",
        "text",
    )
    assert not InboundSms.objects.exists()
    assert _post(client, "/api/v1/sms/inbound", good, **token).status_code == 200


def test_messaging_opt_out_reason(world):
    from messaging import services

    with pytest.raises(ValidationFailed) as info:
        services.recipient_opt_out(phone="+221771234567", reason="r" * 201, actor=world.national)
    assert (info.value.code, info.value.field) == ("too_long", "reason")


# ---------------------------------------------------------------- ussd


def test_ussd_step(world, client, settings):
    settings.USSD_SHARED_SECRET = "test-ussd-secret"
    settings.USSD_ALLOWED_IPS = []
    headers = {"X-Ussd-Secret": "test-ussd-secret"}
    good = {"sessionId": "s1", "serviceCode": "*123#", "phoneNumber": "+221771234567"}
    response = client.post("/api/v1/ussd/generic", {**good, "text": "1\x00"}, headers=headers)
    assert_refused(response, "invalid_character", "text")
    response = client.post(
        "/api/v1/ussd/generic", {**good, "sessionId": "s" * 101, "text": ""}, headers=headers
    )
    # refused before any session is opened; under /api/v1/ the answer is the JSON contract
    assert response.status_code == 400 and response.json()["code"] == "bad_request"
    from ussd.models import UssdSession

    assert not UssdSession.objects.exists()


def test_ussd_session_declares_its_inputs(world):
    from ussd import services

    with pytest.raises(ValidationFailed) as info:
        services.session_open(
            provider="generic",
            session_id="s" * 101,
            phone="+221771234567",
            person_id=None,
            language="fr",
        )
    assert (info.value.code, info.value.field) == ("too_long", "session_id")
