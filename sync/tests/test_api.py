"""/api/v1/sync/pull and /api/v1/sync/push (docs/api.md, "Offline sync")."""

import base64
import gzip
import json

import pytest
from django.test import Client

from sync.tests.conftest import new_uuid
from training.models import Visit


def visit_record(world, uuid=None):
    return {
        "uuid": uuid or new_uuid(),
        "kind": "visit",
        "base_version": None,
        "data": {"cooperative": world.coop_tc.pk, "visited_on": "2026-03-01", "purpose": "Suivi"},
    }


def test_pull_then_pull_since(world, api_client):
    client = api_client(world.agent_tc)
    first = client.get("/api/v1/sync/pull")
    assert first.status_code == 200
    body = first.json()
    assert set(body) == {"cursor", "records", "deleted"}
    kinds = {r["kind"] for r in body["records"]}
    assert {"cooperative", "person", "membership"} <= kinds
    record = body["records"][0]
    assert set(record) == {"kind", "id", "uuid", "version", "data"}
    again = client.get("/api/v1/sync/pull", {"since": body["cursor"]}).json()
    assert again["records"] == [] and again["deleted"] == []
    bad = client.get("/api/v1/sync/pull", {"since": "nope"})
    assert bad.status_code == 400
    assert bad.json()["code"] == "invalid_cursor"


def test_pull_is_gzip_compressed_when_the_client_accepts_it(world, api_client):
    client = api_client(world.agent_tc)
    plain = client.get("/api/v1/sync/pull")
    assert "Content-Encoding" not in plain
    packed = client.get("/api/v1/sync/pull", HTTP_ACCEPT_ENCODING="gzip, deflate")
    assert packed.status_code == 200
    assert packed["Content-Encoding"] == "gzip" and "Accept-Encoding" in packed["Vary"]
    body = json.loads(gzip.decompress(packed.content))
    assert body["records"] == plain.json()["records"]
    assert len(packed.content) < len(plain.content) / 2  # BREACH padding included
    # a push's answer is not compressed (short; it names the device's own records)
    push = client.post(
        "/api/v1/sync/push",
        json.dumps({"records": [visit_record(world)]}),
        content_type="application/json",
        HTTP_ACCEPT_ENCODING="gzip",
    )
    assert push.status_code == 200 and "Content-Encoding" not in push


def test_push_answers_each_record(world, api_client):
    client = api_client(world.agent_tc)
    record = visit_record(world)
    first = client.post("/api/v1/sync/push", {"records": [record]}, content_type="application/json")
    assert first.status_code == 200
    [result] = first.json()["results"]
    assert result["status"] == "applied" and result["uuid"] == record["uuid"]
    second = client.post(
        "/api/v1/sync/push", {"records": [record]}, content_type="application/json"
    ).json()
    assert second["results"][0]["status"] == "duplicate"
    assert second["results"][0]["id"] == result["id"]
    assert Visit.objects.count() == 1


def test_push_without_token_or_role(world, api_client):
    anonymous = Client().post("/api/v1/sync/push", {"records": []}, content_type="application/json")
    assert anonymous.status_code == 401
    nobody = api_client(world.nobody).post(
        "/api/v1/sync/push", {"records": []}, content_type="application/json"
    )
    assert nobody.status_code == 403


def test_push_too_many_records(world, api_client):
    records = [visit_record(world) for _ in range(201)]
    answer = api_client(world.agent_tc).post(
        "/api/v1/sync/push", {"records": records}, content_type="application/json"
    )
    assert answer.status_code == 400


def test_the_web_app_pushes_with_its_session_and_csrf_token(world):
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.agent_tc)
    body = json.dumps({"records": [visit_record(world)]})
    refused = client.post("/api/v1/sync/push", body, content_type="application/json")
    assert refused.status_code in (401, 403)
    client.get("/terrain/conflits/")  # any page sets the CSRF cookie
    token = client.cookies["csrftoken"].value
    ok = client.post(
        "/api/v1/sync/push", body, content_type="application/json", headers={"X-CSRFToken": token}
    )
    assert ok.status_code == 200
    assert ok.json()["results"][0]["status"] == "applied"


@pytest.mark.parametrize("username", ["agent_tc", "national"])
def test_conflicts_page_side_by_side_and_decision(world, username, client):
    from registry.models import Person
    from sync.services import records_push

    person = world.persons_tc[0]
    [result] = records_push(
        actor=world.agent_tc,
        device="p1",
        records=[
            {
                "uuid": new_uuid(),
                "kind": "person",
                "base_version": "old",
                "data": {"id": person.pk, "phone": "779999999"},
            }
        ],
    )
    assert result["status"] == "conflict"
    client.force_login(getattr(world, username))
    listing = client.get("/terrain/conflits/")
    assert listing.status_code == 200
    from sync.models import PushedRecord

    record = PushedRecord.objects.get(uuid=result["uuid"])
    detail = client.get(f"/terrain/conflits/{record.pk}/")
    assert detail.status_code == 200
    html = detail.content.decode()
    assert "779999999" in html and person.first_name in html
    answer = client.post(f"/terrain/conflits/{record.pk}/", {"keep": "device"})
    assert answer.status_code == 302
    person.refresh_from_db()
    assert person.phone == "+221779999999"
    record.refresh_from_db()
    assert record.resolution == "device" and record.status == "applied"
    assert Person.objects.filter(phone="+221779999999").count() == 1


def test_keep_server_leaves_the_record_and_mbour_agent_sees_no_koumpentoum_conflict(world, client):
    from sync.services import records_push

    person = world.persons_tc[0]
    phone = person.phone
    [result] = records_push(
        actor=world.agent_tc,
        records=[
            {
                "uuid": new_uuid(),
                "kind": "person",
                "base_version": "old",
                "data": {"id": person.pk, "phone": "779999999"},
            }
        ],
    )
    from sync.models import PushedRecord

    record = PushedRecord.objects.get(uuid=result["uuid"])
    client.force_login(world.agent_mbour)
    assert client.get(f"/terrain/conflits/{record.pk}/").status_code == 404
    client.force_login(world.officer)
    assert client.get(f"/terrain/conflits/{record.pk}/").status_code == 403
    client.force_login(world.agent_tc)
    assert client.post(f"/terrain/conflits/{record.pk}/", {"keep": "server"}).status_code == 302
    person.refresh_from_db()
    assert person.phone == phone
    record.refresh_from_db()
    assert (record.status, record.resolution) == ("conflict", "server")


def test_the_device_key_is_the_users_own_and_never_cached(world, api_client):
    """The key sealing a device's records: 32 bytes, the same at each login of a user (what
    waits is readable again after a logout), another for another user; never cached."""
    first = api_client(world.agent_tc).get("/api/v1/sync/key")
    again = api_client(world.agent_tc).get("/api/v1/sync/key")
    other = api_client(world.agent_th).get("/api/v1/sync/key")
    assert first.status_code == 200 and first["Cache-Control"] == "no-store"
    key = base64.b64decode(first.json()["key"])
    assert len(key) == 32
    assert again.json() == first.json()
    assert other.json()["key"] != first.json()["key"]
    assert Client().get("/api/v1/sync/key").status_code == 401
