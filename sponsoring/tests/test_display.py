"""What the portal's pages show and count: only live announcements (paid, approved, in
their period, for the page's country), at most N a placement taking turns, one query for
a page's slots; impressions and clicks counted per day, not robots', the click going only
to the booked link."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core import dates
from sponsoring import selectors, services
from sponsoring.models import DailyCount
from sponsoring.tests.conftest import book, live, pay
from sponsoring.tests.test_bookings import PNG

pytestmark = pytest.mark.django_db

BROWSER = {"User-Agent": "Mozilla/5.0 (Linux; Android 13) Chrome/120 Mobile"}


def day(n: int) -> datetime.date:
    return dates.today() + datetime.timedelta(days=n)


def shown(placement="directory", country="SN", sector="", on=None):
    found = selectors.live_candidates(
        placement=placement, country=country, sector=sector, on=on or dates.today()
    )
    return [b["title"] for b in found]


def test_only_paid_and_approved_bookings_show(cast):
    booking = book(cast, title="Non payée")
    assert shown() == []
    pay(booking)
    assert shown() == []  # paid, waiting for the moderator
    services.booking_moderate(actor=cast.moderator, booking=booking, decision="approve")
    assert shown() == ["Non payée"]


def test_only_in_the_period_countries_and_placements_booked(cast):
    live(cast, title="Dakar", starts_on=day(2), ends_on=day(4))
    assert shown(on=day(1)) == [] and shown(on=day(2)) == ["Dakar"]
    assert shown(on=day(4)) == ["Dakar"] and shown(on=day(5)) == []
    assert shown(country="ML", on=day(3)) == [] and shown(country="", on=day(3)) == []
    assert shown(placement="projects", on=day(3)) == []
    live(cast, title="Partout", countries=["all"], placements=["home", "directory"])
    assert shown(country="ML") == ["Partout"] and shown(placement="home", country="") == ["Partout"]


def test_a_listing_follows_its_sectors(cast):
    live(cast, format="listing", title="", text="", link="", sectors=["sante"])
    assert shown(sector="sante") == ["Mutuelle solidaire de Thiès"]
    assert shown(sector="peche") == []
    assert shown() == ["Mutuelle solidaire de Thiès"]  # no sector chosen on the page


def test_at_most_n_per_placement_taking_turns(cast, settings, django_assert_max_num_queries):
    settings.SPONSORING_MAX_PER_PLACEMENT = 2
    ids = [live(cast, title=f"Annonce {i}").pk for i in range(3)]
    seen = {pk: 0 for pk in ids}
    for _ in range(3 * 4):  # 12 pages: each of the 3 shown 2 × 12 / 3 = 8 times
        with django_assert_max_num_queries(1):
            slots = selectors.page_slots(placement="directory", country="SN", on=dates.today())
        assert len(slots) == 2 and len({s["booking_id"] for s in slots}) == 2
        for s in slots:
            seen[s["booking_id"]] += 1
    assert sorted(seen.values()) == [8, 8, 8]


def test_the_directory_shows_and_counts_impressions(client, cast):
    booking = live(cast, title="Microassurance santé", text="Une **offre**.")
    with CaptureQueriesContext(connection) as captured:
        page = client.get("/reseau/organisations/?country=SN", headers=BROWSER)
    assert page.status_code == 200
    html = page.content.decode()
    assert "Microassurance santé" in html and "Annonce sponsorisée" in html
    assert f'href="/reseau/annonces/{booking.pk}/clic/"' in html
    assert "<strong>offre</strong>" in html
    slot_reads = [q for q in captured.captured_queries if "sponsoring_slot" in q["sql"]]
    assert len(slot_reads) == 1
    assert (
        "Microassurance santé"
        not in client.get("/reseau/organisations/?country=ML", headers=BROWSER).content.decode()
    )
    client.get("/reseau/organisations/?country=SN", headers=BROWSER)
    count = DailyCount.objects.get(booking=booking)
    assert (count.day, count.impressions, count.clicks) == (dates.today(), 2, 0)


@pytest.mark.parametrize(
    "headers",
    [
        {"User-Agent": "Mozilla/5.0 (compatible; Googlebot/2.1)"},
        {"User-Agent": "facebookexternalhit/1.1 (+http://www.facebook.com/externalhit) crawler"},
        {"User-Agent": "Mozilla/5.0 HeadlessChrome/120"},
        {},
        {**BROWSER, "Sec-Purpose": "prefetch"},
    ],
)
def test_robots_are_shown_but_not_counted(client, cast, headers):
    booking = live(cast)
    page = client.get("/reseau/organisations/?country=SN", headers=headers)
    assert booking.title in page.content.decode()
    click = client.get(f"/reseau/annonces/{booking.pk}/clic/", headers=headers)
    assert click.status_code == 302 and click["Location"] == booking.link
    assert not DailyCount.objects.exists()


def test_the_click_counts_then_goes_only_to_the_booked_link(client, cast):
    booking = live(cast, link="https://mutuelle-thies.example.org/offre")
    url = f"/reseau/annonces/{booking.pk}/clic/"
    first = client.get(
        url + "?next=https://evil.example.com/&url=//evil.example.com", headers=BROWSER
    )
    assert first.status_code == 302
    assert first["Location"] == "https://mutuelle-thies.example.org/offre"
    assert client.head(url, headers=BROWSER).status_code == 302  # HEAD: not counted
    client.get(url, headers=BROWSER)
    assert DailyCount.objects.get(booking=booking).clicks == 2
    assert not first.cookies  # nothing set on the visitor


def test_the_click_of_a_booking_not_live_is_404(client, cast):
    pending = book(cast)
    pay(pending)
    assert client.get(f"/reseau/annonces/{pending.pk}/clic/", headers=BROWSER).status_code == 404
    assert client.get("/reseau/annonces/999999/clic/", headers=BROWSER).status_code == 404
    assert not DailyCount.objects.exists()


def test_the_advertiser_reads_its_figures_per_day(client, cast):
    booking = live(cast)
    services.impressions_record(booking_ids=[booking.pk], day=day(0))
    for _ in range(3):
        services.impressions_record(booking_ids=[booking.pk], day=day(0))
    services.click_record(booking=booking, day=day(0))
    figures = selectors.booking_figures(booking=booking)
    assert figures == [{"day": day(0), "impressions": 4, "clicks": 1, "rate": "25,0 %"}]
    client.force_login(cast.user_sn)
    page = client.get(f"/reseau/annonces/{booking.pk}/")
    assert page.status_code == 200 and "25,0 %" in page.content.decode()
    client.force_login(cast.user_ml)
    assert client.get(f"/reseau/annonces/{booking.pk}/").status_code == 404
    client.force_login(cast.moderator)
    assert client.get(f"/reseau/annonces/{booking.pk}/").status_code == 200


def test_a_live_image_is_public_in_one_query_and_a_pending_one_is_never_cached(client, cast):
    booking = live(cast, image=SimpleUploadedFile("a.png", PNG))
    url = reverse("sponsoring:image", args=[booking.pk])
    with CaptureQueriesContext(connection) as queries:
        reply = client.get(url, headers=BROWSER)
    assert reply.status_code == 200 and reply.content == PNG
    assert reply["Cache-Control"] == "public, max-age=3600"
    assert len([q for q in queries if "sponsoring_booking" in q["sql"]]) == 1

    pending = book(cast, image=SimpleUploadedFile("b.png", PNG))
    assert client.get(reverse("sponsoring:image", args=[pending.pk])).status_code == 404
    client.force_login(cast.user_sn)  # its advertiser sees it, but no shared cache keeps it
    reply = client.get(reverse("sponsoring:image", args=[pending.pk]))
    assert reply.status_code == 200 and reply["Cache-Control"] == "private, no-cache"
