"""Issue 14, point 5 (privacy), registry side: officers register (and move) persons only
in their cooperative's department, like agents in their area; a person's own data is
exported (JSON and PDF, pages and API) for whoever may see them, 404 for the others."""

import pytest
from django.urls import reverse

from core.errors import Forbidden
from geo.tests.factories import commune
from registry.models import Person
from registry.services import person_create, person_update


@pytest.fixture
def places(world):
    """Another commune of the officer's department (Koumpentoum), one elsewhere."""
    neighbour = commune("SN-TC-KPT-02", "Kahène", "SN-TC-KPT")
    return world, neighbour


def test_officer_registers_in_the_cooperatives_department(places):
    world, neighbour = places
    for where in (world.koumpentoum, neighbour):
        person = person_create(
            actor=world.officer, first_name="Awa", last_name="Ba", sex="F", commune=where
        )
        assert person.commune == where


def test_officer_may_not_register_outside(places):
    world, _neighbour = places
    before = Person.objects.count()
    with pytest.raises(Forbidden) as info:
        person_create(
            actor=world.officer, first_name="Awa", last_name="Ba", sex="F", commune=world.mbour
        )
    assert (info.value.code, info.value.field) == ("out_of_scope", "commune")
    assert Person.objects.count() == before


def test_agents_keep_their_area_rule(places):
    world, neighbour = places
    person_create(actor=world.agent_tc, first_name="A", last_name="B", sex="F", commune=neighbour)
    with pytest.raises(Forbidden):
        person_create(
            actor=world.agent_tc, first_name="A", last_name="B", sex="F", commune=world.mbour
        )
    person_create(actor=world.national, first_name="A", last_name="B", sex="F", commune=world.mbour)


def test_officer_may_not_move_a_member_out_of_the_department(places):
    world, neighbour = places
    member = world.persons_tc[1]
    person_update(actor=world.officer, person=member, commune=neighbour)
    with pytest.raises(Forbidden):
        person_update(actor=world.officer, person=member, commune=world.thies)
    member.refresh_from_db()
    assert member.commune == neighbour


def test_officer_out_of_area_through_the_api_and_the_page(places, api_client, client):
    world, _neighbour = places
    before = Person.objects.count()
    body = {"first_name": "Awa", "last_name": "Ba", "sex": "F", "commune": world.mbour.code}
    response = api_client(world.officer).post(
        "/api/v1/persons", body, content_type="application/json"
    )
    assert response.status_code == 403 and response.json()["code"] == "out_of_scope"
    client.force_login(world.officer)
    page = client.post(
        reverse("registry:person_create"),
        {"first_name": "Awa", "last_name": "Ba", "sex": "F", "commune": world.mbour.code},
    )
    assert page.status_code in (200, 400, 403)
    assert Person.objects.count() == before
    body["commune"] = world.koumpentoum.code
    response = api_client(world.officer).post(
        "/api/v1/persons", body, content_type="application/json"
    )
    assert response.status_code == 201


# ---------------------------------------------------------------- personal data export


def test_personal_data_json_for_each_role(world, api_client):
    person = world.persons_tc[0]  # the member's own record, in the officer's cooperative
    allowed = ["national", "agent_tc", "officer", "member"]
    refused = ["agent_th", "agent_mbour", "lender", "nobody"]
    for name in allowed:
        response = api_client(getattr(world, name)).get(
            f"/api/v1/persons/{person.pk}/personal-data"
        )
        assert response.status_code == 200, name
        body = response.json()
        assert body["person"]["last_name"] == person.last_name
        assert [m["cooperative"] for m in body["memberships"]] == [world.coop_tc.name]
    for name in refused:
        response = api_client(getattr(world, name)).get(
            f"/api/v1/persons/{person.pk}/personal-data"
        )
        assert response.status_code == 404, name
        assert person.last_name not in response.content.decode()


def test_personal_data_pages_json_and_pdf(world, client):
    person = world.persons_tc[0]
    client.force_login(world.member)
    url = reverse("registry:person_personal_data", args=[person.pk, "json"])
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"].startswith("application/json")
    assert response.json()["person"]["id"] == person.pk
    pdf = client.get(reverse("registry:person_personal_data", args=[person.pk, "pdf"]))
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    assert "attachment" in pdf["Content-Disposition"]
    other = world.persons_mbour[0]
    assert (
        client.get(reverse("registry:person_personal_data", args=[other.pk, "pdf"])).status_code
        == 404
    )
    assert (
        client.get(reverse("registry:person_personal_data", args=[person.pk, "xml"])).status_code
        == 404
    )
