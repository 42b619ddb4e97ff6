"""The pages: booking through the form (bad input shown on its field in French, the input
kept, nothing written), the moderators' queue per country, the tariffs edited by the
network's administrators only."""

import datetime

import pytest

from core import dates
from core.money import format_xof
from sponsoring.models import Booking, Tariff
from sponsoring.tests.conftest import book, pay

pytestmark = pytest.mark.django_db


def form_data(cast, **kw):
    today = dates.today()
    data = {
        "advertiser": str(cast.org_sn.pk), "format": "announcement",
        "title": "Microassurance santé", "text": "Une offre.",
        "link": "https://mutuelle-thies.example.org/", "placements": ["directory", "home"],
        "countries": ["SN"], "starts_on": today.isoformat(),
        "ends_on": (today + datetime.timedelta(days=1)).isoformat(),
    }  # fmt: skip
    data.update(kw)
    return data


def test_an_organisation_books_through_the_form(client, cast):
    client.force_login(cast.user_sn)
    assert client.get("/reseau/annonces/reserver/").status_code == 200
    response = client.post("/reseau/annonces/reserver/", form_data(cast))
    booking = Booking.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/reseau/annonces/{booking.pk}/"
    assert booking.price == 2 * (2_000 + 5_000)
    page = client.get(response["Location"]).content.decode()
    assert format_xof(14_000) in page and "Payer" in page and "en attente du paiement" in page


@pytest.mark.parametrize(
    "bad, message",
    [
        ({"link": "javascript:alert(1)"}, "Lien refusé"),
        (
            {"starts_on": "2020-01-01", "ends_on": "2020-01-02"},
            "ne peut pas commencer dans le passé",
        ),
        ({"placements": ["sidebar"]}, "Sélectionnez un choix valide"),
    ],
)
def test_bad_input_is_shown_in_french_and_kept(client, cast, bad, message):
    client.force_login(cast.user_sn)
    response = client.post("/reseau/annonces/reserver/", form_data(cast, **bad))
    html = response.content.decode()
    assert response.status_code == 400 and message in html
    assert 'value="Microassurance santé"' in html  # the input kept
    assert not Booking.objects.exists()


def test_only_approved_organisations_accounts_book(client, cast):
    client.force_login(cast.outsider)
    assert client.get("/reseau/annonces/reserver/").status_code == 403
    assert client.post("/reseau/annonces/reserver/", form_data(cast)).status_code == 403


def test_the_moderators_queue_is_their_countrys(client, cast):
    booking = book(cast)
    pay(booking)
    client.force_login(cast.moderator)
    assert booking.title in client.get("/reseau/annonces/moderation/").content.decode()
    client.force_login(cast.moderator_ml)
    assert booking.title not in client.get("/reseau/annonces/moderation/").content.decode()
    assert (
        client.post(f"/reseau/annonces/{booking.pk}/moderer/", {"decision": "approve"}).status_code
        == 404
    )
    client.force_login(cast.moderator)
    refused = client.post(f"/reseau/annonces/{booking.pk}/moderer/", {"decision": "refuse"})
    assert refused.status_code == 400 and "Donnez le motif du refus" in refused.content.decode()
    approved = client.post(f"/reseau/annonces/{booking.pk}/moderer/", {"decision": "approve"})
    assert approved.status_code == 302
    booking.refresh_from_db()
    assert booking.status == "approved"
    client.force_login(cast.outsider)
    assert client.get("/reseau/annonces/moderation/").status_code == 403


def test_the_tariffs_are_public_and_edited_by_administrators(client, cast):
    assert format_xof(5_000) in client.get("/reseau/annonces/tarifs/").content.decode()
    data = {"placement": "home", "price_per_day": 7_000, "price_per_day_all": 70_000}
    client.force_login(cast.moderator)
    assert client.post("/reseau/annonces/tarifs/modifier/", data).status_code == 403
    client.force_login(cast.admin)
    assert client.post("/reseau/annonces/tarifs/modifier/", data).status_code == 302
    assert Tariff.objects.get(placement="home").price_per_day == 7_000
    assert format_xof(7_000) in client.get("/reseau/annonces/tarifs/").content.decode()
    bad = client.post("/reseau/annonces/tarifs/modifier/", {**data, "price_per_day": -1})
    assert bad.status_code == 400
