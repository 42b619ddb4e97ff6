"""Authorization-matrix entries of governance (see accounts/tests/authz.py).

Each side's cooperative has an assembly held yesterday with its person present and one
resolution, and its person on the management committee."""

import datetime

from django.utils import timezone

from accounts.tests.authz import E, Pair, api, page
from governance import services
from governance.tests.factories import held_assembly


def _side(world, coop, person):
    assembly = held_assembly(cooperative=coop, actor=world.national)
    attendance = services.attendance_record(assembly=assembly, person=person, actor=world.national)
    resolution = services.resolution_add(
        assembly=assembly, title="Approbation du rapport", actor=world.national
    )
    return assembly, attendance, resolution


def build(world, objs):
    a = _side(world, world.coop_tc, objs["person"].a)
    b = _side(world, world.coop_mbour, objs["person"].b)
    for i, name in enumerate(["assembly", "assembly_attendance", "resolution"]):
        objs[name] = Pair(a[i], b[i])


def _iso(days: int) -> str:
    return (timezone.localdate() + datetime.timedelta(days=days)).isoformat()


ASSEMBLY_IN = {
    "kind": "ordinaire",
    "held_on": _iso(30),
    "notice_sent_on": _iso(0),
    "agenda": "1. Rapport moral",
}
MANDATE_IN = {
    "body": "comite_gestion",
    "person": "@person",
    "office": "membre",
    "starts_on": "2025-06-01",
    "ends_on": "2028-05-31",
}

# governance/rules.py: national, agents (area) and the officer convene, record and
# close; a member reads their cooperative's assemblies, mandates and minutes.
READ = E(200, lender=404, nobody=404)
MANAGE = E(200, lender=404, member=403, nobody=404)
DONE = E(302, lender=404, member=403, nobody=404)  # a form posted, back to the page
CREATED = E(201, lender=404, member=403, nobody=404)

ENTRIES = [
    # pages
    page("governance:index", expect=E(200)),
    page("governance:late_accounts", expect=E(403, national=200, region=200, department=200)),
    page("governance:cooperative", pk="@cooperative", expect=READ),
    page("governance:assembly_create", pk="@cooperative", expect=MANAGE),
    page("governance:mandate_create", pk="@cooperative", expect=MANAGE),
    page("governance:assembly", pk="@assembly", expect=READ),
    page(
        "governance:attendance_add",
        method="POST",
        pk="@assembly",
        data={"person": "@comember"},
        expect=DONE,
    ),
    page(
        "governance:attendance_remove",
        method="POST",
        pk="@assembly_attendance",
        expect=DONE,
    ),
    page(
        "governance:resolution_add",
        method="POST",
        pk="@assembly",
        data={"title": "Budget"},
        expect=DONE,
    ),
    page(
        "governance:resolution_vote",
        method="POST",
        pk="@resolution",
        data={"votes_for": 1, "votes_against": 0, "abstentions": 0},
        expect=DONE,
    ),
    page("governance:assembly_close", pk="@assembly", expect=MANAGE),
    page("governance:minutes", pk="@assembly", expect=READ),
    # API
    api("GET /api/v1/cooperatives/{coop_id}/assemblies", coop_id="@cooperative", expect=READ),
    api(
        "POST /api/v1/cooperatives/{coop_id}/assemblies",
        coop_id="@cooperative",
        body=ASSEMBLY_IN,
        expect=CREATED,
    ),
    api("GET /api/v1/assemblies/{assembly_id}", assembly_id="@assembly", expect=READ),
    api("GET /api/v1/assemblies/{assembly_id}/results", assembly_id="@assembly", expect=READ),
    api("GET /api/v1/assemblies/{assembly_id}/attendance", assembly_id="@assembly", expect=READ),
    api(
        "POST /api/v1/assemblies/{assembly_id}/attendance",
        assembly_id="@assembly",
        body={"person": "@comember"},
        expect=CREATED,
    ),
    api(
        "DELETE /api/v1/attendance/{attendance_id}",
        attendance_id="@assembly_attendance",
        expect=E(204, lender=404, member=403, nobody=404),
    ),
    api(
        "GET /api/v1/assemblies/{assembly_id}/resolutions",
        assembly_id="@assembly",
        expect=READ,
    ),
    api(
        "POST /api/v1/assemblies/{assembly_id}/resolutions",
        assembly_id="@assembly",
        body={"title": "Budget"},
        expect=CREATED,
    ),
    api(
        "POST /api/v1/resolutions/{resolution_id}/votes",
        resolution_id="@resolution",
        body={"votes_for": 1, "votes_against": 0, "abstentions": 0},
        expect=MANAGE,
    ),
    # Allowed roles pass and meet a rule: a resolution without its votes (409).
    api(
        "POST /api/v1/assemblies/{assembly_id}/close",
        assembly_id="@assembly",
        body={},
        expect=E(409, lender=404, member=403, nobody=404),
    ),
    api("GET /api/v1/cooperatives/{coop_id}/mandates", coop_id="@cooperative", expect=READ),
    api(
        "POST /api/v1/cooperatives/{coop_id}/mandates",
        coop_id="@cooperative",
        body=MANDATE_IN,
        expect=CREATED,
    ),
    api(
        "GET /api/v1/governance/late-accounts",
        expect=E(403, national=200, region=200, department=200),
    ),
]
