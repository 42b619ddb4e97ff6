"""Writes on users, roles and API tokens."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from accounts.models import ApiToken, Role, RoleAssignment, User
from core.errors import ValidationFailed
from core.services import service

AREA_ROLES_LEVELS = {"region", "department"}


def hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


@service
def api_token_issue(*, user: User, actor=None) -> str:
    """Create a token for ``user`` and return its raw value (shown once, never stored)."""
    raw = secrets.token_urlsafe(32)
    ApiToken.objects.create(
        user=user,
        key_hash=hash_token(raw),
        expires_at=timezone.now() + timedelta(hours=settings.API_TOKEN_TTL_HOURS),
    )
    return raw


@service
def api_token_revoke(*, token: ApiToken, actor=None) -> ApiToken:
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
    return token


@service
def role_assign(
    *, user: User, role: str, area=None, cooperative=None, lender=None, person=None, actor=None
) -> RoleAssignment:
    """Give ``user`` a role bounded by the one object the role needs."""
    targets = {"area": area, "cooperative": cooperative, "lender": lender, "person": person}
    needed = {
        Role.AGENT: "area",
        Role.OFFICER: "cooperative",
        Role.LENDER: "lender",
        Role.MEMBER: "person",
        Role.NATIONAL: None,
    }[Role(role)]
    extra = [k for k, v in targets.items() if v is not None and k != needed]
    if extra:
        raise ValidationFailed(
            f"Ce rôle ne prend pas de {extra[0]}.", code="role_target", field=extra[0]
        )
    if needed and targets[needed] is None:
        raise ValidationFailed(
            "Ce rôle doit être limité à un objet.", code="role_target", field=needed
        )
    if role == Role.AGENT and area.level not in AREA_ROLES_LEVELS:
        raise ValidationFailed(
            "Un agent est affecté à une région ou à un département.",
            code="role_area_level",
            field="area",
        )
    assignment, _created = RoleAssignment.objects.get_or_create(user=user, role=role, **targets)
    user.__dict__.pop("_sunucoop_scope", None)
    return assignment
