"""Authorization-matrix entries of the registry (see accounts/tests/authz.py)."""

import datetime

from accounts.tests.authz import E, Pair, api, page
from registry.corrections import correction_request_create
from registry.models import Sector
from registry.services import employment_record, member_admit, person_create

ON = datetime.date(2025, 4, 1)


def _member(world, coop, commune, first, last):
    person = person_create(
        actor=world.national,
        first_name=first,
        last_name=last,
        sex="F",
        birth_date=datetime.date(1990, 1, 1),
        commune=commune,
    )
    membership = member_admit(actor=world.national, cooperative=coop, person=person, joined_on=ON)
    return person, membership


def build(world, objs):
    a = _member(world, world.coop_tc, world.koumpentoum, "Aminata", "Tokalpha")
    b = _member(world, world.coop_mbour, world.mbour, "Binta", "Tokbeta")
    _member(world, world.coop_thies, world.thies, "Coumba", "Tokgamma")
    twins = [  # a likely duplicate of each side's person, not a member
        person_create(
            actor=world.national,
            first_name=first,
            last_name=last,
            sex="F",
            birth_date=datetime.date(1990, 1, 1),
            commune=commune,
        )
        for commune, first, last in [
            (world.koumpentoum, "Aminata", "Tokalpha"),
            (world.mbour, "Binta", "Tokbeta"),
        ]
    ]
    jobs = [
        employment_record(
            actor=world.national,
            cooperative=coop,
            person=person,
            job_title="Tisserande",
            contract_type="cdi",
            started_on=ON,
        )
        for coop, person in [(world.coop_tc, a[0]), (world.coop_mbour, b[0])]
    ]
    objs["commune"] = Pair(world.koumpentoum, world.mbour)
    objs["cooperative"] = Pair(world.coop_tc, world.coop_mbour)
    objs["person"] = Pair(a[0], b[0])
    objs["twin"] = Pair(*twins)
    objs["comember"] = Pair(world.persons_tc[1], world.persons_mbour[1])  # other members
    objs["membership"] = Pair(a[1], b[1])
    objs["employment"] = Pair(*jobs)
    objs["sector"] = Sector.objects.order_by("id").first()
    objs["correction"] = Pair(
        *[
            correction_request_create(
                actor=world.national,
                person=person,
                received_on=ON,
                channel="in_person",
                changes={"first_name": f"{person.first_name}e"},
            )
            for person in (a[0], b[0])
        ]
    )


COOPERATIVE_IN = {
    "name": "Coopérative nouvelle",
    "legal_form": "SCOOPS",
    "commune": "@commune.code",
    "sector": "@sector.code",
    "value_chain_stage": "production",
}
PERSON_IN = {
    "first_name": "Nouvelle",
    "last_name": "Personne",
    "sex": "F",
    "birth_date": "1990-01-01",
    "commune": "@commune.code",
}

# Who may do what (registry/rules.py): national and agents manage the registry in their
# area; an officer reads and manages members and jobs of their own cooperative; a member
# reads their cooperative; a lender sees no cooperative or person outside its loans.
READ_COOP = E(200, lender=404, nobody=404)
STAFF_ONLY = E(403, national=200, region=200, department=200)
EDIT_COOP = E(200, officer=403, lender=404, member=403, nobody=404)
MEMBERS = E(200, lender=404, member=403, nobody=404)
READ_PERSON = E(200, lender=404, member=404, nobody=404)
CORRECTION_IN = {
    "received_on": "2026-03-02",
    "channel": "phone",
    "changes": {"last_name": "Corrigée"},
}
CORRECTION_FORM = {
    "received_on": "2026-03-02",
    "channel": "phone",
    "asked_by": "self",
    "first_name": "@person.first_name",
    "last_name": "Corrigée",
    "sex": "F",
    "birth_date": "1990-01-01",
    "commune": "@commune",
}
CREATE_OUTSIDE = {"region": 403, "department": 403, "officer": 403, "lender": 403, "member": 403}

