"""A fixed-window request counter per client address (Django's cache), for the webhook
endpoints, which take no token: settings.PAYMENTS_WEBHOOK_RATE_LIMIT requests per minute
per address (the providers send from a few addresses; a flood from elsewhere is cut)."""

from __future__ import annotations

import time

from django.conf import settings
from django.core.cache import cache


def allowed(request, scope: str) -> bool:
    limit = int(getattr(settings, "PAYMENTS_WEBHOOK_RATE_LIMIT", 0))
    if limit <= 0:
        return True
    address = str(request.META.get("REMOTE_ADDR", ""))[:45]
    key = f"ratelimit:{scope}:{address}:{int(time.time() // 60)}"
    if cache.add(key, 1, timeout=70):
        return True
    try:
        count = cache.incr(key)
    except ValueError:
        cache.add(key, 1, timeout=70)
        return True
    return count <= limit
