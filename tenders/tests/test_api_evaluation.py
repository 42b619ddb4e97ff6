"""The API of questions and answers, evaluation and award (docs/api.md, "Network portal"):
the whole path through /api/v1/, and hostile input refused with its code, nothing
written."""

import pytest
from django.core import mail
from django.test import Client

from tenders.models import Evaluator, Notice, Question, Score
from tenders.tests.conftest import close, publish, submit
from tenders.tests.test_tenders import django_capture_on_commit

pytestmark = pytest.mark.django_db
JSON = "application/json"


def post(api, url, body):
    return api.post(url, body, content_type=JSON)


def grid(tender, *marks):
    """Scores for the first ``len(marks)`` criteria of the grid."""
    pairs = zip(tender.criteria.all(), marks, strict=False)
    return {"scores": [{"criterion": c.pk, "score": m} for c, m in pairs]}


def test_a_question_is_asked_answered_and_published_without_the_asker(cast, api_client):
    tender = publish(cast)
    base = f"/api/v1/network/tenders/{tender.pk}/questions"
    asked = post(api_client(cast.user_a), base, {"body": "Quelle durée pour l'étude ?"})
    assert asked.status_code == 201, asked.content
    question_id = asked.json()["id"]
    assert Client().get(base).json()["items"] == []  # not published before its answer
    waiting = api_client(cast.buyer_user).get(base).json()["items"]
    assert [(q["id"], q["answered"]) for q in waiting] == [(question_id, False)]
    answer_url = f"/api/v1/network/tenders/questions/{question_id}/answer"
    refused = post(api_client(cast.user_b), answer_url, {"answer": "Six mois."})
    assert refused.status_code == 404  # an unanswered question is not visible to others
    answered = post(api_client(cast.buyer_user), answer_url, {"answer": "Quatre mois."})
    assert answered.status_code == 200 and answered.json()["answered"] is True
    for api in (Client(), api_client(cast.user_b), api_client(cast.outsider)):
        response = api.get(base)
        [row] = response.json()["items"]
        assert (row["body"], row["answer"]) == ("Quelle durée pour l'étude ?", "Quatre mois.")
        assert "tn-sub-a" not in response.content.decode()
        assert str(cast.user_a.pk) not in {str(v) for v in row.values()}
    assert post(api_client(cast.user_b), answer_url, {"answer": "Non."}).status_code == 403
    close(tender)
    late = post(api_client(cast.user_b), base, {"body": "Encore une question ?"})
    assert (late.status_code, late.json()["code"]) == (409, "deadline_passed")
    assert Client().post(base, {"body": "?"}, content_type=JSON).status_code == 401
    assert Question.objects.count() == 1


@pytest.fixture
def closed(cast, api_client):
    """Two offers, an evaluator named through the API, the deadline passed."""
    tender = publish(cast)
    offers = submit(cast, tender, "a"), submit(cast, tender, "b", price=9_000_000)
    base = f"/api/v1/network/tenders/{tender.pk}"
    named = post(api_client(cast.buyer_user), f"{base}/evaluators", {"username": "tn-eval"})
    assert named.status_code == 201 and named.json()["declared"] is False
    early = post(api_client(cast.evaluator), f"{base}/declaration", {"no_conflict": True})
    assert (early.status_code, early.json()["code"]) == (409, "not_yet")
    close(tender)
    return tender, offers, base


