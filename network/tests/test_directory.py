"""The directory: registration (API without a token, and the page), contact verification,
moderation per country, public reads, search ignoring accents, filters, HTML, CPS
cooperatives publishing their profile."""

import pytest
from django.core import mail

from core.errors import Conflict, Forbidden, ValidationFailed
from network import selectors, services
from network.models import Organisation, OrganisationMember, OrgStatus
from network.tests.conftest import make_org

pytestmark = pytest.mark.django_db

REGISTRATION = {
    "name": "Mutuelle de santé de Ségou",
    "kind": "mutuelle",
    "country": "ML",
    "city": "Ségou",
    "sectors": ["sante", "assurance"],
    "description": "Une mutuelle <script>alert(1)</script> **solidaire**.",
    "email": "contact@mutuelle-segou.ml",
}


def test_a_registration_without_token_is_pending_and_unlisted(
    client, net, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/api/v1/network/organisations", REGISTRATION, content_type="application/json"
        )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["status"] == "pending" and body["country"] == "ML"
    assert body["sectors"] == ["assurance", "sante"]
    assert len(mail.outbox) == 1 and "contact@mutuelle-segou.ml" in mail.outbox[0].to
    listed = client.get("/api/v1/network/organisations").json()
    assert [o["name"] for o in listed["items"]] == [net.org.name]
    assert client.get(f"/api/v1/network/organisations/{body['id']}").status_code == 404


def test_moderation_by_the_countrys_moderator_with_reasons(net):
    org, code = services.organisation_register(**REGISTRATION)
    with pytest.raises(Conflict) as exc:  # contact not verified yet
        services.organisation_moderate(actor=net.mod_ml, organisation=org, decision="approve")
    assert exc.value.code == "not_verified"
    with pytest.raises(ValidationFailed):
        services.organisation_verify_contact(
            organisation=org, code="000000" if code != "000000" else "1"
        )
    services.organisation_verify_contact(organisation=org, code=code)
    with pytest.raises(Forbidden):  # Senegal's moderator does not decide for Mali
        services.organisation_moderate(actor=net.mod_sn, organisation=org, decision="approve")
    with pytest.raises(ValidationFailed) as exc:
        services.organisation_moderate(actor=net.mod_ml, organisation=org, decision="refuse")
    assert exc.value.field == "reason"
    services.organisation_moderate(
        actor=net.mod_ml, organisation=org, decision="request_changes", reason="Ajoutez la ville."
    )
    org.refresh_from_db()
    assert org.status == OrgStatus.CHANGES and org.moderation_reason == "Ajoutez la ville."
    services.organisation_moderate(actor=net.mod_ml, organisation=org, decision="approve")
    assert Organisation.objects.get(pk=org.pk).status == OrgStatus.APPROVED


def test_moderators_see_their_countrys_queue_only(net):
    mali, code = services.organisation_register(**REGISTRATION)
    assert list(selectors.moderation_queue(actor=net.mod_ml)) == [mali]
    assert list(selectors.moderation_queue(actor=net.mod_sn)) == []
    assert list(selectors.moderation_queue(actor=net.admin)) == [mali]
    assert mali not in selectors.organisation_list(actor=None)
    assert mali in selectors.organisation_list(actor=net.mod_ml, status="pending")
    assert mali not in selectors.organisation_list(actor=net.mod_sn, status="pending")


def test_search_ignores_accents_and_filters(net, client):
    bf = make_org(net.owner, name="Réseau des GIE de Bobo-Dioulasso", country="BF", city="Bobo")
    services.organisation_moderate(actor=net.admin, organisation=bf, decision="approve")
    names = lambda **q: [o.name for o in selectors.organisation_list(**q)]  # noqa: E731
    assert names(q="thies") == [net.org.name]
    assert names(q="THIÈS femmes") == [net.org.name]
    assert names(q="burkina") == [bf.name]  # the country's name is searchable
    assert names(country="BF") == [bf.name]
    assert names(sector="sante") == []
    assert names(kind="cooperative", sector="agriculture") == sorted([net.org.name, bf.name])
    api = client.get("/api/v1/network/organisations?q=thies&country=SN").json()
    assert api["count"] == 1


