"""French 403/404/500 pages from web.views, with DEBUG off as in production."""

from __future__ import annotations

import pytest
from django.test import Client

from config import urls as project_urls

pytestmark = [pytest.mark.django_db, pytest.mark.urls("web.tests.urls_errors")]


@pytest.fixture(autouse=True)
def debug_off(settings):
    settings.DEBUG = False


def test_handlers_point_to_web_views():
    assert project_urls.handler403 == "web.views.error_403"
    assert project_urls.handler404 == "web.views.error_404"
    assert project_urls.handler500 == "web.views.error_500"


@pytest.mark.parametrize(
    ("url", "status", "title"),
    [
        ("/test-403/", 403, "Accès refusé"),
        ("/test-404/", 404, "Page introuvable"),
        ("/pas-une-page/", 404, "Page introuvable"),
        ("/test-500/", 500, "Erreur du serveur"),
    ],
)
def test_error_pages_are_french_with_the_right_status(world, url, status, title):
    client = Client(raise_request_exception=False)
    client.force_login(world.officer)
    response = client.get(url)
    assert response.status_code == status
    html = response.content.decode()
    assert '<html lang="fr">' in html
    assert f"<h1>{title}</h1>" in html
    assert "Retour à l'accueil" in html


def test_error_pages_for_anonymous_visitors(db):
    client = Client(raise_request_exception=False)
    assert "Page introuvable" in client.get("/pas-une-page/").content.decode()
    response = client.get("/test-500/")
    assert response.status_code == 500
    assert "Erreur du serveur" in response.content.decode()


def test_error_pages_follow_the_chosen_language(world):
    client = Client(raise_request_exception=False)
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    html = client.get("/pas-une-page/").content.decode()
    assert '<html lang="en">' in html
    assert "Page not found" in html
    html = client.get("/test-500/").content.decode()
    assert "Server error" in html


def test_404_does_not_leak_out_of_scope_objects(world):
    """Missing and out-of-scope look the same: the page names neither."""
    client = Client(raise_request_exception=False)
    client.force_login(world.lender)
    html = client.get("/pas-une-page/").content.decode()
    assert world.coop_tc.name not in html