def test_evaluation_and_award_through_the_api(cast, api_client, closed):
    tender, (a, b), base = closed
    evaluator, buyer = api_client(cast.evaluator), api_client(cast.buyer_user)
    undeclared = post(evaluator, f"{base}/submissions/{a.pk}/scores", grid(tender, 8, 5))
    assert (undeclared.status_code, undeclared.json()["code"]) == (403, "not_declared")
    post(buyer, f"{base}/evaluators", {"username": "tn-sub-a"})
    conflicted = post(api_client(cast.user_a), f"{base}/declaration", {"no_conflict": True})
    assert (conflicted.status_code, conflicted.json()["code"]) == (409, "conflict_of_interest")
    unticked = post(evaluator, f"{base}/declaration", {"no_conflict": False})
    assert (unticked.status_code, unticked.json()["code"]) == (400, "required")
    declared = post(evaluator, f"{base}/declaration", {"no_conflict": True})
    assert declared.status_code == 200 and declared.json()["declared"] is True
    assert {e["name"] for e in buyer.get(f"{base}/evaluators").json()["items"]} == {
        "Awa Ndiaye",
        "tn-sub-a",
    }
    not_evaluated = post(buyer, f"{base}/award", {"submission": b.pk, "reasons": "Meilleure"})
    assert (not_evaluated.status_code, not_evaluated.json()["code"]) == (409, "not_evaluated")
    for offer, marks in ((a, (8, 5)), (b, (6, 9))):
        scored = post(evaluator, f"{base}/submissions/{offer.pk}/scores", grid(tender, *marks))
        assert scored.status_code == 200, scored.content
    results = buyer.get(f"{base}/results").json()
    assert [(r["submission"], r["score"]) for r in results] == [(b.pk, 72.0), (a.pk, 68.0)]
    assert post(evaluator, f"{base}/award", {"submission": b.pk, "reasons": "X"}).status_code == 403
    with django_capture_on_commit():
        awarded = post(
            buyer, f"{base}/award", {"submission": b.pk, "reasons": "Meilleure note (72/100)."}
        )
    assert awarded.status_code == 200, awarded.content
    assert (awarded.json()["status"], awarded.json()["award"]) == ("awarded", b.pk)
    assert awarded.json()["award_reasons"] == "Meilleure note (72/100)."
    assert len(mail.outbox) == 2
    for user, org, won in ((cast.user_a, cast.org_a, False), (cast.user_b, cast.org_b, True)):
        [notice] = api_client(user).get("/api/v1/network/tenders/notices").json()["items"]
        assert (notice["organisation"], notice["won"]) == (org.pk, won)
        assert "72/100" in notice["body"]
        assert ("Bureau Niger Conseil" in notice["body"]) is not won  # the loser is told who won
    assert api_client(cast.outsider).get("/api/v1/network/tenders/notices").json()["items"] == []
    twice = post(buyer, f"{base}/award", {"submission": a.pk, "reasons": "Autre choix"})
    assert (twice.status_code, twice.json()["code"]) == (409, "already_awarded")
    tender.refresh_from_db()
    assert (tender.award_id, Notice.objects.count()) == (b.pk, 2)
    late_scores = post(evaluator, f"{base}/submissions/{a.pk}/scores", grid(tender, 1, 1))
    assert (late_scores.status_code, late_scores.json()["code"]) == (409, "already_awarded")


def test_scores_outside_the_grid_are_refused_and_nothing_is_written(cast, api_client, closed):
    tender, (a, _b), base = closed
    evaluator = api_client(cast.evaluator)
    post(evaluator, f"{base}/declaration", {"no_conflict": True})
    other = publish(cast)  # another call's criterion
    method, experience = tender.criteria.all()
    url = f"{base}/submissions/{a.pk}/scores"
    cases = [
        (grid(tender, 11, 5), "out_of_range"),
        (grid(tender, 8, -1), "out_of_range"),
        (grid(tender, 8, 10**30), "out_of_range"),
        (grid(tender, 8), "required"),
        ({"scores": [*grid(tender, 8, 5)["scores"], grid(other, 5)["scores"][0]]}, "not_in_grid"),
        ({"scores": [{"criterion": method.pk, "score": 8}] * 2}, "invalid"),
        ({"scores": [{"criterion": method.pk, "score": "huit"}]}, "invalid"),
    ]
    for body, code in cases:
        response = post(evaluator, url, body)
        assert (response.status_code, response.json()["code"]) == (400, code), (body, response)
    assert not Score.objects.exists()
    assert post(evaluator, url, grid(tender, 8, 5)).status_code == 200
    assert Score.objects.count() == 2


LONG = "é" * 5000


@pytest.mark.parametrize(
    "who, path, body, code",
    [
        ("user_a", "questions", {"body": LONG}, "too_long"),
        ("user_a", "questions", {"body": "Durée\x00 ?"}, "invalid_character"),
        ("user_a", "questions", {"body": "   "}, "required"),
        ("buyer_user", "evaluators", {"username": LONG}, "too_long"),
        ("buyer_user", "evaluators", {"username": "tn\x00eval"}, "invalid_character"),
        ("buyer_user", "evaluators", {"username": "personne"}, "not_found"),
        (
            "user_a",
            "submissions",
            {"organisation": 0, "summary": LONG + "x", "price": 1},
            "too_long",
        ),
    ],
)
def test_hostile_input_before_the_deadline_is_refused(cast, api_client, who, path, body, code):
    tender = publish(cast)
    if path == "submissions":
        body = {**body, "organisation": cast.org_a.pk}
    url = f"/api/v1/network/tenders/{tender.pk}/{path}"
    response = post(api_client(getattr(cast, who)), url, body)
    assert (response.status_code, response.json()["code"]) == (400, code), response.content
    assert response.json()["message"]
    assert not Question.objects.exists() and not Evaluator.objects.exists()
    assert not tender.submissions.exists()


@pytest.mark.parametrize(
    "body, code",
    [
        ({"answer": LONG}, "too_long"),
        ({"answer": "Quatre\x00 mois"}, "invalid_character"),
        ({"answer": ""}, "required"),
    ],
)
def test_a_hostile_answer_is_refused(cast, api_client, body, code):
    tender = publish(cast)
    question = Question.objects.create(tender=tender, asked_by=cast.user_a, body="Durée ?")
    url = f"/api/v1/network/tenders/questions/{question.pk}/answer"
    response = post(api_client(cast.buyer_user), url, body)
    assert (response.status_code, response.json()["code"]) == (400, code)
    question.refresh_from_db()
    assert (question.answer, question.answered_at) == ("", None)


