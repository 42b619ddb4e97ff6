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
