"""Real Chromium, real HTTP: a visitor without an account pledges on a campaign through
the Wave sandbox's payment page; the sandbox's signed webhook reaches the live app; the
pledge counts, the sponsor's fund matches it, and the campaign page shows it at once."""

from pathlib import Path

import pytest
from django.conf import settings as django_settings
from playwright.sync_api import expect

from network import services
from network.models import Match, Pledge
from network.tests.conftest import open_campaign

SHOTS = Path(django_settings.BASE_DIR) / "var" / "screenshots"


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_visitor_pledges_through_the_wave_sandbox(
    django_db_serialized_rollback, page, net, wave, settings
):
    settings.PAYMENTS_PUBLIC_URL = page.base_url
    wave.config["app_url"] = page.base_url
    SHOTS.mkdir(parents=True, exist_ok=True)
    campaign = open_campaign(net, goal=100_000)
    services.match_fund_open(
        actor=net.admin, sponsor="Fondation Sahel Solidaire", budget=100_000, factor="2",
        max_per_pledge=10_000, max_per_project=25_000, campaigns=[campaign],
    )  # fmt: skip
    page.set_viewport_size({"width": 360, "height": 800})
    page.goto(f"{page.base_url}/reseau/campagnes/{campaign.pk}/")
    page.get_by_label("Montant du don (F CFA)").fill("5000")
    page.get_by_label("Votre nom").fill("Awa Ndiaye")
    page.get_by_label("Votre téléphone (mobile money)").fill("77 100 00 01")
    page.screenshot(path=str(SHOTS / "network-pledge-form-360.png"), full_page=True)
    page.get_by_role("button", name="Donner par mobile money").click()
    page.get_by_role("link", name="Ouvrir la page de paiement").click()
    expect(page.get_by_text("Wave — bac à sable")).to_be_visible()
    page.get_by_role("button", name="Payer").click()
    page.wait_for_url("**/reseau/dons/**")
    expect(page.get_by_test_id("pledge-status")).to_contain_text("Votre don est payé")
    page.screenshot(path=str(SHOTS / "network-pledge-return-360.png"), full_page=True)
    pledge = Pledge.objects.get()
    assert pledge.status == "paid" and pledge.amount == 5_000
    assert Match.objects.get(pledge=pledge).amount == 10_000
    page.goto(f"{page.base_url}/reseau/campagnes/{campaign.pk}/")
    expect(page.get_by_test_id("raised")).to_have_text("5\u202f000\u202fF\u202fCFA")
    expect(page.get_by_test_id("matched")).to_have_text("10\u202f000\u202fF\u202fCFA")
    expect(page.get_by_test_id("backers")).to_have_text("1")
    page.screenshot(path=str(SHOTS / "network-campaign-360.png"), full_page=True)