@pytest.mark.parametrize(
    "path, body, code",
    [
        ("declaration", {"no_conflict": True, "declaration": LONG}, "too_long"),
        ("declaration", {"no_conflict": True, "declaration": "Aucun\x00"}, "invalid_character"),
        ("award", {"submission": "@b", "reasons": LONG}, "too_long"),
        ("award", {"submission": "@b", "reasons": "Prix\x00"}, "invalid_character"),
        ("award", {"submission": "@b", "reasons": "  "}, "required"),
        ("award", {"submission": 2_147_483_647, "reasons": "Prix"}, "not_found"),
    ],
)
def test_hostile_input_after_the_deadline_is_refused(cast, api_client, closed, path, body, code):
    tender, (a, b), base = closed
    actor = cast.evaluator if path == "declaration" else cast.buyer_user
    if path == "award":  # evaluated, so that only the input is wrong
        post(api_client(cast.evaluator), f"{base}/declaration", {"no_conflict": True})
        for offer in (a, b):
            post(api_client(cast.evaluator), f"{base}/submissions/{offer.pk}/scores",
                 grid(tender, 5, 5))  # fmt: skip
        body = {**body, "submission": b.pk if body["submission"] == "@b" else body["submission"]}
    response = post(api_client(actor), f"{base}/{path}", body)
    expected = 404 if code == "not_found" else 400
    assert (response.status_code, response.json()["code"]) == (expected, code)
    tender.refresh_from_db()
    assert tender.award_id is None and not Notice.objects.exists()
    if path == "declaration":
        assert tender.evaluators.get().declared_at is None


def test_a_submission_after_the_deadline_is_refused_through_the_api(cast, api_client):
    tender = publish(cast)
    close(tender)
    response = post(
        api_client(cast.user_b),
        f"/api/v1/network/tenders/{tender.pk}/submissions",
        {"organisation": cast.org_b.pk, "summary": "Trop tard", "price": 1_000},
    )
    assert (response.status_code, response.json()["code"]) == (409, "deadline_passed")
    assert not tender.submissions.exists()


def test_an_evaluator_who_joined_a_submitter_after_declaring_may_not_score(cast, api_client):
    from network import services as net

    tender = publish(cast)
    a = submit(cast, tender, "a")
    base = f"/api/v1/network/tenders/{tender.pk}"
    post(api_client(cast.buyer_user), f"{base}/evaluators", {"username": "tn-eval"})
    close(tender)
    declared = post(api_client(cast.evaluator), f"{base}/declaration", {"no_conflict": True})
    assert declared.status_code == 200
    net.organisation_member_add(actor=cast.user_a, organisation=cast.org_a, user=cast.evaluator)
    response = post(
        api_client(cast.evaluator), f"{base}/submissions/{a.pk}/scores", grid(tender, 5, 5)
    )
    assert (response.status_code, response.json()["code"]) == (409, "conflict_of_interest")
    assert not Score.objects.exists()


ODD = [None, [], {}, "", "x" * 6000, -1, 0, 2**70, True, 1.5, {"a": [1]}, "\u202e", "1; DROP"]


def test_odd_values_in_every_field_of_the_new_operations_never_answer_500(cast, api_client, closed):
    """Each field of each new operation given values of the wrong type, size or sign, by the
    actor who may call it with real ids: always a 4xx with the error contract."""
    tender, (a, b), base = closed
    post(api_client(cast.evaluator), f"{base}/declaration", {"no_conflict": True})
    question = Question.objects.create(tender=tender, asked_by=cast.user_a, body="Durée ?")
    criterion = tender.criteria.first().pk
    operations = [
        (cast.user_a, f"{base}/questions", {"body": "Q"}),
        (
            cast.buyer_user,
            f"/api/v1/network/tenders/questions/{question.pk}/answer",
            {"answer": "R"},
        ),
        (cast.buyer_user, f"{base}/evaluators", {"username": "tn-eval"}),
        (cast.evaluator, f"{base}/declaration", {"no_conflict": True, "declaration": "D"}),
        (
            cast.evaluator,
            f"{base}/submissions/{a.pk}/scores",
            {"scores": [{"criterion": criterion, "score": 5}]},
        ),
        (cast.evaluator, f"{base}/submissions/{a.pk}/scores", {"scores": "x"}),
        (cast.buyer_user, f"{base}/award", {"submission": b.pk, "reasons": "M"}),
    ]
    for user, url, good in operations:
        api = api_client(user)
        for field in good:
            for value in ODD:
                response = post(api, url, {**good, field: value})
                assert response.status_code < 500, (url, field, value, response.content[:300])
                if response.status_code >= 400:
                    assert {"code", "message", "field"} <= set(response.json()), (url, field, value)
        assert post(api, url, "not json at all").status_code == 400
    tender.refresh_from_db()
    assert tender.award_id is None and not Notice.objects.exists()
