"""Events' API (docs/api.md, "Network portal"; docs/events.md): an ended event's fee
statement and its payout to the organiser. Thin: parse, call a service or a selector,
shape. The organiser's accounts and the network's administrators only (403 for other
signed-in users: the event itself is public; 404 for an unknown event)."""

import datetime
from decimal import Decimal
from typing import Literal

from ninja import Router, Schema, Status
from pydantic import conint

from events import selectors, services

router = Router(tags=["events"])
Id = conint(ge=1, le=2_147_483_647)


class PayoutOut(Schema):
    reference: str
    status: str
    amount: int
    provider: str


class FeeLineOut(Schema):
    registration: int
    participant_name: str
    organisation: str
    paid: int


class RefundOut(Schema):
    registration: int
    participant_name: str
    paid: int
    refunded_at: datetime.datetime | None
    refund: PayoutOut | None


class BookLineOut(Schema):
    account: str
    debit: int
    credit: int
    balance: int


class StatementOut(Schema):
    event: int
    title: str
    organiser: str
    ends_at: datetime.datetime
    status: str
    registrations_paid: int
    collected: int
    refunded: int
    commission_percent: Decimal
    commission: int
    net: int
    settled_at: datetime.datetime | None
    paid_out_at: datetime.datetime | None
    payout: PayoutOut | None
    fees: list[FeeLineOut]
    refunds: list[RefundOut]
    book_lines: list[BookLineOut]


def _out(statement) -> dict:
    event, settlement = statement.event, statement.settlement
    return {
        "event": event.pk,
        "title": event.title,
        "organiser": event.organiser.name,
        "ends_at": event.ends_at,
        "status": statement.status,
        **statement.figures,
        "settled_at": settlement.settled_at if settlement else None,
        "paid_out_at": settlement.paid_out_at if settlement else None,
        "payout": statement.payout,
        "fees": [
            {
                "registration": r.pk,
                "participant_name": r.participant_name,
                "organisation": r.organisation.name,
                "paid": r.paid,
            }
            for r in statement.registrations
        ],  # fmt: skip
        "refunds": [
            {
                "registration": r.pk,
                "participant_name": r.participant_name,
                "paid": r.paid,
                "refunded_at": r.refunded_at,
                "refund": r.refund,
            }
            for r in statement.cancelled
        ],  # fmt: skip
        "book_lines": statement.book_lines,
    }


def _statement(request, event_id: int):
    event = selectors.event_get(actor=request.auth, pk=event_id)
    return event, _out(selectors.payout_statement(actor=request.auth, event=event))


@router.get("/network/events/{int:event_id}/payout", response=StatementOut)
def event_payout_statement(request, event_id: Id):
    """The fee statement: fees paid, the platform's commission, the net, the payout and
    the platform's book lines of the event, by account."""
    return _statement(request, event_id)[1]


@router.post(
    "/network/events/{int:event_id}/payout", response={200: StatementOut, 201: StatementOut}
)
def event_payout_request(request, event_id: Id):
    """Ask for the organiser's payout once the event has ended: 201 when a payout was
    made, 200 when the live one (or the one paid, or nothing to pay) is answered."""
    event = selectors.event_get(actor=request.auth, pk=event_id)
    _settlement, created = services.event_payout_request(actor=request.auth, event=event)
    return Status(201 if created else 200, _statement(request, event_id)[1])


class DecisionIn(Schema):
    decision: Literal["approve", "refuse"]


@router.post("/network/events/{int:event_id}/payout/approve", response=StatementOut)
def event_payout_approve(request, event_id: Id, payload: DecisionIn):
    """A network administrator other than the requester approves (then it is sent) or
    refuses a payout above payments' threshold."""
    event = selectors.event_get(actor=request.auth, pk=event_id)
    services.event_payout_approve(
        actor=request.auth, event=event, approve=payload.decision == "approve"
    )
    return _statement(request, event_id)[1]
