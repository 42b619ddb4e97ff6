"""Authorization-matrix entries of training (see accounts/tests/authz.py).

Side A: a session in Koumpentoum and a visit to the Koumpentoum cooperative; side B: the
same in Mbour."""

import datetime

from accounts.tests.authz import E, Pair, api, page
from training import services
from training.tests.factories import certified_trainer, module

DAY = datetime.date(2025, 6, 2)


def _side(world, coop, commune, person, trainer):
    session = services.session_create(
        actor=world.national,
        module=module("start-1-membres-idee"),
        commune=commune,
        starts_on=DAY,
        ends_on=DAY,
        trainers=[trainer],
    )
    services.participant_enrol(actor=world.national, session=session, person=person)
    services.attendance_record(
        actor=world.national, session=session, person=person, day=DAY, present=True
    )
    visit = services.visit_record(
        actor=world.national,
        cooperative=coop,
        visited_on=DAY,
        purpose="Suivi",
        actions=[{"description": "Tenir le registre", "owner": "Bureau", "due_on": DAY}],
        position={"lat": 13.99, "lon": -14.55, "accuracy": 12},
        photo=b"\xff\xd8\xff\xe0" + b"\x00" * 16,  # the first bytes of a JPEG
    )
    return session, visit, visit.actions.get()


def build(world, objs):
    trainer = certified_trainer("think-coop", "start-1-membres-idee", name="Formateur Matrice")
    person = objs["person"]
    a = _side(world, world.coop_tc, world.koumpentoum, person.a, trainer)
    b = _side(world, world.coop_mbour, world.mbour, person.b, trainer)
    for i, name in enumerate(["session", "visit", "action"]):
        objs[name] = Pair(a[i], b[i])
    objs["module"] = module("think-coop")
    objs["trainer"] = trainer


SESSION_IN = {
    "module": "think-coop",
    "commune": "@commune.code",
    "starts_on": "2025-07-01",
    "ends_on": "2025-07-01",
    "trainers": ["@trainer"],
}
VISIT_IN = {"cooperative": "@cooperative", "visited_on": "2025-07-01", "purpose": "Suivi"}

# training/rules.py: national and agents run sessions and visits in their area; the
# officer reads its cooperative's sessions and visits; lender and member see none.
STAFF = E(403, national=200, region=200, department=200)
READ = E(200, lender=404, member=404, nobody=404)
READ_API = E(200, lender=404, member=404, nobody=404)

ENTRIES = [
    # pages
    page("training:session_list", expect=E(200)),
    page("training:session_create", expect=STAFF),
    page("training:session_detail", pk="@session", expect=READ),
    page(
        "training:attendance_sheet",
        pk="@session",
        expect=E(200, officer=403, lender=404, member=404, nobody=404),
    ),
    page("training:attendance_pdf", pk="@session", expect=READ),
    page("training:module_list", expect=E(200)),
    page("training:module_create", expect=E(403, national=200)),
    page("training:module_edit", pk="@module", expect=E(403, national=200)),
    page("training:trainer_list", expect=STAFF),
    page("training:visit_list", expect=E(200)),
    page("training:visit_create", expect=STAFF),
    page("training:visit_detail", pk="@visit", expect=READ),
    page("training:visit_photo", pk="@visit", expect=READ),
    page(
        "training:action_complete",
        method="POST",
        pk="@action",
        data={"done_on": "2025-06-20"},
        expect=E(302, lender=404, member=404, nobody=404),
    ),
    page("training:cooperative_follow_up", pk="@cooperative", expect=READ),
    page("training:worklist", expect=STAFF),
    # API
    api("GET /api/v1/training/sessions", expect=E(200)),
    # The roles that may not create sessions are refused before any lookup (403).
    api(
        "POST /api/v1/training/sessions",
        body=SESSION_IN,
        expect=E(403, national=201, region=201, department=201),
        # out of scope: a commune outside the agent's area; the others are refused by role
        out={"region": 403, "department": 403, "officer": 403, "lender": 403, "member": 403},
    ),
    api("GET /api/v1/training/sessions/{session_id}", session_id="@session", expect=READ_API),
    api(
        "GET /api/v1/training/sessions/{session_id}/participants",
        session_id="@session",
        expect=READ_API,
    ),
    # The officer does not see the person to enrol (not a member of its cooperative).
    api(
        "POST /api/v1/training/sessions/{session_id}/participants",
        session_id="@session",
        body={"person": "@twin"},
        expect=E(404, national=201, region=201, department=201),
    ),
    api(
        "GET /api/v1/training/sessions/{session_id}/attendance",
        session_id="@session",
        expect=READ_API,
    ),
    api(
        "POST /api/v1/training/sessions/{session_id}/attendance",
        session_id="@session",
        body={"person": "@person", "day": "2025-06-02", "present": False},
        expect=E(201, officer=403, lender=404, member=404, nobody=404),
    ),
    api("GET /api/v1/visits", expect=E(200)),
    api(
        "POST /api/v1/visits",
        body=VISIT_IN,
        expect=E(201, officer=403, lender=404, member=403, nobody=404),
    ),
    api("GET /api/v1/visits/{visit_id}", visit_id="@visit", expect=READ_API),
]
