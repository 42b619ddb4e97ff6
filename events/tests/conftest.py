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


def pay_by_phone(client, cast, registration, actor=None):
    intent = services.fee_payment_start(
        actor=actor or cast.user_ml, registration=registration, phone="77 900 12 34",
        provider="wave",
    )  # fmt: skip
    intent = PaymentIntent.objects.get(pk=intent.pk)
    response = wave_post(client, completed(intent, event_id=f"EV{intent.pk}"))
    assert response.status_code == 200, response.content
    return response.json()["outcome"]


PAYOUT_PHONE, FAILING_PHONE = "+221775550202", "+221775550000"  # the sandbox fails ...0000


def ended_event(cast, *, fee=10_000, capacity=30, payout_phone=PAYOUT_PHONE):
    """An event that took place last week (published and registered for before it began:
    the services' ``now``), its organiser paid on ``payout_phone``."""
    from network.models import Organisation

    Organisation.objects.filter(pk=cast.org_sn.pk).update(
        payout_phone=payout_phone, payout_provider="wave"
    )
    cast.org_sn.refresh_from_db()
    start = timezone.now() - datetime.timedelta(days=7)
    before = start - datetime.timedelta(days=30)
    return services.event_publish(
        actor=cast.user_sn, organiser=cast.org_sn, kind="forum", now=before,
        title="Forum de l'ESS de Kaolack", description="Deux jours.", country="SN",
        place="Kaolack", starts_at=start, ends_at=start + datetime.timedelta(days=1),
        capacity=capacity, fee=fee,
    )  # fmt: skip


def register_before(cast, event, user, org, name="Oumou Sangaré"):
    return services.registration_create(
        actor=user, event=event, organisation=org, participant_name=name,
        now=event.starts_at - datetime.timedelta(days=1),
    )  # fmt: skip


@pytest.fixture
def paid_event(cast, client, request):
    """An ended event with two fees of 10,000 F paid through the Wave sandbox (Mali's
    organisation and the organiser's own account)."""
    request.getfixturevalue("wave")
    event = ended_event(cast)
    for user, org, name in ((cast.user_ml, cast.org_ml, "Oumou Sangaré"),
                            (cast.user_sn, cast.org_sn, "Awa Diop")):  # fmt: skip
        reg = register_before(cast, event, user, org, name)
        assert pay_by_phone(client, cast, reg, actor=user)
    return event
