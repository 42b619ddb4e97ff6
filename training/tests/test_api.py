import datetime

from training.models import Attendance, Visit
from training.services import participant_enrol
from training.tests.factories import SessionFactory, VisitFactory, certified_trainer

D = datetime.date


def _post(client, url, body):
    return client.post(url, body, content_type="application/json")


def test_session_create_and_list(world, api_client):
    trainer = certified_trainer("think-coop")
    client = api_client(world.agent_tc)
    body = {
        "module": "think-coop",
        "commune": "SN-TC-KPT-01",
        "starts_on": "2025-06-02",
        "ends_on": "2025-06-02",
        "trainers": [trainer.pk],
    }
    r = _post(client, "/api/v1/training/sessions", body)
    assert r.status_code == 201, r.content
    data = r.json()
    assert data["module"] == "think-coop" and data["commune"] == "SN-TC-KPT-01"
    assert data["trainers"] == [trainer.pk]
    r = client.get("/api/v1/training/sessions")
    assert r.json()["count"] == 1 and r.json()["items"][0]["id"] == data["id"]
    assert api_client(world.agent_th).get("/api/v1/training/sessions").json()["count"] == 0
    assert (
        api_client(world.agent_th).get(f"/api/v1/training/sessions/{data['id']}").status_code == 404
    )


def test_session_create_uncertified_409_wrong_role_403_bad_commune_400(world, api_client):
    uncertified = certified_trainer("my-finance")
    body = {
        "module": "think-coop",
        "commune": "SN-TC-KPT-01",
        "starts_on": "2025-06-02",
        "ends_on": "2025-06-02",
        "trainers": [uncertified.pk],
    }
    r = _post(api_client(world.agent_tc), "/api/v1/training/sessions", body)
    assert r.status_code == 409
    assert r.json()["code"] == "trainer_not_certified" and r.json()["field"] == "trainers"
    r = _post(api_client(world.lender), "/api/v1/training/sessions", body)
    assert r.status_code in (403, 404)
    r = _post(
        api_client(world.agent_tc), "/api/v1/training/sessions", {**body, "commune": "SN-XX-0"}
    )
    assert r.status_code == 400 and r.json()["field"] == "commune"


def test_officer_may_not_create_a_session(world, api_client):
    trainer = certified_trainer("think-coop")
    body = {
        "module": "think-coop",
        "commune": "SN-TC-KPT-01",
        "starts_on": "2025-06-02",
        "ends_on": "2025-06-02",
        "trainers": [],
    }
    # Officers do not see trainers; with no trainer named the role check answers 403.
    r = _post(api_client(world.officer), "/api/v1/training/sessions", body)
    assert r.status_code == 403
    r = _post(
        api_client(world.national), "/api/v1/training/sessions", {**body, "trainers": [trainer.pk]}
    )
    assert r.status_code == 201


def test_attendance_post_and_get(world, api_client, session_tc):
    person = world.persons_tc[0]
    participant_enrol(actor=world.agent_tc, session=session_tc, person=person)
    client = api_client(world.agent_tc)
    url = f"/api/v1/training/sessions/{session_tc.pk}/attendance"
    r = _post(client, url, {"person": person.pk, "day": "2025-06-05", "present": True})
    assert r.status_code == 400
    assert r.json()["code"] == "attendance_out_of_range" and r.json()["field"] == "day"
    r = _post(client, url, {"person": person.pk, "day": "2025-06-03", "present": True})
    assert r.status_code == 201
    assert r.json() == {"person": person.pk, "day": "2025-06-03", "present": True}
    r = _post(client, url, {"person": world.persons_tc[1].pk, "day": "2025-06-03", "present": True})
    assert r.status_code == 400 and r.json()["code"] == "not_enrolled"
    r = client.get(url)
    assert r.json() == {
        "count": 1,
        "items": [{"person": person.pk, "day": "2025-06-03", "present": True}],
    }
    # The officer of the cooperative sees the session its member attends, may not write.
    officer = api_client(world.officer)
    assert officer.get(url).json()["count"] == 1
    r = _post(officer, url, {"person": person.pk, "day": "2025-06-04", "present": True})
    assert r.status_code == 403
    # Another region's agent: 404.
    r = _post(
        api_client(world.agent_th), url, {"person": person.pk, "day": "2025-06-04", "present": True}
    )
    assert r.status_code == 404
    assert Attendance.objects.count() == 1


def test_participants_endpoint(world, api_client, session_tc):
    client = api_client(world.agent_tc)
    url = f"/api/v1/training/sessions/{session_tc.pk}/participants"
    r = _post(client, url, {"person": world.persons_tc[0].pk})
    assert r.status_code == 201
    assert r.json()["cooperative"] == world.coop_tc.pk
    assert _post(client, url, {"person": world.persons_tc[0].pk}).status_code == 409
    assert client.get(url).json()["count"] == 1


def test_visit_post_and_scope(world, api_client):
    client = api_client(world.agent_tc)
    body = {
        "cooperative": world.coop_tc.pk,
        "visited_on": "2025-07-01",
        "purpose": "Suivi",
        "findings": "RAS",
        "actions": [
            {"description": "Tenir la caisse", "owner": "Trésorière", "due_on": "2025-08-01"}
        ],
        "diagnostic": {
            "governance": 2,
            "bookkeeping": 1,
            "production": 3,
            "market": 2,
            "finance": 1,
        },
    }
    r = _post(client, "/api/v1/visits", body)
    assert r.status_code == 201, r.content
    data = r.json()
    assert data["cooperative"] == world.coop_tc.pk
    assert data["actions"][0]["owner"] == "Trésorière"
    assert data["actions"][0]["status"] in ("open", "overdue")
    assert data["diagnostic"]["production"] == 3
    # Outside the agent's scope: 404, nothing written.
    r = _post(client, "/api/v1/visits", {**body, "cooperative": world.coop_thies.pk})
    assert r.status_code == 404
    assert Visit.objects.count() == 1
    # Role that may not write: 403.
    assert _post(api_client(world.officer), "/api/v1/visits", body).status_code == 403
    # Bad score: 400 with the field.
    r = _post(
        client, "/api/v1/visits", {**body, "diagnostic": {**body["diagnostic"], "finance": 9}}
    )
    assert r.status_code == 400 and r.json()["field"] == "diagnostic.finance"


def test_visit_list_scoped(world, api_client):
    VisitFactory(cooperative=world.coop_tc)
    v_thies = VisitFactory(cooperative=world.coop_thies)
    r = api_client(world.agent_tc).get("/api/v1/visits")
    assert r.json()["count"] == 1
    assert api_client(world.agent_tc).get(f"/api/v1/visits/{v_thies.pk}").status_code == 404
    assert api_client(world.agent_th).get(f"/api/v1/visits/{v_thies.pk}").status_code == 200
    assert api_client(world.national).get("/api/v1/visits").json()["count"] == 2
    assert api_client(world.member).get("/api/v1/visits").json()["count"] == 0
    r = api_client(world.agent_tc).get(f"/api/v1/visits?cooperative={world.coop_thies.pk}")
    assert r.status_code == 404


def test_session_list_query_count(world, api_client, django_assert_max_num_queries):
    trainer = certified_trainer("think-coop")
    for _ in range(15):
        SessionFactory(commune=world.koumpentoum, trainers=[trainer])
    client = api_client(world.national)
    client.get("/api/v1/training/sessions")  # warm the token/user caches
    with django_assert_max_num_queries(8):
        r = client.get("/api/v1/training/sessions?limit=50")
    assert r.json()["count"] == 15
