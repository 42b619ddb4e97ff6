"""Registrations and pledges started without an account: at most
settings.NETWORK_RATE_PER_HOUR per client address and hour (Django's cache)."""

from __future__ import annotations

import time

from django.conf import settings
from django.core.cache import cache
from django.utils.translation import gettext as _

from core.errors import DomainError


class RateLimited(DomainError):
    status = 429
    default_code = "rate_limited"


def check_rate(request, scope: str) -> None:
    limit = int(settings.NETWORK_RATE_PER_HOUR)
    address = str(request.META.get("REMOTE_ADDR", ""))[:45]
    key = f"network-rate:{scope}:{address}:{int(time.time() // 3600)}"
    if cache.add(key, 1, timeout=3700):
        return
    try:
        count = cache.incr(key)
    except ValueError:
        cache.add(key, 1, timeout=3700)
        return
    if count > limit:
        raise RateLimited(_("Trop de demandes depuis cette adresse ; réessayez plus tard."))
