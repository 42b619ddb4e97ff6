"""Request-level guards: domain errors as pages, the API's error contract with a
request id, and the refusal of what no column can hold (docs/input-limits.md).

Domain errors escaping any HTML view become the French 404 or 403 page.

The API handles its own errors (config/api.py); this covers every other view, so that
an out-of-scope object always looks missing, without each view repeating the mapping
(the one error idiom: CONTRIBUTING.md, "Errors in views").
"""

from __future__ import annotations

import json
import logging
import re
import uuid

from django.core import signals
from django.core.exceptions import PermissionDenied
from django.http import Http404, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from core import request_id
from core.errors import Forbidden, NotFound, ValidationFailed
from core.limits import INT64_MAX, INT64_MIN, NUL, check_integer, nul_error

logger = logging.getLogger("sunucoop.errors")


class DomainErrorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, NotFound):
            raise Http404(str(exception.message)) from exception
        if isinstance(exception, Forbidden):
            raise PermissionDenied(str(exception.message)) from exception
        return None


# --------------------------------------------------------------------------- request id


_REQUEST_ID_PATTERN = re.compile(r"^[A-Za-z0-9._-]{8,64}$")


# --------------------------------------------------------------------------- error contract


API_PREFIX = "/api/v1/"
STATUS_CODES = {
    400: ("bad_request", _lazy("Requête invalide.")),
    401: ("unauthenticated", _lazy("Authentification requise ou jeton invalide.")),
    403: ("forbidden", _lazy("Accès refusé.")),
    404: ("not_found", _lazy("Introuvable.")),
    405: ("method_not_allowed", _lazy("Méthode non autorisée pour cette adresse.")),
    413: ("too_large", _lazy("Requête trop volumineuse.")),
    500: ("server_error", _lazy("Erreur inattendue du serveur. Référence : %(request_id)s")),
}


def is_api(request) -> bool:
    return request.path.startswith(API_PREFIX)


def error_json(request, status: int, code: str, message, field: str | None = None):
    response = JsonResponse({"code": code, "message": str(message), "field": field}, status=status)
    response[request_id.HEADER] = request_id.of(request)
    return response


def server_error_json(request, exc: BaseException):
    """An unexpected failure under /api/v1/: logged with its request id (and signalled,
    as Django does, so that test clients re-raise it), answered as JSON 500."""
    logger.error(
        "Internal Server Error: %s (request %s)",
        request.path,
        request_id.of(request),
        exc_info=(type(exc), exc, exc.__traceback__),
    )
    signals.got_request_exception.send(sender=None, request=request)
    message = STATUS_CODES[500][1] % {"request_id": request_id.of(request)}
    return error_json(request, 500, "server_error", message)


