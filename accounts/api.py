from django.contrib.auth import authenticate
from ninja import Router, Schema

from accounts.services import api_token_issue
from core.errors import DomainError

router = Router(tags=["auth"])


class TokenIn(Schema):
    username: str
    password: str


class TokenOut(Schema):
    token: str


class InvalidCredentials(DomainError):
    status = 401
    default_code = "invalid_credentials"


@router.post("/token", auth=None, response={200: TokenOut})
def token_create(request, payload: TokenIn):
    user = authenticate(request, username=payload.username, password=payload.password)
    if user is None or not user.is_active:
        raise InvalidCredentials("Identifiant ou mot de passe incorrect.")
    return {"token": api_token_issue(user=user, actor=user)}
