"""The endpoint's guards: shared secret, allow-list, rate limit, bad input never 500."""

import pytest

from ussd.tests.conftest import PHONE

pytestmark = pytest.mark.django_db

FORM = {"sessionId": "s1", "serviceCode": "*123#", "phoneNumber": PHONE, "text": ""}


def test_refused_without_any_guard_configured(client, settings):
    settings.USSD_SHARED_SECRET = ""
    settings.USSD_ALLOWED_IPS = []
    r = client.post("/api/v1/ussd/generic", FORM)
    assert (r.status_code, r.json()["code"]) == (403, "forbidden")  # JSON: the API error contract


@pytest.mark.parametrize(
    "headers,query", [({}, ""), ({"X-Ussd-Secret": "wrong"}, ""), ({}, "?secret=wrong")]
)
def test_a_wrong_or_missing_secret_is_refused(client, ussd_settings, headers, query):
    r = client.post(f"/api/v1/ussd/generic{query}", FORM, headers=headers)
    assert r.status_code == 403


def test_the_secret_in_the_header_or_the_query(member, client):
    r = client.post("/api/v1/ussd/generic?secret=test-ussd-secret", FORM)
    assert r.status_code == 200 and r.content.decode().startswith("CON ")
    r = client.post(
        "/api/v1/ussd/africastalking", FORM, headers={"X-Ussd-Secret": "test-ussd-secret"}
    )
    assert r.status_code == 200


def test_allow_list_alone(member, client, settings):
    settings.USSD_SHARED_SECRET = ""
    settings.USSD_ALLOWED_IPS = ["10.1.2.3"]
    assert client.post("/api/v1/ussd/generic", FORM).status_code == 403
    r = client.post("/api/v1/ussd/generic", FORM, REMOTE_ADDR="10.1.2.3")
    assert r.status_code == 200


def test_rate_limit_per_phone(member, client, settings):
    settings.USSD_RATE_LIMIT_PER_PHONE = 3
    headers = {"X-Ussd-Secret": "test-ussd-secret"}
    codes = [
        client.post("/api/v1/ussd/generic", FORM, headers=headers).status_code for _ in range(5)
    ]
    assert codes == [200, 200, 200, 429, 429]
    other = {**FORM, "phoneNumber": "+221780000001"}
    assert client.post("/api/v1/ussd/generic", other, headers=headers).status_code == 200


def test_unknown_provider_and_bad_forms(client, ussd_settings):
    headers = {"X-Ussd-Secret": "test-ussd-secret"}
    assert client.post("/api/v1/ussd/nope", FORM, headers=headers).status_code == 404
    r = client.post("/api/v1/ussd/generic", {"text": ""}, headers=headers)
    assert r.status_code == 400 and r.json()["field"].endswith(("sessionId", "phoneNumber"))
    for bad in (
        {**FORM, "sessionId": "x" * 101},
        {**FORM, "sessionId": "a\x00"},
        {**FORM, "text": "1\x00"},
        {**FORM, "phoneNumber": "\x00"},
    ):
        r = client.post("/api/v1/ussd/generic", bad, headers=headers)
        assert r.status_code in (200, 400) and r.content.decode().startswith(("END", "{"))
