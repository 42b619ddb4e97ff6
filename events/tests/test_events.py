"""The network's training and events: publishing (bad input per field), registration
(capacity, once), the fee paid by phone through the Wave sandbox, attendance, the PDF
certificate, replays and documents for the participants, the ILO catalogue offered."""

import datetime

import pytest
from django.utils import timezone

from core.errors import Conflict, Forbidden, NotFound, ValidationFailed
from events import selectors, services
from events.models import Event
from events.tests.conftest import pay_by_phone, publish, register
from training.models import Module

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "bad, field",
    [
        ({"kind": "party"}, "kind"),
        ({"country": "FR"}, "country"),
        ({"starts_at": timezone.now() - datetime.timedelta(hours=1)}, "starts_at"),
        ({"ends_at": timezone.now()}, "ends_at"),
        ({"capacity": 0}, "capacity"),
        ({"title": " "}, "title"),
        ({"fee": -1}, "fee"),
    ],
)
def test_bad_events_are_refused_on_their_field(cast, bad, field):
    with pytest.raises(ValidationFailed) as exc:
        publish(cast, **bad)
    assert exc.value.field == field


def test_only_an_approved_organisations_account_publishes(cast):
    with pytest.raises(Forbidden):
        services.event_publish(
            actor=cast.outsider, organiser=cast.org_sn, kind="forum", title="T",
            description="D", country="SN", place="Dakar", capacity=1,
            starts_at=timezone.now() + datetime.timedelta(days=1),
            ends_at=timezone.now() + datetime.timedelta(days=2),
        )  # fmt: skip
    module = Module.objects.filter(active=True).first()
    event = publish(cast, module=module)
    assert event.module == module
    assert module in selectors.ilo_catalogue()


def test_free_registration_is_confirmed_once_within_capacity(cast):
    event = publish(cast, capacity=1)
    reg = register(cast, event)
    assert reg.status == "confirmed" and services.amount_due(reg) == 0
    with pytest.raises(Conflict) as exc:
        register(cast, event)
    assert exc.value.code == "already_registered"
    with pytest.raises(Conflict) as exc:
        register(cast, event, user=cast.user_sn, org=cast.org_sn)
    assert exc.value.code == "full"
    with pytest.raises(Forbidden):  # not its organisation
        register(cast, event, user=cast.outsider)


def test_the_fee_paid_by_phone_confirms_the_seat(client, cast, wave):
    event = publish(cast, fee=15_000)
    reg = register(cast, event)
    assert reg.status == "awaiting_payment" and services.amount_due(reg) == 15_000
    with pytest.raises(NotFound):  # someone else's registration
        services.fee_payment_start(
            actor=cast.outsider, registration=reg, phone="77 900 12 34", provider="wave"
        )
    assert pay_by_phone(client, cast, reg) == "applied"
    reg.refresh_from_db()
    assert (reg.status, reg.paid, services.amount_due(reg)) == ("confirmed", 15_000, 0)
    with pytest.raises(Conflict):  # nothing due any more
        pay_by_phone(client, cast, reg)


