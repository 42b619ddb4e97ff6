"""Authorization-matrix entries of mediation. None of the programme's roles is a party, a
mediator or a network administrator: the file is missing (404) for all of them, the
administrators' pages and API operations forbidden (403); the list of one's own cases
is empty (200); filing for another's organisation is forbidden (403)."""

from accounts.tests.authz import E, api, page
from accounts.tests.factories import UserFactory
from mediation import services
from network import services as net
from network.models import StaffRole


def build(world, objs):
    root = UserFactory(username="matrix-md-root", is_superuser=True)
    admin = UserFactory(username="matrix-md-admin")
    net.staff_assign(actor=root, user=admin, role=StaffRole.ADMIN)
    orgs = []
    for name in ("Union matrice A", "Union matrice B"):
        owner = UserFactory(username=f"matrix-md-{len(orgs)}")
        org, code = net.organisation_register(
            owner=owner, name=name, kind="gie", country="SN", city="Dakar",
            sectors=["commerce"], email=f"{owner.username}@example.org",
        )  # fmt: skip
        net.organisation_verify_contact(organisation=org, code=code)
        net.organisation_moderate(actor=admin, organisation=org, decision="approve")
        org.refresh_from_db()
        orgs.append((org, owner))
    mediator_user = UserFactory(username="matrix-md-mediator")
    objs["md_mediator"] = services.mediator_add(actor=admin, username=mediator_user.username)
    objs["md_org_a"], objs["md_org_b"] = orgs[0][0], orgs[1][0]
    objs["md_case"] = services.case_file(
        actor=orgs[0][1], complainant=orgs[0][0], respondent=orgs[1][0], category="contract",
        subject="Différend matrice", description="Faits confidentiels.",
    )  # fmt: skip


ENTRIES = [
    page("mediation:list", expect=E(200)),
    page("mediation:new", expect=E(403)),
    page("mediation:detail", pk="@md_case", expect=E(404)),
    page("mediation:entry_add", pk="@md_case", method="POST", data={"body": "X"}, expect=E(404)),
    page(
        "mediation:close",
        pk="@md_case",
        method="POST",
        data={"outcome": "agreement", "summary": "X"},
        expect=E(404),
    ),
    page("mediation:queue", expect=E(403)),
    page("mediation:appoint", pk="@md_case", method="POST", data={}, expect=E(403)),
    page("mediation:statistics", expect=E(403)),
    api("GET /api/v1/network/mediations", expect=E(200)),
    api(
        "POST /api/v1/network/mediations",
        body={
            "complainant": "@md_org_a",
            "respondent": "@md_org_b",
            "category": "contract",
            "subject": "S",
            "description": "D",
        },
        expect=E(403),
    ),  # fmt: skip
    api("GET /api/v1/network/mediations/{case_id}", case_id="@md_case", expect=E(404)),
    api("GET /api/v1/network/mediations/{case_id}/timeline", case_id="@md_case", expect=E(404)),
    api(
        "POST /api/v1/network/mediations/{case_id}/timeline",
        case_id="@md_case",
        body={"body": "X"},
        expect=E(404),
    ),
    api(
        "POST /api/v1/network/mediations/{case_id}/close",
        case_id="@md_case",
        body={"outcome": "agreement", "summary": "X"},
        expect=E(404),
    ),
    api("GET /api/v1/network/mediations/queue", expect=E(403)),
    api("GET /api/v1/network/mediators", expect=E(403)),
    api("POST /api/v1/network/mediators", body={"username": "nobody"}, expect=E(403)),
    api(
        "POST /api/v1/network/mediations/{case_id}/mediator",
        case_id="@md_case",
        body={"mediator": "@md_mediator"},
        expect=E(403),
    ),
    api("GET /api/v1/network/mediations/statistics", expect=E(403)),
]
