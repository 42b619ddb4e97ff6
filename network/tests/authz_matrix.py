"""Authorization-matrix entries of the network portal (accounts/tests/authz.py).

The portal's data is public by design (approved organisations, their projects and
campaigns): every role, and the anonymous visitor, reads it. Its writes belong to the
network's own roles (organisation accounts, moderators, administrators), which none of
the matrix's programme roles holds: they get 403 (or 404 where the object is theirs
only). A pending registration is seen by moderators only (404 for every role here).
"""

import datetime

from django.utils import timezone

from accounts.tests.authz import E, api, page
from accounts.tests.factories import UserFactory
from core import files
from network import services
from network.models import Campaign, MatchFund, Pledge, StaffRole

PUBLIC = {"expect": E(200), "anonymous": 200, "leak_check": False}


def build(world, objs):
    root = UserFactory(username="matrix-net-root", is_superuser=True)
    admin = UserFactory(username="matrix-net-admin")
    services.staff_assign(actor=root, user=admin, role=StaffRole.ADMIN)
    owner = UserFactory(username="matrix-net-owner")
    org, code = services.organisation_register(
        owner=owner, name="Union des femmes de Kaolack", kind="gie", country="SN",
        city="Kaolack", sectors=["transformation"], email="union@example.org",
    )  # fmt: skip
    services.organisation_verify_contact(organisation=org, code=code)
    services.organisation_moderate(actor=admin, organisation=org, decision="approve")
    services.organisation_file_add(
        actor=owner, organisation=org, kind="statuts",
        file=files.clean_bytes("statuts.pdf", b"%PDF-1.4 statuts", kinds=files.DOCUMENTS,
                               max_bytes=1024),
    )  # fmt: skip
    services.organisation_verify_documents(actor=admin, organisation=org)
    services.organisation_file_add(
        actor=owner, organisation=org, kind="logo",
        file=files.clean_bytes("logo.png", b"\x89PNG\r\n\x1a\n0", kinds=files.IMAGES,
                               max_bytes=1024),
    )  # fmt: skip
    objs["net_file"] = org.files.get(kind="statuts")
    pending, _code = services.organisation_register(
        name="Association en attente", kind="association", country="ML", city="Kayes",
        sectors=["eau"], email="kayes@example.org",
    )  # fmt: skip
    project = services.project_create(
        actor=owner, organisation=org, title="Séchoir solaire", summary="Un séchoir.",
        sector="transformation", stage="idee", budget=1_000_000,
    )  # fmt: skip
    today = timezone.localdate()
    campaign = services.campaign_create(
        actor=owner, project=project, goal=500_000, starts_on=today,
        ends_on=today + datetime.timedelta(days=30), mode="all_or_nothing",
    )  # fmt: skip
    objs["net_org"], objs["net_pending"], objs["net_project"] = org, pending, project
    objs["net_campaign"] = campaign
    objs["net_pledge"] = Pledge.objects.create(
        campaign=campaign, amount=1_000, donor_name="Donatrice", donor_phone="+221771234567",
        provider="wave", token="matrixpledgetoken",
    )  # fmt: skip
    objs["net_fund"] = MatchFund.objects.create(
        sponsor="Fonds matrice", budget=10_000, factor=1, max_per_pledge=1_000,
        max_per_project=5_000,
    )  # fmt: skip
    objs["net_report"] = services.abuse_report_create(
        organisation=org, campaign=campaign, reason="fraud", details="Faux projet ?"
    )
    assert Campaign.objects.filter(pk=campaign.pk).exists()


ORG = {
    "name": "Coopérative matrice",
    "kind": "cooperative",
    "country": "CI",
    "city": "Bouaké",
    "sectors": ["agriculture"],
    "email": "matrice@example.ci",
}
TODAY = datetime.date.today().isoformat()

