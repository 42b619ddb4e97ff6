"""Authorization-matrix entries of consulting (accounts/tests/authz.py).

Verified consultants, open support requests and the ESS fund's totals are public by
design: every role, and the anonymous visitor, reads them. The rest belongs to the
network's own roles (organisations' users, consultants, moderators, administrators),
which none of the matrix's programme roles holds: they get 403 on writes of public
objects, 404 on engagements and proposals (never revealed), an empty list of their own.
"""

from accounts.tests.authz import E, api, page
from accounts.tests.factories import UserFactory
from consulting import services
from consulting.tests.conftest import PROFILE
from core import dates

PUBLIC = {"expect": E(200), "anonymous": 200, "leak_check": False}
TODAY = dates.today().isoformat()


def build(world, objs):
    org, admin, owner = objs["net_org"], None, None
    from network.models import NetworkStaff, OrganisationMember

    admin = NetworkStaff.objects.filter(role="admin").first().user
    owner = OrganisationMember.objects.filter(organisation=org, is_owner=True).first().user
    consultant = services.consultant_profile_save(
        actor=UserFactory(username="matrix-consultant"), **PROFILE
    )
    consultant = services.consultant_verify(actor=admin, profile=consultant, decision="verify")
    request = services.support_request_create(
        actor=owner, organisation=org, title="Appui à la gouvernance", description="Un appui."
    )
    proposal = services.proposal_submit(
        actor=consultant.user, request=request, amount=100_000, days=2, message="Proposition."
    )
    engagement = services.engagement_create(
        actor=owner, client=org, consultant=consultant, title="Mission matrice", amount=200_000
    )
    objs["consultant"], objs["support_request"] = consultant, request
    objs["proposal"], objs["engagement"] = proposal, engagement
    objs["amendment"] = services.amendment_propose(
        actor=owner, engagement=engagement, amount=250_000, reason="Une étape de plus."
    )


ENGAGEMENT = {"pk": "@engagement", "method": "POST", "expect": E(404)}

