"""Issue 14, point 5: a person's data "corrected on request through the agent, with the
request recorded" (law 2008-12). Recording, deciding (accepting applies the change through
``person_update``), the scope of each role, the API and the pages."""

import datetime

import pytest
from django.urls import reverse

from accounts.testing import assert_sees_exactly
from core.dates import today
from core.errors import Conflict, Forbidden, NotFound, ValidationFailed
from registry.corrections import correction_request_create, correction_request_decide
from registry.corrections_selectors import correction_request_get, correction_request_list
from registry.models import CorrectionRequest, Person
from registry.services import person_create, person_merge

ON = datetime.date(2026, 3, 2)


def _ask(actor, person, **kwargs):
    values = {
        "received_on": ON,
        "channel": "in_person",
        "changes": {"last_name": "Diallo"},
    }
    values.update(kwargs)
    return correction_request_create(actor=actor, person=person, **values)


# ---------------------------------------------------------------- recording


def test_an_agent_records_a_request_and_nothing_changes_yet(world):
    person = world.persons_tc[1]
    old_name = person.last_name
    correction = _ask(
        world.agent_tc,
        person,
        changes={"last_name": "Diallo", "phone": "77 123 45 67", "first_name": person.first_name},
        details="Erreur de saisie : acte de naissance présenté.",
    )
    assert correction.status == "open"
    assert correction.recorded_by == world.agent_tc
    # the value equal to the current one is dropped; the phone is kept as asked
    assert correction.changes == {"last_name": "Diallo", "phone": "77 123 45 67"}
    person.refresh_from_db()
    assert person.last_name == old_name
    assert correction.history.count() == 1


@pytest.mark.parametrize(
    ("changes", "code", "field"),
    [
        ({"birth_date": "2999-01-01"}, "date_out_of_range", "birth_date"),
        ({"birth_date": "1850-01-01"}, "date_out_of_range", "birth_date"),
        ({"phone": "12"}, "invalid_phone", "phone"),
        ({"last_name": ""}, "required", "last_name"),
        ({"sex": "X"}, "invalid_choice", "sex"),
        ({"commune": "NOWHERE"}, "unknown_commune", "commune"),
        ({"merged_into": "1"}, "not_editable", "merged_into"),
        ({"last_name": "x" * 201}, "too_long", "last_name"),
        ({}, "required", "changes"),
    ],
)
def test_a_value_the_registry_refuses_is_refused_when_recorded(world, changes, code, field):
    person = world.persons_tc[1]
    before = Person.objects.get(pk=person.pk).last_name
    with pytest.raises(ValidationFailed) as info:
        _ask(world.agent_tc, person, changes=changes)
    assert (info.value.code, info.value.field) == (code, field)
    assert not CorrectionRequest.objects.exists()
    assert Person.objects.get(pk=person.pk).last_name == before


def test_the_request_itself_follows_the_input_rules(world):
    person = world.persons_tc[1]
    future = today() + datetime.timedelta(days=1)
    cases = [
        ({"received_on": future}, "date_out_of_range", "received_on"),
        ({"channel": "pigeon"}, "invalid_choice", "channel"),
        ({"asked_by": "representative"}, "required", "representative_name"),
        ({"details": "x" * 10_001}, "too_long", "details"),
        ({"details": "nul\x00"}, "invalid_character", "details"),
    ]
    for kwargs, code, field in cases:
        with pytest.raises(ValidationFailed) as info:
            _ask(world.agent_tc, person, **kwargs)
        assert (info.value.code, info.value.field) == (code, field), kwargs


def test_a_commune_out_of_the_agents_reach_is_refused(world):
    with pytest.raises(Forbidden) as info:
        _ask(world.agent_tc, world.persons_tc[1], changes={"commune": world.mbour.code})
    assert info.value.field == "commune"


def test_who_may_record(world):
    person = world.persons_tc[1]
    for actor in (world.national, world.agent_tc, world.officer):
        assert _ask(actor, person).recorded_by == actor
    for actor in (world.agent_th, world.agent_mbour, world.lender, world.member, world.nobody):
        with pytest.raises(NotFound):
            _ask(actor, person)
    # the member sees their own record but records nothing: they ask the agent
    with pytest.raises(Forbidden):
        _ask(world.member, world.persons_tc[0])


def test_details_alone_and_a_representative(world):
    correction = _ask(
        world.officer,
        world.persons_tc[1],
        changes={},
        details="Demande la suppression de son ancien numéro.",
        asked_by="representative",
        representative_name="Mamadou Sow (fils)",
        channel="phone",
    )
    assert correction.changes == {} and correction.representative_name == "Mamadou Sow (fils)"


