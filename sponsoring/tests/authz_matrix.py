"""Authorization-matrix entries of sponsoring (accounts/tests/authz.py). The tariffs, the
click redirect and a live announcement's image are public by design; none of the
programme's roles is an organisation's account or a network moderator: booking and the
moderators' queue are refused (403), a booking is its organisation's and its country's
moderators' only (404). The API answers the same; its tariffs and a placement's live
slots are public, the list of bookings is the caller's own (empty for them: 200)."""

import datetime

from django.core.files.uploadedfile import SimpleUploadedFile

from accounts.tests.authz import E, api, page
from accounts.tests.factories import UserFactory
from core import dates
from network import services as net
from network.models import StaffRole
from sponsoring import services
from sponsoring.tests.conftest import pay

PUBLIC = {"expect": E(200), "anonymous": 200, "leak_check": False}
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 16


def build(world, objs):
    root = UserFactory(username="matrix-sp-root", is_superuser=True)
    admin = UserFactory(username="matrix-sp-admin")
    net.staff_assign(actor=root, user=admin, role=StaffRole.ADMIN)
    owner = UserFactory(username="matrix-sp-owner")
    org, code = net.organisation_register(
        owner=owner, name="Mutuelle matrice des annonces", kind="mutuelle", country="SN",
        city="Dakar", sectors=["sante"], email="matrix-sp@example.org",
    )  # fmt: skip
    net.organisation_verify_contact(organisation=org, code=code)
    net.organisation_moderate(actor=admin, organisation=org, decision="approve")
    objs["sp_org"] = org
    today = dates.today()
    values = {
        "actor": owner, "advertiser": org, "format": "announcement", "title": "Annonce matrice",
        "text": "Texte.", "link": "/reseau/projets/", "placements": ["directory"],
        "countries": ["SN"], "starts_on": today, "ends_on": today + datetime.timedelta(days=5),
    }  # fmt: skip
    objs["sp_booking"] = services.booking_create(**values)
    booking = services.booking_create(**values, image=SimpleUploadedFile("a.png", PNG))
    pay(booking)
    objs["sp_live"] = services.booking_moderate(actor=admin, booking=booking, decision="approve")


ENTRIES = [
    page("sponsoring:list", expect=E(200)),
    page("sponsoring:new", expect=E(403)),
    page("sponsoring:tariffs", public=True, **PUBLIC),
    page(
        "sponsoring:tariff_edit",
        method="POST",
        data={"placement": "home", "price_per_day": 1, "price_per_day_all": 2},
        expect=E(403),
    ),
    page("sponsoring:moderation", expect=E(403)),
    page("sponsoring:detail", pk="@sp_booking", expect=E(404)),
    page(
        "sponsoring:pay",
        pk="@sp_booking",
        method="POST",
        data={"phone": "770000000", "provider": "wave"},
        expect=E(404),
    ),
    page(
        "sponsoring:moderate",
        pk="@sp_live",
        method="POST",
        data={"decision": "approve"},
        expect=E(404),
    ),
    page(
        "sponsoring:click",
        pk="@sp_live",
        public=True,
        expect=E(302),
        anonymous=302,
        leak_check=False,
    ),
    page("sponsoring:image", pk="@sp_live", public=True, **PUBLIC),
    api("GET /api/v1/network/sponsoring/tariffs", **PUBLIC),
    api(
        "GET /api/v1/network/sponsoring/placements/{placement}/slots",
        placement="directory",
        query={"country": "SN"},
        **PUBLIC,
    ),
    api("GET /api/v1/network/sponsoring/bookings", expect=E(200)),
    api(
        "POST /api/v1/network/sponsoring/bookings",
        body={
            "advertiser": "@sp_org",
            "format": "announcement",
            "title": "T",
            "text": "X",
            "link": "/reseau/projets/",
            "placements": ["home"],
            "countries": ["SN"],
            "starts_on": "2099-01-01",
            "ends_on": "2099-01-02",
        },
        expect=E(403),
    ),
    api(
        "GET /api/v1/network/sponsoring/bookings/{booking_id}",
        booking_id="@sp_booking",
        expect=E(404),
    ),
    api(
        "POST /api/v1/network/sponsoring/bookings/{booking_id}/payments",
        booking_id="@sp_booking",
        body={"phone": "770000000", "provider": "wave"},
        expect=E(404),
    ),
    api("GET /api/v1/network/sponsoring/moderation", expect=E(403)),
    api(
        "POST /api/v1/network/sponsoring/bookings/{booking_id}/moderation",
        booking_id="@sp_live",
        body={"decision": "approve"},
        expect=E(404),
    ),
    api(
        "GET /api/v1/network/sponsoring/bookings/{booking_id}/statistics",
        booking_id="@sp_live",
        expect=E(404),
    ),
]
