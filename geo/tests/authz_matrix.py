"""Authorization-matrix entries of geo (see accounts/tests/authz.py)."""

from accounts.tests.authz import E, api

ENTRIES = [
    # The map of areas is reference data: every signed-in caller reads all of it.
    api("GET /api/v1/areas", expect=E(200)),
]
