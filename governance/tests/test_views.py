import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from governance.models import Assembly, AssemblyStatus
from governance.tests.factories import held_assembly

TODAY = timezone.localdate()


def test_convene_form_refuses_short_notice_and_keeps_input(world, client):
    client.force_login(world.officer)
    url = reverse("governance:assembly_create", args=[world.coop_tc.pk])
    data = {
        "kind": "ordinaire",
        "convocation": "1",
        "held_on": str(TODAY + datetime.timedelta(days=10)),
        "notice_sent_on": str(TODAY),
        "agenda": "Comptes 2025",
    }
    r = client.post(url, data)
    assert r.status_code == 200
    body = r.content.decode()
    assert "au moins 15 jours" in body and "Comptes 2025" in body
    assert not Assembly.objects.exists()
    data["held_on"] = str(TODAY + datetime.timedelta(days=15))
    r = client.post(url, data)
    assert r.status_code == 302
    assert Assembly.objects.count() == 1


def test_pages_scoping(world, client):
    a = held_assembly(cooperative=world.coop_tc, actor=world.officer)
    detail = reverse("governance:assembly", args=[a.pk])
    client.force_login(world.agent_th)
    assert client.get(detail).status_code == 404
    client.force_login(world.member)
    assert client.get(detail).status_code == 200
    assert (
        client.get(reverse("governance:assembly_create", args=[world.coop_tc.pk])).status_code
        == 403
    )
    assert client.get(reverse("governance:late_accounts")).status_code == 403
    client.force_login(world.lender)
    assert client.get(detail).status_code == 404
    client.force_login(world.agent_tc)
    assert client.get(reverse("governance:late_accounts")).status_code == 200


def test_proxy_over_limit_shown_on_form(world, client):
    a = held_assembly(cooperative=world.coop_tc, actor=world.officer)
    p = world.persons_tc
    client.force_login(world.officer)
    url = reverse("governance:attendance_add", args=[a.pk])
    client.post(url, {"person": p[0].pk})
    client.post(url, {"person": p[1].pk, "proxy_holder": p[0].pk})
    r = client.post(url, {"person": p[2].pk, "proxy_holder": p[0].pk})
    assert r.status_code == 200
    assert "maximum des statuts" in r.content.decode()


def test_detail_page_query_count(world, client, django_assert_max_num_queries):
    a = held_assembly(cooperative=world.coop_tc, actor=world.officer)
    client.force_login(world.officer)
    for person in world.persons_tc:
        client.post(reverse("governance:attendance_add", args=[a.pk]), {"person": person.pk})
    with django_assert_max_num_queries(20):
        assert client.get(reverse("governance:assembly", args=[a.pk])).status_code == 200


def test_minutes_pdf(world, client):
    a = held_assembly(cooperative=world.coop_tc, actor=world.officer)
    client.force_login(world.officer)
    r = client.get(reverse("governance:minutes", args=[a.pk]))
    assert r.status_code == 200 and r.content.startswith(b"%PDF")


@pytest.mark.browser
def test_president_convenes_records_votes_and_downloads_minutes(page, transactional_db, world):
    w = world
    page.set_viewport_size({"width": 360, "height": 780})
    base = page.base_url
    page.goto(f"{base}/comptes/connexion/")
    page.get_by_label("Identifiant").fill("officer")
    page.get_by_label("Mot de passe").fill("sunucoop-test-pw")
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_url(base + "/")
    page.goto(f"{base}/gouvernance/")
    page.screenshot(path="var/screenshots/governance-index.png", full_page=True)
    page.click(f"text={w.coop_tc.name}")
    page.screenshot(path="var/screenshots/governance-cooperative.png", full_page=True)
    page.click("text=Convoquer une assemblée")
    page.select_option("#id_kind", "ordinaire")
    page.fill("#id_held_on", str(TODAY))
    page.fill("#id_notice_sent_on", str(TODAY - datetime.timedelta(days=20)))
    page.fill("#id_place", "Maison des jeunes de Koumpentoum")
    page.fill("#id_agenda", "1. Rapport moral\n2. Approbation des comptes 2025")
    page.screenshot(path="var/screenshots/governance-convene.png", full_page=True)
    page.click("button:has-text('Convoquer')")
    page.wait_for_selector("text=Assemblée convoquée.")
    # Attendance: two present, one represented.
    for person in w.persons_tc[:2]:
        page.select_option("#id_person", str(person.pk))
        page.click("button:has-text('Enregistrer la présence')")
        page.wait_for_selector("text=Présence enregistrée.")
    page.select_option("#id_person", str(w.persons_tc[2].pk))
    page.select_option("#id_proxy_holder", str(w.persons_tc[0].pk))
    page.click("button:has-text('Enregistrer la présence')")
    page.wait_for_selector("text=représenté(e) par")
    # A resolution and its vote.
    page.click("text=Ajouter une résolution")
    page.fill("#id_title", "Approbation des comptes 2025")
    page.fill("#id_approves_accounts_year", "2025")
    page.click("button:has-text('Ajouter la résolution')")
    page.wait_for_selector("text=Résolution ajoutée.")
    page.fill("input[name=votes_for]", "2")
    page.fill("input[name=votes_against]", "1")
    page.fill("input[name=abstentions]", "0")
    page.click("button:has-text('Enregistrer le vote')")
    page.wait_for_selector("text=Vote enregistré.")
    page.screenshot(path="var/screenshots/governance-assembly-votes.png", full_page=True)
    page.click("text=Clore l'assemblée")
    page.fill("#id_chaired_by", "Awa Diop")
    page.click("button:has-text('Confirmer la clôture')")
    page.wait_for_selector("text=Assemblée close")
    page.screenshot(path="var/screenshots/governance-assembly-closed.png", full_page=True)
    assert page.locator(".badge.ok", has_text="adoptée").count() == 1
    with page.expect_download() as info:
        page.click("text=Télécharger le procès-verbal (PDF)")
    download = info.value
    path = download.path()
    with open(path, "rb") as fh:
        assert fh.read(4) == b"%PDF"
    assert download.suggested_filename.startswith("proces-verbal-ag-")
    a = Assembly.objects.get()
    assert a.status == AssemblyStatus.CLOSED and a.quorum_reached