# ---------------------------------------------------------------- deciding


def test_accepting_applies_the_change_through_the_registry_with_history(world):
    person = world.persons_tc[1]
    old = person.last_name
    correction = _ask(
        world.agent_tc,
        person,
        changes={"last_name": "Diallo", "birth_date": "1991-02-03", "disability": True},
    )
    decided = correction_request_decide(
        actor=world.officer, correction=correction, outcome="accepted", reason=""
    )
    person.refresh_from_db()
    assert (person.last_name, person.birth_date, person.disability) == (
        "Diallo",
        datetime.date(1991, 2, 3),
        True,
    )
    assert person.search_text.startswith(person.first_name.lower()[:3]) or "diallo" in (
        person.search_text
    )
    assert decided.status == "accepted" and decided.handled_by == world.officer
    assert decided.handled_at is not None
    assert decided.applied["last_name"] == {"old": old, "new": "Diallo"}
    assert decided.applied["birth_date"] == {"old": "1990-05-01", "new": "1991-02-03"}
    record = person.history.order_by("-history_id").first()
    assert record.history_user == world.officer
    assert record.history_change_reason == f"Demande de rectification n° {correction.pk}"
    assert record.prev_record.last_name == old


def test_refusing_needs_a_reason_and_changes_nothing(world):
    person = world.persons_tc[1]
    correction = _ask(world.agent_tc, person)
    with pytest.raises(ValidationFailed) as info:
        correction_request_decide(actor=world.agent_tc, correction=correction, outcome="refused")
    assert info.value.field == "reason"
    with pytest.raises(ValidationFailed) as info:
        correction_request_decide(actor=world.agent_tc, correction=correction, outcome="maybe")
    assert info.value.field == "outcome"
    decided = correction_request_decide(
        actor=world.agent_tc,
        correction=correction,
        outcome="refused",
        reason="Le nom inscrit est celui de la CNI présentée.",
    )
    assert decided.status == "refused" and decided.applied == {}
    assert Person.objects.get(pk=person.pk).last_name == person.last_name


def test_a_request_is_decided_once(world):
    correction = _ask(world.agent_tc, world.persons_tc[1])
    correction_request_decide(actor=world.agent_tc, correction=correction, outcome="accepted")
    with pytest.raises(Conflict) as info:
        correction_request_decide(
            actor=world.national, correction=correction, outcome="refused", reason="non"
        )
    assert info.value.code == "already_decided"


def test_who_may_decide(world):
    correction = _ask(world.agent_tc, world.persons_tc[1])
    for actor in (world.agent_th, world.lender, world.nobody):
        with pytest.raises(NotFound):
            correction_request_decide(actor=actor, correction=correction, outcome="accepted")
    own = _ask(world.agent_tc, world.persons_tc[0])
    with pytest.raises(Forbidden):
        correction_request_decide(actor=world.member, correction=own, outcome="accepted")
    assert CorrectionRequest.objects.filter(status="open").count() == 2


def test_a_value_that_became_invalid_is_refused_at_decision(world):
    """Accepting runs every rule of the registry again: the agent's area may have changed,
    the value may no longer hold; nothing is half-written."""
    person = world.persons_tc[1]
    correction = _ask(world.national, person, changes={"commune": world.mbour.code})
    with pytest.raises(Forbidden):
        correction_request_decide(actor=world.agent_tc, correction=correction, outcome="accepted")
    correction.refresh_from_db()
    assert correction.status == "open"


# ---------------------------------------------------------------- scope


def test_each_role_sees_exactly_the_requests_of_the_persons_it_sees(world):
    tc_member = _ask(world.agent_tc, world.persons_tc[0])  # the member's own record
    tc_other = _ask(world.agent_tc, world.persons_tc[1])
    mbour = _ask(world.agent_mbour, world.persons_mbour[0])
    thies = _ask(world.agent_th, world.persons_thies[0])
    everything = [tc_member, tc_other, mbour, thies]
    expected = {
        "national": everything,
        "agent_tc": [tc_member, tc_other],
        "agent_th": [mbour, thies],
        "agent_mbour": [mbour],
        "officer": [tc_member, tc_other],
        "member": [tc_member],
        "lender": [],
        "nobody": [],
    }
    for name, seen in expected.items():
        assert_sees_exactly(correction_request_list, getattr(world, name), seen)
    with pytest.raises(NotFound):
        correction_request_get(actor=world.member, pk=tc_other.pk)
    with pytest.raises(NotFound):
        correction_request_get(actor=world.officer, pk=mbour.pk)


