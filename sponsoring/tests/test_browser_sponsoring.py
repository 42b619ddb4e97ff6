"""Real Chromium, real HTTP: an organisation's account books an announcement on the
directory of Senegal, pays it on the Wave sandbox's page (the sandbox's signed webhook
reaches the live app), Senegal's moderator approves it, and a visitor sees it on the
directory filtered on Senegal (not on Mali's) and follows it: the impression and the
click are counted. The headless browser's own visits are a robot's (not counted)."""

import datetime
import time
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from playwright.sync_api import expect

from core import dates
from sponsoring.models import Booking, DailyCount

SHOTS = Path(django_settings.BASE_DIR) / "var" / "screenshots"
PERSON = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 Chrome/120.0 Safari/537.36"


def login(page, username: str) -> None:
    page.goto(page.base_url + "/comptes/connexion/")
    page.get_by_label("Identifiant").fill(username)
    page.get_by_label("Mot de passe").fill("sunucoop-test-pw")
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_load_state()


def new_page(browser, base_url, **options):
    context = browser.new_context(locale="fr-FR", **options)
    tab = context.new_page()
    tab.set_default_timeout(15000)
    tab.base_url = base_url
    return tab


def wait_for_status(status: str) -> None:
    for _ in range(50):  # the sandbox's webhook reaches the live server on its own thread
        if Booking.objects.filter(status=status).exists():
            return
        time.sleep(0.2)


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_booked_paid_approved_shown_and_clicked(
    django_db_serialized_rollback, page, browser, cast, wave, settings
):
    settings.PAYMENTS_PUBLIC_URL = page.base_url
    wave.config["app_url"] = page.base_url
    SHOTS.mkdir(parents=True, exist_ok=True)
    today = dates.today()
    login(page, cast.user_sn.username)
    page.goto(page.base_url + "/reseau/annonces/reserver/")
    page.get_by_label("Format").select_option("announcement")
    page.get_by_label("Titre de l'annonce").fill("Microassurance santé pour vos membres")
    page.get_by_label("Texte (Markdown").fill("Une **offre** pour les mutuelles du Sénégal.")
    page.get_by_label("Lien (").fill("/reseau/projets/")
    page.get_by_label("annuaire des organisations").check()
    page.get_by_label("Pays").select_option(["SN"])
    page.locator("#id_starts_on").fill(today.isoformat())
    page.locator("#id_ends_on").fill((today + datetime.timedelta(days=6)).isoformat())
    page.get_by_role("button", name="Réserver").click()
    expect(page.get_by_test_id("booking-status")).to_have_text("en attente du paiement")
    expect(page.get_by_test_id("booking-price")).to_have_text("14\u202f000\u202fF\u202fCFA")
    page.get_by_label("Téléphone qui paie").fill("77 900 12 34")
    page.get_by_role("button", name="Payer").click()
    page.get_by_role("link", name="Ouvrir la page de paiement").click()
    expect(page.get_by_text("Wave — bac à sable")).to_be_visible()
    page.get_by_role("button", name="Payer").click()
    page.wait_for_url("**/reseau/annonces/**")
    wait_for_status("pending")
    page.reload()
    expect(page.get_by_test_id("booking-status")).to_have_text("payée, en attente de modération")
    page.screenshot(path=str(SHOTS / "sponsoring-paid.png"), full_page=True)

    moderator = new_page(browser, page.base_url)
    login(moderator, cast.moderator.username)
    moderator.goto(page.base_url + "/reseau/annonces/moderation/")
    moderator.get_by_role("link", name="Microassurance santé pour vos membres").click()
    moderator.get_by_label("Décision").select_option("approve")
    moderator.get_by_role("button", name="Enregistrer la décision").click()
    expect(moderator.get_by_text("Décision enregistrée.")).to_be_visible()
    assert Booking.objects.get().status == "approved"

    visitor = new_page(browser, page.base_url, user_agent=PERSON)
    visitor.set_viewport_size({"width": 360, "height": 800})
    visitor.goto(page.base_url + "/reseau/organisations/?country=ML")
    expect(visitor.get_by_role("heading", name="Annuaire des organisations")).to_be_visible()
    expect(visitor.get_by_text("Microassurance santé pour vos membres")).to_have_count(0)
    visitor.goto(page.base_url + "/reseau/organisations/?country=SN")
    announcement = visitor.get_by_role("link", name="Microassurance santé pour vos membres")
    expect(announcement).to_be_visible()
    expect(visitor.get_by_text("Annonce sponsorisée")).to_be_visible()
    visitor.screenshot(path=str(SHOTS / "sponsoring-directory-360.png"), full_page=True)
    announcement.click()
    visitor.wait_for_url("**/reseau/projets/")
    expect(visitor.get_by_role("heading", name="Banque de projets")).to_be_visible()
    page.goto(page.base_url + "/reseau/organisations/?country=SN")  # headless: a robot's
    count = DailyCount.objects.get()
    assert (count.day, count.impressions, count.clicks) == (today, 1, 1)
    booking = Booking.objects.get()
    page.goto(f"{page.base_url}/reseau/annonces/{booking.pk}/")
    expect(page.get_by_test_id("figures")).to_contain_text("100,0 %")
    page.screenshot(path=str(SHOTS / "sponsoring-figures.png"), full_page=True)
    for tab in (moderator, visitor):
        tab.context.close()
