"""``GET /api/v1/areas``: filters by level and parent, accent-free search, pagination."""

import pytest

from accounts.tests.factories import UserFactory
from geo.models import Area
from geo.tests.factories import commune

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(api_client):
    return api_client(UserFactory(username="reader"))


def test_level_filter_lists_the_14_regions(api):
    r = api.get("/api/v1/areas?level=region&limit=100")
    assert r.status_code == 200
    body = r.json()
    assert body["count"] == 14
    assert {i["level"] for i in body["items"]} == {"region"}
    assert {"code": "SN-TH", "name": "Thiès", "level": "region", "parent": "SN"} in body["items"]


def test_level_filter_rejects_unknown_levels(api):
    r = api.get("/api/v1/areas?level=village")
    assert r.status_code == 400
    assert set(r.json()) == {"code", "message", "field"}


def test_parent_filter_gives_direct_children_only(api):
    commune("SN-TH-MBO-01", "Mbour", "SN-TH-MBO")
    r = api.get("/api/v1/areas?parent=SN-TH")
    codes = [i["code"] for i in r.json()["items"]]
    assert codes == ["SN-TH-MBO", "SN-TH-THI", "SN-TH-TIV"]
    assert api.get("/api/v1/areas?parent=SN-TH-MBO").json()["items"] == [
        {"code": "SN-TH-MBO-01", "name": "Mbour", "level": "commune", "parent": "SN-TH-MBO"}
    ]
    assert api.get("/api/v1/areas?parent=NOPE").json() == {"count": 0, "items": []}


def test_search_ignores_accents_and_case(api):
    commune("SN-TH-THI-01", "Thiès", "SN-TH-THI")
    r = api.get("/api/v1/areas?q=thies")
    names = {(i["code"], i["name"]) for i in r.json()["items"]}
    assert ("SN-TH", "Thiès") in names and ("SN-TH-THI-01", "Thiès") in names
    assert all("thies" in Area.objects.get(code=c).search_text for c, _ in names)
    assert api.get("/api/v1/areas?q=THIÈS").json()["count"] == r.json()["count"]
    assert api.get("/api/v1/areas?q=thies&level=region").json()["items"] == [
        {"code": "SN-TH", "name": "Thiès", "level": "region", "parent": "SN"}
    ]
    assert api.get("/api/v1/areas?q=zzzz").json() == {"count": 0, "items": []}


def test_limit_and_offset(api, django_assert_max_num_queries):
    total = Area.objects.count()
    with django_assert_max_num_queries(4):
        first = api.get("/api/v1/areas?limit=10&offset=0").json()
    second = api.get("/api/v1/areas?limit=10&offset=10").json()
    assert first["count"] == second["count"] == total == 61
    assert len(first["items"]) == len(second["items"]) == 10
    all_codes = [a.code for a in Area.objects.order_by("path")]
    assert [i["code"] for i in first["items"]] == all_codes[:10]
    assert [i["code"] for i in second["items"]] == all_codes[10:20]
    last = api.get(f"/api/v1/areas?limit=10&offset={total - 1}").json()
    assert len(last["items"]) == 1


def test_anonymous_gets_401():
    from django.test import Client

    r = Client().get("/api/v1/areas")
    assert r.status_code == 401
    assert r.json()["code"] == "unauthenticated"
