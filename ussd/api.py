"""``POST /api/v1/ussd/{provider}`` (API.md): the aggregator's form ``sessionId``,
``serviceCode``, ``phoneNumber``, ``text``; the answer is ``text/plain`` ``CON ...`` or
``END ...``, at most 182 characters.

Aggregators send no token. The endpoint is guarded by a shared secret
(``USSD_SHARED_SECRET``: header ``X-Ussd-Secret`` or query ``?secret=``) and/or an
allow-list of addresses (``USSD_ALLOWED_IPS``); with neither configured it refuses every
request (403). Requests are limited per phone number (``USSD_RATE_LIMIT_PER_PHONE`` a
minute) and per address (``USSD_RATE_LIMIT_PER_ADDRESS``): 429 beyond.
"""

from __future__ import annotations

import hmac

from django.conf import settings
from django.http import HttpResponse
from ninja import Form, Router

from ussd import menu, throttle
from ussd.screens import fit, say

router = Router(tags=["ussd"])

PROVIDERS_DEFAULT = ("generic", "africastalking")


def _text(body: str, status: int = 200) -> HttpResponse:
    return HttpResponse(body, status=status, content_type="text/plain; charset=utf-8")


def _gate(request) -> int | None:
    """None when the request may proceed, else the HTTP status to refuse it with."""
    secret = getattr(settings, "USSD_SHARED_SECRET", "") or ""
    allowed_ips = [ip for ip in getattr(settings, "USSD_ALLOWED_IPS", []) if ip]
    if not secret and not allowed_ips:
        return 403
    if secret:
        given = request.headers.get("X-Ussd-Secret") or request.GET.get("secret") or ""
        if not hmac.compare_digest(given.encode()[:200], secret.encode()):
            return 403
    if allowed_ips and request.META.get("REMOTE_ADDR", "") not in allowed_ips:
        return 403
    return None


@router.post("/ussd/{provider}", auth=None, url_name="ussd")
def ussd(
    request,
    provider: str,
    sessionId: Form[str],  # noqa: N803 - the aggregators' field names
    phoneNumber: Form[str],  # noqa: N803
    serviceCode: Form[str] = "",  # noqa: N803
    text: Form[str] = "",
):
    if provider not in getattr(settings, "USSD_PROVIDERS", PROVIDERS_DEFAULT):
        return _text(fit("END", say("fr", "unavailable")), 404)
    refused = _gate(request)
    if refused:
        return _text(fit("END", say("fr", "unavailable")), refused)
    address = str(request.META.get("REMOTE_ADDR", ""))[:45]
    per_phone = int(getattr(settings, "USSD_RATE_LIMIT_PER_PHONE", 30))
    per_address = int(getattr(settings, "USSD_RATE_LIMIT_PER_ADDRESS", 1200))
    if not throttle.allowed(f"a:{address}", per_address) or not throttle.allowed(
        f"p:{phoneNumber[:40]}", per_phone
    ):
        return _text(fit("END", say("fr", "unavailable")), 429)
    if not sessionId or len(sessionId) > 100 or "\x00" in sessionId:
        return _text(fit("END", say("fr", "invalid_choice")), 400)
    body = menu.answer(provider=provider, session_id=sessionId, phone=phoneNumber, text=text)
    return _text(body)
