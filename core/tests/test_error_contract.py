"""The error contract (docs/api.md, "Errors everywhere"; docs/input-limits.md): every
answer under /api/v1/ is JSON {"code", "message", "field"}, with a request id; the web's
404/500 pages are French, never Django's debug page outside DEBUG."""

import json
import logging

import pytest
from django.test import Client
from django.urls import path

from accounts.services import api_token_issue
from config import urls as project_urls


def boom(request):
    raise RuntimeError("boom in a page")


def api_boom(**kwargs):
    raise RuntimeError("boom in the API")


@pytest.fixture
def api_fails(monkeypatch, world):
    """/api/v1/areas fails unexpectedly; returns a client with the national user's token."""
    monkeypatch.setattr("geo.api.area_list", api_boom)
    token = api_token_issue(user=world.national, actor=world.national)
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}


class BoomUrls:
    urlpatterns = [path("__boom", boom), *project_urls.urlpatterns]
    handler400 = project_urls.handler400
    handler403 = project_urls.handler403
    handler404 = project_urls.handler404
    handler500 = project_urls.handler500


def assert_error(response, status, code):
    assert response.status_code == status, response.content[:300]
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert set(body) == {"code", "message", "field"}
    assert body["code"] == code and body["message"]
    assert response["X-Request-ID"]
    return body


@pytest.fixture
def quiet_client(settings):
    settings.DEBUG = False
    return Client(raise_request_exception=False)


@pytest.mark.django_db
@pytest.mark.parametrize("debug", [False, True])
def test_unknown_api_path_is_json_404(client, settings, debug):
    settings.DEBUG = debug
    assert_error(client.get("/api/v1/no-such-thing"), 404, "not_found")
    assert_error(client.post("/api/v1/no/such/path", {}), 404, "not_found")


@pytest.mark.django_db
def test_wrong_method_is_json_405_with_allow(world, quiet_client):
    token = api_token_issue(user=world.national, actor=world.national)
    c = Client(raise_request_exception=False, headers={"Authorization": f"Bearer {token}"})
    response = c.delete("/api/v1/persons")
    assert_error(response, 405, "method_not_allowed")
    assert "GET" in response["Allow"]
    assert_error(quiet_client.put("/api/v1/auth/token"), 405, "method_not_allowed")


@pytest.mark.django_db
def test_unexpected_api_failure_is_json_500_logged_with_its_request_id(
    quiet_client, api_fails, caplog
):
    with caplog.at_level(logging.ERROR):
        response = quiet_client.get("/api/v1/areas", HTTP_X_REQUEST_ID="req-12345678", **api_fails)
    body = assert_error(response, 500, "server_error")
    assert response["X-Request-ID"] == "req-12345678"
    assert "req-12345678" in body["message"]
    assert "boom in the API" not in json.dumps(body)  # no internals leak
    logged = [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert any("req-12345678" in r.getMessage() for r in logged)
    assert any(r.exc_info and "boom in the API" in str(r.exc_info[1]) for r in logged)


@pytest.mark.django_db
def test_a_test_client_that_re_raises_still_sees_the_exception(client, api_fails):
    with pytest.raises(RuntimeError, match="boom in the API"):
        client.get("/api/v1/areas", **api_fails)


@pytest.mark.django_db
def test_a_bad_request_id_header_is_replaced(quiet_client):
    response = quiet_client.get("/healthz", HTTP_X_REQUEST_ID="<script>")
    assert response["X-Request-ID"] != "<script>" and len(response["X-Request-ID"]) == 32


@pytest.mark.django_db
def test_page_500_is_french_with_the_request_id(quiet_client, settings, caplog):
    settings.ROOT_URLCONF = BoomUrls
    with caplog.at_level(logging.ERROR):
        response = quiet_client.get("/__boom")
    assert response.status_code == 500
    text = response.content.decode()
    assert "Erreur du serveur" in text and response["X-Request-ID"] in text
    assert "Traceback" not in text and "boom in a page" not in text
    assert any(getattr(r, "request_id", None) == response["X-Request-ID"] for r in caplog.records)


@pytest.mark.django_db
def test_page_404_is_french_not_the_debug_page(quiet_client):
    response = quiet_client.get("/no-such-page/")
    assert response.status_code == 404
    text = response.content.decode()
    assert "Page introuvable" in text and "URLconf" not in text


@pytest.mark.django_db
def test_known_errors_keep_their_json(quiet_client):
    assert_error(quiet_client.get("/api/v1/persons"), 401, "unauthenticated")
    r = quiet_client.post("/api/v1/auth/token", "{not json", content_type="application/json")
    assert r.status_code == 400 and r.json()["code"]


def test_a_view_raising_http404_under_the_api_is_json_404_not_500(quiet_client):
    # /api/v1/ itself is django-ninja's root view, which raises Http404.
    response = quiet_client.get("/api/v1/")
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"
