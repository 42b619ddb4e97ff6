from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from accounts.models import ApiToken
from accounts.services import api_token_revoke


@pytest.fixture
def anon():
    return Client()


def test_token_with_good_credentials(world, anon):
    r = anon.post(
        "/api/v1/auth/token",
        {"username": "national", "password": "sunucoop-test-pw"},
        content_type="application/json",
    )
    assert r.status_code == 200
    token = r.json()["token"]
    r = anon.get("/api/v1/areas?level=region", headers={"Authorization": f"Bearer {token}"})
    assert r.status_code == 200
    assert r.json()["count"] == 14


def test_token_with_bad_credentials_is_401_with_error_body(world, anon):
    r = anon.post(
        "/api/v1/auth/token",
        {"username": "national", "password": "wrong"},
        content_type="application/json",
    )
    assert r.status_code == 401
    assert r.json() == {
        "code": "invalid_credentials",
        "message": "Identifiant ou mot de passe incorrect.",
        "field": None,
    }


def test_no_token_is_401(db, anon):
    r = anon.get("/api/v1/areas")
    assert r.status_code == 401
    assert r.json()["code"] == "unauthenticated"


def test_bad_token_is_401(db, anon):
    r = anon.get("/api/v1/areas", headers={"Authorization": "Bearer not-a-token"})
    assert r.status_code == 401


def test_expired_token_is_401(world, api_client):
    client = api_client(world.national)
    assert client.get("/api/v1/areas").status_code == 200
    ApiToken.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    assert client.get("/api/v1/areas").status_code == 401


def test_revoked_token_is_401(world, api_client):
    client = api_client(world.national)
    api_token_revoke(token=ApiToken.objects.get(), actor=world.national)
    assert client.get("/api/v1/areas").status_code == 401


def test_token_of_deactivated_user_is_401(world, api_client):
    client = api_client(world.national)
    world.national.is_active = False
    world.national.save()
    assert client.get("/api/v1/areas").status_code == 401


def test_tokens_are_stored_hashed(world, api_client):
    api_client(world.national)
    stored = ApiToken.objects.get()
    assert len(stored.key_hash) == 64


def test_validation_error_has_the_error_format(world, anon):
    r = anon.post("/api/v1/auth/token", {"username": "x"}, content_type="application/json")
    assert r.status_code == 400
    body = r.json()
    assert set(body) == {"code", "message", "field"}
    assert body["field"] == "password"


def test_messages_follow_the_request_language(world, anon):
    r = anon.get("/api/v1/areas", headers={"Accept-Language": "fr"})
    assert "Authentification" in r.json()["message"]


def test_healthz(db, anon):
    r = anon.get("/healthz")
    assert r.status_code == 200 and r.json() == {"status": "ok"}


def test_openapi_document(db, anon):
    r = anon.get("/api/v1/openapi.json")
    assert r.status_code == 200
    paths = r.json()["paths"]
    assert "/api/v1/auth/token" in paths and "/api/v1/areas" in paths
