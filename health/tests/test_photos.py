"""A member card's photo (docs/health.md, "Photos"): uploaded by those who enrol the
household, checked by its bytes and by Pillow, re-encoded, printed on the card PDF."""

import datetime
import io
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from health import services
from health.models import PersonPhoto
from health.tests.factories import enrolled, mutual_agent, national_user, scheme_of_example
from registry.services import person_merge


def image_bytes(fmt="PNG", size=(600, 800), color=(200, 120, 40)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, color).save(out, format=fmt)
    return out.getvalue()


def upload(data: bytes, name="photo.png"):
    return SimpleUploadedFile(name, data, content_type="image/png")


@pytest.fixture
def household(world):
    national = national_user()
    scheme = scheme_of_example(national)
    on = datetime.date(2026, 1, 1)
    return enrolled(world.officer, scheme, world.coop_tc, 2, on=on)


def _photo_url(household, person_id):
    return reverse("health:household_photo", args=[household.pk, person_id])


@pytest.mark.django_db
def test_the_officer_adds_a_photo_it_is_kept_small_and_printed_on_the_card(
    world, client, household
):
    head_id = household.head_id
    client.force_login(world.officer)
    pdf_before = client.get(reverse("health:household_cards", args=[household.pk])).content
    r = client.post(_photo_url(household, head_id), {"photo": upload(image_bytes())})
    assert r.status_code == 302
    photo = PersonPhoto.objects.get(person_id=head_id)
    assert bytes(photo.data).startswith(b"\xff\xd8\xff")  # re-encoded as JPEG
    assert (photo.width, photo.height) == (360, 480)  # at most 480 px a side, same ratio
    page = client.get(reverse("health:household_detail", args=[household.pk])).content.decode()
    assert page.count('data-testid="member-photo"') == 1
    assert "data:image/jpeg;base64," in page

    pdf = client.get(reverse("health:household_cards", args=[household.pk])).content
    assert pdf.startswith(b"%PDF")
    Path("var/screenshots").mkdir(parents=True, exist_ok=True)
    Path("var/screenshots/health-card-photo.pdf").write_bytes(pdf)  # to look at
    assert b"/Subtype /Image" in pdf and b"/DCTDecode" in pdf  # the JPEG photo, embedded
    assert b"/DCTDecode" not in pdf_before  # no photo, no image (the QR code is vector)

    # Replaced, not added: one photo per person.
    client.post(_photo_url(household, head_id), {"photo": upload(image_bytes("JPEG"), "p.jpg")})
    assert PersonPhoto.objects.filter(person_id=head_id).count() == 1


@pytest.mark.django_db
def test_bad_photos_are_refused_with_a_clear_message_and_nothing_kept(world, household):
    head = household.head
    svg = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
    png_header_garbage = b"\x89PNG\r\n\x1a\n" + b"\x00" * 200
    jpeg_named_png = image_bytes("JPEG")
    cases = [
        (upload(svg, "photo.svg"), "invalid_file"),
        (upload(png_header_garbage), "invalid_photo"),
        (upload(jpeg_named_png, "photo.png"), "invalid_file"),  # its bytes are not a PNG's
        (upload(b"\x89PNG\r\n\x1a\n" + b"0" * (2 * 1024 * 1024)), "too_large"),
    ]
    for bad, code in cases:
        with pytest.raises(Exception) as refused:
            services.person_photo_set(
                actor=world.officer, household=household, person=head, upload=bad
            )
        assert refused.value.code == code, bad.name
        assert refused.value.field == "photo"
    assert not PersonPhoto.objects.exists()


@pytest.mark.django_db
def test_who_may_set_a_photo(world, client, household):
    head_id = household.head_id
    agent = mutual_agent(national_user(), household.scheme)
    for user, status in [
        (world.agent_tc, 403),  # sees the household, does not enrol it
        (world.lender, 404),
        (world.agent_mbour, 404),
        (agent, 302),
    ]:
        client.force_login(user)
        r = client.post(_photo_url(household, head_id), {"photo": upload(image_bytes())})
        assert r.status_code == status, user
    assert PersonPhoto.objects.count() == 1  # the scheme's agent only
    client.force_login(world.officer)
    stranger = world.persons_mbour[0]  # not of this household
    r = client.post(_photo_url(household, stranger.pk), {"photo": upload(image_bytes())})
    assert r.status_code == 404


@pytest.mark.django_db
def test_a_merged_duplicate_s_photo_goes_to_the_kept_record(world, household):
    head = household.head
    dependant = household.members.exclude(person=head).get().person
    services.person_photo_set(
        actor=world.officer, household=household, person=dependant, upload=upload(image_bytes())
    )
    person_merge(actor=world.national, keep=head, duplicate=dependant)
    assert PersonPhoto.objects.get().person_id == head.pk