def test_filters(world):
    a = _ask(world.agent_tc, world.persons_tc[1])
    b = _ask(world.agent_tc, world.persons_tc[2])
    correction_request_decide(actor=world.agent_tc, correction=b, outcome="accepted")
    seen = correction_request_list(actor=world.agent_tc, filters={"status": "open"})
    assert list(seen) == [a]
    name = world.persons_tc[1].last_name
    assert a in correction_request_list(actor=world.agent_tc, filters={"q": name})
    people = correction_request_list(actor=world.agent_tc, filters={"person": 10**20})
    assert not people.exists()


def test_merging_two_records_moves_the_requests(world):
    keep = world.persons_tc[1]
    twin = person_create(
        actor=world.agent_tc,
        first_name=keep.first_name,
        last_name=keep.last_name,
        sex=keep.sex,
        birth_date=keep.birth_date,
        commune=world.koumpentoum,
    )
    correction = _ask(world.agent_tc, twin)
    person_merge(actor=world.agent_tc, keep=keep, duplicate=twin)
    correction.refresh_from_db()
    assert correction.person == keep


def test_the_personal_data_export_lists_the_requests(world, api_client):
    person = world.persons_tc[0]
    correction = _ask(world.agent_tc, person)
    body = api_client(world.member).get(f"/api/v1/persons/{person.pk}/personal-data").json()
    assert [c["id"] for c in body["correction_requests"]] == [correction.pk]
    assert body["correction_requests"][0]["changes"] == {"last_name": "Diallo"}


# ---------------------------------------------------------------- API


def test_api_record_list_and_decide(world, api_client):
    person = world.persons_tc[1]
    agent = api_client(world.agent_tc)
    url = f"/api/v1/persons/{person.pk}/correction-requests"
    body = {"received_on": "2026-03-02", "channel": "phone", "changes": {"last_name": "Diallo"}}
    created = agent.post(url, body, content_type="application/json")
    assert created.status_code == 201, created.content
    pk = created.json()["id"]
    assert created.json()["status"] == "open" and created.json()["recorded_by"] == "agent-tc"
    assert [c["id"] for c in agent.get(url).json()["items"]] == [pk]
    assert agent.get("/api/v1/correction-requests?status=open").json()["count"] == 1
    assert agent.get("/api/v1/correction-requests?status=refused").json()["count"] == 0
    decided = agent.post(
        f"/api/v1/correction-requests/{pk}/decision",
        {"outcome": "accepted"},
        content_type="application/json",
    )
    assert decided.status_code == 200 and decided.json()["status"] == "accepted"
    assert decided.json()["applied"]["last_name"]["new"] == "Diallo"
    again = agent.post(
        f"/api/v1/correction-requests/{pk}/decision",
        {"outcome": "refused", "reason": "non"},
        content_type="application/json",
    )
    assert again.status_code == 409 and again.json()["code"] == "already_decided"


def test_api_errors_name_the_field(world, api_client):
    person = world.persons_tc[1]
    url = f"/api/v1/persons/{person.pk}/correction-requests"
    agent = api_client(world.agent_tc)
    cases = [
        ({"received_on": "2999-01-01", "channel": "phone"}, "date_out_of_range", "received_on"),
        (
            {
                "received_on": "2026-03-02",
                "channel": "phone",
                "changes": {"birth_date": "2999-01-01"},
            },
            "date_out_of_range",
            "birth_date",
        ),
        ({"received_on": "2026-03-02", "channel": "x" * 40}, "too_long", "channel"),
        ({"received_on": "2026-03-02", "channel": "pigeon"}, "invalid_choice", "channel"),
    ]
    for body, code, field in cases:
        response = agent.post(url, body, content_type="application/json")
        assert response.status_code == 400, body
        assert (response.json()["code"], response.json()["field"]) == (code, field), body
    other = f"/api/v1/persons/{world.persons_mbour[0].pk}/correction-requests"
    body = {"received_on": "2026-03-02", "channel": "phone", "changes": {"last_name": "X"}}
    assert agent.post(other, body, content_type="application/json").status_code == 404
    assert agent.get(other).status_code == 404
    assert agent.get("/api/v1/correction-requests/99999999999999999999").status_code == 404


