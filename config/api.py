"""The public API, /api/v1/ (see docs/api.md). Errors are always
``{"code", "message", "field"}``."""

from django.http import Http404
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError

from accounts.auth import BearerToken
from core.errors import DomainError
from core.middleware import server_error_json

api = NinjaAPI(
    title="SunuCoop API",
    version="1",
    description="API publique de SunuCoop (Coopératives Productives Solidaires).",
    auth=BearerToken(),
    urls_namespace="api-v1",
)


# Pydantic's error types that have a stable code of ours (docs/input-limits.md).
CODES = {
    "string_too_long": "too_long",
    "less_than_equal": "out_of_range",
    "greater_than_equal": "out_of_range",
    "less_than": "out_of_range",
    "greater_than": "out_of_range",
    "date_out_of_range": "date_out_of_range",
    "amount_out_of_range": "amount_out_of_range",
    "invalid_character": "invalid_character",
}


def error(request, status: int, code: str, message: str, field: str | None = None):
    return api.create_response(
        request,
        {"code": code, "message": message, "field": field},
        status=status,
    )


@api.exception_handler(DomainError)
def on_domain_error(request, exc: DomainError):
    return error(request, exc.status, exc.code, str(exc.message), exc.field)


@api.exception_handler(NinjaValidationError)
def on_validation_error(request, exc: NinjaValidationError):
    first = exc.errors[0] if exc.errors else {}
    where = [str(p) for p in first.get("loc", [])]
    loc = list(where)
    if loc[:1] and loc[0] in ("body", "query", "path", "header", "form"):
        loc.pop(0)  # the location, then the body's parameter: a field may be named "body"
    if loc[:1] == ["payload"]:
        loc.pop(0)
    field = ".".join(loc) or None
    if where[:1] == ["path"]:  # /loans/abc: no such object (docs/input-limits.md)
        return error(request, 404, "not_found", _("Introuvable."), field)
    message = (
        _("Valeur invalide") + (f" ({field}) : " if field else " : ") + str(first.get("msg", ""))
    )
    return error(request, 400, CODES.get(first.get("type"), "invalid"), message, field)


@api.exception_handler(Exception)
def on_unexpected_error(request, exc: Exception):
    """The contract: a JSON 500 ``server_error`` with the request id, logged (in DEBUG too)."""
    return server_error_json(request, exc)


@api.exception_handler(AuthenticationError)
def on_auth_error(request, exc):
    return error(request, 401, "unauthenticated", _("Authentification requise ou jeton invalide."))


@api.exception_handler(Http404)
def on_404(request, exc):
    return error(request, 404, "not_found", _("Introuvable."))


@api.exception_handler(HttpError)
def on_http_error(request, exc: HttpError):
    return error(request, exc.status_code, "error", str(exc))


api.add_router("/auth", "accounts.api.router")
api.add_router("/areas", "geo.api.router")
# Each app mounts its own router; several may share a prefix such as /cooperatives.
api.add_router("", "registry.api.router")
api.add_router("", "registry.corrections_api.router")
api.add_router("", "credit.api.router")
api.add_router("", "training.api.router")
api.add_router("", "purchasing.api.router")
api.add_router("", "capital.api.router")
api.add_router("", "governance.api.router")
api.add_router("", "ledger.api.router")
api.add_router("", "payments.api.router")
api.add_router("", "monitoring.api.router")
api.add_router("", "health.api.router")
api.add_router("", "valuechain.api.router")
api.add_router("", "network.api.router")
api.add_router("", "consulting.api.router")
api.add_router("", "events.api.router")
api.add_router("", "tenders.api.router")
api.add_router("", "mediation.api.router")
api.add_router("", "networkgov.api.router")
api.add_router("", "sponsoring.api.router")
api.add_router("", "messaging.api.router")
api.add_router("", "ussd.api.router")
api.add_router("", "sync.api.router")
