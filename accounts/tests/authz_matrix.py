"""Authorization-matrix entries of accounts (see accounts/tests/authz.py)."""

from accounts.services import api_token_issue
from accounts.tests.authz import E, Pair, api, page
from accounts.tests.factories import UserFactory


def build(world, objs):
    """A token on each side belonging to someone who plays no role: nobody may see or
    revoke another user's token (own tokens: accounts/tests/test_api_tokens.py)."""
    from accounts.models import ApiToken

    tokens = []
    for name in ("holder-a", "holder-b"):
        holder = UserFactory(username=name)
        api_token_issue(user=holder, name=f"Jeton de {name}", actor=holder)
        tokens.append(ApiToken.objects.get(user=holder))
    objs["api_token"] = Pair(*tokens)


ENTRIES = [
    # Public pages: anyone may sign in or ask for a new password; signed in, the login
    # page sends you home.
    page("login", expect=E(302), anonymous=200, public=True),
    page("logout", method="POST", expect=E(302), anonymous=302, public=True),
    page("password_reset", expect=E(200), anonymous=200, public=True),
    page("password_reset_done", expect=E(200), anonymous=200, public=True),
    page(
        "password_reset_confirm",
        uidb64="MQ",
        token="invalid-token",
        expect=E(200),
        anonymous=200,
        public=True,
    ),
    page("password_reset_complete", expect=E(200), anonymous=200, public=True),
    # A token for a username and password, no token needed; wrong credentials: 401.
    api(
        "POST /api/v1/auth/token",
        body={"username": "nobody", "password": "wrong"},
        expect=E(401),
        anonymous=401,
    ),
    # A user's own API tokens (issue 14, point 6): everyone signed in has the page and the
    # list; another user's token is 404, whoever asks.
    page("token_list", expect=E(200)),
    page("token_revoke", pk="@api_token", expect=E(404)),
    page("token_revoke", pk="@api_token", method="POST", expect=E(404)),
    api("GET /api/v1/auth/tokens", expect=E(200)),
    api("DELETE /api/v1/auth/tokens/{token_id}", token_id="@api_token", expect=E(404)),
]
