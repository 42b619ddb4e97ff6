"""The calls for tenders' API (docs/api.md, "Network portal": ``/network/tenders``).
Thin: parse, call a selector or a service, shape. The calls are public; the offers are
sealed by ``selectors.submission_list``."""

import datetime

from django.utils.translation import gettext as _
from ninja import Field, Router, Schema
from ninja.pagination import LimitOffsetPagination, paginate
from pydantic import conint, constr

from core.errors import ValidationFailed
from core.money import Amount
from network.api import PUBLIC, LazyMap
from network.selectors import organisation_get
from tenders import selectors, services
from tenders.errors import Code as ErrorCode

router = Router(tags=["tenders"])
Id = conint(ge=1, le=2_147_483_647)
Text = constr(max_length=100)
Code = constr(max_length=20)


class CriterionIn(Schema):
    name: str = Field(max_length=200)
    weight: conint(ge=0, le=1000)


class TenderIn(Schema):
    buyer: Id
    buyer_kind: str = Field(max_length=10)
    title: str = Field(max_length=200)
    description: str = Field(max_length=10000)
    country: str = Field(max_length=2)
    sector: str = Field(max_length=20)
    budget: Amount = 0
    deadline: datetime.datetime
    criteria: list[CriterionIn] = Field(max_length=10)


class TenderOut(Schema):
    id: int
    title: str
    buyer: int
    buyer_name: str
    buyer_kind: str
    country: str
    sector: str
    budget: int
    deadline: datetime.datetime
    status: str
    criteria: list[dict]
    award: int | None
    award_reasons: str


def _tender_out(tender) -> dict:
    return {
        "id": tender.pk,
        "title": tender.title,
        "buyer": tender.buyer_id,
        "buyer_name": tender.buyer.name,
        "buyer_kind": tender.buyer_kind,
        "country": tender.country,
        "sector": tender.sector,
        "budget": tender.budget,
        "deadline": tender.deadline,
        "status": selectors.tender_status(tender),
        "criteria": [{"name": c.name, "weight": c.weight} for c in tender.criteria.all()],
        "award": tender.award_id,
        "award_reasons": tender.award_reasons,
    }


@router.get("/network/tenders", response=list[TenderOut], auth=PUBLIC)
@paginate(LimitOffsetPagination)
def tender_list(request, q: Text = "", country: Code = "", status: Code = ""):
    qs = selectors.tender_list(actor=request.auth, q=q, country=country, status=status)
    return LazyMap(qs.prefetch_related("criteria"), _tender_out)


@router.post("/network/tenders", response={201: TenderOut})
def tender_publish(request, payload: TenderIn):
    data = payload.dict()
    if data["deadline"].tzinfo is None:
        raise ValidationFailed(
            _("Donnez la date limite avec son fuseau (ex. 2027-01-31T17:00:00Z)."),
            code=ErrorCode.INVALID,
            field="deadline",
        )
    buyer = organisation_get(actor=request.auth, pk=data.pop("buyer"))
    data["criteria"] = [(c["name"], c["weight"]) for c in data["criteria"]]
    tender = services.tender_publish(actor=request.auth, buyer=buyer, **data)
    return 201, _tender_out(tender)


@router.get("/network/tenders/{int:tender_id}", response=TenderOut, auth=PUBLIC)
def tender_get(request, tender_id: Id):
    return _tender_out(selectors.tender_get(actor=request.auth, pk=tender_id))


class SubmissionIn(Schema):
    organisation: Id
    summary: str = Field(max_length=5000)
    price: Amount


class SubmissionOut(Schema):
    id: int
    tender: int
    organisation: int
    organisation_name: str
    summary: str
    price: int
    filename: str
    submitted_at: datetime.datetime


def _offer_out(offer) -> dict:
    return {
        "id": offer.pk,
        "tender": offer.tender_id,
        "organisation": offer.organisation_id,
        "organisation_name": offer.organisation.name,
        "summary": offer.summary,
        "price": offer.price,
        "filename": offer.filename,
        "submitted_at": offer.submitted_at,
    }


@router.get("/network/tenders/{int:tender_id}/submissions", response=list[SubmissionOut])
@paginate(LimitOffsetPagination)
def submission_list(request, tender_id: Id):
    """Sealed: before the deadline a submitter sees only its own offer and the buyer none;
    after it the buyer (and the declared evaluators) see all."""
    tender = selectors.tender_get(actor=request.auth, pk=tender_id)
    return LazyMap(selectors.submission_list(actor=request.auth, tender=tender), _offer_out)


