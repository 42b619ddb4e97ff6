"""Authorization-matrix entries of the calls for tenders (accounts/tests/authz.py).

The calls, their documents and answered questions are public by design. None of the
programme's roles holds a network role: they may ask a question (any signed-in user), and
get 403 on the buyer's and submitters' writes, 404 on the evaluation (its evaluators,
declaration, scores, results and award, through the pages and the API) and on any offer
(sealed: an offer is never revealed, not even as "forbidden"). The network's roles are
tried on the seal in tests/test_api_sealed_roles.py."""

import datetime

from django.utils import timezone

from accounts.tests.authz import E, api, page
from accounts.tests.factories import UserFactory
from network import services as net
from network.models import StaffRole
from tenders import services
from tenders.documents import clean_bytes

PUBLIC = {"expect": E(200), "anonymous": 200, "leak_check": False}


def build(world, objs):
    root = UserFactory(username="matrix-tn-root", is_superuser=True)
    admin = UserFactory(username="matrix-tn-admin")
    net.staff_assign(actor=root, user=admin, role=StaffRole.ADMIN)
    buyer_user, bidder = (
        UserFactory(username="matrix-tn-buyer"),
        UserFactory(username="matrix-tn-bid"),
    )
    orgs = []
    for user, name in ((buyer_user, "Réseau matrice"), (bidder, "Cabinet matrice")):
        org, code = net.organisation_register(
            owner=user, name=name, kind="reseau", country="SN", city="Dakar",
            sectors=["sante"], email=f"{user.username}@example.org",
        )  # fmt: skip
        net.organisation_verify_contact(organisation=org, code=code)
        net.organisation_moderate(actor=admin, organisation=org, decision="approve")
        org.refresh_from_db()
        orgs.append(org)
    tender = services.tender_publish(
        actor=buyer_user, buyer=orgs[0], buyer_kind="network", title="Étude matrice",
        description="TDR", country="SN", sector="sante", criteria=[("Méthode", 100)],
        deadline=timezone.now() + datetime.timedelta(days=5),
    )  # fmt: skip
    doc = services.tender_document_add(
        actor=buyer_user, tender=tender, title="TDR", file=clean_bytes("tdr.pdf", b"%PDF-1 x")
    )
    question = services.question_ask(actor=bidder, tender=tender, body="Durée ?")
    services.question_answer(actor=buyer_user, question=question, answer="Trois mois.")
    offer = services.submission_submit(
        actor=bidder, tender=tender, organisation=orgs[1], summary="Offre matrice", price=5_000,
        file=clean_bytes("offre.pdf", b"%PDF-1 offre"),
    )  # fmt: skip
    objs.update(tn_tender=tender, tn_doc=doc, tn_question=question, tn_offer=offer)
    objs.update(tn_buyer=orgs[0], tn_bidder=orgs[1])


TENDER = {
    "buyer": "@tn_buyer",
    "buyer_kind": "network",
    "title": "T",
    "description": "D",
    "country": "SN",
    "sector": "sante",
    "deadline": "2099-01-01T10:00:00Z",
    "criteria": [{"name": "A", "weight": 100}],
}

ENTRIES = [
    page("tenders:list", public=True, **PUBLIC),
    page("tenders:detail", pk="@tn_tender", public=True, **PUBLIC),
    page("tenders:document", pk="@tn_tender", doc="@tn_doc", public=True, **PUBLIC),
    page("tenders:new", expect=E(403)),
    page("tenders:notices", expect=E(200)),
    page(
        "tenders:document_add",
        pk="@tn_tender",
        method="POST",
        data={"title": "X"},
        expect=E(403),
    ),
    page(
        "tenders:question_ask",
        pk="@tn_tender",
        method="POST",
        data={"body": "Une question ?"},
        expect=E(302),
    ),
    page(
        "tenders:question_answer",
        pk="@tn_question",
        method="POST",
        data={"answer": "Non."},
        expect=E(403),
    ),
    page(
        "tenders:submit",
        pk="@tn_tender",
        method="POST",
        data={"summary": "X", "price": "1"},
        expect=E(403),
    ),
    page("tenders:submission_file", pk="@tn_offer", expect=E(404)),
    page("tenders:scores", pk="@tn_offer", method="POST", data={}, expect=E(404)),
    page("tenders:evaluation", pk="@tn_tender", expect=E(404)),
    page(
        "tenders:evaluator_appoint",
        pk="@tn_tender",
        method="POST",
        data={"username": "x"},
        expect=E(404),
    ),
    page("tenders:declare", pk="@tn_tender", method="POST", data={}, expect=E(404)),
    page("tenders:award", pk="@tn_tender", method="POST", data={}, expect=E(404)),
    api("GET /api/v1/network/tenders", **PUBLIC),
    api("POST /api/v1/network/tenders", body=TENDER, expect=E(403)),
    api("GET /api/v1/network/tenders/{tender_id}", tender_id="@tn_tender", **PUBLIC),
    api(
        "GET /api/v1/network/tenders/{tender_id}/submissions",
        tender_id="@tn_tender",
        expect=E(200),
    ),
    api(
        "POST /api/v1/network/tenders/{tender_id}/submissions",
        tender_id="@tn_tender",
        body={"organisation": "@tn_bidder", "summary": "X", "price": 1},
        expect=E(403),
    ),
    api("GET /api/v1/network/tenders/{tender_id}/questions", tender_id="@tn_tender", **PUBLIC),
    api(
        "POST /api/v1/network/tenders/{tender_id}/questions",
        tender_id="@tn_tender",
        body={"body": "Une question ?"},
        expect=E(201),
    ),
    api(
        "POST /api/v1/network/tenders/questions/{question_id}/answer",
        question_id="@tn_question",
        body={"answer": "Non."},
        expect=E(403),
    ),
    api(
        "GET /api/v1/network/tenders/{tender_id}/evaluators", tender_id="@tn_tender", expect=E(404)
    ),
    api(
        "POST /api/v1/network/tenders/{tender_id}/evaluators",
        tender_id="@tn_tender",
        body={"username": "matrix-tn-admin"},
        expect=E(404),
    ),
    api(
        "POST /api/v1/network/tenders/{tender_id}/declaration",
        tender_id="@tn_tender",
        body={"no_conflict": True},
        expect=E(404),
    ),
    api(
        "POST /api/v1/network/tenders/{tender_id}/submissions/{submission_id}/scores",
        tender_id="@tn_tender",
        submission_id="@tn_offer",
        body={"scores": [{"criterion": 1, "score": 5}]},
        expect=E(404),
    ),
    api("GET /api/v1/network/tenders/{tender_id}/results", tender_id="@tn_tender", expect=E(404)),
    api(
        "POST /api/v1/network/tenders/{tender_id}/award",
        tender_id="@tn_tender",
        body={"submission": "@tn_offer", "reasons": "Motifs"},
        expect=E(404),
    ),
    api("GET /api/v1/network/tenders/notices", expect=E(200)),
]
