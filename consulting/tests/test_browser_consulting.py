"""Real Chromium at 360 px, real HTTP: an organisation publishes a support request, a
verified consultant proposes, the client accepts (the engagement is signed), pays through
the Wave sandbox's page; the signed webhook reaches the live app and the payment is split:
the consultant's payout, the platform's share and the ESS fund's share, on the page."""

import re
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from playwright.sync_api import expect

from consulting.models import Engagement, EngagementPayment
from payments.models import Payout

SHOTS = Path(django_settings.BASE_DIR) / "var" / "screenshots"
NB = "\u202f"


def sign_in(page, username):
    page.context.clear_cookies()
    page.goto(page.base_url + "/comptes/connexion/")
    page.get_by_label("Identifiant").fill(username)
    page.get_by_label("Mot de passe").fill("sunucoop-test-pw")
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_load_state()


def xof(amount: int) -> str:
    return f"{amount:,}".replace(",", NB) + f"{NB}F{NB}CFA"


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_request_proposal_engagement_payment_and_the_three_payouts(
    django_db_serialized_rollback, page, cast, wave, settings
):
    settings.PAYMENTS_PUBLIC_URL = page.base_url
    wave.config["app_url"] = page.base_url
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.set_viewport_size({"width": 360, "height": 800})
    sign_in(page, cast.owner.username)
    page.goto(page.base_url + "/reseau/appuis/nouvelle/")
    page.get_by_label("Objet de la demande").fill("Plan d'affaires de l'unité de mil")
    page.get_by_label("Le besoin").fill("Un plan d'affaires sur trois ans pour 40 femmes.")
    page.get_by_role("button", name="Publier la demande").click()
    expect(page.get_by_test_id("request-status")).to_have_text("ouverte aux propositions")
    request_url = page.url

    sign_in(page, cast.consultant_user.username)
    page.goto(request_url)
    page.get_by_label("Montant proposé (F CFA)").fill("100000")
    page.get_by_label("Jours de travail").fill("2")
    page.get_by_label("Votre proposition (démarche, calendrier)").fill("Deux jours à Thiès.")
    page.screenshot(path=str(SHOTS / "consulting-proposal-360.png"), full_page=True)
    page.get_by_role("button", name="Envoyer ma proposition").click()
    expect(page.get_by_test_id("proposal")).to_contain_text(xof(100_000))

    sign_in(page, cast.owner.username)
    page.goto(request_url)
    page.get_by_role("button", name="Retenir cette proposition et signer").click()
    expect(page.get_by_test_id("split")).to_contain_text("consultant 80 %")
    engagement = Engagement.objects.get()
    page.get_by_label("Téléphone qui paie (mobile money)").fill("77 900 12 34")
    page.screenshot(path=str(SHOTS / "consulting-engagement-360.png"), full_page=True)
    page.get_by_role("button", name="Payer", exact=True).click()
    page.get_by_role("link", name="Ouvrir la page de paiement").click()
    expect(page.get_by_text("Wave — bac à sable")).to_be_visible()
    page.get_by_role("button", name="Payer").click()
    page.wait_for_url(re.compile(rf"/reseau/missions/{engagement.pk}/\?issue=ok$"))
    page.goto(f"{page.base_url}/reseau/missions/{engagement.pk}/")
    expect(page.get_by_test_id("engagement-status")).to_have_text("payée entièrement")
    expect(page.get_by_test_id("share-consultant")).to_have_text(xof(80_000))
    expect(page.get_by_test_id("share-platform")).to_have_text(xof(10_000))
    expect(page.get_by_test_id("share-ess")).to_have_text(xof(10_000))
    cell = page.get_by_test_id("share-ess").bounding_box()
    assert cell["x"] + cell["width"] <= 360  # the table is cards on a phone
    page.screenshot(path=str(SHOTS / "consulting-paid-360.png"), full_page=True)
    payment = EngagementPayment.objects.get()
    assert (payment.consultant_share, payment.platform_share, payment.ess_share) == (
        80_000,
        10_000,
        10_000,
    )
    payout = Payout.objects.get(kind="consultant")
    assert payout.amount == 80_000 and payout.phone == cast.consultant.payout_phone
    page.goto(page.base_url + "/reseau/fonds-ess/")
    expect(page.get_by_test_id("fund-received")).to_have_text(xof(10_000))
