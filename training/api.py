"""Training sessions, attendance and field visits (see docs/api.md)."""

import datetime

from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status
from ninja.pagination import LimitOffsetPagination, paginate

from core import dates
from core.errors import NotFound, ValidationFailed
from geo.selectors import area_get
from registry.selectors import cooperative_get, person_get
from training import selectors, services
from training.errors import Code
from training.models import Module, SessionKind
from training.rules import require_organiser

router = Router(tags=["training"])


# --- schemas -----------------------------------------------------------------------------


class SessionIn(Schema):
    module: str  # module code (or id)
    commune: str  # area code
    starts_on: datetime.date
    ends_on: datetime.date
    trainers: list[int]
    kind: str = SessionKind.REGULAR
    venue: str = ""


class SessionOut(Schema):
    id: int
    module: str
    module_title: str
    programme: str
    kind: str
    commune: str
    starts_on: datetime.date
    ends_on: datetime.date
    venue: str
    trainers: list[int]
    participant_count: int
    completed_count: int

    @staticmethod
    def resolve_module(obj):
        return obj.module.code

    @staticmethod
    def resolve_module_title(obj):
        return obj.module.title

    @staticmethod
    def resolve_programme(obj):
        return obj.module.programme

    @staticmethod
    def resolve_commune(obj):
        return obj.commune.code

    @staticmethod
    def resolve_trainers(obj):
        return [t.pk for t in obj.trainers.all()]


class ParticipantIn(Schema):
    person: int
    cooperative: int | None = None


class ParticipantOut(Schema):
    person: int = Field(..., alias="person_id")
    cooperative: int | None = Field(None, alias="cooperative_id")
    completed: bool
    evaluation_score: int | None


class AttendanceIn(Schema):
    person: int
    day: datetime.date
    present: bool


class AttendanceOut(Schema):
    person: int
    day: datetime.date
    present: bool

    @staticmethod
    def resolve_person(obj):
        return obj.participant.person_id


class ActionIn(Schema):
    description: str
    owner: str
    due_on: datetime.date


class ActionOut(Schema):
    id: int
    description: str
    owner: str
    due_on: datetime.date
    done_on: datetime.date | None
    status: str

    @staticmethod
    def resolve_status(obj):
        return obj.status(dates.today())


class DiagnosticIO(Schema):
    governance: int
    bookkeeping: int
    production: int
    market: int
    finance: int


class VisitIn(Schema):
    cooperative: int
    visited_on: datetime.date
    purpose: str
    findings: str = ""
    actions: list[ActionIn] = []
    diagnostic: DiagnosticIO | None = None


class VisitOut(Schema):
    id: int
    cooperative: int = Field(..., alias="cooperative_id")
    visited_on: datetime.date
    purpose: str
    findings: str
    actions: list[ActionOut]
    diagnostic: DiagnosticIO | None

    @staticmethod
    def resolve_actions(obj):
        return list(obj.actions.all())

    @staticmethod
    def resolve_diagnostic(obj):
        return getattr(obj, "diagnostic", None)


# --- helpers ---------------------------------------------------------------------------


def _commune(code: str):
    try:
        return area_get(code=code)
    except NotFound:
        raise ValidationFailed(
            _("Commune inconnue : %(code)s.") % {"code": code},
            code=Code.UNKNOWN_AREA,
            field="commune",
        ) from None


def _module(actor, ref: str) -> Module:
    qs = selectors.module_list(actor=actor)
    found = qs.filter(code=ref).first()
    if found is None and ref.isdigit():
        found = qs.filter(pk=int(ref)).first()
    if found is None:
        raise ValidationFailed(_("Module inconnu."), code=Code.UNKNOWN_MODULE, field="module")
    return found


# --- sessions ----------------------------------------------------------------------------


@router.get("/training/sessions", response=list[SessionOut])
@paginate(LimitOffsetPagination)
def sessions_list(
    request,
    programme: str | None = None,
    module: str | None = None,
    commune: str | None = None,
    starts_from: datetime.date | None = None,
    starts_until: datetime.date | None = None,
):
    mod = _module(request.auth, module) if module else None
    qs = selectors.session_list(
        actor=request.auth,
        programme=programme,
        module=mod,
        commune=commune,
        starts_from=starts_from,
        starts_until=starts_until,
    )
    return qs


