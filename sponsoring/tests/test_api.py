"""Sponsoring's API (/api/v1/network/sponsoring/...): booking priced from the tariffs, the
advertiser's bookings and payment (through payments, as the page), the moderators' queue
and decision, the public live slots of a placement (not counted), the figures per day;
per role (the advertiser, another country's advertiser, the moderators of both
countries, the administrator, an outsider, anonymous); hostile input refused, nothing
written."""

import datetime

import pytest

from core import dates
from payments.models import PaymentIntent
from sponsoring import services
from sponsoring.models import Booking, DailyCount
from sponsoring.tests.conftest import book, live, pay

pytestmark = pytest.mark.django_db
JSON = "application/json"
URL = "/api/v1/network/sponsoring"


def body(cast, **kw):
    today = dates.today()
    values = {
        "advertiser": cast.org_sn.pk, "format": "announcement", "title": "Microassurance",
        "text": "Une **offre**.", "link": "https://mutuelle-thies.example.org/offre",
        "placements": ["directory"], "countries": ["SN", "ML"],
        "starts_on": today.isoformat(),
        "ends_on": (today + datetime.timedelta(days=9)).isoformat(),
    }  # fmt: skip
    values.update(kw)
    return values


def test_a_booking_is_priced_from_the_tariffs(cast, api_client, client):
    services.tariff_set(actor=cast.admin, placement="directory", price_per_day=1_000,
                        price_per_day_all=5_000)  # fmt: skip
    tariffs = client.get(f"{URL}/tariffs")
    assert tariffs.status_code == 200
    directory = next(t for t in tariffs.json() if t["placement"] == "directory")
    assert (directory["price_per_day"], directory["price_per_day_all"]) == (1_000, 5_000)
    booked = api_client(cast.user_sn).post(f"{URL}/bookings", body(cast), content_type=JSON)
    assert booked.status_code == 201, booked.content
    out = booked.json()
    assert out["price"] == 10 * 2 * 1_000 and out["due"] == 20_000
    assert out["status"] == "awaiting_payment"
    assert out["slots"] == [{"placement": "directory", "country": "ML"},
                            {"placement": "directory", "country": "SN"}]  # fmt: skip
    whole = api_client(cast.user_sn).post(
        f"{URL}/bookings", body(cast, countries=["all"]), content_type=JSON
    )
    assert whole.json()["price"] == 10 * 5_000
    listing = api_client(cast.user_sn).post(
        f"{URL}/bookings", body(cast, format="listing", title="", text="", link=""),
        content_type=JSON,
    )  # fmt: skip
    assert listing.status_code == 201 and listing.json()["title"] == cast.org_sn.name
    other = api_client(cast.user_ml).post(f"{URL}/bookings", body(cast), content_type=JSON)
    assert other.status_code == 403
    assert Booking.objects.filter(advertiser=cast.org_sn).count() == 3


SEES = {"user_sn": True, "moderator": True, "admin": True, "user_ml": False,
        "moderator_ml": False, "outsider": False}  # fmt: skip


@pytest.mark.parametrize("role", sorted(SEES))
def test_a_booking_is_its_organisations_and_its_countrys_moderators(cast, api_client, role):
    booking = book(cast)
    c = api_client(getattr(cast, role))
    listed = c.get(f"{URL}/bookings").json()
    assert ([b["id"] for b in listed["items"]] == [booking.pk]) == SEES[role]
    assert c.get(f"{URL}/bookings/{booking.pk}").status_code == (200 if SEES[role] else 404)
    stats = c.get(f"{URL}/bookings/{booking.pk}/statistics")
    assert stats.status_code == (200 if SEES[role] else 404)


def test_anonymous_is_refused_but_reads_the_public_parts(cast, client):
    booking = live(cast)
    for path in ("/bookings", f"/bookings/{booking.pk}", f"/bookings/{booking.pk}/statistics",
                 "/moderation"):  # fmt: skip
        assert client.get(URL + path).status_code == 401
    assert client.get(f"{URL}/placements/directory/slots?country=SN").status_code == 200
    assert client.get(f"{URL}/tariffs").status_code == 200


def test_the_advertiser_pays_through_payments(cast, api_client, wave):
    booking = book(cast)
    url = f"{URL}/bookings/{booking.pk}/payments"
    phone = {"phone": "77 900 12 34", "provider": "wave"}
    for role in ("moderator", "admin", "user_ml", "outsider"):
        assert (
            api_client(getattr(cast, role)).post(url, phone, content_type=JSON).status_code == 404
        )
    started = api_client(cast.user_sn).post(url, phone, content_type=JSON)
    assert started.status_code == 201, started.content
    intent = PaymentIntent.objects.get(pk=started.json()["id"])
    assert (intent.purpose, intent.target_id, intent.amount) == ("sponsoring", booking.pk,
                                                               booking.price)  # fmt: skip
    assert started.json()["status"] == "pending" and started.json()["checkout_url"]
    for hostile, field in [
        ({"phone": "7" * 41, "provider": "wave"}, "phone"),
        ({"phone": "77\x00", "provider": "wave"}, "phone"),
        ({"phone": "77 900 12 34", "provider": "p" * 5000}, "provider"),
    ]:
        refused = api_client(cast.user_sn).post(url, hostile, content_type=JSON)
        assert refused.status_code == 400 and refused.json()["field"] == field
    assert PaymentIntent.objects.count() == 1
    pay(booking)
    done = api_client(cast.user_sn).post(url, phone, content_type=JSON)
    assert done.status_code == 409 and done.json()["code"] == "not_payable"


