"""Authorization-matrix entries of web and of the project's root URLs."""

from accounts.tests.authz import E, page

ENTRIES = [
    page("home", expect=E(200)),
    page("healthz", expect=E(200), anonymous=200, public=True),
    page(
        "set_language",
        method="POST",
        data={"language": "fr"},
        expect=E(302),
        anonymous=302,
        public=True,
    ),
    # The API's own pages: the OpenAPI document and its browsable docs are public.
    page("api-v1:openapi-json", expect=E(200), anonymous=200, public=True),
    page("api-v1:openapi-view", expect=E(200), anonymous=200, public=True),
    page("api-v1:api-root", expect=E(404), anonymous=404, public=True),  # no page at the root,
]
