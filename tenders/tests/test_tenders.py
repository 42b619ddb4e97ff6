"""Publishing, documents, questions and answers, late offers refused, the evaluation
grid, conflict of interest, the award with reasons and the notices to every submitter."""

import datetime

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from core.errors import Conflict, Forbidden, NotFound, ValidationFailed
from tenders import selectors, services
from tenders.documents import clean_bytes, clean_upload
from tenders.models import Notice
from tenders.tests.conftest import close, publish, submit

pytestmark = pytest.mark.django_db


def test_publish_needs_weights_summing_to_100(cast):
    with pytest.raises(ValidationFailed) as exc:
        publish(cast, criteria=[("Méthodologie", 60), ("Prix", 30)])
    assert exc.value.code == "weights_not_100" and "90" in str(exc.value.message)
    with pytest.raises(ValidationFailed):
        publish(cast, criteria=[("Méthodologie", 0), ("Prix", 100)])
    tender = publish(cast, criteria=[("Méthodologie", 70), ("Prix", 30)])
    assert [c.weight for c in tender.criteria.all()] == [70, 30]
    assert selectors.tender_status(tender) == "open"


def test_publish_refuses_a_past_deadline_and_a_stranger(cast):
    with pytest.raises(ValidationFailed) as exc:
        publish(cast, days=-1)
    assert exc.value.code == "deadline_past"
    with pytest.raises(Forbidden):
        services.tender_publish(
            actor=cast.user_a, buyer=cast.buyer, buyer_kind="network", title="T",
            description="D", country="SN", sector="sante", criteria=[("A", 100)],
            deadline=timezone.now() + datetime.timedelta(days=3),
        )  # fmt: skip


def test_a_submission_after_the_deadline_is_refused(cast, client, api_client):
    tender = publish(cast)
    late = timezone.now() + datetime.timedelta(days=8)
    with pytest.raises(Conflict) as exc:
        services.submission_submit(
            actor=cast.user_a, tender=tender, organisation=cast.org_a, summary="Trop tard",
            price=1_000, now=late,
        )  # fmt: skip
    assert exc.value.code == "deadline_passed"
    close(tender)
    response = api_client(cast.user_a).post(
        f"/api/v1/network/tenders/{tender.pk}/submissions",
        {"organisation": cast.org_a.pk, "summary": "Trop tard", "price": 1_000},
        content_type="application/json",
    )
    assert response.status_code == 409 and response.json()["code"] == "deadline_passed"
    client.force_login(cast.user_a)
    page = client.post(
        f"/reseau/appels-d-offres/{tender.pk}/offre/",
        {"organisation": cast.org_a.pk, "summary": "Trop tard", "price": 1_000},
    )
    assert page.status_code == 400 and "date limite de dépôt est passée" in page.content.decode()
    assert not tender.submissions.exists()


def test_an_offer_is_replaced_not_doubled_and_the_buyer_cannot_bid(cast):
    tender = publish(cast)
    submit(cast, tender, "a", price=10_000)
    submit(cast, tender, "a", price=8_000)
    assert list(tender.submissions.values_list("price", flat=True)) == [8_000]
    with pytest.raises(Conflict) as exc:
        services.submission_submit(
            actor=cast.buyer_user, tender=tender, organisation=cast.buyer, summary="X", price=1
        )
    assert exc.value.code == "own_tender"
    with pytest.raises(Forbidden):  # acting for another's organisation
        services.submission_submit(
            actor=cast.user_b, tender=tender, organisation=cast.org_a, summary="X", price=1
        )


def test_questions_are_published_with_their_answers_without_the_askers_name(cast, client):
    tender = publish(cast)
    question = services.question_ask(actor=cast.user_a, tender=tender, body="Quelle durée ?")
    url = f"/reseau/appels-d-offres/{tender.pk}/"
    assert "Quelle durée ?" not in client.get(url).content.decode()  # not answered yet
    with pytest.raises(Forbidden):
        services.question_answer(actor=cast.user_b, question=question, answer="Non")
    services.question_answer(actor=cast.buyer_user, question=question, answer="Quatre mois.")
    text = client.get(url).content.decode()
    assert "Quelle durée ?" in text and "Quatre mois." in text and "tn-sub-a" not in text
    close(tender)
    with pytest.raises(Conflict):
        services.question_ask(actor=cast.user_b, tender=tender, body="Encore ?")


