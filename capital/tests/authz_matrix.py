"""Authorization-matrix entries of capital (see accounts/tests/authz.py).

Each side's cooperative has statutes, a carried-out subscription of its person and a
pending (draft) subscription of the same person."""

import datetime

from accounts.tests.authz import E, Pair, api, page
from capital.services import share_operation_approve, share_operation_request
from capital.tests.factories import StatutesFactory, done_operation

ON = datetime.date(2025, 5, 1)


def _side(world, coop, person):
    StatutesFactory(cooperative=coop)
    done = done_operation(
        actor=world.national,
        cooperative=coop,
        kind="subscription",
        person=person,
        effective_on=ON,
        shares=2,
    )
    draft = share_operation_request(
        actor=world.national,
        cooperative=coop,
        kind="subscription",
        person=person,
        effective_on=ON,
        shares=1,
    )
    approved = share_operation_request(
        actor=world.national,
        cooperative=coop,
        kind="subscription",
        person=person,
        effective_on=ON,
        shares=1,
    )
    share_operation_approve(operation=approved, actor=world.national)
    return done, draft, approved


def build(world, objs):
    a = _side(world, world.coop_tc, objs["person"].a)
    b = _side(world, world.coop_mbour, objs["person"].b)
    objs["share_done"] = Pair(a[0], b[0])
    objs["share_draft"] = Pair(a[1], b[1])
    objs["share_approved"] = Pair(a[2], b[2])


# capital/rules.py: national, agents (area) and the officer manage the register; a
# member reads their cooperative's register and operations lists, not others' statements.
READ = E(200, lender=404, nobody=404)
MANAGE = E(200, lender=404, member=403, nobody=404)
OWN = E(200, lender=404, member=404, nobody=404)  # another person's operation or statement

ENTRIES = [
    # pages
    page("capital:index", expect=E(200)),
    page("capital:register", pk="@cooperative", expect=READ),
    page("capital:statutes", pk="@cooperative", expect=MANAGE),
    page("capital:operations", pk="@cooperative", expect=READ),
    page("capital:operation_create", pk="@cooperative", expect=MANAGE),
    page("capital:statement", pk="@cooperative", person_pk="@person", expect=OWN),
    page("capital:certificate", pk="@cooperative", person_pk="@person", expect=OWN),
    page("capital:operation_detail", pk="@share_draft", expect=OWN),
    page("capital:operation_decide", pk="@share_draft", action="approuver", expect=OWN),
    # API
    api("GET /api/v1/cooperatives/{coop_id}/shares", coop_id="@cooperative", expect=READ),
    api("GET /api/v1/cooperatives/{coop_id}/statutes", coop_id="@cooperative", expect=READ),
    api(
        "PATCH /api/v1/cooperatives/{coop_id}/statutes",
        coop_id="@cooperative",
        body={"share_value": 5000},
        expect=MANAGE,
    ),
    api(
        "GET /api/v1/cooperatives/{coop_id}/share-operations",
        coop_id="@cooperative",
        expect=READ,
    ),
    api(
        "POST /api/v1/cooperatives/{coop_id}/share-operations",
        coop_id="@cooperative",
        body={
            "kind": "subscription",
            "person": "@person",
            "effective_on": "2025-06-01",
            "shares": 1,
        },
        expect=E(201, lender=404, member=403, nobody=404),
    ),
    api("GET /api/v1/share-operations/{op_id}", op_id="@share_draft", expect=OWN),
    api("POST /api/v1/share-operations/{op_id}/approve", op_id="@share_draft", expect=OWN),
    api("POST /api/v1/share-operations/{op_id}/execute", op_id="@share_approved", expect=OWN),
    api(
        "POST /api/v1/share-operations/{op_id}/refuse",
        op_id="@share_draft",
        body={"reason": "Erreur"},
        expect=OWN,
    ),
    api(
        "GET /api/v1/cooperatives/{coop_id}/shares/{person_id}/statement",
        coop_id="@cooperative",
        person_id="@person",
        expect=OWN,
    ),
]
