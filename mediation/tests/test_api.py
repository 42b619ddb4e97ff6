"""Mediation's API (/api/v1/network/mediations...): filing, the confidential file per role
(404 for anyone but the parties and the mediator, never 403), the timeline, appointing
(a party refused), the outcome, the statistics without names; hostile input refused with
its code and nothing written."""

import json

import pytest

from mediation import services
from mediation.models import Case, Entry, Mediator
from mediation.tests.conftest import file_case

pytestmark = pytest.mark.django_db
JSON = "application/json"
ROLES = ["outsider", "admin", "mod", "user_a", "user_b", "user_c", "mediator_user"]
FILE_READERS = {"user_a", "user_b", "mediator_user"}
SECRET = "Le lot de mars n'a pas été payé"


def text_of(answer) -> str:
    return json.dumps(answer.json(), ensure_ascii=False)


def in_mediation(cast):
    case = file_case(cast)
    services.mediator_appoint(actor=cast.admin, case=case, mediator=cast.mediator)
    services.entry_add(actor=cast.user_b, case=case, body="Nous contestons le montant.")
    return case


def test_a_member_files_and_the_parties_read_the_file(cast, api_client):
    a = api_client(cast.user_a)
    body = {"complainant": cast.org_a.pk, "respondent": cast.org_b.pk, "category": "contract",
            "subject": "Semences impayées", "description": "Lot de mars impayé."}  # fmt: skip
    filed = a.post("/api/v1/network/mediations", body, content_type=JSON)
    assert filed.status_code == 201, filed.content
    case = filed.json()
    assert case["status"] == "filed" and case["reference"] == f"M-{case['id']}"
    assert case["complainant"] == {"id": cast.org_a.pk, "name": cast.org_a.name}
    assert case["respondent"]["id"] == cast.org_b.pk and case["against_platform"] is False
    seen = api_client(cast.user_b).get(f"/api/v1/network/mediations/{case['id']}")
    assert seen.status_code == 200 and seen.json()["description"] == "Lot de mars impayé."
    listed = api_client(cast.user_b).get("/api/v1/network/mediations").json()
    assert [c["id"] for c in listed["items"]] == [case["id"]]
    body.update(respondent=None, category="platform")
    platform = a.post("/api/v1/network/mediations", body, content_type=JSON)
    assert platform.status_code == 201 and platform.json()["against_platform"] is True


@pytest.mark.parametrize("role", ROLES)
def test_the_file_is_confidential_for_every_role(cast, api_client, client, role):
    case = in_mediation(cast)
    actor, sees = getattr(cast, role), role in FILE_READERS
    c, base = api_client(actor), f"/api/v1/network/mediations/{case.pk}"
    listing = c.get("/api/v1/network/mediations")
    assert listing.status_code == 200
    assert (SECRET in text_of(listing)) == sees
    for answer in (c.get(base), c.get(f"{base}/timeline")):
        assert answer.status_code == (200 if sees else 404), (role, answer.content)
        text = text_of(answer)
        assert ("Nous contestons" in text or SECRET in text) == sees
        if not sees:
            assert answer.json()["code"] == "not_found"
    posted = c.post(f"{base}/timeline", {"body": "Intrusion"}, content_type=JSON)
    assert posted.status_code == (201 if sees else 404)
    closed = c.post(f"{base}/close", {"outcome": "agreement", "summary": "X"}, content_type=JSON)
    assert closed.status_code == {"mediator_user": 200, "user_a": 403, "user_b": 403}.get(role, 404)
    for anonymous in (client.get(base), client.get(f"{base}/timeline"),
                      client.get("/api/v1/network/mediations")):  # fmt: skip
        assert anonymous.status_code == 401


def test_timeline_meetings_are_the_mediators_and_the_outcome_closes(cast, api_client):
    case = in_mediation(cast)
    url = f"/api/v1/network/mediations/{case.pk}"
    meeting = {"body": "Réunion des parties", "meeting_at": "2027-03-02T10:00:00Z",
               "place": "Dakar, siège du réseau"}  # fmt: skip
    party = api_client(cast.user_a).post(f"{url}/timeline", meeting, content_type=JSON)
    assert party.status_code == 403
    mediator = api_client(cast.mediator_user)
    set_ = mediator.post(f"{url}/timeline", meeting, content_type=JSON)
    assert set_.status_code == 201 and set_.json()["kind"] == "meeting"
    assert set_.json()["author"] == "Mariam Koné"
    lines = api_client(cast.user_b).get(f"{url}/timeline").json()
    assert [e["kind"] for e in lines["items"]] == ["message", "meeting"] and lines["count"] == 2
    closed = mediator.post(
        f"{url}/close", {"outcome": "agreement", "summary": "Paiement en deux fois."},
        content_type=JSON,
    )  # fmt: skip
    assert closed.status_code == 200 and closed.json()["status"] == "closed"
    assert closed.json()["outcome"] == "agreement"
    again = mediator.post(f"{url}/close", {"outcome": "partial", "summary": "Y"}, content_type=JSON)
    assert again.status_code == 409 and again.json()["code"] == "closed"
    late = api_client(cast.user_a).post(f"{url}/timeline", {"body": "Et ?"}, content_type=JSON)
    assert late.status_code == 409 and late.json()["code"] == "closed"


