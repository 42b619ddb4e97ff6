"""A fixed-window counter per key in Django's cache (per process with the default
local-memory cache; a shared cache such as Redis makes it global): the USSD endpoint
takes no token, so each phone number and each sending address is limited."""

from __future__ import annotations

import hashlib
import time

from django.core.cache import cache


def allowed(key: str, limit: int, *, window: int = 60) -> bool:
    if limit <= 0:
        return True
    digest = hashlib.sha256(key.encode("utf-8", "replace")).hexdigest()[:32]
    bucket = f"ussd-throttle:{digest}:{int(time.time() // window)}"
    if cache.add(bucket, 1, timeout=window + 10):
        return True
    try:
        return cache.incr(bucket) <= limit
    except ValueError:  # expired between add and incr
        cache.add(bucket, 1, timeout=window + 10)
        return True
