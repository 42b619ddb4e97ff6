"""The value chain's pages: scoped, and the till's sync endpoint (JSON, replay-safe)."""

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
