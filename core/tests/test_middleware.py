import pytest
from django.http import HttpResponse
from django.test import RequestFactory

from core.errors import Conflict, Forbidden, NotFound
from core.middleware import DomainErrorMiddleware


def view_raising(exc):
    def view(request):
        raise exc

    return view


@pytest.mark.django_db
def test_not_found_and_forbidden_become_the_french_pages(client, settings):
    from django.urls import path

    from config import urls as project_urls

    urls = type(
        "urls",
        (),
        {
            "urlpatterns": project_urls.urlpatterns
            + [
                path("nf", view_raising(NotFound("Coopérative introuvable."))),
                path("fb", view_raising(Forbidden("Rôle insuffisant."))),
            ],
            "handler404": "web.views.error_404",
            "handler403": "web.views.error_403",
        },
    )
    settings.ROOT_URLCONF = urls
    settings.DEBUG = False
    r = client.get("/nf")
    assert r.status_code == 404 and "Page introuvable" in r.content.decode()
    r = client.get("/fb")
    assert r.status_code == 403 and "Accès refusé" in r.content.decode()


def test_other_exceptions_are_left_alone():
    middleware = DomainErrorMiddleware(lambda request: HttpResponse())
    request = RequestFactory().get("/")
    assert middleware.process_exception(request, Conflict("x")) is None
    assert middleware.process_exception(request, ValueError("x")) is None