def test_html_in_descriptions_is_shown_as_text(client, net):
    org, code = services.organisation_register(**REGISTRATION)
    services.organisation_verify_contact(organisation=org, code=code)
    services.organisation_moderate(actor=net.mod_ml, organisation=org, decision="approve")
    page = client.get(f"/reseau/organisations/{org.slug}/").content.decode()
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;" in page and "<strong>solidaire</strong>" in page


@pytest.mark.parametrize(
    "field,value,code",
    [
        ("country", "FR", "invalid_country"),
        ("kind", "sarl", "invalid_choice"),
        ("sectors", [], "invalid"),
        ("name", "x" * 201, "too_long"),
        ("name", "a\x00b", "invalid_character"),
    ],
)
def test_bad_registrations_are_refused(client, field, value, code):
    body = {**REGISTRATION, field: value}
    response = client.post("/api/v1/network/organisations", body, content_type="application/json")
    assert response.status_code == 400
    assert response.json()["code"] == code
    assert not Organisation.objects.exists()


def test_registrations_are_rate_limited(client, settings):
    settings.NETWORK_RATE_PER_HOUR = 2
    from django.core.cache import cache

    cache.clear()
    statuses = [
        client.post(
            "/api/v1/network/organisations",
            {**REGISTRATION, "name": f"Org {i}"},
            content_type="application/json",
        ).status_code
        for i in range(3)
    ]
    cache.clear()
    assert statuses == [201, 201, 429]


def test_the_registration_page_creates_the_owner_account(client, db):
    data = {**REGISTRATION, "username": "segou-owner", "password": "Un-mot-de-passe-solide-42"}
    response = client.post("/reseau/inscription/", data)
    assert response.status_code == 302, response.content.decode()[:3000]
    org = Organisation.objects.get()
    assert OrganisationMember.objects.get(organisation=org, is_owner=True).user.username == (
        "segou-owner"
    )
    weak = client.post("/reseau/inscription/", {**data, "username": "x2", "password": "123"})
    assert weak.status_code == 400  # the programme's password rules apply


def test_a_cps_cooperative_publishes_its_profile(world):
    coop = world.coop_tc
    with pytest.raises(Forbidden):
        services.cooperative_publish(actor=world.agent_tc, cooperative=coop, sectors=["artisanat"])
    org = services.cooperative_publish(actor=world.officer, cooperative=coop, sectors=["artisanat"])
    assert org.status == OrgStatus.APPROVED and org.country == "SN"
    assert org.name == coop.name and org.email == "" and org.phone == ""
    assert (
        services.cooperative_publish(actor=world.officer, cooperative=coop, sectors=["artisanat"])
        == org
    )  # once


def test_public_pages_need_no_login(client, net):
    for url in (
        "/reseau/",
        "/reseau/organisations/?q=thies",
        f"/reseau/organisations/{net.org.slug}/",
        "/reseau/projets/",
        f"/reseau/projets/{net.project.slug}/",
        "/reseau/campagnes/",
        "/reseau/inscription/",
        "/sitemap.xml",
        "/robots.txt",
    ):
        response = client.get(url)
        assert response.status_code == 200, url
    page = client.get(f"/reseau/organisations/{net.org.slug}/").content.decode()
    assert f"<title>{net.org.name} · SunuCoop</title>" in page
    assert 'property="og:title"' in page and 'name="description"' in page
    sitemap = client.get("/sitemap.xml").content.decode()
    assert f"/reseau/organisations/{net.org.slug}/" in sitemap
    assert f"/reseau/projets/{net.project.slug}/" in sitemap


def test_english_pages(client, net):
    page = client.get("/en/reseau/organisations/").content.decode()  # test_languages.py
    assert 'lang="en"' in page