@router.post("/network/tenders/{int:tender_id}/submissions", response={201: SubmissionOut})
def submission_submit(request, tender_id: Id, payload: SubmissionIn):
    """An organisation's offer (replaces its previous one); 409 ``deadline_passed`` late."""
    tender = selectors.tender_get(actor=request.auth, pk=tender_id)
    data = payload.dict()
    organisation = organisation_get(actor=request.auth, pk=data.pop("organisation"))
    offer = services.submission_submit(
        actor=request.auth, tender=tender, organisation=organisation, **data
    )
    return 201, _offer_out(offer)


# --------------------------------------------------------------------------- questions


class QuestionIn(Schema):
    body: str = Field(max_length=2000)


class AnswerIn(Schema):
    answer: str = Field(max_length=4000)


class QuestionOut(Schema):
    """A question and its answer, never the asker's name."""

    id: int
    tender: int
    body: str
    answer: str
    answered: bool
    answered_at: datetime.datetime | None
    created_at: datetime.datetime


def _question_out(question) -> dict:
    return {
        "id": question.pk,
        "tender": question.tender_id,
        "body": question.body,
        "answer": question.answer,
        "answered": question.answered_at is not None,
        "answered_at": question.answered_at,
        "created_at": question.created_at,
    }


@router.get("/network/tenders/{int:tender_id}/questions", response=list[QuestionOut], auth=PUBLIC)
@paginate(LimitOffsetPagination)
def question_list(request, tender_id: Id):
    """The answered questions (public); the buyer also sees those waiting, an asker their
    own."""
    tender = selectors.tender_get(actor=request.auth, pk=tender_id)
    return LazyMap(selectors.question_list(actor=request.auth, tender=tender), _question_out)


@router.post("/network/tenders/{int:tender_id}/questions", response={201: QuestionOut})
def question_ask(request, tender_id: Id, payload: QuestionIn):
    """Any signed-in user asks, before the deadline (409 ``deadline_passed`` after)."""
    tender = selectors.tender_get(actor=request.auth, pk=tender_id)
    question = services.question_ask(actor=request.auth, tender=tender, body=payload.body)
    return 201, _question_out(question)


@router.post("/network/tenders/questions/{int:question_id}/answer", response=QuestionOut)
def question_answer(request, question_id: Id, payload: AnswerIn):
    """The buyer answers, before the deadline; the answer is published to all."""
    question = selectors.question_get(actor=request.auth, pk=question_id)
    question = services.question_answer(
        actor=request.auth, question=question, answer=payload.answer
    )
    return _question_out(question)


# --------------------------------------------------------------------------- evaluation


class EvaluatorIn(Schema):
    username: str = Field(max_length=150)


class DeclarationIn(Schema):
    no_conflict: bool
    declaration: str = Field("", max_length=500)


class EvaluatorOut(Schema):
    id: int
    tender: int
    name: str
    declared: bool
    declared_at: datetime.datetime | None


def _evaluator_out(evaluator) -> dict:
    user = evaluator.user
    return {
        "id": evaluator.pk,
        "tender": evaluator.tender_id,
        "name": user.get_full_name() or user.username,
        "declared": evaluator.declared_at is not None,
        "declared_at": evaluator.declared_at,
    }


@router.get("/network/tenders/{int:tender_id}/evaluators", response=list[EvaluatorOut])
@paginate(LimitOffsetPagination)
def evaluator_list(request, tender_id: Id):
    """The named evaluators: for the buyer and the evaluators (404 for anyone else)."""
    tender = selectors.evaluation_tender_get(actor=request.auth, pk=tender_id)
    return LazyMap(selectors.evaluator_list(actor=request.auth, tender=tender), _evaluator_out)


@router.post("/network/tenders/{int:tender_id}/evaluators", response={201: EvaluatorOut})
def evaluator_appoint(request, tender_id: Id, payload: EvaluatorIn):
    """The buyer names an evaluator by their account's identifier, until the award."""
    tender = selectors.evaluation_tender_get(actor=request.auth, pk=tender_id)
    evaluator = services.evaluator_appoint(
        actor=request.auth, tender=tender, username=payload.username
    )
    return 201, _evaluator_out(evaluator)


