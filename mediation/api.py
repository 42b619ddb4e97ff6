"""Mediation's API (docs/mediation.md, docs/api.md): ``/network/mediations...``. Thin:
parse, call a selector or a service, shape. The file of a case (its facts, timeline and
outcome) is read only through ``selectors.case_get``/``case_list``, exactly as the pages:
the parties' accounts and the mediator; anyone else gets 404 (never 403). The
administrators' queue, list of mediators and statistics carry no file."""

import datetime

from django.utils import timezone
from ninja import Field, Router, Schema
from ninja.pagination import LimitOffsetPagination, paginate
from pydantic import conint

from mediation import selectors, services
from mediation.models import Case, Category, Entry, Outcome
from network.api import LazyMap
from network.selectors import organisation_get

router = Router(tags=["mediation"])
Id = conint(ge=1, le=2_147_483_647)


class PartyOut(Schema):
    id: int
    name: str


class MediatorOut(Schema):
    id: int
    name: str
    languages: str


def _mediator_out(mediator) -> dict | None:
    if mediator is None:
        return None
    return {"id": mediator.pk, "name": str(mediator), "languages": mediator.languages}


class CaseOut(Schema):
    id: int
    reference: str
    complainant: PartyOut
    respondent: PartyOut | None
    against_platform: bool
    category: str
    subject: str
    description: str
    status: str
    mediator: MediatorOut | None
    appointed_at: datetime.datetime | None
    outcome: str
    outcome_summary: str
    filed_at: datetime.datetime
    closed_at: datetime.datetime | None


def _party(org) -> dict | None:
    return None if org is None else {"id": org.pk, "name": org.name}


def _case_out(case: Case) -> dict:
    return {
        "id": case.pk,
        "reference": str(case),
        "complainant": _party(case.complainant),
        "respondent": _party(case.respondent),
        "against_platform": case.against_platform,
        "category": case.category,
        "subject": case.subject,
        "description": case.description,
        "status": case.status,
        "mediator": _mediator_out(case.mediator),
        "appointed_at": case.appointed_at,
        "outcome": case.outcome,
        "outcome_summary": case.outcome_summary,
        "filed_at": case.filed_at,
        "closed_at": case.closed_at,
    }


class CaseIn(Schema):
    complainant: Id
    respondent: Id | None = None  # null: a dispute with the platform itself
    category: str = Field(max_length=12, description=" | ".join(Category.values))
    subject: str = Field(max_length=200)
    description: str = Field(max_length=5000)


@router.get("/network/mediations", response=list[CaseOut])
@paginate(LimitOffsetPagination)
def case_list(request):
    """The cases whose file the caller reads: as a party's account or as the mediator."""
    return LazyMap(selectors.case_list(actor=request.auth), _case_out)


@router.post("/network/mediations", response={201: CaseOut})
def case_file(request, payload: CaseIn):
    """An account of an approved member organisation files a dispute with another member
    of the directory (``respondent``) or with the platform (``respondent`` null)."""
    data = payload.dict()
    complainant = organisation_get(actor=request.auth, pk=data.pop("complainant"))
    respondent_id = data.pop("respondent")
    respondent = None
    if respondent_id is not None:
        respondent = organisation_get(actor=None, pk=respondent_id)  # the public directory
    case = services.case_file(
        actor=request.auth, complainant=complainant, respondent=respondent, **data
    )
    return 201, _case_out(case)


@router.get("/network/mediations/{int:case_id}", response=CaseOut)
def case_get(request, case_id: Id):
    return _case_out(selectors.case_get(actor=request.auth, pk=case_id))


class EntryIn(Schema):
    body: str = Field(max_length=5000)
    meeting_at: datetime.datetime | None = None  # the mediator only: a meeting
    place: str = Field("", max_length=200)


class EntryOut(Schema):
    id: int
    kind: str
    author: str
    body: str
    meeting_at: datetime.datetime | None
    place: str
    created_at: datetime.datetime


def _entry_out(entry: Entry) -> dict:
    return {
        "id": entry.pk,
        "kind": entry.kind,
        "author": entry.author.get_full_name() or entry.author.username,
        "body": entry.body,
        "meeting_at": entry.meeting_at,
        "place": entry.place,
        "created_at": entry.created_at,
    }


@router.get("/network/mediations/{int:case_id}/timeline", response=list[EntryOut])
@paginate(LimitOffsetPagination)
def timeline(request, case_id: Id):
    case = selectors.case_get(actor=request.auth, pk=case_id)
    return LazyMap(selectors.timeline(actor=request.auth, case=case), _entry_out)


