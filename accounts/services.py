"""Writes on users, roles and API tokens."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from django.conf import settings
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _

from accounts.errors import Code
from accounts.models import ApiToken, Role, RoleAssignment, TokenRevocation, User
from core.errors import ValidationFailed
from core.services import service

AREA_ROLES_LEVELS = {"region", "department"}
STAMP_SALT = "sunucoop.accounts.api_token.password_stamp"
TOKEN_NAME_MAX = ApiToken._meta.get_field("name").max_length


def hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def password_stamp(user: User) -> str:
    """An HMAC of the user's password hash: it changes whenever the password does."""
    return salted_hmac(STAMP_SALT, user.password or "", algorithm="sha256").hexdigest()


def live_tokens(user: User):
    return ApiToken.objects.filter(
        user=user, revoked_at__isnull=True, expires_at__gt=timezone.now()
    )


def clean_token_name(name: str) -> str:
    name = " ".join(str(name or "").split())
    if "\x00" in name:
        raise ValidationFailed(
            _("Le nom contient un caractère nul."), code=Code.NUL_BYTE, field="name"
        )
    if len(name) > TOKEN_NAME_MAX:
        raise ValidationFailed(
            _("Le nom du jeton est trop long (%(n)d caractères au plus).") % {"n": TOKEN_NAME_MAX},
            code=Code.TOO_LONG,
            field="name",
        )
    return name


@service
def api_token_issue(*, user: User, name: str = "", actor=None) -> str:
    """Create a token for ``user`` and return its raw value (shown once, never stored).

    A user holds at most ``API_TOKEN_MAX_PER_USER`` live tokens: issuing one more revokes
    the oldest (the user's row is locked so two logins at once cannot both slip past)."""
    name = clean_token_name(name)
    # Lock the user's row (and read the password as stored, not as this object holds it).
    current = User.objects.select_for_update().only("password").get(pk=user.pk)
    keep = max(int(settings.API_TOKEN_MAX_PER_USER) - 1, 0)
    oldest = list(live_tokens(user).order_by("-created_at", "-id").values_list("pk", flat=True))
    if len(oldest) > keep:
        ApiToken.objects.filter(pk__in=oldest[keep:]).update(
            revoked_at=timezone.now(), revoked_reason=TokenRevocation.LIMIT
        )
    raw = secrets.token_urlsafe(32)
    ApiToken.objects.create(
        user=user,
        name=name,
        key_hash=hash_token(raw),
        password_stamp=password_stamp(current),
        expires_at=timezone.now() + timedelta(hours=settings.API_TOKEN_TTL_HOURS),
    )
    return raw


@service
def api_token_revoke(*, token: ApiToken, actor=None, reason: str = "") -> ApiToken:
    """Revoke one token (its holder's own, or any for an administrator: callers find the
    token through ``accounts.selectors.api_token_get``, which is scoped)."""
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.revoked_reason = reason or (
            TokenRevocation.USER
            if actor is not None and actor.pk == token.user_id
            else TokenRevocation.ADMIN
        )
        token.save(update_fields=["revoked_at", "revoked_reason"])
    return token


@service
def api_tokens_revoke_all(*, user: User, reason: str, actor=None) -> int:
    """Revoke every live token of ``user`` (a password changed, the account deactivated)."""
    return ApiToken.objects.filter(user=user, revoked_at__isnull=True).update(
        revoked_at=timezone.now(), revoked_reason=TokenRevocation(reason)
    )


@service
def user_password_set(*, user: User, password: str | None, actor=None) -> User:
    """Set a new password (None: an unusable one) and revoke the user's API tokens (they
    were granted by the old one). The password forms (reset, administration) call this."""
    if password is None:
        user.set_unusable_password()
    else:
        user.set_password(password)
    user.save(update_fields=["password"])
    api_tokens_revoke_all(user=user, reason=TokenRevocation.PASSWORD, actor=actor)
    return user


@service
def user_deactivate(*, user: User, actor=None) -> User:
    """Close an account: it can no longer sign in, and its API tokens are revoked."""
    if user.is_active:
        user.is_active = False
        user.save(update_fields=["is_active"])
    api_tokens_revoke_all(user=user, reason=TokenRevocation.DEACTIVATED, actor=actor)
    return user


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
            _("Ce rôle ne prend pas de %(field)s.") % {"field": extra[0]},
            code=Code.ROLE_TARGET,
            field=extra[0],
        )
    if needed and targets[needed] is None:
        raise ValidationFailed(
            _("Ce rôle doit être limité à un objet."), code=Code.ROLE_TARGET, field=needed
        )
    if role == Role.AGENT and area.level not in AREA_ROLES_LEVELS:
        raise ValidationFailed(
            _("Un agent est affecté à une région ou à un département."),
            code=Code.ROLE_AREA_LEVEL,
            field="area",
        )
    assignment, _created = RoleAssignment.objects.get_or_create(user=user, role=role, **targets)
    user.__dict__.pop("_sunucoop_scope", None)
    return assignment
