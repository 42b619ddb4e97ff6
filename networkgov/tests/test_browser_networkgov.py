"""Real Chromium at 360 px, real HTTP: a member organisation whose dues are unpaid pays them
through the Wave sandbox's page (the signed webhook reaches the live app), is then in good
standing, votes "pour" in the network's assembly held today; the administrator closes the
assembly and the result is shown: the resolution adopted, with its counts."""

import datetime
import re
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from playwright.sync_api import expect

from core import dates
from networkgov import services
from networkgov.models import Membership

SHOTS = Path(django_settings.BASE_DIR) / "var" / "screenshots"


def sign_in(page, username):
    page.context.clear_cookies()
    page.goto(page.base_url + "/comptes/connexion/")
    page.get_by_label("Identifiant").fill(username)
    page.get_by_label("Mot de passe").fill("sunucoop-test-pw")
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_load_state()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_dues_paid_through_the_sandbox_then_a_vote_and_its_result(
    django_db_serialized_rollback, page, cast, wave, settings
):
    settings.PAYMENTS_PUBLIC_URL = page.base_url
    wave.config["app_url"] = page.base_url
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.set_viewport_size({"width": 360, "height": 800})
    today = dates.today()
    membership = Membership.objects.get(organisation=cast.late)
    if membership.year != today.year:  # the cast's memberships are of 2026
        Membership.objects.filter(year=2026).update(year=today.year)
    assembly = services.assembly_convene(
        actor=cast.admin, title="Assemblée générale du réseau", kind="ordinaire", held_on=today,
        notice_sent_on=today - datetime.timedelta(days=30), place="En ligne",
        agenda="1. Budget 2027", today=today,
    )  # fmt: skip
    resolution = services.resolution_add(actor=cast.admin, assembly=assembly, title="Budget 2027")

    sign_in(page, cast.late_owner.username)
    page.goto(page.base_url + "/reseau/vie-du-reseau/adhesion/")
    expect(page.get_by_test_id(f"standing-{cast.late.pk}")).to_have_text("radiée")
    page.get_by_label("Téléphone qui paie (mobile money)").fill("77 900 12 34")
    page.screenshot(path=str(SHOTS / "networkgov-dues-360.png"), full_page=True)
    page.get_by_role("button", name="Payer la cotisation").click()
    page.get_by_role("link", name="Ouvrir la page de paiement").click()
    expect(page.get_by_text("Wave — bac à sable")).to_be_visible()
    page.get_by_role("button", name="Payer").click()
    page.wait_for_url(re.compile(r"/reseau/vie-du-reseau/adhesion/"))
    page.goto(page.base_url + "/reseau/vie-du-reseau/adhesion/")
    expect(page.get_by_test_id(f"standing-{cast.late.pk}")).to_have_text("à jour")
    expect(page.get_by_test_id(f"paid-{membership.pk}")).to_contain_text("25")

    page.goto(f"{page.base_url}/reseau/vie-du-reseau/assemblees/{assembly.pk}/")
    page.get_by_label("pour").check()
    page.get_by_role("button", name="Voter").click()
    expect(page.get_by_test_id("voted-1")).to_contain_text("vote enregistré")
    for i in range(3):  # three other members vote: 4 of 7 in good standing, quorum 1/2
        services.vote_cast(actor=cast.owners[i], resolution=resolution,
                           organisation=cast.orgs[i], choice="for" if i else "against")  # fmt: skip

    sign_in(page, cast.admin.username)
    page.goto(f"{page.base_url}/reseau/vie-du-reseau/assemblees/{assembly.pk}/")
    page.get_by_label("Président(e) de séance").fill("Awa Diop")
    page.get_by_role("button", name="Clore et figer les résultats").click()
    expect(page.get_by_test_id("assembly-status")).to_have_text("tenue et close")
    expect(page.get_by_test_id("result-1")).to_contain_text("Pour : 3 · Contre : 1")
    expect(page.get_by_test_id("result-1")).to_contain_text("adoptée")
    expect(page.get_by_test_id("participation")).to_contain_text("4 organisations votantes sur 7")
    page.screenshot(path=str(SHOTS / "networkgov-result-360.png"), full_page=True)