def test_documents_are_checked_and_public(cast, client):
    tender = publish(cast)
    with pytest.raises(ValidationFailed) as exc:
        clean_bytes("tdr.pdf", b"MZ\x90\x00 not a pdf")
    assert exc.value.code == "invalid_file"
    with pytest.raises(ValidationFailed) as exc:
        clean_upload(SimpleUploadedFile("tdr.pdf", b"%PDF-" + b"0" * (2 * 1024 * 1024)))
    assert exc.value.code == "too_large"
    doc = services.tender_document_add(
        actor=cast.buyer_user, tender=tender, title="Termes de référence",
        file=clean_bytes("TDR étude cacao.pdf", b"%PDF-1.7 tdr"),
    )  # fmt: skip
    assert doc.filename == "TDR-tude-cacao.pdf"
    response = client.get(f"/reseau/appels-d-offres/{tender.pk}/documents/{doc.pk}/")
    assert response.status_code == 200 and response.content == b"%PDF-1.7 tdr"
    assert response["Content-Type"] == "application/pdf"
    with pytest.raises(Forbidden):
        services.tender_document_add(
            actor=cast.user_a, tender=tender, title="X", file=clean_bytes("x.pdf", b"%PDF-")
        )


def evaluated(cast):
    """A closed call with two offers and a declared evaluator (weights 60/40)."""
    tender = publish(cast)
    a, b = submit(cast, tender, "a"), submit(cast, tender, "b", price=9_000_000)
    services.evaluator_appoint(actor=cast.buyer_user, tender=tender, username="tn-eval")
    close(tender)
    services.evaluator_declare(actor=cast.evaluator, tender=tender, no_conflict=True)
    return tender, a, b


def test_the_grid_weights_each_evaluators_scores(cast):
    tender, a, b = evaluated(cast)
    method, experience = tender.criteria.all()
    services.scores_record(
        actor=cast.evaluator, submission=a, scores={method.pk: 8, experience.pk: 5}
    )
    services.scores_record(
        actor=cast.evaluator, submission=b, scores={method.pk: 6, experience.pk: 9}
    )
    results = selectors.tender_results(actor=cast.buyer_user, tender=tender)
    # A: 60 % x 8/10 + 40 % x 5/10 = 48 + 20 = 68; B: 36 + 36 = 72
    assert [(r["offer"], r["score"]) for r in results] == [(b, 72.0), (a, 68.0)]
    with pytest.raises(ValidationFailed):
        services.scores_record(
            actor=cast.evaluator, submission=a, scores={method.pk: 11, experience.pk: 5}
        )
    with pytest.raises(ValidationFailed):
        services.scores_record(actor=cast.evaluator, submission=a, scores={method.pk: 5})


def test_an_evaluator_declares_after_the_deadline_and_a_submitter_cannot(cast):
    tender = publish(cast)
    submit(cast, tender, "a")
    services.evaluator_appoint(actor=cast.buyer_user, tender=tender, username="tn-sub-a")
    services.evaluator_appoint(actor=cast.buyer_user, tender=tender, username="tn-eval")
    with pytest.raises(Conflict) as exc:
        services.evaluator_declare(actor=cast.evaluator, tender=tender, no_conflict=True)
    assert exc.value.code == "not_yet"
    close(tender)
    with pytest.raises(Conflict) as exc:
        services.evaluator_declare(actor=cast.user_a, tender=tender, no_conflict=True)
    assert exc.value.code == "conflict_of_interest"
    with pytest.raises(ValidationFailed):
        services.evaluator_declare(actor=cast.evaluator, tender=tender, no_conflict=False)
    with pytest.raises(NotFound):
        services.evaluator_declare(actor=cast.outsider, tender=tender, no_conflict=True)
    with pytest.raises(Forbidden):  # undeclared: may not score
        services.scores_record(actor=cast.user_a, submission=tender.submissions.get(), scores={})