def test_api_member_reads_their_own_requests_only(world, api_client):
    own = _ask(world.agent_tc, world.persons_tc[0])
    other = _ask(world.agent_tc, world.persons_tc[1])
    member = api_client(world.member)
    assert [c["id"] for c in member.get("/api/v1/correction-requests").json()["items"]] == [own.pk]
    assert member.get(f"/api/v1/correction-requests/{other.pk}").status_code == 404
    response = member.post(
        f"/api/v1/correction-requests/{own.pk}/decision",
        {"outcome": "accepted"},
        content_type="application/json",
    )
    assert response.status_code == 403
    assert api_client(world.lender).get("/api/v1/correction-requests").json()["count"] == 0


# ---------------------------------------------------------------- pages


def _form(person, **changes):
    data = {
        "received_on": "02/03/2026",
        "channel": "in_person",
        "asked_by": "self",
        "first_name": person.first_name,
        "last_name": person.last_name,
        "sex": person.sex,
        "birth_date": person.birth_date.isoformat(),
        "commune": person.commune_id,
    }
    data.update(changes)
    return data


def test_pages_record_then_decide_with_a_confirmation(world, client):
    person = world.persons_tc[1]
    client.force_login(world.officer)
    detail = client.get(reverse("registry:person_detail", args=[person.pk]))
    create_url = reverse("registry:correction_create", args=[person.pk])
    assert create_url in detail.content.decode()
    form = client.get(create_url)
    assert form.status_code == 200 and person.last_name in form.content.decode()
    response = client.post(create_url, _form(person, last_name="Diallo"))
    correction = CorrectionRequest.objects.get()
    assert response.status_code == 302 and response.url == reverse(
        "registry:correction_detail", args=[correction.pk]
    )
    assert correction.changes == {"last_name": "Diallo"}
    url = reverse("registry:correction_detail", args=[correction.pk])
    page = client.get(url).content.decode()
    assert "Diallo" in page and "Continuer" in page
    # first POST: the confirmation, nothing written
    confirm = client.post(url, {"outcome": "accepted"})
    assert confirm.status_code == 200 and 'name="confirm"' in confirm.content.decode()
    assert CorrectionRequest.objects.get().status == "open"
    done = client.post(url, {"outcome": "accepted", "confirm": "1"})
    assert done.status_code == 302
    person.refresh_from_db()
    assert person.last_name == "Diallo"
    assert "Continuer" not in client.get(url).content.decode()


def test_page_errors_show_on_the_field(world, client):
    person = world.persons_tc[1]
    client.force_login(world.agent_tc)
    url = reverse("registry:correction_create", args=[person.pk])
    response = client.post(url, _form(person, birth_date="2999-01-01"))
    assert response.status_code == 200
    assert "est dans le futur" in response.content.decode()
    assert "birth_date" in response.context["form"].errors
    response = client.post(url, _form(person, received_on="01/01/2999"))
    assert "received_on" in response.context["form"].errors
    response = client.post(url, _form(person))
    assert "Indiquez au moins une donnée" in response.content.decode()
    assert not CorrectionRequest.objects.exists()
    refuse = _ask(world.agent_tc, person)
    detail = reverse("registry:correction_detail", args=[refuse.pk])
    response = client.post(detail, {"outcome": "refused", "reason": ""})
    assert "Le motif du refus est obligatoire." in response.content.decode()
    assert 'name="confirm"' not in response.content.decode()


def test_list_page_filters_paginates_and_has_an_empty_state(world, client):
    client.force_login(world.agent_tc)
    url = reverse("registry:correction_list")
    empty = client.get(url)
    assert empty.status_code == 200 and 'data-testid="empty"' in empty.content.decode()
    for i in range(27):
        _ask(world.agent_tc, world.persons_tc[1], changes={"last_name": f"Nom{i}"})
    page = client.get(url)
    assert page.context["page"].paginator.count == 27
    assert len(page.context["page"].object_list) == 25
    assert len(client.get(url + "?page=2").context["page"].object_list) == 2
    assert client.get(url + "?status=accepted").context["page"].paginator.count == 0
    person = world.persons_tc[1]
    by_person = client.get(url + f"?person={person.pk}")
    assert by_person.context["page"].paginator.count == 27
    assert client.get(url + f"?person={world.persons_mbour[0].pk}").status_code == 404


def test_the_person_page_shows_the_record_button_only_to_who_may_record(world, client):
    person = world.persons_tc[0]
    create_url = reverse("registry:correction_create", args=[person.pk])
    client.force_login(world.member)
    page = client.get(reverse("registry:person_detail", args=[person.pk])).content.decode()
    assert create_url not in page
    assert client.get(create_url).status_code == 403