def test_mandate_form_enforces_size_limit(world, client):
    from registry.tests.factories import MembershipFactory, PersonFactory

    coop = world.coop_tc
    people = world.persons_tc + [
        MembershipFactory(cooperative=coop, person=PersonFactory(commune=world.koumpentoum)).person
    ]
    client.force_login(world.officer)
    url = reverse("governance:mandate_create", args=[coop.pk])
    body = client.get(url).content.decode()
    assert "comité de gestion" in body and "conseil d&#x27;administration" not in body
    for person in people[:3]:
        data = {
            "body": "comite_gestion",
            "person": person.pk,
            "office": "membre",
            "starts_on": "2025-06-01",
            "ends_on": "2028-06-01",
        }
        assert client.post(url, data).status_code == 302
    r = client.post(url, dict(data, person=people[3].pk))
    assert r.status_code == 200
    assert "au plus 3 membres" in r.content.decode()
    page = client.get(reverse("governance:cooperative", args=[coop.pk])).content.decode()
    assert page.count("comité de gestion") >= 3


def test_late_accounts_page_flags_cooperatives(world, client):
    world.coop_thies.stage = "en_activite"
    world.coop_thies.founded_on = datetime.date(2020, 1, 1)
    world.coop_thies.save()
    client.force_login(world.agent_th)
    r = client.get(reverse("governance:late_accounts") + "?as_of=2026-07-01")
    body = r.content.decode()
    assert world.coop_thies.name in body and "en retard" in body
    client.force_login(world.agent_tc)
    body = client.get(reverse("governance:late_accounts") + "?as_of=2026-07-01").content.decode()
    assert world.coop_thies.name not in body


def test_late_accounts_page_is_paginated_and_counts(world, client, monkeypatch):
    from governance import views

    for coop in (world.coop_thies, world.coop_tc):
        coop.stage = "en_activite"
        coop.founded_on = datetime.date(2020, 1, 1)
        coop.save()
    monkeypatch.setattr(views, "PAGE_SIZE", 1)
    client.force_login(world.national)
    url = reverse("governance:late_accounts")
    first = client.get(url + "?as_of=2026-07-01").content.decode()
    second = client.get(url + "?as_of=2026-07-01&page=2").content.decode()
    assert "2 coopératives en retard" in first and "Page 1 sur 2" in first
    assert "as_of=2026-07-01&amp;page=2" in first  # the next page keeps the date
    names = {world.coop_thies.name, world.coop_tc.name}
    shown = [n for n in names if n in first] + [n for n in names if n in second]
    assert sorted(shown) == sorted(names)  # each once, one a page


@pytest.mark.parametrize("bad", ["2026-13-45", "%00", "x" * 300])
def test_late_accounts_page_shows_an_invalid_date_on_its_field(world, client, bad):
    client.force_login(world.national)
    r = client.get(reverse("governance:late_accounts") + "?as_of=" + bad)
    if bad == "%00":
        assert r.status_code == 400  # the NUL byte is refused before the view
        return
    body = r.content.decode()
    assert r.status_code == 200
    assert 'aria-invalid="true"' in body and 'role="alert"' in body
    assert f"Liste au {TODAY:%d/%m/%Y}" in body
