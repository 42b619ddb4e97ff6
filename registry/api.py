"""Registry API (docs/api.md): cooperatives, their stage and members, persons, imports.

Thin: parse, call a selector or a service, shape the output. Out of scope answers 404,
a write the role may not do 403, a rule 409 with its code (config/api.py formats errors).
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.utils.translation import gettext as _
from ninja import File, Form, Router, Schema, Status
from ninja.files import UploadedFile
from ninja.pagination import LimitOffsetPagination, paginate

from core.errors import NotFound
from registry import selectors, services
from registry.imports import KINDS, run_import

router = Router(tags=["registry"])


# --------------------------------------------------------------------------- schemas


class CooperativeOut(Schema):
    id: int
    name: str
    legal_form: str
    registration_number: str | None
    commune: str
    department: str | None
    region: str | None
    sector: str
    value_chain_stage: str
    stage: str
    stage_changed_on: datetime.date | None
    founded_on: datetime.date | None
    member_count: int
    phone: str
    email: str
    address: str
    latitude: Decimal | None
    longitude: Decimal | None
    sponsor: str | None

    @staticmethod
    def resolve_commune(obj):
        return obj.commune.code

    @staticmethod
    def resolve_department(obj):
        return obj.commune.parent.code if obj.commune.parent_id else None

    @staticmethod
    def resolve_region(obj):
        dept = obj.commune.parent
        return dept.parent.code if dept is not None and dept.parent_id else None

    @staticmethod
    def resolve_sector(obj):
        return obj.sector.code

    @staticmethod
    def resolve_sponsor(obj):
        return obj.sponsor.name if obj.sponsor_id else None


class CooperativeIn(Schema):
    name: str
    legal_form: str
    commune: str
    sector: str
    value_chain_stage: str
    founded_on: datetime.date | None = None
    registration_number: str | None = None
    phone: str = ""
    email: str = ""
    address: str = ""
    latitude: Decimal | None = None
    longitude: Decimal | None = None
    sponsor: str | None = None


class CooperativePatch(Schema):
    name: str | None = None
    legal_form: str | None = None
    commune: str | None = None
    sector: str | None = None
    value_chain_stage: str | None = None
    founded_on: datetime.date | None = None
    registration_number: str | None = None
    phone: str | None = None
    email: str | None = None
    address: str | None = None
    latitude: Decimal | None = None
    longitude: Decimal | None = None
    sponsor: str | None = None


class StageIn(Schema):
    stage: str
    on: datetime.date
    note: str = ""
    registration_number: str | None = None


class MemberOut(Schema):
    id: int
    person: int
    first_name: str
    last_name: str
    joined_on: datetime.date
    left_on: datetime.date | None
    role: str
    status: str

    @staticmethod
    def resolve_person(obj):
        return obj.person_id

    @staticmethod
    def resolve_first_name(obj):
        return obj.person.first_name

    @staticmethod
    def resolve_last_name(obj):
        return obj.person.last_name


class MemberIn(Schema):
    person: int
    joined_on: datetime.date
    role: str = "membre"


class PersonOut(Schema):
    id: int
    first_name: str
    last_name: str
    sex: str
    birth_date: datetime.date | None
    phone: str
    national_id: str | None
    commune: str | None
    disability: bool
    education_level: str

    @staticmethod
    def resolve_commune(obj):
        return obj.commune.code if obj.commune_id else None


class PersonCreated(PersonOut):
    likely_duplicates: list[int]


class PersonIn(Schema):
    first_name: str
    last_name: str
    sex: str
    birth_date: datetime.date | None = None
    phone: str = ""
    national_id: str | None = None
    commune: str | None = None
    disability: bool = False
    education_level: str = ""


class ImportErrorOut(Schema):
    row: int
    column: str
    message: str


class ImportReportOut(Schema):
    created: int
    updated: int
    errors: list[ImportErrorOut]
    dry_run: bool


class ImportFailedOut(ImportReportOut):
    code: str
    message: str
    field: str | None


# --------------------------------------------------------------------------- cooperatives


@router.get("/cooperatives", response=list[CooperativeOut])
@paginate(LimitOffsetPagination)
def cooperatives(
    request,
    q: str | None = None,
    region: str | None = None,
    department: str | None = None,
    commune: str | None = None,
    area: str | None = None,
    sector: str | None = None,
    stage: str | None = None,
    legal_form: str | None = None,
    value_chain_stage: str | None = None,
    women_led: bool | None = None,
    ordering: str | None = None,
):
    filters = {
        "q": q,
        "region": region,
        "department": department,
        "commune": commune,
        "area": area,
        "sector": sector,
        "stage": stage,
        "legal_form": legal_form,
        "value_chain_stage": value_chain_stage,
        "women_led": women_led,
        "ordering": ordering,
    }
    return selectors.cooperative_list(actor=request.user, filters=filters)


@router.post("/cooperatives", response={201: CooperativeOut})
def cooperative_create(request, payload: CooperativeIn):
    coop = services.cooperative_register(actor=request.user, **payload.dict())
    return Status(201, selectors.cooperative_get(actor=request.user, pk=coop.pk))


@router.get("/cooperatives/{int:coop_id}", response=CooperativeOut)
def cooperative_detail(request, coop_id: int):
    return selectors.cooperative_get(actor=request.user, pk=coop_id)


@router.patch("/cooperatives/{int:coop_id}", response=CooperativeOut)
def cooperative_patch(request, coop_id: int, payload: CooperativePatch):
    coop = selectors.cooperative_get(actor=request.user, pk=coop_id)
    services.cooperative_update(
        actor=request.user, cooperative=coop, **payload.dict(exclude_unset=True)
    )
    return selectors.cooperative_get(actor=request.user, pk=coop_id)


@router.post("/cooperatives/{int:coop_id}/stage", response=CooperativeOut)
def cooperative_stage(request, coop_id: int, payload: StageIn):
    coop = selectors.cooperative_get(actor=request.user, pk=coop_id)
    services.cooperative_stage_change(actor=request.user, cooperative=coop, **payload.dict())
    return selectors.cooperative_get(actor=request.user, pk=coop_id)


@router.get("/cooperatives/{int:coop_id}/members", response=list[MemberOut])
@paginate(LimitOffsetPagination)
def cooperative_members(request, coop_id: int, status: str | None = None):
    coop = selectors.cooperative_get(actor=request.user, pk=coop_id)
    return selectors.cooperative_members(actor=request.user, cooperative=coop, status=status)


@router.post("/cooperatives/{int:coop_id}/members", response={201: MemberOut})
def cooperative_member_add(request, coop_id: int, payload: MemberIn):
    coop = selectors.cooperative_get(actor=request.user, pk=coop_id)
    try:
        person = selectors.person_get(actor=request.user, pk=payload.person)
    except NotFound as exc:
        exc.field = "person"
        raise
    membership = services.member_admit(
        actor=request.user,
        cooperative=coop,
        person=person,
        joined_on=payload.joined_on,
        role=payload.role,
    )
    return Status(201, membership)


# --------------------------------------------------------------------------- persons


@router.get("/persons", response=list[PersonOut])
@paginate(LimitOffsetPagination)
def persons(
    request,
    q: str | None = None,
    commune: str | None = None,
    area: str | None = None,
    sex: str | None = None,
    cooperative: int | None = None,
):
    filters = {"q": q, "commune": commune, "area": area, "sex": sex, "cooperative": cooperative}
    return selectors.person_list(actor=request.user, filters=filters).order_by(
        "last_name", "first_name", "id"
    )


@router.post("/persons", response={201: PersonCreated})
def person_create(request, payload: PersonIn):
    person = services.person_create(actor=request.user, **payload.dict())
    duplicates = selectors.person_duplicates(actor=request.user, person=person)
    person.likely_duplicates = list(duplicates.values_list("pk", flat=True))
    return Status(201, person)


@router.get("/persons/{int:person_id}", response=PersonOut)
def person_detail(request, person_id: int):
    return selectors.person_get(actor=request.user, pk=person_id)


@router.get("/persons/{int:person_id}/personal-data", response=dict)
def person_personal_data(request, person_id: int):
    """Everything the registry holds on the person (law 2008-12: their own data, on
    request); the same scope as the person (404 otherwise)."""
    from registry.personal_data import person_personal_data as export

    return export(actor=request.user, pk=person_id)


# --------------------------------------------------------------------------- imports


@router.post("/imports/{kind}", response={200: ImportReportOut, 400: ImportFailedOut})
def import_file(request, kind: str, file: File[UploadedFile], dry_run: Form[bool] = False):
    """Import a CSV or XLSX file; with any error nothing is written (400 with the report)."""
    if kind not in KINDS:
        raise NotFound(
            _("Type d'import inconnu : %(kind)s (attendu : %(known)s).")
            % {"kind": kind, "known": ", ".join(KINDS)}
        )
    report = run_import(kind, file, actor=request.user, dry_run=dry_run, filename=file.name)
    body = {**report.as_dict(), "dry_run": report.dry_run}
    if report.errors:
        first = report.errors[0]
        return Status(
            400,
            {
                **body,
                "code": "import_errors",
                "message": f"{len(report.errors)} erreur(s) : rien n'a été enregistré.",
                "field": first.column or None,
            },
        )
    return Status(200, body)
