"""Booking, pricing, paying and moderating sponsored announcements: bad input refused
with nothing written, payment before moderation, moderation before showing, a refusal
refunded, the platform's books."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from core import dates
from core.errors import Conflict, Forbidden, NotFound, ValidationFailed
from network.models import BookLine
from payments.models import Payout
from sponsoring import services
from sponsoring.models import Booking, Slot
from sponsoring.tests.conftest import book, pay, pay_by_phone

pytestmark = pytest.mark.django_db

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def day(n: int) -> datetime.date:
    return dates.today() + datetime.timedelta(days=n)


def test_the_price_is_days_times_each_placement_per_country(cast):
    # 10 days on the directory in two countries: 10 × 2 000 × 2
    assert book(cast, countries=["SN", "ML"], ends_on=day(9)).price == 40_000
    # 3 days on the home page and the directory for the whole network: 3 × (50 000 + 20 000)
    whole = book(cast, placements=["home", "directory"], countries=["all"], ends_on=day(2))
    assert whole.price == 210_000
    assert set(Slot.objects.filter(booking=whole).values_list("placement", "country")) == {
        ("home", ""), ("directory", ""),
    }  # fmt: skip


def test_the_administrators_set_the_tariffs(cast):
    with pytest.raises(Forbidden):
        services.tariff_set(actor=cast.moderator, placement="directory", price_per_day=1,
                            price_per_day_all=1)  # fmt: skip
    services.tariff_set(actor=cast.admin, placement="directory", price_per_day=3_000,
                        price_per_day_all=30_000)  # fmt: skip
    assert book(cast, ends_on=day(1)).price == 6_000
    with pytest.raises(ValidationFailed) as exc:
        services.tariff_set(actor=cast.admin, placement="sidebar", price_per_day=1,
                            price_per_day_all=1)  # fmt: skip
    assert exc.value.code == "invalid_placement"


@pytest.mark.parametrize(
    "bad, field, code",
    [
        ({"starts_on": day(-1)}, "starts_on", "invalid_period"),
        ({"starts_on": day(5), "ends_on": day(4)}, "ends_on", "invalid_period"),
        ({"ends_on": day(90)}, "ends_on", "invalid_period"),
        ({"starts_on": day(400), "ends_on": day(401)}, "starts_on", "invalid_period"),
        ({"placements": ["sidebar"]}, "placements", "invalid_placement"),
        ({"placements": []}, "placements", "invalid_placement"),
        ({"countries": ["FR"]}, "countries", "invalid_choice"),
        ({"countries": ["all", "SN"]}, "countries", "invalid_choice"),
        ({"format": "popup"}, "format", "invalid_choice"),
        ({"link": "javascript:alert(1)"}, "link", "unsafe_link"),
        ({"link": "data:text/html,<script>alert(1)</script>"}, "link", "unsafe_link"),
        ({"link": "http://ailleurs.example.com/"}, "link", "unsafe_link"),
        ({"link": "//ailleurs.example.com/"}, "link", "unsafe_link"),
        ({"link": "/\\ailleurs.example.com"}, "link", "unsafe_link"),
        ({"link": "https://user@ailleurs.example.com"}, "link", "unsafe_link"),
        ({"link": ""}, "link", "required"),
        ({"title": " "}, "title", "required"),
        ({"title": "T" * 81}, "title", "too_long"),
        ({"text": "x" * 301}, "text", "too_long"),
        ({"text": "a\x00b"}, "text", "invalid_character"),
        ({"sectors": ["casino"]}, "sectors", "invalid_choice"),
        ({"image": SimpleUploadedFile("a.png", PNG + b"\x00" * 300 * 1024)}, "image", "too_large"),
        ({"image": SimpleUploadedFile("a.png", b"GIF89a....")}, "image", "invalid_file"),
    ],
)
def test_bad_bookings_are_refused_and_nothing_is_written(cast, bad, field, code):
    with pytest.raises(ValidationFailed) as exc:
        book(cast, **bad)
    assert (exc.value.field, exc.value.code) == (field, code)
    assert str(exc.value.message)
    assert not Booking.objects.exists() and not Slot.objects.exists()


def test_good_links_and_an_image_are_kept(cast):
    assert book(cast, link="/reseau/projets/").link == "/reseau/projets/"
    booking = book(cast, image=SimpleUploadedFile("offre.png", PNG))
    assert booking.image_type == "image/png" and bytes(booking.image) == PNG


def test_only_an_approved_organisations_account_books_for_it(cast):
    with pytest.raises(Forbidden):
        book(cast, actor=cast.outsider)
    with pytest.raises(Forbidden):
        book(cast, advertiser=cast.org_ml)  # not the account's organisation
    assert not Booking.objects.exists()


def test_a_listing_shows_its_own_organisation_or_project(cast):
    listing = book(cast, format="listing", title="", text="", link="", sectors=["sante"])
    assert (listing.title, listing.link) == (
        "Mutuelle solidaire de Thiès", f"/reseau/organisations/{cast.org_sn.slug}/",
    )  # fmt: skip
    assert listing.sectors == "sante"


def test_paid_through_the_wave_sandbox_then_moderated(client, cast, wave):
    booking = book(cast, countries=["SN"], ends_on=day(4))
    assert (booking.status, services.amount_due(booking)) == ("awaiting_payment", 10_000)
    with pytest.raises(NotFound):  # another organisation's booking
        services.booking_payment_start(
            actor=cast.user_ml, booking=booking, phone="77 900 12 34", provider="wave"
        )
    assert pay_by_phone(client, cast, booking) == "applied"
    assert (booking.status, services.amount_due(booking)) == ("pending", 0)
    with pytest.raises(Conflict):  # nothing due any more
        services.booking_payment_start(
            actor=cast.user_sn, booking=booking, phone="77 900 12 34", provider="wave"
        )
    booked = _balances()
    assert (booked["552"], booked["4194"]) == (10_000, -10_000)


def _balances() -> dict:
    totals: dict[str, int] = {}
    for account, debit, credit in BookLine.objects.values_list("account", "debit", "credit"):
        totals[account] = totals.get(account, 0) + debit - credit
    assert sum(totals.values()) == 0  # balanced
    return totals


def test_moderation_by_the_advertisers_country_once(cast):
    booking = book(cast)
    with pytest.raises(Conflict):  # unpaid: nothing to moderate
        services.booking_moderate(actor=cast.moderator, booking=booking, decision="approve")
    pay(booking)
    with pytest.raises(NotFound):  # Mali's moderator does not see Senegal's bookings
        services.booking_moderate(actor=cast.moderator_ml, booking=booking, decision="approve")
    with pytest.raises(NotFound):
        services.booking_moderate(actor=cast.user_ml, booking=booking, decision="approve")
    with pytest.raises(Forbidden):  # the advertiser sees it but does not decide
        services.booking_moderate(actor=cast.user_sn, booking=booking, decision="approve")
    with pytest.raises(ValidationFailed) as exc:
        services.booking_moderate(actor=cast.moderator, booking=booking, decision="refuse")
    assert exc.value.field == "reason"
    done = services.booking_moderate(actor=cast.moderator, booking=booking, decision="approve")
    assert done.status == "approved" and done.moderated_by == cast.moderator
    with pytest.raises(Conflict) as exc:
        services.booking_moderate(actor=cast.admin, booking=booking, decision="refuse", reason="x")
    assert exc.value.code == "already_decided"
    assert _balances()["7063"] == -booking.price  # the revenue, once approved
    assert _balances()["4194"] == 0


def test_a_refused_booking_is_refunded_to_its_payer(cast, wave):
    booking = book(cast)
    intent = pay(booking)
    done = services.booking_moderate(
        actor=cast.moderator, booking=booking, decision="refuse", reason="Image trompeuse."
    )
    assert (done.status, done.moderation_reason) == ("refused", "Image trompeuse.")
    refund = Payout.objects.get(kind="refund")
    assert (refund.amount, refund.phone, refund.intent_id) == (
        booking.price,
        intent.phone,
        intent.pk,
    )
    assert done.refund == refund
    totals = _balances()
    assert totals["4194"] == 0 and totals.get("7063", 0) == 0 and totals["552"] == 0


def test_a_second_payment_is_flagged_not_applied(cast):
    booking = book(cast)
    pay(booking)
    second = pay(booking)
    second.refresh_from_db()
    assert second.needs_review and booking.status == "pending"
