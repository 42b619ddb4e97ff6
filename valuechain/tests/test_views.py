"""The value chain's pages: scoped, and the till's sync endpoint (JSON, replay-safe)."""

import datetime
import json
import uuid

import pytest
from django.utils import timezone

from valuechain.models import Sale
from valuechain.tests.factories import chain, flour_at_shop, sell

pytestmark = pytest.mark.django_db


def test_index_lists_the_chains_of_the_users_scope(world, client):
    c = chain(world)
    client.force_login(world.agent_mbour)
    body = client.get("/filiere/").content.decode()
    assert c.chain.name in body and "Koumpentoum" not in body
    client.force_login(world.officer)
    assert c.chain.name not in client.get("/filiere/").content.decode()


def test_lot_page_shows_the_trace_and_another_area_gets_404(world, client):
    c = chain(world)
    millet, flour = flour_at_shop(c)
    sell(c, flour)
    client.force_login(world.agent_mbour)
    body = client.get(f"/filiere/lots/{millet.pk}/").content.decode()
    assert flour.code in body and "1 vente touchée" in body
    client.force_login(world.agent_tc)
    assert client.get(f"/filiere/lots/{millet.pk}/").status_code == 404


def test_till_sync_answers_a_replay_with_the_first_sale(world, client):
    c = chain(world)
    _m, flour = flour_at_shop(c)
    client.force_login(c.cashier)
    sale = {
        "client_uuid": str(uuid.uuid4()),
        "sold_at": timezone.now().isoformat(),
        "lines": [{"lot": flour.pk, "quantity": 1, "unit_price": 600}],
        "payments": [{"channel": "cash", "amount": 600}],
    }
    url = f"/filiere/sites/{c.shop.pk}/caisse/sync/"
    first = client.post(url, json.dumps(sale), content_type="application/json")
    again = client.post(url, json.dumps(sale), content_type="application/json")
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json()["id"] == again.json()["id"] and Sale.objects.count() == 1
    bad = client.post(
        url,
        json.dumps({**sale, "client_uuid": str(uuid.uuid4()), "payments": []}),
        content_type="application/json",
    )
    assert bad.status_code == 400 and bad.json()["code"] == "payments_mismatch"
    assert "diffèrent du total" in bad.json()["message"]


def test_chain_page_shows_production_against_the_baseline(world, client):
    c = chain(world)
    flour_at_shop(c, to_shop=0)
    client.force_login(world.agent_mbour)
    body = client.get(f"/filiere/chaines/{c.chain.pk}/").content.decode()
    assert "cible : ×2" in body and "Farine de mil (kg)" in body
    title = body.split("<title>")[1].split("</title>")[0]
    assert "<" not in title and "&lt;" not in title and c.chain.name in title, title
    assert client.get(f"/filiere/chaines/{c.chain.pk}/?year=99999").status_code == 200


def test_lot_label_is_a_pdf_with_the_code_and_a_qr_of_the_lot_page(world, client):
    from valuechain.labels import label_html

    c = chain(world)
    _millet, flour = flour_at_shop(c)
    html = label_html(lot=flour, url=f"https://example.org/filiere/lots/{flour.pk}/", copies=2)
    assert html.count(flour.code) >= 2 and html.count("data:image/svg+xml") == 2
    client.force_login(world.agent_mbour)
    response = client.get(f"/filiere/lots/{flour.pk}/etiquette/?copies=3")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    client.force_login(world.agent_tc)
    assert client.get(f"/filiere/lots/{flour.pk}/etiquette/").status_code == 404


def _stock_at(site, lot) -> int:
    from valuechain.models import StockLevel

    return StockLevel.objects.get(site=site, lot=lot).quantity