@router.post("/network/tenders/{int:tender_id}/declaration", response=EvaluatorOut)
def evaluator_declare(request, tender_id: Id, payload: DeclarationIn):
    """A named evaluator declares no conflict of interest, after the deadline (409
    ``not_yet`` before; 409 ``conflict_of_interest`` for an account of a submitter)."""
    tender = selectors.evaluation_tender_get(actor=request.auth, pk=tender_id)
    evaluator = services.evaluator_declare(actor=request.auth, tender=tender, **payload.dict())
    return _evaluator_out(evaluator)


class ScoreIn(Schema):
    criterion: Id
    score: int


class ScoresIn(Schema):
    scores: list[ScoreIn] = Field(max_length=10)


class ScoreOut(Schema):
    criterion: int
    criterion_name: str
    weight: int
    score: int


class ScoresOut(Schema):
    submission: int
    scores: list[ScoreOut]


@router.post(
    "/network/tenders/{int:tender_id}/submissions/{int:submission_id}/scores",
    response=ScoresOut,
)
def scores_record(request, tender_id: Id, submission_id: Id, payload: ScoresIn):
    """A declared evaluator scores one offer on every criterion of the grid (0 to 10):
    403 ``not_declared`` before the declaration, 400 ``not_in_grid``/``out_of_range``,
    400 ``invalid`` for a criterion scored twice (the service's rule)."""
    tender = selectors.tender_get(actor=request.auth, pk=tender_id)
    offer = selectors.scoring_offer_get(actor=request.auth, tender=tender, pk=submission_id)
    scores = [(row.criterion, row.score) for row in payload.scores]
    rows = services.scores_record(actor=request.auth, submission=offer, scores=scores)
    return {
        "submission": offer.pk,
        "scores": [
            {
                "criterion": r.criterion_id,
                "criterion_name": r.criterion.name,
                "weight": r.criterion.weight,
                "score": r.score,
            }
            for r in rows
        ],
    }


class ResultOut(Schema):
    submission: int
    organisation: int
    organisation_name: str
    price: int
    score: float | None
    evaluators: int


@router.get("/network/tenders/{int:tender_id}/results", response=list[ResultOut])
def tender_results(request, tender_id: Id):
    """The offers with their weighted score out of 100, best first: the buyer and the
    declared evaluators, after the deadline only (sealed before: an empty list)."""
    tender = selectors.evaluation_tender_get(actor=request.auth, pk=tender_id)
    return [
        {
            "submission": r["offer"].pk,
            "organisation": r["offer"].organisation_id,
            "organisation_name": r["offer"].organisation.name,
            "price": r["offer"].price,
            "score": r["score"],
            "evaluators": r["evaluators"],
        }
        for r in selectors.tender_results(actor=request.auth, tender=tender)
    ]


class AwardIn(Schema):
    submission: Id
    reasons: str = Field(max_length=3000)


@router.post("/network/tenders/{int:tender_id}/award", response=TenderOut)
def tender_award(request, tender_id: Id, payload: AwardIn):
    """The buyer awards with reasons, after the evaluation; every submitter gets a notice
    (``GET /network/tenders/notices``) and an e-mail. 409 ``already_awarded`` the second
    time."""
    tender = selectors.evaluation_tender_get(actor=request.auth, pk=tender_id)
    offer = selectors.award_offer_get(actor=request.auth, tender=tender, pk=payload.submission)
    tender = services.tender_award(
        actor=request.auth, tender=tender, submission=offer, reasons=payload.reasons
    )
    return _tender_out(tender)


class NoticeOut(Schema):
    id: int
    tender: int
    tender_title: str
    organisation: int
    organisation_name: str
    won: bool
    body: str
    created_at: datetime.datetime


def _notice_out(notice) -> dict:
    return {
        "id": notice.pk,
        "tender": notice.tender_id,
        "tender_title": notice.tender.title,
        "organisation": notice.organisation_id,
        "organisation_name": notice.organisation.name,
        "won": notice.won,
        "body": notice.body,
        "created_at": notice.created_at,
    }


@router.get("/network/tenders/notices", response=list[NoticeOut])
@paginate(LimitOffsetPagination)
def notice_list(request):
    """The award notices of the caller's organisations."""
    return LazyMap(selectors.notice_list(actor=request.auth), _notice_out)