ENTRIES = [
    page("network:home", public=True, **PUBLIC),
    page("network:organisation_list", public=True, **PUBLIC),
    page("network:organisation_detail", slug="@net_org.slug", public=True, **PUBLIC),
    page("network:project_list", public=True, **PUBLIC),
    page("network:project_detail", slug="@net_project.slug", public=True, **PUBLIC),
    page("network:campaign_list", public=True, **PUBLIC),
    page("network:campaign_detail", pk="@net_campaign", public=True, **PUBLIC),
    page("network:register", public=True, **PUBLIC),
    page("network:verify", slug="@net_pending.slug", public=True, **PUBLIC),
    page("network:pledge_return", token="@net_pledge.token", public=True, **PUBLIC),
    page("sitemap", public=True, **PUBLIC),
    page("robots", public=True, **PUBLIC),
    # A pledge of 0 F: refused on the form (no provider called), whoever sends it.
    page(
        "network:pledge",
        pk="@net_campaign",
        method="POST",
        data={"amount": "0", "donor_name": "X", "donor_phone": "771234567", "provider": "wave"},
        expect=E(400),
        anonymous=400,
        public=True,
        leak_check=False,
    ),
    # Network staff only (none of the programme's roles is).
    page("network:moderation", expect=E(403)),
    page(
        "network:moderate",
        slug="@net_org.slug",
        method="POST",
        data={"decision": "refuse", "reason": "test"},
        expect=E(403),
    ),
    page("network:verify_documents", slug="@net_org.slug", method="POST", expect=E(403)),
    page(
        "network:campaign_close",
        pk="@net_campaign",
        method="POST",
        data={"on": TODAY, "confirm": "on"},
        expect=E(403),
    ),
    page(
        "network:campaign_suspend",
        pk="@net_campaign",
        method="POST",
        data={"reason": "test", "confirm": "on"},
        expect=E(403),
    ),
    page("network:report_decide", pk="@net_report", expect=E(404)),
    # Anyone reports abuse (the form; a report itself is limited per address and hour).
    page("network:report_organisation", slug="@net_org.slug", public=True, **PUBLIC),
    page("network:report_campaign", pk="@net_campaign", public=True, **PUBLIC),
    # An organisation's own pages: not theirs, so missing.
    page("network:project_new", slug="@net_org.slug", expect=E(404)),
    page("network:campaign_new", slug="@net_project.slug", expect=E(404)),
    page("network:fund_detail", pk="@net_fund", expect=E(404)),
    page("network:my_space", expect=E(200)),
    page("network:organisation_files", slug="@net_org.slug", expect=E(404)),
    page("network:organisation_file", pk="@net_file", expect=E(404)),
    page("network:organisation_members", slug="@net_org.slug", expect=E(404)),
    page(
        "network:organisation_members",
        slug="@net_org.slug",
        method="POST",
        data={"username": "matrix-net-owner"},
        expect=E(404),
    ),
    # the campaign is public, posting its news is its organisation's: 403
    page(
        "network:campaign_news",
        pk="@net_campaign",
        method="POST",
        data={"title": "T", "body": "B"},
        expect=E(403),
    ),
    # The logo of a public organisation is public.
    page("network:organisation_logo", slug="@net_org.slug", public=True, **PUBLIC),
    # A new code for a pending registration (anyone: the code is the proof; limited).
    page(
        "network:verify_resend",
        slug="@net_pending.slug",
        method="POST",
        expect=E(302),
        anonymous=302,
        public=True,
        leak_check=False,
    ),
    # The donor's choice if the campaign fails (the pledge's secret link is the proof).
    page(
        "network:pledge_move",
        token="@net_pledge.token",
        method="POST",
        data={"campaign": ""},
        expect=E(302),
        anonymous=302,
        public=True,
        leak_check=False,
    ),
    # Any signed-in partner may follow a project and write to its organisation.
    page(
        "network:project_contact",
        slug="@net_project.slug",
        method="POST",
        data={"body": "Bonjour, nous aimerions vous soutenir."},
        expect=E(302),
    ),
    api("GET /api/v1/network/organisations", **PUBLIC),
    api("POST /api/v1/network/organisations", body=ORG, expect=E(201), anonymous=201),
    api(
        "GET /api/v1/network/organisations/{organisation_id}",
        organisation_id="@net_org",
        **PUBLIC,
    ),
    api(
        "POST /api/v1/network/organisations/{organisation_id}/moderation",
        organisation_id="@net_org",
        body={"decision": "refuse", "reason": "test"},
        expect=E(403),
    ),
    api("GET /api/v1/network/projects", **PUBLIC),
    api(
        "POST /api/v1/network/projects",
        body={
            "organisation": "@net_org",
            "title": "T",
            "summary": "S",
            "sector": "eau",
            "stage": "idee",
            "budget": 1000,
        },  # fmt: skip
        expect=E(403),
    ),
    api("GET /api/v1/network/projects/{project_id}", project_id="@net_project", **PUBLIC),
    api("GET /api/v1/network/campaigns", **PUBLIC),
    api(
        "POST /api/v1/network/campaigns",
        body={
            "project": "@net_project",
            "goal": 1000,
            "starts_on": TODAY,
            "ends_on": TODAY,
            "mode": "keep_it_all",
        },  # fmt: skip
        expect=E(403),
    ),
    api("GET /api/v1/network/campaigns/{campaign_id}", campaign_id="@net_campaign", **PUBLIC),
    api(
        "POST /api/v1/network/campaigns/{campaign_id}/pledges",
        campaign_id="@net_campaign",
        body={"amount": 0, "donor_name": "X", "donor_phone": "771234567", "provider": "wave"},
        expect=E(400),
        anonymous=400,
        leak_check=False,
    ),
    api(
        "POST /api/v1/network/campaigns/{campaign_id}/close",
        campaign_id="@net_campaign",
        body={"on": TODAY},
        expect=E(403),
    ),
    api("GET /api/v1/network/match-funds", expect=E(200)),
    api(
        "POST /api/v1/network/match-funds",
        body={
            "sponsor": "S",
            "budget": 1,
            "factor": "1",
            "max_per_pledge": 1,
            "max_per_project": 1,
            "campaigns": ["@net_campaign"],
        },  # fmt: skip
        expect=E(403),
    ),
    api("GET /api/v1/network/match-funds/{fund_id}", fund_id="@net_fund", expect=E(404)),
    api(
        "POST /api/v1/network/reports",
        body={"organisation": "@net_org", "reason": "spam", "details": "Publicité."},
        expect=E(201),
        anonymous=201,
        leak_check=False,
    ),
    api("GET /api/v1/network/reports", expect=E(403)),
    api("GET /api/v1/network/reports/{report_id}", report_id="@net_report", expect=E(404)),
    api(
        "POST /api/v1/network/reports/{report_id}/decision",
        report_id="@net_report",
        body={"decision": "dismiss", "note": "x"},
        expect=E(404),
    ),
]
