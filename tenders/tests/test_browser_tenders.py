"""Real Chromium, real HTTP, the whole call for tenders: the buyer publishes a call with
its grid, two organisations submit before the deadline (each sees only its own offer, the
buyer none), a question is asked and answered (both submitters see it), the deadline
passes, the named evaluator declares no conflict of interest and scores, the buyer awards
with reasons at 360 px, and both submitters find their notice."""

import datetime
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tenders.models import Score, Tender
from tenders.tests.conftest import close

SHOTS = Path("/tmp/shots")
TITLE = "Étude sur les mutuelles des travailleurs du cacao"


def sign_in(page, username):
    page.context.clear_cookies()
    page.goto(page.base_url + "/comptes/connexion/")
    page.get_by_label("Identifiant").fill(username)
    page.get_by_label("Mot de passe").fill("sunucoop-test-pw")
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_load_state()


def publish(page, cast):
    sign_in(page, cast.buyer_user.username)
    page.goto(page.base_url + "/reseau/appels-d-offres/nouveau/")
    page.get_by_label("Type d'acheteur").select_option("network")
    page.get_by_label("Titre").fill(TITLE)
    page.get_by_label("Description et termes de référence").fill("Une étude de faisabilité.")
    page.get_by_label("Pays").select_option("CI")
    page.get_by_label("Secteur").select_option("sante")
    deadline = timezone.localtime() + datetime.timedelta(days=3)
    page.get_by_label("Date limite de dépôt").fill(deadline.strftime("%Y-%m-%dT%H:%M"))
    page.get_by_label("Grille d'évaluation").fill("Méthodologie ; 60\nExpérience ; 40")
    page.get_by_role("button", name="Publier").click()
    expect(page.get_by_role("heading", name=TITLE)).to_be_visible()
    expect(page.get_by_test_id("tender-status")).to_have_text("ouvert aux offres")
    return page.url


def submit(page, user, org, price):
    sign_in(page, user.username)
    page.goto(page.base_url + f"/reseau/appels-d-offres/{Tender.objects.get().pk}/")
    page.get_by_label("Offre technique (résumé)").fill(f"Démarche de {org.name}")
    page.get_by_label("Prix proposé (F CFA)").fill(str(price))
    page.get_by_role("button", name="Déposer l'offre").click()
    expect(page.get_by_test_id("offers")).to_contain_text(org.name)


def score(page, offer, marks):
    form = page.locator(f"form[action$='/offres/{offer.pk}/notes/']")
    form.get_by_label("Méthodologie (60 %)").fill(str(marks[0]))
    form.get_by_label("Expérience (40 %)").fill(str(marks[1]))
    form.get_by_role("button", name="Enregistrer mes notes").click()
    expect(page.get_by_test_id("results")).to_be_visible()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_publish_submit_sealed_question_evaluate_award_and_notices(
    django_db_serialized_rollback, page, cast
):
    SHOTS.mkdir(parents=True, exist_ok=True)
    url = publish(page, cast)
    tender = Tender.objects.get()
    assert [(c.name, c.weight) for c in tender.criteria.all()] == [
        ("Méthodologie", 60),
        ("Expérience", 40),
    ]

    submit(page, cast.user_a, cast.org_a, 12_000_000)
    expect(page.get_by_test_id("offers")).not_to_contain_text(cast.org_b.name)
    page.get_by_label("Votre question").fill("Quelle est la durée de l'étude ?")
    page.get_by_role("button", name="Envoyer").click()
    expect(page.get_by_test_id("question")).to_contain_text("En attente de réponse.")

    submit(page, cast.user_b, cast.org_b, 9_000_000)
    expect(page.get_by_test_id("offers")).not_to_contain_text(cast.org_a.name)
    expect(page.get_by_test_id("question")).to_have_count(0)  # not answered yet

    sign_in(page, cast.buyer_user.username)
    page.goto(url)
    expect(page.get_by_test_id("sealed")).to_be_visible()
    expect(page.get_by_test_id("offers")).to_have_count(0)  # the buyer sees no offer
    expect(page.get_by_text(cast.org_a.name)).to_have_count(0)
    page.get_by_label("Réponse (publiée à tous)").fill("Quatre mois, de février à mai.")
    page.get_by_role("button", name="Répondre à tous").click()
    expect(page.get_by_test_id("question")).to_contain_text("Quatre mois, de février à mai.")
    page.get_by_role("link", name="Évaluation", exact=True).click()
    page.get_by_label("Identifiant de l'évaluateur").fill(cast.evaluator.username)
    page.get_by_role("button", name="Nommer").click()
    expect(page.get_by_text("Awa Ndiaye")).to_be_visible()
    expect(page.get_by_test_id("results")).to_have_count(0)

    for user in (cast.user_a, cast.user_b):
        sign_in(page, user.username)
        page.goto(url)
        question = page.get_by_test_id("question")
        expect(question).to_contain_text("Quelle est la durée de l'étude ?")
        expect(question).to_contain_text("Quatre mois, de février à mai.")
        expect(question).not_to_contain_text(cast.user_a.username)

    close(tender)  # the deadline passes (as the tenders tests move it)
    sign_in(page, cast.evaluator.username)
    page.goto(url + "evaluation/")
    page.get_by_label("Je déclare n'avoir aucun conflit d'intérêts").check()
    page.get_by_role("button", name="Déclarer").click()
    expect(page.get_by_text("absence de conflit d'intérêts déclarée le")).to_be_visible()
    a, b = tender.submissions.order_by("-price")
    score(page, a, (8, 5))
    score(page, b, (6, 9))
    assert Score.objects.count() == 4

    sign_in(page, cast.buyer_user.username)
    page.set_viewport_size({"width": 360, "height": 800})
    page.goto(url + "evaluation/")
    rows = page.get_by_test_id("results").locator("tbody tr")
    expect(rows.first).to_contain_text(cast.org_b.name)  # 72/100 before 68/100
    expect(rows.first).to_contain_text("72")
    page.get_by_label("Offre retenue").select_option(label=cast.org_b.name)
    page.get_by_label("Motifs de l'attribution").fill(
        "Meilleure note (72/100) et prix le plus bas."
    )
    page.get_by_label("Je confirme : l'attribution est définitive").check()
    page.get_by_role("button", name="Attribuer et notifier chaque soumissionnaire").click()
    awarded = page.get_by_test_id("award")
    expect(awarded).to_contain_text(cast.org_b.name)
    expect(awarded).to_contain_text("un avis envoyé à chacun des 2 soumissionnaires")
    expect(awarded).to_contain_text("Meilleure note (72/100) et prix le plus bas.")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 360, width  # nothing wider than the phone
    page.screenshot(path=str(SHOTS / "tenders-award-360.png"), full_page=True)
    tender.refresh_from_db()
    assert tender.award == b

    for user, outcome in ((cast.user_a, "offre non retenue"), (cast.user_b, "offre retenue")):
        sign_in(page, user.username)
        page.goto(page.base_url + "/reseau/appels-d-offres/avis/")
        notice = page.get_by_test_id("notice")
        expect(notice).to_have_count(1)
        expect(notice.locator(".badge")).to_have_text(outcome)
        expect(notice).to_contain_text("Meilleure note (72/100)")
    page.screenshot(path=str(SHOTS / "tenders-notice-360.png"), full_page=True)
