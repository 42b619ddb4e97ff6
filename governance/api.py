"""Governance API: mandates, general assemblies, attendance, resolutions and votes."""

from __future__ import annotations

from datetime import date

from ninja import Field, Router, Schema
from ninja.pagination import LimitOffsetPagination, paginate

from core import dates
from core.dates import QueryDate
from governance import selectors, services
from governance.rules import require_follow_approvals, require_manage
from registry.selectors import cooperative_get, person_get

router = Router(tags=["governance"])


class AssemblyIn(Schema):
    kind: str = Field(description="ordinaire ou extraordinaire")
    held_on: date
    notice_sent_on: date
    agenda: str
    convocation: int = 1
    place: str = ""


class AssemblyOut(Schema):
    id: int
    cooperative: int = Field(alias="cooperative_id")
    kind: str
    convocation: int
    held_on: date
    notice_sent_on: date
    agenda: str
    place: str
    status: str


class AttendanceIn(Schema):
    person: int
    proxy_holder: int | None = None


class AttendanceOut(Schema):
    id: int
    person: int = Field(alias="person_id")
    proxy_holder: int | None = Field(None, alias="proxy_holder_id")


class ResolutionIn(Schema):
    title: str
    text: str = ""
    approves_accounts_year: int | None = None


class ResolutionOut(Schema):
    id: int
    number: int
    title: str
    text: str
    approves_accounts_year: int | None
    votes_for: int | None
    votes_against: int | None
    abstentions: int | None
    passed: bool | None


class VoteIn(Schema):
    votes_for: int
    votes_against: int
    abstentions: int = 0


class CloseIn(Schema):
    chaired_by: str = ""
    secretary: str = ""


class MandateIn(Schema):
    body: str
    person: int
    office: str = "membre"
    starts_on: date
    ends_on: date


class MandateOut(Schema):
    id: int
    body: str
    person: int = Field(alias="person_id")
    office: str
    starts_on: date
    ends_on: date
    ended_on: date | None


def _results(assembly) -> dict:
    r = selectors.assembly_results(assembly)
    return {
        "assembly": assembly.pk,
        "status": assembly.status,
        "members": r.members,
        "present": r.present,
        "represented": r.represented,
        "quorum": r.quorum,
        "majority": r.majority,
        "quorum_reached": r.quorum_reached,
        "resolutions": [
            {
                "id": x.resolution.pk,
                "number": x.resolution.number,
                "title": x.resolution.title,
                "votes_for": x.resolution.votes_for,
                "votes_against": x.resolution.votes_against,
                "abstentions": x.resolution.abstentions,
                "passed": x.passed,
            }
            for x in r.resolutions
        ],
    }


@router.get("/cooperatives/{coop_id}/assemblies", response=list[AssemblyOut])
@paginate(LimitOffsetPagination)
def assembly_list(request, coop_id: int, kind: str | None = None):
    coop = cooperative_get(actor=request.auth, pk=coop_id)
    return selectors.assembly_list(actor=request.auth, cooperative=coop, kind=kind)


@router.post("/cooperatives/{coop_id}/assemblies", response={201: AssemblyOut})
def assembly_convene(request, coop_id: int, payload: AssemblyIn):
    coop = cooperative_get(actor=request.auth, pk=coop_id)
    assembly = services.assembly_convene(cooperative=coop, actor=request.auth, **payload.dict())
    return 201, assembly


@router.get("/assemblies/{assembly_id}", response=AssemblyOut)
def assembly_get(request, assembly_id: int):
    return selectors.assembly_get(actor=request.auth, pk=assembly_id)


@router.get("/assemblies/{assembly_id}/results")
def assembly_results(request, assembly_id: int):
    return _results(selectors.assembly_get(actor=request.auth, pk=assembly_id))


@router.get("/assemblies/{assembly_id}/attendance", response=list[AttendanceOut])
def attendance_list(request, assembly_id: int):
    assembly = selectors.assembly_get(actor=request.auth, pk=assembly_id)
    return selectors.assembly_results(assembly).attendances


@router.post("/assemblies/{assembly_id}/attendance", response={201: AttendanceOut})
def attendance_record(request, assembly_id: int, payload: AttendanceIn):
    assembly = selectors.assembly_get(actor=request.auth, pk=assembly_id)
    require_manage(request.auth, assembly.cooperative)
    person = person_get(actor=request.auth, pk=payload.person)
    holder = (
        person_get(actor=request.auth, pk=payload.proxy_holder) if payload.proxy_holder else None
    )
    line = services.attendance_record(
        assembly=assembly, person=person, proxy_holder=holder, actor=request.auth
    )
    return 201, line


@router.delete("/attendance/{attendance_id}", response={204: None})
def attendance_remove(request, attendance_id: int):
    line = selectors.attendance_get(actor=request.auth, pk=attendance_id)
    services.attendance_remove(attendance=line, actor=request.auth)
    return 204, None


@router.get("/assemblies/{assembly_id}/resolutions", response=list[ResolutionOut])
def resolution_list(request, assembly_id: int):
    assembly = selectors.assembly_get(actor=request.auth, pk=assembly_id)
    return list(assembly.resolutions.order_by("number"))


@router.post("/assemblies/{assembly_id}/resolutions", response={201: ResolutionOut})
def resolution_add(request, assembly_id: int, payload: ResolutionIn):
    assembly = selectors.assembly_get(actor=request.auth, pk=assembly_id)
    return 201, services.resolution_add(assembly=assembly, actor=request.auth, **payload.dict())


@router.post("/resolutions/{resolution_id}/votes", response=ResolutionOut)
def resolution_vote(request, resolution_id: int, payload: VoteIn):
    resolution = selectors.resolution_get(actor=request.auth, pk=resolution_id)
    return services.resolution_vote(resolution=resolution, actor=request.auth, **payload.dict())


@router.post("/assemblies/{assembly_id}/close")
def assembly_close(request, assembly_id: int, payload: CloseIn):
    assembly = selectors.assembly_get(actor=request.auth, pk=assembly_id)
    assembly = services.assembly_close(assembly=assembly, actor=request.auth, **payload.dict())
    return _results(assembly)


@router.get("/cooperatives/{coop_id}/mandates", response=list[MandateOut])
@paginate(LimitOffsetPagination)
def mandate_list(request, coop_id: int):
    coop = cooperative_get(actor=request.auth, pk=coop_id)
    return selectors.mandate_list(actor=request.auth, cooperative=coop)


@router.post("/cooperatives/{coop_id}/mandates", response={201: MandateOut})
def mandate_assign(request, coop_id: int, payload: MandateIn):
    coop = cooperative_get(actor=request.auth, pk=coop_id)
    require_manage(request.auth, coop)
    person = person_get(actor=request.auth, pk=payload.person)
    data = payload.dict()
    data.pop("person")
    return 201, services.mandate_assign(cooperative=coop, person=person, actor=request.auth, **data)


@router.get("/governance/late-accounts")
def late_accounts(request, as_of: QueryDate | None = None):
    """Cooperatives whose ordinary assembly has not approved last year's accounts in time
    (agents and the national role, as the page: 403 for the others)."""
    require_follow_approvals(request.auth)
    rows = selectors.accounts_approval_late_list(actor=request.auth, as_of=as_of or dates.today())
    return [
        {
            "cooperative": r.cooperative.pk,
            "name": r.cooperative.name,
            "year_end": r.year_end,
            "deadline": r.deadline,
        }
        for r in rows
    ]
