"""Member cards: a PDF per household, a QR code carrying a signed payload, the check."""

import datetime

import pytest
import segno
from django.urls import reverse
from django.utils import timezone

from health import services
from health.cards import card_read, card_token, cards, cards_html, qr_svg_data_uri
from health.tests.factories import (
    enrolled,
    mutual_agent,
    national_user,
    provider_with_convention,
    scheme_of_example,
)


@pytest.fixture
def covered(world):
    """A household of two enrolled 60 days ago, paid for four months: active today."""
    national = national_user()
    scheme = scheme_of_example(national)
    provider, staff = provider_with_convention(national, scheme)
    on = timezone.localdate() - datetime.timedelta(days=60)
    household = enrolled(world.officer, scheme, world.coop_tc, 2, on=on)
    services.contribution_pay(
        actor=world.officer,
        household=household,
        amount=2 * 2_500 + 4 * 1_100,
        paid_on=on,
        channel="cash",
    )
    household.refresh_from_db()
    return household, staff, national, scheme


def _forged(token: str) -> str:
    """The same code with one character of the payload changed (signature kept)."""
    i = 3
    return token[:i] + ("A" if token[i] != "A" else "B") + token[i + 1 :]


@pytest.mark.django_db
def test_a_card_code_is_signed_and_checked_against_todays_cover(covered, world, api_client):
    household, staff, national, scheme = covered
    head = household.members.get(person=household.head)
    token = card_token(head, issued_on=timezone.localdate())
    payload = card_read(token)
    assert (payload.person_id, payload.scheme_id, payload.household_id) == (
        household.head_id,
        scheme.pk,
        household.pk,
    )
    assert payload.covered_until == household.covered_until

    r = api_client(staff).get("/api/v1/health/cards/verify", {"code": token})
    assert r.status_code == 200, r.content
    body = r.json()
    assert (body["person"], body["status"], body["same_household"]) == (
        household.head_id,
        "active",
        True,
    )
    assert body["covered_until"] == household.covered_until.isoformat()
    assert "diagnosis" not in body

    r = api_client(staff).get("/api/v1/health/cards/verify", {"code": _forged(token)})
    assert (r.status_code, r.json()["code"]) == (400, "invalid_card")
    other = scheme_of_example(national, name="Autre mutuelle")
    _provider, stranger = provider_with_convention(national, other, name="Autre centre")
    # A provider without a convention with the scheme: the code is genuine, the cover hidden.
    assert (
        api_client(stranger).get("/api/v1/health/cards/verify", {"code": token}).status_code == 404
    )
    assert (
        api_client(world.agent_mbour)
        .get("/api/v1/health/cards/verify", {"code": token})
        .status_code
        == 404
    )


@pytest.mark.django_db
def test_a_lapsed_person_s_card_says_so(covered, world, api_client):
    household, staff, national, scheme = covered
    head = household.members.get(person=household.head)
    token = card_token(head, issued_on=timezone.localdate())
    agent = mutual_agent(national, scheme)
    household.covered_until = timezone.localdate() - datetime.timedelta(days=1)
    household.save(update_fields=["covered_until"])  # as if the months had run out
    body = api_client(agent).get("/api/v1/health/cards/verify", {"code": token}).json()
    assert body["status"] == "lapsed"


@pytest.mark.django_db
def test_the_cards_pdf_and_the_verification_page(covered, world, client):
    household, staff, national, scheme = covered
    url = reverse("health:household_cards", args=[household.pk])
    client.force_login(world.officer)
    r = client.get(url)
    assert r.status_code == 200 and r["Content-Type"] == "application/pdf"
    assert r.content.startswith(b"%PDF")
    assert len(r.content) > 5_000
    client.force_login(world.lender)
    assert client.get(url).status_code == 404

    head = household.members.get(person=household.head)
    token = card_token(head, issued_on=timezone.localdate())
    client.force_login(staff)
    page = client.get(reverse("health:card_verify"), {"c": token}).content.decode()
    assert 'data-testid="card-result"' in page and str(household.head) in page
    assert "couvert" in page
    page = client.get(reverse("health:card_verify"), {"c": _forged(token)}).content.decode()
    assert 'data-testid="card-invalid"' in page and "Carte non reconnue" in page
    assert client.get(reverse("health:card_verify")).status_code == 200  # the empty form


@pytest.mark.django_db
def test_each_card_carries_the_qr_of_its_own_signed_code(covered):
    household, staff, national, scheme = covered
    members = list(household.members.select_related("person", "household"))
    url = "https://sunucoop.example/sante/carte/verifier/"
    built = cards(members=members, verify_url=url, issued_on=timezone.localdate())
    assert [card_read(c["token"]).person_id for c in built] == [m.person_id for m in members]
    for card in built:
        assert card["qr"] == qr_svg_data_uri(f"{url}?c={card['token']}")
        assert card["qr"].startswith("data:image/svg+xml")
    html = cards_html(
        household=household, members=members, verify_url=url, issued_on=timezone.localdate()
    )
    assert html.count('class="card"') == 2
    assert all(str(m.person) in html for m in members)
    # Ed25519's 64-byte signature makes the code longer than the former HMAC: version 13
    # (69 modules) at most for these names, printed 3 cm wide (0.43 mm a module).
    assert segno.make_qr(f"{url}?c={built[0]['token']}", error="m").version <= 13
