"""Reads on API tokens: a user sees and revokes their own tokens only."""

from __future__ import annotations

from django.utils.translation import gettext as _

from accounts.models import ApiToken
from core.errors import NotFound


def api_token_list(*, actor):
    """The actor's own tokens, newest first (live and revoked)."""
    if not getattr(actor, "is_authenticated", False):
        return ApiToken.objects.none()
    return ApiToken.objects.filter(user_id=actor.pk).order_by("-created_at", "-id")


def api_token_get(*, actor, pk: int) -> ApiToken:
    token = api_token_list(actor=actor).filter(pk=pk).first() if 0 < pk < 2**63 else None
    if token is None:
        raise NotFound(_("Jeton introuvable."))
    return token