def test_the_moderators_of_the_country_decide_once(cast, api_client):
    booking = book(cast)
    pay(booking)
    queue = api_client(cast.moderator).get(f"{URL}/moderation").json()
    assert [b["id"] for b in queue["items"]] == [booking.pk]
    assert api_client(cast.moderator_ml).get(f"{URL}/moderation").json()["count"] == 0
    for role in ("user_sn", "outsider"):
        assert api_client(getattr(cast, role)).get(f"{URL}/moderation").status_code == 403
    url = f"{URL}/bookings/{booking.pk}/moderation"
    approve = {"decision": "approve"}
    assert api_client(cast.user_sn).post(url, approve, content_type=JSON).status_code == 403
    assert api_client(cast.moderator_ml).post(url, approve, content_type=JSON).status_code == 404
    assert api_client(cast.outsider).post(url, approve, content_type=JSON).status_code == 404
    for hostile, code in [
        ({"decision": "refuse"}, "required"),
        ({"decision": "maybe"}, "invalid_choice"),
        ({"decision": "refuse", "reason": "r" * 501}, "too_long"),
        ({"decision": "refuse", "reason": "\x00"}, "invalid_character"),
    ]:
        refused = api_client(cast.moderator).post(url, hostile, content_type=JSON)
        assert refused.status_code == 400 and refused.json()["code"] == code, refused.content
    assert Booking.objects.get(pk=booking.pk).status == "pending"
    done = api_client(cast.moderator).post(url, approve, content_type=JSON)
    assert done.status_code == 200 and done.json()["status"] == "approved"
    again = api_client(cast.admin).post(url, approve, content_type=JSON)
    assert again.status_code == 409 and again.json()["code"] == "already_decided"


def test_live_slots_are_public_and_not_counted(cast, client):
    shown = live(cast, title="Annonce du Sénégal")
    book(cast, title="Pas encore payée")
    slots = client.get(f"{URL}/placements/directory/slots?country=SN")
    assert slots.status_code == 200
    assert [s["booking"] for s in slots.json()] == [shown.pk]
    assert slots.json()[0]["click_url"] == f"/reseau/annonces/{shown.pk}/clic/"
    assert client.get(f"{URL}/placements/directory/slots?country=ML").json() == []
    assert client.get(f"{URL}/placements/home/slots").json() == []
    unknown = client.get(f"{URL}/placements/nowhere/slots")
    assert unknown.status_code == 404 and unknown.json()["code"] == "not_found"
    assert client.get(f"{URL}/placements/directory/slots?country=" + "S" * 5000).status_code == 400
    assert DailyCount.objects.count() == 0


def test_figures_per_day(cast, api_client):
    booking = live(cast)
    today = dates.today()
    services.impressions_record(booking_ids=[booking.pk], day=today)
    services.impressions_record(booking_ids=[booking.pk], day=today)
    services.click_record(booking=booking, day=today)
    stats = api_client(cast.user_sn).get(f"{URL}/bookings/{booking.pk}/statistics")
    assert stats.json() == [{"day": today.isoformat(), "impressions": 2, "clicks": 1}]


@pytest.mark.parametrize(
    ("change", "code", "field"),
    [
        ({"title": "t" * 5000}, "too_long", "title"),
        ({"text": "Offre\x00"}, "invalid_character", "text"),
        ({"starts_on": "2999-01-01"}, "date_out_of_range", "starts_on"),
        ({"ends_on": "2999-01-01"}, "date_out_of_range", "ends_on"),
        ({"starts_on": "2020-01-01"}, "invalid_period", "starts_on"),
        ({"ends_on": "2020-01-01"}, "invalid_period", "ends_on"),
        ({"placements": ["nowhere"]}, "invalid_placement", "placements"),
        ({"countries": ["XX"]}, "invalid_choice", "countries"),
        ({"countries": ["all", "SN"]}, "invalid_choice", "countries"),
        ({"link": "javascript:alert(1)"}, "unsafe_link", "link"),
        ({"advertiser": 2**40}, "out_of_range", "advertiser"),
        ({"advertiser": -3}, "out_of_range", "advertiser"),
        ({"format": "banner"}, "invalid_choice", "format"),
        ({"sectors": ["nope"]}, "invalid_choice", "sectors"),
    ],
)
def test_hostile_bookings_are_refused_and_nothing_is_written(cast, api_client, change, code, field):
    answer = api_client(cast.user_sn).post(
        f"{URL}/bookings", body(cast, **change), content_type=JSON
    )
    assert answer.status_code == 400, answer.content
    assert (answer.json()["code"], answer.json()["field"]) == (code, field)
    assert Booking.objects.count() == 0