def test_attendance_certificate_and_resources(client, cast):
    event = publish(cast)
    reg = register(cast, event)
    with pytest.raises(Conflict):  # not started yet
        services.attendance_mark(actor=cast.user_sn, registration=reg, attended=True)
    Event.objects.filter(pk=event.pk).update(starts_at=timezone.now())
    with pytest.raises(NotFound):  # the participant does not mark itself
        services.attendance_mark(actor=cast.user_ml, registration=reg, attended=True)
    client.force_login(cast.user_ml)
    assert (
        client.get(f"/reseau/evenements/inscriptions/{reg.pk}/attestation.pdf").status_code == 404
    )
    services.attendance_mark(actor=cast.user_sn, registration=reg, attended=True)
    pdf = client.get(f"/reseau/evenements/inscriptions/{reg.pk}/attestation.pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    client.force_login(cast.outsider)
    assert (
        client.get(f"/reseau/evenements/inscriptions/{reg.pk}/attestation.pdf").status_code == 404
    )
    with pytest.raises(ValidationFailed):
        services.resource_add(
            actor=cast.user_sn, event=event, kind="replay", title="R", url="javascript:alert(1)"
        )
    with pytest.raises(Forbidden):
        services.resource_add(
            actor=cast.user_ml, event=event, kind="replay", title="R", url="https://x.org"
        )
    services.resource_add(
        actor=cast.user_sn, event=event, kind="replay", title="Rediffusion du jour 1",
        url="https://video.example.org/jour-1",
    )  # fmt: skip
    event = selectors.event_get(actor=None, pk=event.pk)
    assert [r.title for r in selectors.resources(actor=cast.user_ml, event=event, registration=reg)]
    assert selectors.resources(actor=cast.outsider, event=event, registration=None) == []


def test_pages(client, cast, django_assert_max_num_queries):
    event = publish(cast, fee=5_000)
    with django_assert_max_num_queries(8):
        listing = client.get("/reseau/evenements/")
    text = listing.content.decode()
    assert "Gouvernance des mutuelles" in text and "Think.COOP" in text
    assert client.get(f"/reseau/evenements/{event.pk}/").status_code == 200
    client.force_login(cast.outsider)
    assert client.get("/reseau/evenements/publier/").status_code == 403
    client.force_login(cast.user_ml)
    done = client.post(
        f"/reseau/evenements/{event.pk}/inscription/",
        {"organisation": cast.org_ml.pk, "participant_name": "Oumou Sangaré"},
    )
    assert done.status_code == 302
    page = client.get(f"/reseau/evenements/{event.pk}/").content.decode()
    assert "en attente du paiement" in page and "Payer par téléphone" in page
    client.force_login(cast.user_sn)
    page = client.get(f"/reseau/evenements/{event.pk}/").content.decode()
    assert "Oumou Sangaré" in page  # the organiser sees the registrations


def test_demo_events_load_once():
    from demo.events_data import load_events
    from demo.loader import ensure_user

    load_events(ensure_user=ensure_user)
    assert load_events(ensure_user=ensure_user)[-1] == "formations et événements : déjà chargés"
    events = list(selectors.event_list())
    assert {e.kind for e in events} == {"assises", "course"}
    course = next(e for e in events if e.kind == "course")
    assert course.module is not None and course.taken == 1
    from django.contrib.auth import get_user_model

    from demo.events_data import PAST

    past = Event.objects.get(title=PAST)
    admin = get_user_model().objects.get(username="network-admin")
    statement = selectors.payout_statement(actor=admin, event=past)
    assert statement.status == "paid_out" and statement.payout.status == "succeeded"
    assert (statement.figures["collected"], statement.figures["net"]) == (30_000, 28_500)
    balances = {ln["account"]: ln["balance"] for ln in statement.book_lines}
    assert balances == {"4197": 0, "4676": 0, "552": 1_500, "7064": -1_500}
    assert all(r.attended for r in statement.registrations)


def test_the_places_line_agrees_with_the_count(cast, client):
    """'aucun inscrit', '1 inscrit', '2 inscrits': the list and the event's page say it in
    French (0 is singular in French: never '0 inscrits')."""
    event = publish(cast)
    for url in ("/reseau/evenements/", f"/reseau/evenements/{event.pk}/"):
        html = client.get(url).content.decode()
        assert "aucun inscrit sur 30 places" in html and "0 inscrit" not in html, url
    register(cast, event)
    for url in ("/reseau/evenements/", f"/reseau/evenements/{event.pk}/"):
        assert "1 inscrit sur 30 places" in client.get(url).content.decode(), url
    register(cast, event, user=cast.user_sn, org=cast.org_sn)
    for url in ("/reseau/evenements/", f"/reseau/evenements/{event.pk}/"):
        assert "2 inscrits sur 30 places" in client.get(url).content.decode(), url
