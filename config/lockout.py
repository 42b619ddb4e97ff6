"""What a locked-out client gets (django-axes ``AXES_LOCKOUT_CALLABLE``).

Pages get the French page ``registration/locked.html``; the API gets its usual error
format ``{"code": "locked", "message", "field"}``. Both answer 429 with ``Retry-After``.
"""

from django.conf import settings
from django.http import JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _


def lockout_response(request, original_response=None, credentials=None):
    retry_after = str(int(float(settings.AXES_COOLOFF_TIME) * 3600))
    if request.path.startswith("/api/"):
        response = JsonResponse(
            {
                "code": "locked",
                "message": _(
                    "Trop d'échecs de connexion : ce compte est temporairement verrouillé. "
                    "Réessayez plus tard."
                ),
                "field": None,
            },
            status=429,
        )
    else:
        response = render(request, settings.AXES_LOCKOUT_TEMPLATE, status=429)
    response["Retry-After"] = retry_after
    return response


def client_ip(request) -> str:
    """The client's address for the lock-out (``AXES_CLIENT_IP_CALLABLE``).

    With ``TRUSTED_PROXY_COUNT`` = 0 (no proxy), ``REMOTE_ADDR``. Behind N proxies of ours,
    each appends the address it received from to ``X-Forwarded-For``; the client is the
    N-th entry from the right (anything left of it was written by the client and is not
    trusted). A header shorter than that falls back to ``REMOTE_ADDR``. Failures are
    counted per username + this address, so a shared proxy never locks others out."""
    remote = request.META.get("REMOTE_ADDR", "") or ""
    count = int(getattr(settings, "TRUSTED_PROXY_COUNT", 0))
    if count <= 0:
        return remote
    forwarded = [
        part.strip()
        for part in request.META.get("HTTP_X_FORWARDED_FOR", "")[:1000].split(",")
        if part.strip()
    ]
    if len(forwarded) < count:
        return remote
    return forwarded[-count][:45]