ENTRIES = [
    page("consulting:consultant_list", public=True, **PUBLIC),
    page("consulting:consultant_detail", pk="@consultant", public=True, **PUBLIC),
    page("consulting:request_list", public=True, **PUBLIC),
    page("consulting:request_detail", pk="@support_request", public=True, **PUBLIC),
    page("consulting:ess_fund", public=True, **PUBLIC),
    page("consulting:my_profile", expect=E(200)),
    page("consulting:consultant_moderation", expect=E(403)),
    page(
        "consulting:consultant_verify",
        pk="@consultant",
        method="POST",
        data={"decision": "refuse", "reason": "test"},
        expect=E(403),
    ),
    page("consulting:request_new", expect=E(403)),
    page(
        "consulting:proposal_submit",
        pk="@support_request",
        method="POST",
        data={"amount": "1000", "days": "1", "message": "Je propose."},
        expect=E(403),
    ),
    page("consulting:proposal_accept", pk="@proposal", method="POST", expect=E(404)),
    page("consulting:engagement_list", expect=E(200)),
    page("consulting:engagement_detail", pk="@engagement", expect=E(404)),
    page(
        "consulting:engagement_pay",
        data={"amount": "1000", "phone": "771234567", "provider": "wave"},
        **ENGAGEMENT,
    ),  # fmt: skip
    page(
        "consulting:engagement_record_payment",
        data={"amount": "1000", "paid_on": TODAY},
        **ENGAGEMENT,
    ),  # fmt: skip
    page("consulting:dispute_open", data={"reason": "test"}, **ENGAGEMENT),
    page("consulting:dispute_resolve", data={"resolution": "test"}, **ENGAGEMENT),
    page("consulting:engagement_rate", data={"rating": "5"}, **ENGAGEMENT),
    page(
        "consulting:engagement_amend",
        data={"amount": "260000", "milestones": "", "reason": "test"},
        **ENGAGEMENT,
    ),  # fmt: skip
    page(
        "consulting:amendment_decide",
        amendment_pk="@amendment",
        data={"decision": "accept"},
        **ENGAGEMENT,
    ),  # fmt: skip
    page("consulting:engagement_cancel", data={"reason": "test", "confirm": "on"}, **ENGAGEMENT),
    page(
        "consulting:dispute_refund",
        data={"amount": "1000", "resolution": "test", "confirm": "on"},
        **ENGAGEMENT,
    ),  # fmt: skip
    page(
        "consulting:ess_support_grant",
        method="POST",
        data={
            "kind": "training",
            "organisation": "@net_org",
            "seats": "1",
            "amount": "1",
            "on": TODAY,
            "description": "test",
        },
        expect=E(403),
    ),  # fmt: skip
    api("GET /api/v1/network/consultants", **PUBLIC),
    api("POST /api/v1/network/consultants", body=PROFILE, expect=E(201), leak_check=False),
    api("GET /api/v1/network/consultants/{consultant_id}", consultant_id="@consultant", **PUBLIC),
    api(
        "POST /api/v1/network/consultants/{consultant_id}/verification",
        consultant_id="@consultant",
        body={"decision": "refuse", "reason": "test"},
        expect=E(403),
    ),
    api("GET /api/v1/network/support-requests", **PUBLIC),
    api(
        "POST /api/v1/network/support-requests",
        body={"organisation": "@net_org", "title": "Étude", "description": "Une étude."},
        expect=E(403),
    ),
    api(
        "GET /api/v1/network/support-requests/{request_id}",
        request_id="@support_request",
        **PUBLIC,
    ),
    api(
        "GET /api/v1/network/support-requests/{request_id}/proposals",
        request_id="@support_request",
        expect=E(200),
    ),
    api(
        "POST /api/v1/network/support-requests/{request_id}/proposals",
        request_id="@support_request",
        body={"amount": 1000, "days": 1, "message": "Je propose."},
        expect=E(403),
    ),
    api(
        "POST /api/v1/network/proposals/{proposal_id}/accept",
        proposal_id="@proposal",
        body={},
        expect=E(404),
    ),
    api("GET /api/v1/network/engagements", expect=E(200)),
    api(
        "POST /api/v1/network/engagements",
        body={"client": "@net_org", "consultant": "@consultant", "title": "Étude", "amount": 1000},
        expect=E(403),
    ),  # fmt: skip
    api(
        "GET /api/v1/network/engagements/{engagement_id}",
        engagement_id="@engagement",
        expect=E(404),
    ),
    api(
        "POST /api/v1/network/engagements/{engagement_id}/payments",
        engagement_id="@engagement",
        body={"amount": 1000, "paid_on": TODAY},
        expect=E(404),
    ),
    api(
        "POST /api/v1/network/engagements/{engagement_id}/dispute",
        engagement_id="@engagement",
        body={"reason": "test"},
        expect=E(404),
    ),
    api(
        "POST /api/v1/network/engagements/{engagement_id}/dispute/resolve",
        engagement_id="@engagement",
        body={"resolution": "test"},
        expect=E(404),
    ),
    api(
        "POST /api/v1/network/engagements/{engagement_id}/dispute/refund",
        engagement_id="@engagement",
        body={"amount": 1000, "resolution": "test"},
        expect=E(404),
    ),
    api(
        "POST /api/v1/network/engagements/{engagement_id}/cancel",
        engagement_id="@engagement",
        body={"reason": "test"},
        expect=E(404),
    ),
    api(
        "GET /api/v1/network/engagements/{engagement_id}/amendments",
        engagement_id="@engagement",
        expect=E(404),
    ),
    api(
        "POST /api/v1/network/engagements/{engagement_id}/amendments",
        engagement_id="@engagement",
        body={"amount": 260_000},
        expect=E(404),
    ),
    api(
        "POST /api/v1/network/engagements/{engagement_id}/amendments/{amendment_id}/decision",
        engagement_id="@engagement",
        amendment_id="@amendment",
        body={"decision": "accept"},
        expect=E(404),
    ),
    api(
        "POST /api/v1/network/engagements/{engagement_id}/rating",
        engagement_id="@engagement",
        body={"rating": 5},
        expect=E(404),
    ),
    api("GET /api/v1/network/ess-fund", **PUBLIC),
    api(
        "POST /api/v1/network/ess-fund/supports",
        body={
            "kind": "training",
            "organisation": "@net_org",
            "seats": 1,
            "amount": 1,
            "on": TODAY,
            "description": "test",
        },
        expect=E(403),
    ),  # fmt: skip
]
