"""Issue 16, points 3 and 6: members' needs and market prices imported from a sheet
(CSV or XLSX through core.tabular: every row checked, nothing written on any error)."""

import datetime
from unittest import mock

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from purchasing.models import MarketPrice, MemberNeed, Order
from purchasing.tests.factories import TODAY, market

pytestmark = pytest.mark.django_db


@pytest.fixture
def m(world):
    return market(world)


@pytest.fixture(autouse=True)
def _today():
    with mock.patch("django.utils.timezone.localdate", return_value=TODAY):
        yield


def sheet(text: str, name="feuille.csv"):
    return SimpleUploadedFile(name, text.encode("utf-8"), content_type="text/csv")


def test_a_bulletin_of_prices_is_imported_by_an_agent_in_their_area(world, m, api_client):
    body = (
        "Produit;Zone;Prix;Date du relevé;Source\n"
        "Riz brisé;SN-TH-MBO;17 500;02/03/2026;Bulletin SIM\n"
        f"{m.seed.product_id};SN-TH-THI;650;2026-03-03;\n"
    )
    agent = api_client(world.agent_th)
    r = agent.post("/api/v1/prices/import", {"file": sheet(body), "dry_run": "true"})
    assert r.status_code == 200 and r.json()["created"] == 2 and r.json()["dry_run"]
    assert not MarketPrice.objects.exists()
    r = agent.post("/api/v1/prices/import", {"file": sheet(body)})
    assert r.status_code == 200, r.content
    assert sorted(MarketPrice.objects.values_list("price", flat=True)) == [650, 17500]


@pytest.mark.parametrize(
    "row,column",
    [
        ("Riz brisé;SN-TC;17000;02/03/2026", "area"),  # another region than the agent's
        ("Riz brisé;SN-XX;17000;02/03/2026", "area"),
        ("Mil;SN-TH;17000;02/03/2026", "product"),
        ("Riz brisé;SN-TH;0;02/03/2026", "price"),
        ("Riz brisé;SN-TH;douze;02/03/2026", "price"),
        ("Riz brisé;SN-TH;17000;11/03/2026", "observed_on"),  # the future (today 10/03)
    ],
)
def test_a_bad_price_row_writes_nothing(world, m, api_client, row, column):
    body = f"produit;zone;prix;date\nRiz brisé;SN-TH;17000;01/03/2026\n{row}\n"
    r = api_client(world.agent_th).post("/api/v1/prices/import", {"file": sheet(body)})
    assert r.status_code == 400, r.content
    error = r.json()["errors"][0]
    assert (error["row"], error["column"]) == (3, column) and error["message"]
    assert r.json()["code"] == "import_errors"
    assert not MarketPrice.objects.exists()


def test_members_needs_sheet_becomes_the_cooperatives_order(world, m, api_client):
    a, b, c = world.persons_mbour
    body = (
        "Membre;Produit;Quantité\n"
        f"{a.pk};Riz brisé;3\n"
        f"{b.pk};riz brise;4\n"
        f"{c.pk};Semence d'arachide;30\n"
    )
    url = f"/api/v1/purchasing/campaigns/{m.campaign.pk}/needs/import"
    officer = api_client(m.officer_mbour)
    r = officer.post(url, {"file": sheet(body), "cooperative": world.coop_mbour.pk})
    assert r.status_code == 200, r.content
    assert r.json()["created"] == 3
    order = Order.objects.get(cooperative=world.coop_mbour)
    assert {ln.offer_id: ln.quantity for ln in order.lines.all()} == {m.rice.pk: 7, m.seed.pk: 30}
    assert MemberNeed.objects.filter(order=order).count() == 3
    # another cooperative's officer may not import for Mbour
    r = api_client(m.officer_thies).post(
        url, {"file": sheet(body), "cooperative": world.coop_mbour.pk}
    )
    assert r.status_code in (403, 404)


@pytest.mark.parametrize(
    "row,column",
    [
        ("{outsider};Riz brisé;2", "person"),  # a member of Thiès, not of Mbour
        ("{a};Huile;2", "product"),  # not offered in the campaign
        ("{a};Riz brisé;0", "quantity"),
        ("{a};Riz brisé;-3", "quantity"),
        ("{b};Riz brisé;1", "product"),  # this member already has rice, row 2
    ],
)
def test_a_bad_needs_row_writes_nothing(world, m, api_client, row, column):
    a, b, _c = world.persons_mbour
    outsider = world.persons_thies[0]
    body = f"personne;produit;quantite\n{b.pk};Riz brisé;2\n" + row.format(
        a=a.pk, b=b.pk, outsider=outsider.pk
    )
    url = f"/api/v1/purchasing/campaigns/{m.campaign.pk}/needs/import"
    r = api_client(m.officer_mbour).post(
        url, {"file": sheet(body), "cooperative": world.coop_mbour.pk}
    )
    assert r.status_code == 400, r.content
    error = r.json()["errors"][0]
    assert (error["row"], error["column"]) == (3, column)
    assert not Order.objects.exists()


def test_needs_after_closing_are_refused_and_nothing_written(world, m, api_client):
    from purchasing import services

    services.campaign_close(actor=world.agent_th, campaign=m.campaign, on=datetime.date(2026, 3, 9))
    a = world.persons_mbour[0]
    url = f"/api/v1/purchasing/campaigns/{m.campaign.pk}/needs/import"
    r = api_client(m.officer_mbour).post(
        url,
        {
            "file": sheet(f"membre;produit;quantité\n{a.pk};Riz brisé;3\n"),
            "cooperative": world.coop_mbour.pk,
        },
    )
    assert r.status_code == 400 and "clôtur" in r.json()["errors"][0]["message"]
    assert not Order.objects.exists()


def test_the_upload_pages(world, m, client):
    a, b, _c = world.persons_mbour
    client.force_login(m.officer_mbour)
    url = f"/achats/campagnes/{m.campaign.pk}/commande/{world.coop_mbour.pk}/besoins/"
    assert (
        url
        in client.get(
            f"/achats/campagnes/{m.campaign.pk}/commande/{world.coop_mbour.pk}/"
        ).content.decode()
    )
    bad = sheet(f"membre;produit;quantité\n{a.pk};Riz brisé;0\n")
    page = client.post(url, {"file": bad}).content.decode()
    assert "rien n&#x27;a été enregistré" in page or "rien n'a été enregistré" in page
    assert not Order.objects.exists()
    good = sheet(f"membre;produit;quantité\n{a.pk};Riz brisé;3\n{b.pk};Riz brisé;2\n")
    r = client.post(url, {"file": good})
    assert r.status_code == 302
    assert Order.objects.get().lines.get().quantity == 5
    client.force_login(world.agent_th)
    r = client.post(
        "/achats/prix/import/",
        {
            "file": sheet("produit;zone;prix;date\nRiz brisé;SN-TH-MBO;17000;01/03/2026\n"),
            "dry_run": "on",
        },
    )
    assert r.status_code == 200 and "Vérification réussie" in r.content.decode()
    assert not MarketPrice.objects.exists()
    client.force_login(m.officer_mbour)
    assert client.get("/achats/prix/import/").status_code == 403