class ErrorContractMiddleware:
    """First in the chain. Gives every request an id (``X-Request-ID``, kept in the logs
    and shown on the 500 page), and under /api/v1/ turns every non-JSON error answer
    (an unknown path, a wrong method, an uncaught exception, whatever Django answered
    first) into ``{"code", "message", "field"}``, in DEBUG too."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        incoming = request.headers.get(request_id.HEADER, "")
        request.request_id = incoming if _REQUEST_ID_PATTERN.match(incoming) else uuid.uuid4().hex
        token = request_id.current.set(request.request_id)
        try:
            response = self.get_response(request)
        finally:
            request_id.current.reset(token)
        if is_api(request) and response.status_code >= 400 and not _is_json(response):
            response = self._as_json(request, response)
        response[request_id.HEADER] = request.request_id
        return response

    def process_exception(self, request, exception):
        """Under /api/v1/, whatever escaped the API's own handlers (config/api.py) becomes
        JSON; elsewhere Django's handler500 renders the French page (and logs it, the
        request id on the line through ``core.request_id.RequestIdFilter``)."""
        if not is_api(request):
            return None
        if isinstance(exception, Http404 | NotFound):
            return error_json(request, 404, "not_found", STATUS_CODES[404][1])
        if isinstance(exception, PermissionDenied | Forbidden):
            return error_json(request, 403, "forbidden", STATUS_CODES[403][1])
        return server_error_json(request, exception)

    @staticmethod
    def _as_json(request, response):
        status = response.status_code
        code, message = STATUS_CODES.get(status, ("error", _lazy("Erreur.")))
        if status >= 500:
            code, status = "server_error", status
            message = STATUS_CODES[500][1] % {"request_id": request.request_id}
        new = error_json(request, status, code, message)
        if response.has_header("Allow"):
            new["Allow"] = response["Allow"]
        return new


def _is_json(response) -> bool:
    return response.get("Content-Type", "").startswith("application/json")


# --------------------------------------------------------------------------- input guard


class InputGuardMiddleware:
    """Refuses, before any view runs, what no column can hold (docs/input-limits.md):

    - a NUL character in a query string, in form data or in a JSON body: 400
      ``invalid_character`` naming the parameter;
    - an integer-looking query value or JSON number beyond 64 bits: 400 ``out_of_range``;
    - a path id (``<int:...>``) of 0 or beyond 64 bits: 404, as any missing object.

    Under /api/v1/ the answer is JSON ``{"code", "message", "field"}``; elsewhere the
    French 400 page (and the 404 page).
    """

    JSON_MAX_BYTES = 2 * 1024 * 1024  # bodies larger than this are left to the parser

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            self._check_query(request)
            self._check_body(request)
        except ValidationFailed as exc:
            return self._refuse(request, exc)
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        for value in list(view_args) + list(view_kwargs.values()):
            if isinstance(value, str) and value.isascii() and value.isdigit():
                value = int(value)  # an API path id typed by the view, e.g. {coop_id}
            is_int = isinstance(value, int) and not isinstance(value, bool)
            if is_int and not 1 <= value <= INT64_MAX:
                if is_api(request):
                    return error_json(request, 404, "not_found", STATUS_CODES[404][1])
                raise Http404(_("Introuvable."))
        return None

    @staticmethod
    def _check_query(request):
        for key, values in request.GET.lists():
            if NUL in key:
                raise nul_error(None)
            for value in values:
                _check_scalar(value, key)

    @classmethod
    def _check_body(cls, request):
        if request.method in ("GET", "HEAD", "OPTIONS"):
            return
        content_type = request.content_type or ""
        if content_type == "application/json" or content_type.endswith("+json"):
            cls._check_json(request)
        elif content_type in ("application/x-www-form-urlencoded", "multipart/form-data"):
            for key, values in request.POST.lists():
                if NUL in key:
                    raise nul_error(None)
                for value in values:
                    if NUL in value:
                        raise nul_error(key)

    @classmethod
    def _check_json(cls, request):
        length = int(request.headers.get("Content-Length") or 0)
        if length > cls.JSON_MAX_BYTES:
            return
        body = request.body
        if b"\\u0000" not in body and b"\x00" not in body and not _LONG_NUMBER.search(body):
            return
        try:
            data = json.loads(body)
        except ValueError:
            if b"\x00" in body:
                raise nul_error(None) from None
            return  # not JSON: the API's parser answers that
        _walk_json(data, None)

    @staticmethod
    def _refuse(request, exc: ValidationFailed):
        if is_api(request):
            return error_json(request, 400, exc.code, exc.message, exc.field)
        response = render(
            request,
            "errors/400.html",
            {"message": str(exc.message), "field": exc.field},
            status=400,
        )
        return response


_INTEGER = re.compile(r"^\s*[+-]?\d{19,}\s*$")
_LONG_NUMBER = re.compile(rb"\d{19,}")


def _check_scalar(value: str, name: str | None) -> None:
    if NUL in value:
        raise nul_error(name)
    if _INTEGER.match(value):
        check_integer(int(value), field=name, low=INT64_MIN, high=INT64_MAX)


def _walk_json(value, name: str | None, depth: int = 0) -> None:
    if depth > 32:
        return
    if isinstance(value, str):
        if NUL in value:
            raise nul_error(name)
    elif isinstance(value, int) and not isinstance(value, bool):
        check_integer(value, field=name, low=INT64_MIN, high=INT64_MAX)
    elif isinstance(value, dict):
        for key, item in value.items():
            if NUL in key:
                raise nul_error(name)
            _walk_json(item, key if name is None else f"{name}.{key}", depth + 1)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            _walk_json(item, f"{name}.{index}" if name else str(index), depth + 1)
