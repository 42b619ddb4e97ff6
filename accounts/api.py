from datetime import datetime

from django.contrib.auth import authenticate
from ninja import Field, Router, Schema
from ninja.pagination import LimitOffsetPagination, paginate

from accounts import selectors
from accounts.services import TOKEN_NAME_MAX, api_token_issue, api_token_revoke
from core.errors import DomainError

router = Router(tags=["auth"])


class TokenIn(Schema):
    username: str = Field(max_length=150)
    password: str = Field(max_length=4096)
    name: str = Field("", max_length=TOKEN_NAME_MAX)


class TokenOut(Schema):
    token: str


class TokenInfoOut(Schema):
    id: int
    name: str
    created_at: datetime
    last_used_at: datetime | None
    expires_at: datetime
    revoked_at: datetime | None
    revoked_reason: str
    live: bool = Field(..., alias="is_live")


class InvalidCredentials(DomainError):
    status = 401
    default_code = "invalid_credentials"


@router.post("/token", auth=None, response={200: TokenOut})
def token_create(request, payload: TokenIn):
    user = authenticate(request, username=payload.username, password=payload.password)
    if user is None or not user.is_active:
        raise InvalidCredentials("Identifiant ou mot de passe incorrect.")
    return {"token": api_token_issue(user=user, name=payload.name, actor=user)}


@router.get("/tokens", response=list[TokenInfoOut])
@paginate(LimitOffsetPagination)
def token_list(request):
    """The caller's own tokens (never their values), newest first."""
    return selectors.api_token_list(actor=request.user)


@router.delete("/tokens/{int:token_id}", response=TokenInfoOut)
def token_revoke(request, token_id: int):
    """Revoke one of the caller's tokens (another user's: 404)."""
    token = selectors.api_token_get(actor=request.user, pk=token_id)
    return api_token_revoke(token=token, actor=request.user)
