"""Issue 20, points 2 and 9: a registering organisation proves its contact with a code,
by e-mail or (no e-mail) by SMS through the messaging app's gateway; wrong codes and
new codes are limited."""

import datetime

import pytest
from django.core import mail

from core.errors import Conflict, DomainError, ValidationFailed
from network import services
from network.models import Organisation

PHONE = "+221771234567"


def _register(**kw):
    values = {"name": "GIE Jappo", "kind": "gie", "country": "SN", "city": "Kaolack",
              "sectors": ["commerce"], "phone": "77 123 45 67"}  # fmt: skip
    values.update(kw)
    return services.organisation_register(**values)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_without_an_email_the_code_goes_by_sms_through_the_gateway(sms_gateway, client):
    org, _code = _register()
    assert not mail.outbox
    [sms] = sms_gateway.messages
    assert sms["to"] == PHONE and "GIE Jappo" in sms["text"]
    code = sms["text"].rsplit(" ", 1)[1]
    assert len(code) == 6 and code.isdigit()
    response = client.post(f"/reseau/inscription/{org.slug}/code/", {"code": code})
    assert response.status_code == 200
    org.refresh_from_db()
    assert org.contact_verified_at is not None


@pytest.mark.django_db
def test_with_an_email_the_code_goes_by_email(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        org, code = _register(email="jappo@example.org")
    assert code in mail.outbox[0].body and mail.outbox[0].to == ["jappo@example.org"]


@pytest.mark.django_db
def test_wrong_codes_void_the_code_and_new_codes_are_limited(settings, client):
    settings.NETWORK_CODE_ATTEMPTS = 3
    settings.NETWORK_CODES_PER_HOUR = 2
    org, code = _register()
    for _ in range(3):
        with pytest.raises(ValidationFailed) as exc:
            services.organisation_verify_contact(organisation=org, code="000000")
        assert exc.value.code == "bad_code"
    # three wrong codes: even the right one is refused now, until a new one is sent
    with pytest.raises(Conflict) as exc:
        services.organisation_verify_contact(organisation=org, code=code)
    assert exc.value.code == "code_expired"
    assert Organisation.objects.get(pk=org.pk).contact_verified_at is None
    response = client.post(f"/reseau/inscription/{org.slug}/nouveau-code/")
    assert response.status_code == 302
    with pytest.raises(DomainError) as exc:  # the first send and one more: the limit
        services.organisation_code_resend(organisation=org)
    assert exc.value.code == "rate_limited" and exc.value.status == 429
    page = client.post(f"/reseau/inscription/{org.slug}/nouveau-code/", follow=True)
    assert "Trop de codes" in page.content.decode()
    # an hour later, a new code works
    org.refresh_from_db()
    Organisation.objects.filter(pk=org.pk).update(
        verification_sent_at=org.verification_sent_at - datetime.timedelta(hours=2)
    )
    fresh = services.organisation_code_resend(organisation=org)
    services.organisation_verify_contact(organisation=org, code=fresh)
    assert Organisation.objects.get(pk=org.pk).contact_verified_at is not None
    with pytest.raises(Conflict) as exc:
        services.organisation_code_resend(organisation=org)
    assert exc.value.code == "already_verified"
