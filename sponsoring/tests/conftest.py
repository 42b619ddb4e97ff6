"""Sponsoring's cast: the network's administrator, Senegal's moderator, an advertiser of
Senegal (an approved organisation and its account), another of Mali, an outsider; a
booking through the service; a payment as the provider confirms it (the intent recorded,
its success applied by payments' own service), or through the Wave sandbox."""

import datetime
import secrets

import pytest

from accounts.tests.factories import UserFactory
from core import dates
from network import services as net
from network.models import StaffRole
from payments.models import PaymentIntent
from payments.providers.base import SUCCEEDED, PaymentState
from payments.services import payment_state_apply
from payments.tests.conftest import completed, wave, wave_post  # noqa: F401 - fixtures
from sponsoring import services
from tenders.tests.conftest import approved_org


@pytest.fixture
def cast(db):
    root = UserFactory(username="sp-root", is_superuser=True)
    admin = UserFactory(username="sp-admin")
    net.staff_assign(actor=root, user=admin, role=StaffRole.ADMIN)
    moderator = UserFactory(username="sp-mod-sn")
    net.staff_assign(actor=admin, user=moderator, role=StaffRole.MODERATOR, country="SN")
    moderator_ml = UserFactory(username="sp-mod-ml")
    net.staff_assign(actor=admin, user=moderator_ml, role=StaffRole.MODERATOR, country="ML")
    user_sn, user_ml = UserFactory(username="sp-sn"), UserFactory(username="sp-ml")
    org_sn = approved_org(user_sn, admin, name="Mutuelle solidaire de Thiès")
    org_ml = approved_org(user_ml, admin, name="Union des caisses de Mopti", country="ML")
    outsider = UserFactory(username="sp-outsider")
    return type("Cast", (), {
        "admin": admin, "moderator": moderator, "moderator_ml": moderator_ml,
        "user_sn": user_sn, "user_ml": user_ml, "org_sn": org_sn, "org_ml": org_ml,
        "outsider": outsider,
    })  # fmt: skip


def book(cast, **kw):
    today = dates.today()
    values = {
        "format": "announcement", "title": "Microassurance santé pour vos membres",
        "text": "Une **offre** pour les mutuelles.", "link": "https://mutuelle-thies.example.org/offre",
        "placements": ["directory"], "countries": ["SN"], "starts_on": today,
        "ends_on": today + datetime.timedelta(days=9),
    }  # fmt: skip
    values.update(kw)
    actor = values.pop("actor", cast.user_sn)
    advertiser = values.pop("advertiser", cast.org_sn)
    return services.booking_create(actor=actor, advertiser=advertiser, **values)


def pay(booking, amount=None):
    """The booking paid as the provider confirms it (payments' own path, no HTTP)."""
    intent = PaymentIntent.objects.create(
        purpose="sponsoring", target_id=booking.pk, target_label=booking.title,
        amount=booking.price if amount is None else amount, phone="+221779001234",
        provider="wave", reference="SP" + secrets.token_hex(6).upper(),
        created_by=booking.created_by,
    )  # fmt: skip
    state = PaymentState(status=SUCCEEDED, reference=intent.reference, amount=intent.amount,
                         currency="XOF", transaction_id="TX-" + intent.reference)  # fmt: skip
    payment_state_apply(intent_id=intent.pk, state=state, source="test")
    booking.refresh_from_db()
    return intent


def live(cast, **kw):
    """A booking paid and approved by Senegal's moderator."""
    booking = book(cast, **kw)
    pay(booking)
    return services.booking_moderate(actor=cast.moderator, booking=booking, decision="approve")


def pay_by_phone(client, cast, booking):
    intent = services.booking_payment_start(
        actor=cast.user_sn, booking=booking, phone="77 900 12 34", provider="wave"
    )
    intent = PaymentIntent.objects.get(pk=intent.pk)
    response = wave_post(client, completed(intent, event_id=f"SP{intent.pk}"))
    assert response.status_code == 200, response.content
    booking.refresh_from_db()
    return response.json()["outcome"]
