"""Events' cast: the network's administrator, an organiser organisation of Senegal with
its account, a participant organisation of Mali with its account, an outsider; an event
in a week; paying a fee through the Wave sandbox (a signed webhook, as Wave sends it)."""

import datetime

import pytest
from django.utils import timezone

from accounts.tests.factories import UserFactory
from events import services
from network import services as net
from network.models import StaffRole
from payments.models import PaymentIntent
from payments.tests.conftest import completed, wave, wave_post  # noqa: F401 - fixtures
from tenders.tests.conftest import approved_org


@pytest.fixture
def cast(db):
    root = UserFactory(username="ev-root", is_superuser=True)
    admin = UserFactory(username="ev-admin")
    net.staff_assign(actor=root, user=admin, role=StaffRole.ADMIN)
    user_sn, user_ml = UserFactory(username="ev-sn"), UserFactory(username="ev-ml")
    org_sn = approved_org(user_sn, admin, name="Institut sénégalais de l'ESS")
    org_ml = approved_org(user_ml, admin, name="Union des caisses de Mopti", country="ML")
    outsider = UserFactory(username="ev-outsider")
    return type("Cast", (), {
        "admin": admin, "user_sn": user_sn, "user_ml": user_ml, "org_sn": org_sn,
        "org_ml": org_ml, "outsider": outsider,
    })  # fmt: skip


def publish(cast, **kw):
    start = timezone.now() + datetime.timedelta(days=7)
    values = {
        "kind": "course", "title": "Gouvernance des mutuelles de santé",
        "description": "Trois jours de **formation**.", "country": "SN", "place": "Dakar",
        "starts_at": start, "ends_at": start + datetime.timedelta(days=2), "capacity": 30,
        "fee": 0,
    }  # fmt: skip
    values.update(kw)
    return services.event_publish(actor=cast.user_sn, organiser=cast.org_sn, **values)


def register(cast, event, user=None, org=None):
    return services.registration_create(
        actor=user or cast.user_ml, event=event, organisation=org or cast.org_ml,
        participant_name="Oumou Sangaré",
    )  # fmt: skip


def pay_by_phone(client, cast, registration):
    intent = services.fee_payment_start(
        actor=cast.user_ml, registration=registration, phone="77 900 12 34", provider="wave"
    )
    intent = PaymentIntent.objects.get(pk=intent.pk)
    response = wave_post(client, completed(intent, event_id=f"EV{intent.pk}"))
    assert response.status_code == 200, response.content
    return response.json()["outcome"]