def test_the_award_needs_evaluation_and_reasons_and_notifies_every_submitter(cast, client):
    tender, a, b = evaluated(cast)
    with pytest.raises(Conflict) as exc:
        services.tender_award(
            actor=cast.buyer_user, tender=tender, submission=b, reasons="Meilleure"
        )
    assert exc.value.code == "not_evaluated"
    method, experience = tender.criteria.all()
    for offer, marks in ((a, (8, 5)), (b, (6, 9))):
        services.scores_record(
            actor=cast.evaluator, submission=offer,
            scores={method.pk: marks[0], experience.pk: marks[1]},
        )  # fmt: skip
    with pytest.raises(ValidationFailed):
        services.tender_award(actor=cast.buyer_user, tender=tender, submission=b, reasons=" ")
    with pytest.raises(Forbidden):
        services.tender_award(actor=cast.evaluator, tender=tender, submission=b, reasons="X")
    with django_capture_on_commit():
        services.tender_award(
            actor=cast.buyer_user, tender=tender, submission=b,
            reasons="Meilleure note (72/100) et prix le plus bas.",
        )  # fmt: skip
    notices = {n.organisation: n for n in Notice.objects.filter(tender=tender)}
    assert set(notices) == {cast.org_a, cast.org_b}
    assert notices[cast.org_b].won and not notices[cast.org_a].won
    assert "Bureau Niger Conseil" in notices[cast.org_a].body
    assert "72/100" in notices[cast.org_a].body
    assert len(mail.outbox) == 2
    tender.refresh_from_db()
    assert selectors.tender_status(tender) == "awarded"
    with pytest.raises(Conflict) as exc:
        services.tender_award(actor=cast.buyer_user, tender=tender, submission=a, reasons="X")
    assert exc.value.code == "already_awarded"
    client.force_login(cast.user_a)
    page = client.get("/reseau/appels-d-offres/avis/").content.decode()
    assert "offre non retenue" in page and "Bureau Niger Conseil" in page
    client.force_login(cast.outsider)
    assert (
        "Bureau Niger Conseil" not in client.get("/reseau/appels-d-offres/avis/").content.decode()
    )


def django_capture_on_commit():
    from django.test import TestCase

    return TestCase.captureOnCommitCallbacks(execute=True)


def test_the_api_publishes_and_lists(cast, api_client, client):
    deadline = (timezone.now() + datetime.timedelta(days=10)).isoformat()
    body = {
        "buyer": cast.buyer.pk, "buyer_kind": "ministry", "title": "Étude des mutuelles",
        "description": "TDR", "country": "ML", "sector": "sante", "deadline": deadline,
        "criteria": [{"name": "Méthode", "weight": 50}, {"name": "Prix", "weight": 50}],
    }  # fmt: skip
    created = api_client(cast.buyer_user).post(
        "/api/v1/network/tenders", body, content_type="application/json"
    )
    assert created.status_code == 201, created.content
    assert created.json()["status"] == "open"
    refused = api_client(cast.user_a).post(
        "/api/v1/network/tenders", body, content_type="application/json"
    )
    assert refused.status_code == 403
    bad = api_client(cast.buyer_user).post(
        "/api/v1/network/tenders",
        {**body, "criteria": [{"name": "Méthode", "weight": 50}]},
        content_type="application/json",
    )
    assert bad.status_code == 400 and bad.json()["code"] == "weights_not_100"
    listed = client.get("/api/v1/network/tenders").json()["items"]
    assert [t["title"] for t in listed] == ["Étude des mutuelles"]


