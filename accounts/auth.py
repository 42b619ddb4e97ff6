"""Bearer-token authentication for the API."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.db.models import Q
from django.utils import timezone
from ninja.security import HttpBearer

from accounts.models import ApiToken
from accounts.services import hash_token, password_stamp


def user_for_token(raw: str):
    """The active user a live token belongs to, or None.

    A token whose password stamp no longer matches (the password changed by a path that
    did not revoke it, e.g. ``manage.py changepassword``) does not authenticate.
    ``last_used_at`` is written at most once per ``API_TOKEN_LAST_USED_EVERY_SECONDS``
    (one conditional UPDATE; most requests write nothing)."""
    if not raw or len(raw) > 200 or "\x00" in raw:
        return None
    now = timezone.now()
    token = (
        ApiToken.objects.select_related("user")
        .filter(
            key_hash=hash_token(raw),
            revoked_at__isnull=True,
            expires_at__gt=now,
            user__is_active=True,
        )
        .first()
    )
    if token is None or token.password_stamp != password_stamp(token.user):
        return None
    every = timedelta(seconds=settings.API_TOKEN_LAST_USED_EVERY_SECONDS)
    if token.last_used_at is None or now - token.last_used_at >= every:
        ApiToken.objects.filter(pk=token.pk).filter(
            Q(last_used_at__isnull=True) | Q(last_used_at__lte=now - every)
        ).update(last_used_at=now)
    return token.user


class BearerToken(HttpBearer):
    def authenticate(self, request, token):
        user = user_for_token(token)
        if user is not None:
            request.user = user
        return user
