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
