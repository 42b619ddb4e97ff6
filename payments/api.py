"""Payments API (docs/api.md, docs/payments.md). Thin: parse, call, shape."""

from __future__ import annotations

from django.http import JsonResponse
from django.utils.translation import gettext as _
from ninja import File, Form, Router, Schema, UploadedFile
from ninja.errors import AuthenticationError

from payments import selectors, services
from payments.models import LineStatus
from payments.providers.base import InvalidSignature
from payments.ratelimit import allowed

router = Router(tags=["payments"])


class PaymentIn(Schema):
    purpose: str
    target: int
    amount: int
    phone: str
    provider: str


class PaymentStarted(Schema):
    id: int
    reference: str
    status: str
    checkout_url: str


class PaymentOut(Schema):
    id: int
    reference: str
    purpose: str
    target: int
    amount: int
    currency: str
    phone: str
    provider: str
    status: str
    needs_review: bool
    provider_transaction: str
    checkout_url: str
    created_at: str
    paid_at: str | None

    @staticmethod
    def resolve_target(obj):
        return obj.target_id

    @staticmethod
    def resolve_provider_transaction(obj):
        return obj.provider_transaction_id

    @staticmethod
    def resolve_created_at(obj):
        return obj.created_at.isoformat()

    @staticmethod
    def resolve_paid_at(obj):
        return obj.paid_at.isoformat() if obj.paid_at else None


@router.post("/payments", response={201: PaymentStarted})
def payment_start(request, payload: PaymentIn):
    intent = services.payment_start(
        purpose=payload.purpose[:32],
        target_id=payload.target,
        amount=payload.amount,
        phone=payload.phone[:40],
        provider=payload.provider[:16],
        actor=request.auth,
    )
    return 201, intent


@router.get("/payments/{int:payment_id}", response=PaymentOut)
def payment_get(request, payment_id: int):
    return selectors.payment_get(actor=request.auth, pk=payment_id)


class LineOut(Schema):
    transaction_id: str
    date: str
    amount: int
    fee: int
    reference: str
    phone: str

    @staticmethod
    def resolve_date(obj):
        return obj.occurred_at.isoformat()


class ReconciliationOut(Schema):
    statement: int
    lines_read: int
    lines_new: int
    matched: int
    unmatched: list[LineOut]


@router.post("/payments/reconciliation", response=ReconciliationOut)
def reconciliation(
    request,
    file: File[UploadedFile],
    provider: Form[str] = "wave",
    cooperative: Form[int | None] = None,
):
    """A provider's statement (CSV or XLSX): lines matched, the others in suspense."""
    stmt = services.statement_upload(
        source=file,
        filename=(file.name or "")[:120],
        provider=provider[:16],
        cooperative_id=cooperative,
        actor=request.auth,
    )
    lines = list(stmt.lines.order_by("occurred_at", "id"))
    return {
        "statement": stmt.pk,
        "lines_read": stmt.lines_read,
        "lines_new": stmt.lines_new,
        "matched": sum(1 for ln in lines if ln.status == LineStatus.MATCHED),
        "unmatched": [ln for ln in lines if ln.status == LineStatus.UNMATCHED],
    }


@router.post("/webhooks/orange_money", auth=None, response={200: dict, 429: dict})
def webhook_orange_money(request, ref: str = ""):
    """Orange Money's notifications (unsigned): they only trigger a status call to Orange
    Money (payments.services.callback_confirm); only a confirmed success credits."""
    if not allowed(request, "webhook-orange-money"):
        return 429, {"code": "rate_limited", "message": _("Trop de requêtes."), "field": None}
    outcome = services.callback_confirm(
        provider="orange_money", reference=ref[:100], body=request.body
    )
    return JsonResponse({"received": True, "outcome": outcome})


@router.post("/webhooks/wave", auth=None, response={200: dict, 429: dict})
def webhook_wave(request):
    """Wave's events (no token: the Wave-Signature header authenticates them)."""
    if not allowed(request, "webhook-wave"):
        return 429, {"code": "rate_limited", "message": _("Trop de requêtes."), "field": None}
    try:
        outcome = services.webhook_receive(
            provider="wave", headers=request.headers, body=request.body
        )
    except InvalidSignature:
        raise AuthenticationError() from None
    return JsonResponse({"received": True, "outcome": outcome})
