"""Authorization-matrix entries of networkgov (accounts/tests/authz.py). The list of members
in good standing is public by design (names only). None of the programme's roles is an
organisation's account or a network administrator: the membership pages and the lists of
assemblies and consultations are refused (403), an assembly, a resolution, a membership
or a consultation is not found (404). The API answers the same; the lists of memberships
and standings are the caller's own (empty for them: 200), joining for another's
organisation is forbidden (403)."""

import datetime

from accounts.tests.authz import E, api, page
from accounts.tests.factories import UserFactory
from core import dates
from network import services as net
from network.models import StaffRole
from networkgov import services
from tenders.tests.conftest import approved_org


def build(world, objs):
    root = UserFactory(username="matrix-ng-root", is_superuser=True)
    admin = UserFactory(username="matrix-ng-admin")
    net.staff_assign(actor=root, user=admin, role=StaffRole.ADMIN)
    owner = UserFactory(username="matrix-ng-owner")
    org = approved_org(owner, admin, name="Union matrice du réseau")
    services.tariff_set(actor=admin, kind="association", size="small", amount=20_000)
    today = dates.today()
    objs["ng_org"] = org
    objs["ng_membership"] = services.membership_join(
        actor=owner, organisation=org, size="small", today=today
    )
    assembly = services.assembly_convene(
        actor=admin, title="Assemblée matrice", kind="ordinaire", held_on=today,
        notice_sent_on=today - datetime.timedelta(days=30), place="Dakar", agenda="Budget",
        today=today,
    )  # fmt: skip
    objs["ng_assembly"] = assembly
    objs["ng_resolution"] = services.resolution_add(actor=admin, assembly=assembly, title="R")
    objs["ng_consultation"] = services.consultation_open(
        actor=admin, title="Consultation matrice", question="Q ?", opens_on=today,
        closes_on=today, options=["Oui", "Non"], today=today,
    )  # fmt: skip


ORG = {"organisation": 1}

ENTRIES = [
    page("networkgov:index", public=True, expect=E(200), anonymous=200, leak_check=False),
    page("networkgov:membership", expect=E(403)),
    page("networkgov:join", method="POST", data={"size": "small", "year": 2026}, expect=E(403)),
    page(
        "networkgov:pay",
        pk="@ng_membership",
        method="POST",
        data={"amount": 1000, "phone": "770000000", "provider": "wave"},
        expect=E(404),
    ),
    page("networkgov:arrears", expect=E(403)),
    page("networkgov:tariffs", expect=E(403)),
    page("networkgov:assembly_list", expect=E(403)),
    page("networkgov:assembly_new", expect=E(403)),
    page("networkgov:assembly_detail", pk="@ng_assembly", expect=E(404)),
    page(
        "networkgov:resolution_add",
        pk="@ng_assembly",
        method="POST",
        data={"title": "R2"},
        expect=E(404),
    ),
    page(
        "networkgov:delegate",
        pk="@ng_assembly",
        method="POST",
        data={**ORG, "username": "x"},
        expect=E(404),
    ),
    page("networkgov:assembly_close", pk="@ng_assembly", method="POST", data={}, expect=E(404)),
    page("networkgov:minutes", pk="@ng_assembly", expect=E(404)),
    page(
        "networkgov:vote",
        pk="@ng_resolution",
        method="POST",
        data={**ORG, "choice": "for"},
        expect=E(404),
    ),
    page("networkgov:consultation_list", expect=E(403)),
    page("networkgov:consultation_new", expect=E(403)),
    page("networkgov:consultation_detail", pk="@ng_consultation", expect=E(404)),
    page(
        "networkgov:answer",
        pk="@ng_consultation",
        method="POST",
        data={**ORG, "option": "Oui"},
        expect=E(404),
    ),
    api("GET /api/v1/network/membership", expect=E(200)),
    api(
        "POST /api/v1/network/membership",
        body={"organisation": "@ng_org", "size": "small"},
        expect=E(403),
    ),
    api("GET /api/v1/network/membership/standing", expect=E(200)),
    api(
        "GET /api/v1/network/membership/members",
        expect=E(200),
        anonymous=200,
        leak_check=False,
    ),
    api(
        "GET /api/v1/network/membership/{membership_id}",
        membership_id="@ng_membership",
        expect=E(404),
    ),
    api(
        "POST /api/v1/network/membership/{membership_id}/payments",
        membership_id="@ng_membership",
        body={"amount": 1000, "phone": "770000000", "provider": "wave"},
        expect=E(404),
    ),
    api("GET /api/v1/network/assemblies", expect=E(403)),
    api("GET /api/v1/network/assemblies/{assembly_id}", assembly_id="@ng_assembly", expect=E(404)),
    api(
        "GET /api/v1/network/assemblies/{assembly_id}/results",
        assembly_id="@ng_assembly",
        expect=E(404),
    ),
    api(
        "POST /api/v1/network/assemblies/{assembly_id}/resolutions/{resolution_id}/votes",
        assembly_id="@ng_assembly",
        resolution_id="@ng_resolution",
        body={"organisation": "@ng_org", "choice": "for"},
        expect=E(404),
    ),
    api("GET /api/v1/network/consultations", expect=E(403)),
    api(
        "GET /api/v1/network/consultations/{consultation_id}",
        consultation_id="@ng_consultation",
        expect=E(404),
    ),
    api(
        "POST /api/v1/network/consultations/{consultation_id}/answers",
        consultation_id="@ng_consultation",
        body={"organisation": "@ng_org", "option": "Oui"},
        expect=E(404),
    ),
    api(
        "GET /api/v1/network/consultations/{consultation_id}/results",
        consultation_id="@ng_consultation",
        expect=E(404),
    ),
]
