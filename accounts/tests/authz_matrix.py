"""Authorization-matrix entries of accounts (see accounts/tests/authz.py)."""

from accounts.tests.authz import E, api, page

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
]