def test_appointing_refuses_a_party_and_is_the_administrators(cast, api_client):
    case = file_case(cast)
    url = f"/api/v1/network/mediations/{case.pk}/mediator"
    admin = api_client(cast.admin)
    services.mediator_add(actor=cast.admin, username=cast.user_b.username)
    party = Mediator.objects.get(user=cast.user_b)
    listed = admin.get("/api/v1/network/mediators").json()
    assert {m["id"] for m in listed["items"]} == {cast.mediator.pk, party.pk}
    refused = admin.post(url, {"mediator": party.pk}, content_type=JSON)
    assert refused.status_code == 409
    assert refused.json()["code"] == "mediator_is_party" and refused.json()["field"] == "mediator"
    assert Case.objects.get(pk=case.pk).mediator_id is None
    for role in ROLES:
        if role != "admin":
            answer = api_client(getattr(cast, role)).post(
                url, {"mediator": cast.mediator.pk}, content_type=JSON
            )
            assert answer.status_code == 403, role
    queue = admin.get("/api/v1/network/mediations/queue")
    assert queue.status_code == 200
    assert queue.json()["items"][0]["complainant"] == cast.org_a.name
    assert SECRET not in text_of(queue) and "Livraison" not in text_of(queue)
    done = admin.post(url, {"mediator": cast.mediator.pk}, content_type=JSON)
    assert done.status_code == 200, done.content
    assert done.json()["status"] == "mediation" and done.json()["mediator"]["name"] == "Mariam Koné"
    assert SECRET not in text_of(done)
    assert admin.get(f"/api/v1/network/mediations/{case.pk}").status_code == 404
    assert admin.post(url, {"mediator": cast.mediator.pk}, content_type=JSON).status_code == 404
    added = admin.post(
        "/api/v1/network/mediators", {"username": cast.user_c.username, "languages": "fr"},
        content_type=JSON,
    )  # fmt: skip
    assert added.status_code == 201
    assert api_client(cast.user_a).get("/api/v1/network/mediators").status_code == 403
    assert api_client(cast.user_a).get("/api/v1/network/mediations/queue").status_code == 403


def test_statistics_carry_no_names_and_are_the_administrators(cast, api_client, client):
    in_mediation(cast)
    stats = api_client(cast.admin).get("/api/v1/network/mediations/statistics")
    assert stats.status_code == 200
    data = stats.json()
    assert data["total"] == 1
    assert [(r["code"], r["count"]) for r in data["by_country"]] == [("SN", 1)]
    assert [(r["code"], r["count"]) for r in data["by_status"]] == [("mediation", 1)]
    text = text_of(stats)
    for name in (cast.org_a.name, cast.org_b.name, "Mariam", "Livraison", SECRET):
        assert name not in text
    for role in ROLES:
        if role != "admin":
            answer = api_client(getattr(cast, role)).get("/api/v1/network/mediations/statistics")
            assert answer.status_code == 403, role
    assert client.get("/api/v1/network/mediations/statistics").status_code == 401


HOSTILE = [
    ({"subject": "x" * 5000}, "too_long", "subject"),
    ({"description": "x" * 5001}, "too_long", "description"),
    ({"subject": "Semences\x00"}, "invalid_character", "subject"),
    ({"category": "nope"}, "invalid_choice", "category"),
    ({"complainant": -1}, "out_of_range", "complainant"),
    ({"respondent": 10**12}, "out_of_range", "respondent"),
    ({"subject": "   "}, "required", "subject"),
]


@pytest.mark.parametrize(("change", "code", "field"), HOSTILE)
def test_hostile_filings_are_refused_and_nothing_is_written(cast, api_client, change, code, field):
    body = {"complainant": cast.org_a.pk, "respondent": cast.org_b.pk, "category": "contract",
            "subject": "Semences", "description": "Faits."}  # fmt: skip
    body.update(change)
    answer = api_client(cast.user_a).post("/api/v1/network/mediations", body, content_type=JSON)
    assert answer.status_code == 400, answer.content
    assert (answer.json()["code"], answer.json()["field"]) == (code, field)
    assert Case.objects.count() == 0


def test_hostile_entries_and_closings_are_refused(cast, api_client):
    case = in_mediation(cast)
    url = f"/api/v1/network/mediations/{case.pk}"
    mediator, before = api_client(cast.mediator_user), Entry.objects.count()
    for body, code, field in [
        ({"body": "x" * 5001}, "too_long", "body"),
        ({"body": "a\x00b"}, "invalid_character", "body"),
        ({"body": "R", "meeting_at": "2999-01-01T10:00:00Z", "place": "Dakar"},
         "date_out_of_range", "meeting_at"),
        ({"body": "R", "meeting_at": "demain"}, "invalid", "meeting_at"),
        ({"body": "R", "place": "p" * 201}, "too_long", "place"),
    ]:  # fmt: skip
        answer = mediator.post(f"{url}/timeline", body, content_type=JSON)
        assert answer.status_code == 400, (body, answer.content)
        assert (answer.json()["code"], answer.json()["field"]) == (code, field)
    assert Entry.objects.count() == before
    for body, code in [
        ({"outcome": "won", "summary": "S"}, "invalid_choice"),
        ({"outcome": "agreement", "summary": "s" * 3001}, "too_long"),
        ({"outcome": "agreement", "summary": "\x00"}, "invalid_character"),
    ]:
        answer = mediator.post(f"{url}/close", body, content_type=JSON)
        assert answer.status_code == 400 and answer.json()["code"] == code, answer.content
    assert Case.objects.get(pk=case.pk).status == "mediation"
    assert mediator.get("/api/v1/network/mediations/99999999999").status_code == 404