def test_site_page_records_a_loss_and_a_count_as_movements(world, client):
    from valuechain.models import StockMovement

    c = chain(world)
    _m, flour = flour_at_shop(c, to_shop=0)
    url = f"/filiere/sites/{c.production.pk}/"
    client.force_login(c.officer_mbour)
    page = client.get(url).content.decode()
    assert "Déclarer une perte" in page and "Inventaire (comptage)" in page
    today = timezone.localdate().isoformat()
    loss = {"action": "loss", "lot": flour.pk, "quantity": 5, "on": today, "note": "Humidité"}
    assert client.post(url, loss).status_code == 302
    assert _stock_at(c.production, flour) == 75
    no_cause = client.post(url, {**loss, "note": " "})
    assert no_cause.status_code == 400 and "obligatoire" in no_cause.content.decode()
    above = client.post(url, {**loss, "quantity": 500})
    assert above.status_code == 400 and "insuffisant" in above.content.decode()
    count = {"action": "count", "lot": flour.pk, "counted": 70, "on": today}
    assert client.post(url, count).status_code == 302
    assert _stock_at(c.production, flour) == 70
    kinds = list(StockMovement.objects.filter(lot=flour).values_list("kind", "quantity"))
    assert ("loss", -5) in kinds and ("count", -5) in kinds
    client.force_login(world.agent_mbour)
    assert "Déclarer une perte" not in client.get(url).content.decode()
    assert client.post(url, loss).status_code == 403


def test_settlement_made_on_the_shop_page_and_its_statement(world, client):
    from core.money import format_xof

    c = chain(world)
    _m, flour = flour_at_shop(c)
    sale = sell(c, flour, quantity=3, unit_price=700)
    client.force_login(c.cashier)
    url = f"/filiere/sites/{c.shop.pk}/"
    assert "Régler un déposant" in client.get(url).content.decode()
    day = timezone.localdate(sale.sold_at).isoformat()
    form = {
        "action": "settle",
        "cooperative": world.coop_mbour.pk,
        "period_from": day,
        "period_to": day,
        "paid_on": timezone.localdate().isoformat(),
        "channel": "cash",
    }
    made = client.post(url, form)
    assert made.status_code == 302 and "/filiere/reglements/" in made["Location"]
    body = client.get(made["Location"]).content.decode()
    assert "Relevé de dépôt-vente" in body and flour.code in body
    assert all(format_xof(n) in body for n in (2100, 210, 1890))
    assert client.post(url, form).status_code == 400  # nothing left to settle
    assert c.shop.settlements.count() == 1
    client.force_login(world.agent_tc)
    assert client.get(made["Location"]).status_code == 404


def test_project_page_records_trials_and_concludes_once(world, client):
    from valuechain import services
    from valuechain.models import ProjectTrial

    c = chain(world)
    workshop = services.site_create(
        actor=world.national,
        name="Atelier technologique de Mbour",
        kind="technologique",
        commune=world.mbour,
        cooperative=world.coop_mbour,
        value_chain=c.chain,
    )
    started = timezone.localdate() - datetime.timedelta(days=10)
    project = services.innovation_project_create(
        actor=world.national,
        site=workshop,
        title="Sachet kraft",
        kind="packaging",
        started_on=started,
    )
    url = f"/filiere/projets/{project.pk}/"
    client.force_login(c.officer_mbour)
    assert "Conclure le projet" in client.get(url).content.decode()
    trial = {
        "action": "trial",
        "kind": "test",
        "on": timezone.localdate().isoformat(),
        "description": "Tenue à l'humidité, 3 semaines",
        "result": "Aucune reprise d'humidité",
        "success": "yes",
    }
    assert client.post(url, trial).status_code == 302
    early = client.post(url, {**trial, "on": (started - datetime.timedelta(days=1)).isoformat()})
    assert early.status_code == 400 and "précéder le début" in early.content.decode()
    no_result = client.post(url, {**trial, "result": ""})
    assert no_result.status_code == 400 and "Décrivez le résultat" in no_result.content.decode()
    assert ProjectTrial.objects.get(project=project).success is True
    assert client.post(url, {"action": "conclude", "status": "adopted"}).status_code == 302
    body = client.get(url).content.decode()
    assert "adoptée" in body and "Conclure le projet" not in body and "concluant" in body
    again = client.post(url, {"action": "conclude", "status": "dropped"})
    assert again.status_code == 400 and "déjà conclu" in again.content.decode()
    client.force_login(world.agent_tc)
    assert client.get(url).status_code == 404
