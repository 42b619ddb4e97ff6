"""Real Chromium at 360 px: an administrator resolves a dispute by refunding the client
(the confirmation box first), a party cancels an engagement (the confirmation box first);
the page shows what was refunded and what was cancelled."""

from pathlib import Path

import pytest
from django.conf import settings as django_settings
from playwright.sync_api import expect

from consulting import services
from consulting.models import DisputeRefund, Engagement
from consulting.tests.conftest import sign
from core import dates

SHOTS = Path(django_settings.BASE_DIR) / "var" / "screenshots"
NB = "\u202f"


def sign_in(page, username):
    page.context.clear_cookies()
    page.goto(page.base_url + "/comptes/connexion/")
    page.get_by_label("Identifiant").fill(username)
    page.get_by_label("Mot de passe").fill("sunucoop-test-pw")
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_load_state()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_refund_and_a_cancellation_on_the_page(django_db_serialized_rollback, page, cast):
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.set_viewport_size({"width": 360, "height": 800})
    disputed = sign(cast, amount=200_000)
    services.dispute_open(actor=cast.owner, engagement=disputed, reason="Rapport non remis.")
    services.engagement_payment_record(
        actor=cast.admin, engagement=disputed, amount=200_000, paid_on=dates.today()
    )
    sign_in(page, cast.admin.username)
    page.goto(f"{page.base_url}/reseau/missions/{disputed.pk}/")
    page.get_by_label("Montant remboursé (F CFA)").fill("50000")
    page.locator("#refund_resolution").fill("Rapport partiel : la moitié du diagnostic.")
    page.get_by_label("Téléphone à rembourser").fill("76 555 44 33")
    page.get_by_role("button", name="Rembourser").click()  # not confirmed: refused
    expect(page.get_by_text("Ce champ est obligatoire.").first).to_be_visible()
    assert not DisputeRefund.objects.exists()
    page.get_by_label("Je confirme : le client est remboursé").check()
    page.screenshot(path=str(SHOTS / "consulting-refund-360.png"), full_page=True)
    page.get_by_role("button", name="Rembourser").click()
    expect(page.get_by_test_id("refund")).to_contain_text(f"50{NB}000{NB}F{NB}CFA")
    expect(page.get_by_test_id("refunded")).to_have_text(f"50{NB}000{NB}F{NB}CFA")
    refund = DisputeRefund.objects.get()
    assert refund.payout.phone == "+221765554433"
    assert (refund.consultant_part, refund.platform_part, refund.ess_part) == (40_000, 5_000, 5_000)

    later = sign(cast, amount=300_000)
    sign_in(page, cast.owner.username)
    page.goto(f"{page.base_url}/reseau/missions/{later.pk}/")
    page.get_by_text("Annuler la mission").first.click()  # opens the section
    page.get_by_label("Motif de l'annulation").fill("Le projet est reporté à l'an prochain.")
    page.get_by_label("Je confirme : les étapes non payées sont annulées").check()
    page.get_by_role("button", name="Annuler la mission").click()
    expect(page.get_by_test_id("cancelled")).to_contain_text("reporté")
    expect(page.get_by_test_id("milestone-cancelled")).to_be_visible()
    page.screenshot(path=str(SHOTS / "consulting-cancelled-360.png"), full_page=True)
    assert Engagement.objects.get(pk=later.pk).status == "cancelled"