@router.post("/training/sessions", response={201: SessionOut})
def sessions_create(request, payload: SessionIn):
    actor = request.auth
    require_organiser(actor)
    trainers = [selectors.trainer_get(actor=actor, pk=pk) for pk in payload.trainers]
    session = services.session_create(
        actor=actor,
        module=_module(actor, payload.module),
        commune=_commune(payload.commune),
        starts_on=payload.starts_on,
        ends_on=payload.ends_on,
        trainers=trainers,
        kind=payload.kind,
        venue=payload.venue,
    )
    return Status(201, selectors.session_get(actor=actor, pk=session.pk))


@router.get("/training/sessions/{session_id}", response=SessionOut)
def sessions_get(request, session_id: int):
    return selectors.session_get(actor=request.auth, pk=session_id)


@router.get("/training/sessions/{session_id}/participants", response=list[ParticipantOut])
@paginate(LimitOffsetPagination)
def participants_list(request, session_id: int):
    session = selectors.session_get(actor=request.auth, pk=session_id)
    return selectors.participant_list(actor=request.auth, session=session)


@router.post("/training/sessions/{session_id}/participants", response={201: ParticipantOut})
def participants_create(request, session_id: int, payload: ParticipantIn):
    actor = request.auth
    session = selectors.session_get(actor=actor, pk=session_id)
    p = services.participant_enrol(
        actor=actor,
        session=session,
        person=person_get(actor=actor, pk=payload.person),
        cooperative=(
            cooperative_get(actor=actor, pk=payload.cooperative) if payload.cooperative else None
        ),
    )
    return Status(201, p)


@router.get("/training/sessions/{session_id}/attendance", response=list[AttendanceOut])
@paginate(LimitOffsetPagination)
def attendance_list(request, session_id: int):
    session = selectors.session_get(actor=request.auth, pk=session_id)
    return selectors.attendance_list(actor=request.auth, session=session)


@router.post("/training/sessions/{session_id}/attendance", response={201: AttendanceOut})
def attendance_create(request, session_id: int, payload: AttendanceIn):
    actor = request.auth
    session = selectors.session_get(actor=actor, pk=session_id)
    participant = (
        selectors.participant_list(actor=actor, session=session)
        .filter(person_id=payload.person)
        .first()
    )
    if participant is None:
        raise ValidationFailed(
            _("Cette personne n'est pas inscrite à la session."),
            code=Code.NOT_ENROLLED,
            field="person",
        )
    a = services.attendance_record(
        actor=actor,
        session=session,
        person=participant.person,
        day=payload.day,
        present=payload.present,
    )
    return Status(201, a)


# --- visits ------------------------------------------------------------------------------


@router.get("/visits", response=list[VisitOut])
@paginate(LimitOffsetPagination)
def visits_list(
    request,
    cooperative: int | None = None,
    visited_from: datetime.date | None = None,
    visited_until: datetime.date | None = None,
    q: str | None = None,
):
    actor = request.auth
    coop = selectors.followed_cooperative_get(actor=actor, pk=cooperative) if cooperative else None
    return selectors.visit_list(
        actor=actor,
        cooperative=coop,
        q=q,
        visited_from=visited_from,
        visited_until=visited_until,
    )


@router.post("/visits", response={201: VisitOut})
def visits_create(request, payload: VisitIn):
    actor = request.auth
    visit = services.visit_record(
        actor=actor,
        cooperative=cooperative_get(actor=actor, pk=payload.cooperative),
        visited_on=payload.visited_on,
        purpose=payload.purpose,
        findings=payload.findings,
        actions=[a.dict() for a in payload.actions],
        diagnostic=payload.diagnostic.dict() if payload.diagnostic else None,
    )
    return Status(201, selectors.visit_get(actor=actor, pk=visit.pk))


@router.get("/visits/{visit_id}", response=VisitOut)
def visits_get(request, visit_id: int):
    return selectors.visit_get(actor=request.auth, pk=visit_id)