ENTRIES = [
    # pages
    page("registry:cooperative_list", expect=E(200)),
    page("registry:cooperative_export", fmt="csv", expect=E(200)),
    page("registry:cooperative_create", expect=STAFF_ONLY),
    page("registry:cooperative_detail", pk="@cooperative", expect=READ_COOP),
    page("registry:cooperative_edit", pk="@cooperative", expect=EDIT_COOP),
    page("registry:cooperative_stage", pk="@cooperative", expect=EDIT_COOP),
    page("registry:member_admit", pk="@cooperative", expect=MEMBERS),
    page(
        "registry:member_leave",
        pk="@cooperative",
        membership_pk="@membership",
        expect=MEMBERS,
    ),
    page(
        "registry:member_role",
        pk="@cooperative",
        membership_pk="@membership",
        expect=MEMBERS,
    ),
    page("registry:employment_record", pk="@cooperative", expect=MEMBERS),
    page(
        "registry:employment_end",
        pk="@cooperative",
        employment_pk="@employment",
        expect=MEMBERS,
    ),
    page("registry:person_list", expect=E(200)),
    page("registry:person_export", fmt="csv", expect=E(200)),
    page("registry:person_create", expect=E(200, lender=403, member=403, nobody=403)),
    page("registry:duplicate_list", expect=STAFF_ONLY),
    page("registry:person_detail", pk="@person", expect=READ_PERSON),
    page("registry:person_edit", pk="@person", expect=READ_PERSON),
    # The officer does not see the likely duplicate (not a member of their cooperative).
    page(
        "registry:person_merge",
        pk="@person",
        duplicate_pk="@twin",
        expect=E(404, national=200, region=200, department=200),
    ),
    page(
        "registry:duplicate_dismiss",
        pk="@person",
        other_pk="@twin",
        expect=E(404, national=200, region=200, department=200),
    ),
    page(
        "registry:duplicate_dismiss",
        pk="@person",
        other_pk="@twin",
        method="POST",
        data={"reason": "Deux CNI différentes vues"},
        expect=E(404, national=302, region=302, department=302),
    ),
    # API
    api("GET /api/v1/cooperatives", expect=E(200)),
    api(
        "POST /api/v1/cooperatives",
        body=COOPERATIVE_IN,
        expect=E(403, national=201, region=201, department=201),
        out=CREATE_OUTSIDE,  # a commune outside the caller's area
    ),
    api("GET /api/v1/cooperatives/{coop_id}", coop_id="@cooperative", expect=READ_COOP),
    api(
        "PATCH /api/v1/cooperatives/{coop_id}",
        coop_id="@cooperative",
        body={"phone": ""},
        expect=EDIT_COOP,
    ),
    api(
        "POST /api/v1/cooperatives/{coop_id}/stage",
        coop_id="@cooperative",
        body={"stage": "en_constitution", "on": "2025-05-01"},
        expect=EDIT_COOP,
    ),
    api("GET /api/v1/cooperatives/{coop_id}/members", coop_id="@cooperative", expect=READ_COOP),
    # The officer and the member do not see the person to admit (not yet a member).
    api(
        "POST /api/v1/cooperatives/{coop_id}/members",
        coop_id="@cooperative",
        body={"person": "@twin", "joined_on": "2025-05-01"},
        expect=E(404, national=201, region=201, department=201),
    ),
    api("GET /api/v1/persons", expect=E(200)),
    api(
        "POST /api/v1/persons",
        body=PERSON_IN,
        expect=E(201, lender=403, member=403, nobody=403),
        out=CREATE_OUTSIDE,  # a commune outside the caller's area
    ),
    api("GET /api/v1/persons/{person_id}", person_id="@person", expect=READ_PERSON),
    # A person's own data (issue 14, point 5): the same scope as the person.
    api("GET /api/v1/persons/{person_id}/personal-data", person_id="@person", expect=READ_PERSON),
    page("registry:person_personal_data", pk="@person", fmt="json", expect=READ_PERSON),
    # An empty file: the allowed roles get its report (400), the others 403.
    api(
        "POST /api/v1/imports/{kind}",
        kind="persons",
        files={"file": ("personnes.csv", b"prenom;nom\n")},
        body={"dry_run": "true"},
        expect=E(403, national=400, region=400, department=400),
    ),
    # Correction requests (law 2008-12, registry/corrections.py): seen with the person,
    # recorded and decided by whoever may edit the person.
    page("registry:correction_list", expect=E(200)),
    page("registry:correction_create", pk="@person", expect=READ_PERSON),
    page(
        "registry:correction_create",
        pk="@person",
        method="POST",
        data=CORRECTION_FORM,
        expect=E(302, lender=404, member=404, nobody=404),
    ),
    page("registry:correction_detail", pk="@correction", expect=READ_PERSON),
    page(
        "registry:correction_detail",
        pk="@correction",
        method="POST",
        data={"outcome": "accepted", "confirm": "1"},
        expect=E(302, lender=404, member=404, nobody=404),
    ),
    api("GET /api/v1/correction-requests", expect=E(200)),
    api(
        "GET /api/v1/correction-requests/{correction_id}",
        correction_id="@correction",
        expect=READ_PERSON,
    ),
    api(
        "POST /api/v1/correction-requests/{correction_id}/decision",
        correction_id="@correction",
        body={"outcome": "refused", "reason": "Pièce non présentée"},
        expect=READ_PERSON,
    ),
    api(
        "GET /api/v1/persons/{person_id}/correction-requests",
        person_id="@person",
        expect=READ_PERSON,
    ),
    api(
        "POST /api/v1/persons/{person_id}/correction-requests",
        person_id="@person",
        body=CORRECTION_IN,
        expect=E(201, lender=404, member=404, nobody=404),
    ),
]
