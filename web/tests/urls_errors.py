"""The project's URLs plus three views that fail, to test the real error handlers."""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.urls import path

from config import urls as project


def forbidden(request):
    raise PermissionDenied


def missing(request):
    raise Http404


def broken(request):
    raise RuntimeError("boom")


handler403 = project.handler403
handler404 = project.handler404
handler500 = project.handler500

urlpatterns = [
    path("test-403/", forbidden),
    path("test-404/", missing),
    path("test-500/", broken),
    *project.urlpatterns,
]