def test_the_award_page_asks_for_a_confirmation_first(cast, client):
    """The award is final and notifies every submitter: the page refuses it until the
    buyer ticks the confirmation (nothing awarded, no notice), then awards."""
    tender, a, b = evaluated(cast)
    method, experience = tender.criteria.all()
    for offer in (a, b):
        services.scores_record(
            actor=cast.evaluator, submission=offer, scores={method.pk: 7, experience.pk: 7}
        )
    client.force_login(cast.buyer_user)
    url = f"/reseau/appels-d-offres/{tender.pk}/attribution/"
    page = client.get(f"/reseau/appels-d-offres/{tender.pk}/evaluation/").content.decode()
    assert 'name="confirm"' in page
    data = {"submission": str(b.pk), "reasons": "Meilleure note."}
    refused = client.post(url, data)
    assert refused.status_code == 400 and 'name="confirm"' in refused.content.decode()
    tender.refresh_from_db()
    assert tender.award_id is None and not Notice.objects.exists()
    assert client.post(url, {**data, "confirm": "on"}).status_code == 302
    tender.refresh_from_db()
    assert tender.award == b and Notice.objects.count() == 2


def test_a_criterion_scored_twice_is_refused_by_the_service_and_the_page(cast, client):
    """The rule lives in the service: the page (a criterion's field posted twice) and the
    API (tests/test_api_evaluation.py) are refused with the same code, nothing written."""
    from django.urls import reverse

    from tenders.models import Score

    tender, a, _b = evaluated(cast)
    method, experience = tender.criteria.all()
    with pytest.raises(ValidationFailed) as exc:
        services.scores_record(
            actor=cast.evaluator, submission=a,
            scores=[(method.pk, 8), (experience.pk, 5), (method.pk, 2)],
        )  # fmt: skip
    assert (exc.value.code, exc.value.field) == ("invalid", "scores")
    assert str(exc.value.message) == "Un critère noté deux fois."
    client.force_login(cast.evaluator)
    field = f"o{a.pk}-score_"
    posted = f"{field}{method.pk}=8&{field}{experience.pk}=5&{field}{method.pk}=2"
    page = client.post(
        reverse("tenders:scores", args=[a.pk]), posted,
        content_type="application/x-www-form-urlencoded",
    )  # fmt: skip
    assert page.status_code == 400 and "Un critère noté deux fois." in page.content.decode()
    assert not Score.objects.exists()
    services.scores_record(
        actor=cast.evaluator, submission=a, scores=[(method.pk, 8), (experience.pk, 5)]
    )
    assert Score.objects.count() == 2


def test_a_question_of_a_call_not_public_is_not_found_by_an_outsider(cast, client, api_client):
    """question_get is scoped on its own (the tender's questions list's visibility): the
    call of a buyer whose page is not published (back to moderation, as a draft) hides its
    questions, answered or not, from outsiders (404); its buyer still reaches them."""
    from django.urls import reverse

    from network.models import Organisation, OrgStatus

    tender = publish(cast)
    answered = services.question_ask(actor=cast.user_a, tender=tender, body="Quelle durée ?")
    services.question_answer(actor=cast.buyer_user, question=answered, answer="Quatre mois.")
    assert selectors.question_get(actor=cast.outsider, pk=answered.pk) == answered  # public
    Organisation.objects.filter(pk=cast.buyer.pk).update(status=OrgStatus.CHANGES)
    for actor in (cast.outsider, cast.user_a, None):  # the asker too: the call is hidden
        with pytest.raises(NotFound):
            selectors.question_get(actor=actor, pk=answered.pk)
    assert selectors.question_get(actor=cast.buyer_user, pk=answered.pk) == answered
    assert selectors.question_get(actor=cast.admin, pk=answered.pk) == answered
    client.force_login(cast.outsider)
    page = client.post(reverse("tenders:question_answer", args=[answered.pk]), {"answer": "Non."})
    assert page.status_code == 404
    api = api_client(cast.outsider).post(
        f"/api/v1/network/tenders/questions/{answered.pk}/answer", {"answer": "Non."},
        content_type="application/json",
    )  # fmt: skip
    assert api.status_code == 404
