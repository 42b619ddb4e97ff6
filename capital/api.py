"""Share capital API: the register, statutes and share operations."""

from __future__ import annotations

from datetime import date

from ninja import Field, Router, Schema
from ninja.pagination import LimitOffsetPagination, paginate

from capital import selectors, services
from capital.models import ShareOperation
from capital.rules import require_manage
from core import dates
from core.dates import QueryDate
from core.money import Amount
from registry.selectors import cooperative_get, person_get

router = Router(tags=["capital"])


class ShareLineOut(Schema):
    person: int
    subscribed: int
    paid: int
    shares: int


class StatutesOut(Schema):
    share_value: int
    max_proxies_per_holder: int
    fiscal_year_end_month: int
    ordinary_quorum_first: str
    ordinary_quorum_second: str
    ordinary_majority: str
    extraordinary_quorum_first: str
    extraordinary_quorum_second: str
    extraordinary_majority: str


class StatutesIn(Schema):
    share_value: int | None = None
    max_proxies_per_holder: int | None = None
    fiscal_year_end_month: int | None = None
    ordinary_quorum_first: str | None = None
    ordinary_quorum_second: str | None = None
    ordinary_majority: str | None = None
    extraordinary_quorum_first: str | None = None
    extraordinary_quorum_second: str | None = None
    extraordinary_majority: str | None = None


class OperationIn(Schema):
    kind: str = Field(description="subscription, payment, transfer, refund")
    person: int
    effective_on: date
    shares: int = 0
    amount: Amount | None = None
    to_person: int | None = None
    note: str = ""
    channel: str = Field("cash", description="cash, bank, mobile_money: its journal in the books")


class OperationOut(Schema):
    id: int
    cooperative: int = Field(alias="cooperative_id")
    kind: str
    status: str
    person: int = Field(alias="person_id")
    to_person: int | None = Field(None, alias="to_person_id")
    shares: int
    share_value: int
    amount: int
    effective_on: date
    channel: str
    note: str
    refusal_reason: str


class RefuseIn(Schema):
    reason: str


@router.get("/cooperatives/{coop_id}/shares", response=list[ShareLineOut])
def share_register(request, coop_id: int):
    coop = cooperative_get(actor=request.auth, pk=coop_id)
    return [
        {"person": h.person.pk, "subscribed": h.subscribed, "paid": h.paid, "shares": h.shares}
        for h in selectors.share_register(actor=request.auth, cooperative=coop)
    ]


@router.get("/cooperatives/{coop_id}/statutes", response=StatutesOut)
def statutes_get(request, coop_id: int):
    coop = cooperative_get(actor=request.auth, pk=coop_id)
    return selectors.statutes_get(actor=request.auth, cooperative=coop)


@router.patch("/cooperatives/{coop_id}/statutes", response=StatutesOut)
def statutes_update(request, coop_id: int, payload: StatutesIn):
    coop = cooperative_get(actor=request.auth, pk=coop_id)
    return services.statutes_update(
        cooperative=coop, actor=request.auth, **payload.dict(exclude_unset=True)
    )


@router.get("/cooperatives/{coop_id}/share-operations", response=list[OperationOut])
@paginate(LimitOffsetPagination)
def share_operation_list(request, coop_id: int, status: str | None = None, kind: str | None = None):
    coop = cooperative_get(actor=request.auth, pk=coop_id)
    return selectors.share_operation_list(
        actor=request.auth, cooperative=coop, status=status, kind=kind
    )


@router.post("/cooperatives/{coop_id}/share-operations", response={201: OperationOut})
def share_operation_request(request, coop_id: int, payload: OperationIn):
    coop = cooperative_get(actor=request.auth, pk=coop_id)
    require_manage(request.auth, coop)
    person = person_get(actor=request.auth, pk=payload.person)
    to_person = person_get(actor=request.auth, pk=payload.to_person) if payload.to_person else None
    op = services.share_operation_request(
        cooperative=coop,
        kind=payload.kind,
        person=person,
        to_person=to_person,
        shares=payload.shares,
        amount=payload.amount,
        channel=payload.channel,
        effective_on=payload.effective_on,
        note=payload.note,
        actor=request.auth,
    )
    return 201, op


@router.get("/share-operations/{op_id}", response=OperationOut)
def share_operation_get(request, op_id: int):
    return selectors.share_operation_get(actor=request.auth, pk=op_id)


def _decide(request, op_id: int, fn, **kwargs) -> ShareOperation:
    op = selectors.share_operation_get(actor=request.auth, pk=op_id)
    return fn(operation=op, actor=request.auth, **kwargs)


@router.post("/share-operations/{op_id}/approve", response=OperationOut)
def share_operation_approve(request, op_id: int):
    return _decide(request, op_id, services.share_operation_approve)


@router.post("/share-operations/{op_id}/execute", response=OperationOut)
def share_operation_execute(request, op_id: int):
    return _decide(request, op_id, services.share_operation_execute)


@router.post("/share-operations/{op_id}/refuse", response=OperationOut)
def share_operation_refuse(request, op_id: int, payload: RefuseIn):
    return _decide(request, op_id, services.share_operation_refuse, reason=payload.reason)


@router.get("/cooperatives/{coop_id}/shares/{person_id}/statement")
def capital_statement(request, coop_id: int, person_id: int, as_of: QueryDate | None = None):
    coop = cooperative_get(actor=request.auth, pk=coop_id)
    st = selectors.capital_statement(
        actor=request.auth,
        cooperative=coop,
        person_id=person_id,
        as_of=as_of or dates.today(),
    )
    return {
        "person": st.person.pk,
        "subscribed": st.holding.subscribed,
        "paid": st.holding.paid,
        "shares": st.holding.shares,
        "overdue": st.overdue,
        "next_due_on": st.due_on,
        "lines": [
            {
                "on": line.on,
                "label": str(line.label),
                "shares": line.shares,
                "subscribed": line.subscribed,
                "paid": line.paid,
            }
            for line in st.lines
        ],
    }
