"""HTML pages of the offline sync: the field app's shell, its manifest and service worker,
and the supervisors' conflicts. Thin, like sync/api.py."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from core.errors import ValidationFailed
from core.views import domain_errors_as_pages
from sync import selectors, services
from sync.models import Resolution
from sync.rules import is_supervisor

PAGE_SIZE = 25


def _rows(record) -> list[tuple[str, object, object]]:
    """(field, the server's value, the device's value) for every field of either side."""
    server, device = record.server_data or {}, record.data or {}
    keys = [k for k in device if k not in ("photo",)] + [k for k in server if k not in device]
    return [(k, server.get(k, "—"), device.get(k, "—")) for k in keys]


@login_required
def conflict_list(request):
    if not is_supervisor(request.user):
        raise PermissionDenied
    show_all = request.GET.get("all") == "1"
    qs = selectors.conflict_list(actor=request.user, open_only=not show_all)
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "sync/conflict_list.html",
        {"page": page, "show_all": show_all, "query": "all=1" if show_all else ""},
    )


@login_required
@domain_errors_as_pages
@require_http_methods(["GET", "POST"])
def conflict_detail(request, pk: int):
    if not is_supervisor(request.user):
        raise PermissionDenied
    record = selectors.conflict_get(actor=request.user, pk=pk)
    if request.method == "POST":
        try:
            services.conflict_resolve(
                actor=request.user, record=record, keep=request.POST.get("keep", "")
            )
        except ValidationFailed as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Décision enregistrée."))
            return redirect("sync:conflict_list")
    return render(
        request,
        "sync/conflict_detail.html",
        {"record": record, "rows": _rows(record), "choices": Resolution},
    )
