"""HTML pages of the offline sync: the field app's shell, its manifest and service worker,
and the supervisors' conflicts. Thin, like sync/api.py."""

from __future__ import annotations

import hashlib
import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from core.dates import today
from core.forms import domain_errors_on
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
@require_http_methods(["GET", "POST"])
def conflict_detail(request, pk: int):
    if not is_supervisor(request.user):
        raise PermissionDenied
    record = selectors.conflict_get(actor=request.user, pk=pk)
    if request.method == "POST":
        with domain_errors_on(request) as done:
            services.conflict_resolve(
                actor=request.user, record=record, keep=request.POST.get("keep", "")
            )
        if done:
            messages.success(request, _("Décision enregistrée."))
            return redirect("sync:conflict_list")
    return render(
        request,
        "sync/conflict_detail.html",
        {"record": record, "rows": _rows(record), "choices": Resolution},
    )


# --- the installable field app --------------------------------------------------------------

SHELL_STATIC = [
    "css/sunucoop.css",
    "css/field.css",
    "js/offline.js",
    "js/field.js",
    "django_htmx/htmx-2.min.js",
    "img/favicon.svg",
    "img/icon-192.png",
    "img/icon-512.png",
]


def manifest(request):
    """The web app manifest: installable, opens on the field page."""
    data = {
        "name": "SunuCoop Terrain",
        "short_name": "SunuCoop",
        "description": _("Le travail de terrain, avec ou sans réseau."),
        "lang": "fr",
        "start_url": reverse("sync:field"),
        "scope": "/",
        "display": "standalone",
        "background_color": "#f6f7f5",
        "theme_color": "#0b6e4f",
        "icons": [
            {"src": static("img/icon-192.png"), "sizes": "192x192", "type": "image/png"},
            {"src": static("img/icon-512.png"), "sizes": "512x512", "type": "image/png"},
            {
                "src": static("img/icon-maskable-512.png"),
                "sizes": "512x512",
                "type": "image/png",
                "purpose": "maskable",
            },
        ],
    }
    response = JsonResponse(data, json_dumps_params={"ensure_ascii": False})
    response["Content-Type"] = "application/manifest+json"
    return response


def service_worker(request):
    """The service worker, at the root so that it controls every page. Its cache name
    changes with the static files' names (hashed in production): an update replaces the
    cached shell, never the records waiting on the device (IndexedDB)."""
    assets = [static(path) for path in SHELL_STATIC]
    version = hashlib.sha1("|".join(assets).encode(), usedforsecurity=False).hexdigest()[:12]
    response = render(
        request,
        "sync/sw.js",
        {
            "assets_json": json.dumps(assets),
            "version": f"{SW_VERSION}-{version}",
            "field_url": reverse("sync:field"),
        },
        content_type="application/javascript; charset=utf-8",
    )
    response["Cache-Control"] = "no-cache"
    response["Service-Worker-Allowed"] = "/"
    return response


# Bump when sw.js itself changes in a way the asset list does not show.
SW_VERSION = "1"


def _field_messages() -> dict:
    return {
        "waiting": _("en attente"),
        "sent": _("envoyé"),
        "conflict": _("conflit : un superviseur tranchera"),
        "refused": _("refusé"),
        "offline": _("Hors ligne : vos saisies sont gardées sur ce téléphone."),
        "online": _("En ligne."),
        "syncing": _("Synchronisation…"),
        "synced": _("Synchronisé le"),
        "network": _("Réseau indisponible : nouvel essai au retour du réseau."),
        "login": _("Session expirée : reconnectez-vous pour envoyer."),
        "saved": _("Enregistré sur le téléphone."),
        "resend": _("Renvoyer"),
        "discard": _("Abandonner"),
        "discard_confirm": _("Abandonner cet enregistrement ? Il ne sera jamais envoyé."),
        "empty": _("Aucune donnée : synchronisez une première fois avec le réseau."),
        "gps_none": _("Position non disponible."),
        "choose": _("— choisir —"),
        "present": _("présent(e)"),
        "absent": _("absent(e)"),
        "next_due": _("prochaine échéance"),
        "arrears": _("impayé"),
        "attendance": _("Présence"),
        "visit": _("Visite"),
        "repayment": _("Remboursement"),
        "person": _("Personne"),
        "membership": _("Adhésion"),
        "price": _("Prix du marché"),
        "sale": _("Vente en boutique"),
        "no_shop": _("Aucune boutique témoin tenue par votre coopérative."),
        "locked": _("Saisie chiffrée : reconnectez-vous pour la lire et l'envoyer."),
    }


@login_required
def field(request):
    """The field app's shell: its data lives on the device (static/js/field.js)."""
    return render(
        request,
        "sync/field.html",
        {"messages_js": _field_messages(), "today": today().isoformat()},
    )
