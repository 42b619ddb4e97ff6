"""Authorization-matrix entries of monitoring (see accounts/tests/authz.py).

Each side has a quarterly report of its commune, built at once (a small area)."""

from accounts.tests.authz import E, Pair, api, page
from monitoring.services import report_request


def build(world, objs):
    objs["report"] = Pair(
        *[
            report_request(actor=world.national, area=area, year=2026, quarter=1)
            for area in (world.koumpentoum, world.mbour)
        ]
    )


# monitoring/rules.py: the programme's figures are for the national level and the agents
# (their area); the targets for the national level.
STAFF = E(403, national=200, region=200, department=200)
# Another side's report: 404 to agents (outside their area), 403 to the other roles.
OTHER_REPORT = {"region": 404, "department": 404, "officer": 403, "lender": 403, "member": 403}

ENTRIES = [
    # pages
    page("monitoring:dashboard", expect=STAFF),
    page("monitoring:targets", expect=E(403, national=200)),
    page("monitoring:records", code="cooperatives_total", expect=STAFF),
    page("monitoring:reports", expect=STAFF),
    page("monitoring:report", pk="@report", expect=STAFF, out=OTHER_REPORT),
    page(
        "monitoring:report_download",
        pk="@report",
        kind="xlsx",
        expect=STAFF,
        out=OTHER_REPORT,
    ),
    # API
    api("GET /api/v1/indicators", expect=STAFF),
]
