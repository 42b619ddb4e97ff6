"""Real Chromium at 360 px, real HTTP: the organiser of a course that has ended opens its
fee statement from the event's page, asks for the payout, and the Wave sandbox pays it:
the statement says "versé" with the payout's reference, the holding accounts at zero."""

from pathlib import Path

import pytest
from django.conf import settings as django_settings
from playwright.sync_api import expect

from payments.models import Payout

SHOTS = Path(django_settings.BASE_DIR) / "var" / "screenshots"
NB = "\u202f"


def xof(amount: int) -> str:
    return f"{amount:,}".replace(",", NB) + f"{NB}F{NB}CFA"


def sign_in(page, username):
    page.goto(page.base_url + "/comptes/connexion/")
    page.get_by_label("Identifiant").fill(username)
    page.get_by_label("Mot de passe").fill("sunucoop-test-pw")
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_load_state()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_organiser_asks_the_payout_and_sees_it_paid(
    django_db_serialized_rollback, page, cast, paid_event
):
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.set_viewport_size({"width": 360, "height": 800})
    sign_in(page, cast.user_sn.username)
    page.goto(page.base_url + f"/reseau/evenements/{paid_event.pk}/")
    page.get_by_role("link", name="Relevé des frais et versement").click()
    expect(page.get_by_test_id("payout-net")).to_have_text(xof(19_000))
    expect(page.get_by_test_id("payout-status")).to_have_text("à verser")
    page.get_by_role("button", name="Demander le versement").click()
    expect(page.get_by_test_id("payout-status")).to_have_text("versé")
    payout = Payout.objects.get(purpose="event_payout")
    assert payout.status == "succeeded"
    expect(page.get_by_test_id("payout-ref")).to_contain_text(payout.reference)
    ref = page.get_by_test_id("payout-ref").bounding_box()
    assert ref["x"] + ref["width"] <= 360
    books = page.get_by_test_id("payout-books")
    expect(books).to_contain_text("4197")
    cell = books.locator("td").last.bounding_box()
    assert cell is not None and cell["x"] + cell["width"] <= 360
    page.screenshot(path=str(SHOTS / "events-payout-360.png"), full_page=True)
