"""Authorization-matrix entries of the offline sync (see accounts/tests/authz.py).

Side A: a conflict on a Koumpentoum person (pushed by the Tambacounda agent); side B: the
same on a Mbour person (pushed by the Mbour agent)."""

import uuid

from accounts.tests.authz import E, Pair, api, page
from sync.models import PushedRecord
from sync.services import records_push


def _conflict(agent, person):
    [result] = records_push(
        actor=agent,
        device="matrix",
        records=[
            {
                "uuid": str(uuid.uuid5(uuid.NAMESPACE_URL, f"matrix-conflict-{person.pk}")),
                "kind": "person",
                "base_version": "stale",
                "data": {"id": person.pk, "phone": "770000009"},
            }
        ],
    )
    return PushedRecord.objects.get(uuid=result["uuid"])


def build(world, objs):
    person = objs["person"]
    objs["conflict"] = Pair(
        _conflict(world.agent_tc, person.a), _conflict(world.agent_mbour, person.b)
    )


SUPERVISORS = E(403, national=200, region=200, department=200)
NOT_SUPERVISORS = {"officer": 403, "lender": 403, "member": 403}
VISIT = {
    "uuid": "3f2b8a6e-1c1d-4c6e-9a55-0d5f1e2a7b10",
    "kind": "visit",
    "base_version": None,
    "data": {"cooperative": "@cooperative", "visited_on": "2025-07-01", "purpose": "Suivi"},
}

ENTRIES = [
    # The installable app: public files (no data), and the field page's shell (its data
    # comes from the pull, scoped).
    page("manifest", expect=E(200), anonymous=200, public=True),
    page("service_worker", expect=E(200), anonymous=200, public=True),
    page("sync:field", expect=E(200)),
    page("sync:conflict_list", expect=SUPERVISORS),
    page("sync:conflict_detail", pk="@conflict", expect=SUPERVISORS, out=NOT_SUPERVISORS),
    # Each role pulls its own scope (nobody: an empty pull).
    api("GET /api/v1/sync/pull", expect=E(200)),
    # Every signed-in user has the key of their own device's records (random bytes).
    api("GET /api/v1/sync/key", expect=E(200)),
    # The push answers 200 with each record's status (a visit outside the scope is
    # "rejected" inside a 200); a user with no role may not push at all.
    api(
        "POST /api/v1/sync/push",
        body={"records": [VISIT]},
        expect=E(200, nobody=403),
        out={"region": 200, "department": 200, "officer": 200, "lender": 200, "member": 200},
    ),
]
