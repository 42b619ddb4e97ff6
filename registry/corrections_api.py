"""API of correction requests (law 2008-12, registry/corrections.py; docs/personal-data.md).

- ``GET/POST /persons/{id}/correction-requests``: a person's requests; record one.
- ``GET /correction-requests`` (``?status=``, ``?q=``, ``?person=``), ``GET .../{id}``.
- ``POST /correction-requests/{id}/decision``: ``{"outcome": "accepted"|"refused", "reason"}``.

Scoped like the person (404 outside); recording and deciding need the right to edit the
person (403 otherwise); a request is decided once (409 ``already_decided``).
"""

from __future__ import annotations

import datetime

from ninja import Field, Router, Schema, Status
from ninja.pagination import LimitOffsetPagination, paginate

from core.dates import EventDate
from registry.corrections import correction_request_create, correction_request_decide
from registry.corrections_selectors import correction_request_get, correction_request_list
from registry.selectors import person_get

router = Router(tags=["registry"])


class CorrectionOut(Schema):
    id: int
    person: int = Field(..., alias="person_id")
    asked_by: str
    representative_name: str
    channel: str
    received_on: datetime.date
    changes: dict
    details: str
    status: str
    recorded_by: str | None
    recorded_at: datetime.datetime
    handled_by: str | None
    handled_at: datetime.datetime | None
    decision_reason: str
    applied: dict

    @staticmethod
    def resolve_recorded_by(obj):
        return obj.recorded_by.username if obj.recorded_by_id else None

    @staticmethod
    def resolve_handled_by(obj):
        return obj.handled_by.username if obj.handled_by_id else None


class CorrectionIn(Schema):
    received_on: EventDate
    channel: str
    changes: dict[str, str | bool] = {}
    details: str = ""
    asked_by: str = "self"
    representative_name: str = ""


class DecisionIn(Schema):
    outcome: str
    reason: str = ""


@router.get("/persons/{int:person_id}/correction-requests", response=list[CorrectionOut])
@paginate(LimitOffsetPagination)
def person_corrections(request, person_id: int):
    person = person_get(actor=request.user, pk=person_id)
    return correction_request_list(actor=request.user, filters={"person": person.pk})


@router.post("/persons/{int:person_id}/correction-requests", response={201: CorrectionOut})
def correction_create(request, person_id: int, payload: CorrectionIn):
    person = person_get(actor=request.user, pk=person_id)
    correction = correction_request_create(actor=request.user, person=person, **payload.dict())
    return Status(201, correction)


@router.get("/correction-requests", response=list[CorrectionOut])
@paginate(LimitOffsetPagination)
def corrections(
    request, status: str | None = None, q: str | None = None, person: int | None = None
):
    filters = {"status": status, "q": q, "person": person}
    return correction_request_list(actor=request.user, filters=filters)


@router.get("/correction-requests/{int:correction_id}", response=CorrectionOut)
def correction_detail(request, correction_id: int):
    return correction_request_get(actor=request.user, pk=correction_id)


@router.post("/correction-requests/{int:correction_id}/decision", response=CorrectionOut)
def correction_decide(request, correction_id: int, payload: DecisionIn):
    correction = correction_request_get(actor=request.user, pk=correction_id)
    return correction_request_decide(
        actor=request.user, correction=correction, outcome=payload.outcome, reason=payload.reason
    )