@router.post("/network/mediations/{int:case_id}/timeline", response={201: EntryOut})
def entry_add(request, case_id: Id, payload: EntryIn):
    """A party or the mediator writes in the file; with ``meeting_at`` (the mediator
    only, else 403) it is a meeting. A time without a zone is the server's (Dakar)."""
    case = selectors.case_get(actor=request.auth, pk=case_id)
    data = payload.dict()
    if data["meeting_at"] is not None and timezone.is_naive(data["meeting_at"]):
        data["meeting_at"] = timezone.make_aware(data["meeting_at"])
    entry = services.entry_add(actor=request.auth, case=case, **data)
    return 201, _entry_out(entry)


class CloseIn(Schema):
    outcome: str = Field(max_length=12, description=" | ".join(Outcome.values))
    summary: str = Field(max_length=3000)


@router.post("/network/mediations/{int:case_id}/close", response=CaseOut)
def case_close(request, case_id: Id, payload: CloseIn):
    """The mediator closes the case with its outcome (a party: 403; 409 ``closed``)."""
    case = selectors.case_get(actor=request.auth, pk=case_id)
    return _case_out(services.case_close(actor=request.auth, case=case, **payload.dict()))


# --------------------------------------------------------------------------- administrators


class QueueOut(Schema):
    id: int
    reference: str
    category: str
    complainant: str
    respondent: str | None
    against_platform: bool
    filed_at: datetime.datetime


def _queue_out(case: Case) -> dict:
    return {
        "id": case.pk,
        "reference": str(case),
        "category": case.category,
        "complainant": case.complainant.name,
        "respondent": case.respondent.name if case.respondent else None,
        "against_platform": case.against_platform,
        "filed_at": case.filed_at,
    }


@router.get("/network/mediations/queue", response=list[QueueOut])
@paginate(LimitOffsetPagination)
def queue(request):
    """The network's administrators: filed disputes waiting for a mediator (no file: the
    reference, the nature and the parties' names only); anyone else 403."""
    return LazyMap(selectors.queue(actor=request.auth), _queue_out)


@router.get("/network/mediators", response=list[MediatorOut])
@paginate(LimitOffsetPagination)
def mediator_list(request):
    """The network's list of mediators (its administrators: 403 for anyone else)."""
    return LazyMap(selectors.mediator_list(actor=request.auth), _mediator_out)


class MediatorIn(Schema):
    username: str = Field(max_length=150)
    languages: str = Field("", max_length=100)


@router.post("/network/mediators", response={201: MediatorOut})
def mediator_add(request, payload: MediatorIn):
    """An administrator puts an account on the list (again: its languages updated)."""
    return 201, _mediator_out(services.mediator_add(actor=request.auth, **payload.dict()))


class AppointIn(Schema):
    mediator: Id


class AppointOut(Schema):
    id: int
    reference: str
    status: str
    mediator: MediatorOut
    appointed_at: datetime.datetime


@router.post("/network/mediations/{int:case_id}/mediator", response=AppointOut)
def mediator_appoint(request, case_id: Id, payload: AppointIn):
    """An administrator appoints a mediator of the list to a filed dispute: 409
    ``mediator_is_party`` when the mediator acts for a party. Answers the appointment,
    not the file (the administrator does not read it: ``GET`` of the case answers 404)."""
    case = selectors.queue_case_get(actor=request.auth, pk=case_id)
    mediator = selectors.mediator_get(actor=request.auth, pk=payload.mediator)
    case = services.mediator_appoint(actor=request.auth, case=case, mediator=mediator)
    return {
        "id": case.pk,
        "reference": str(case),
        "status": case.status,
        "mediator": _mediator_out(mediator),
        "appointed_at": case.appointed_at,
    }


class CountOut(Schema):
    code: str
    label: str
    count: int


class StatisticsOut(Schema):
    total: int
    by_status: list[CountOut]
    by_category: list[CountOut]
    by_outcome: list[CountOut]
    by_country: list[CountOut]
    against_platform: int
    mean_days_to_close: float | None


@router.get("/network/mediations/statistics", response=StatisticsOut)
def statistics(request):
    """For the network's governance (administrators): counts without names or texts."""
    stats = selectors.statistics(actor=request.auth)
    for key in ("by_status", "by_category", "by_outcome", "by_country"):
        stats[key] = [
            {"code": code, "label": str(label), "count": n} for code, label, n in stats[key]
        ]
    return stats
