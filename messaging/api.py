"""The gateway's callbacks (no user token: the gateway sends ``X-Gateway-Token``, compared
with ``settings.SMS_CALLBACK_TOKEN``; without that setting every callback is refused).

- ``POST /api/v1/sms/receipts`` ``{"id", "status", "error"?}``: a delivery receipt.
- ``POST /api/v1/sms/inbound`` ``{"id"?, "from", "text"}``: a reply (STOP/ARRET: opt-out).
"""

from __future__ import annotations

import hmac

from django.conf import settings
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema
from ninja.errors import AuthenticationError

from messaging import services

router = Router(tags=["sms"])


def gateway_token(request):
    expected = getattr(settings, "SMS_CALLBACK_TOKEN", "") or ""
    given = request.headers.get("X-Gateway-Token", "")
    if expected and given and hmac.compare_digest(given.encode(), expected.encode()):
        return True
    raise AuthenticationError()


class ReceiptIn(Schema):
    id: str
    status: str
    error: str = ""


class InboundIn(Schema):
    id: str = ""
    sender: str = Field(alias="from")
    text: str = ""


class Ack(Schema):
    status: str
    message: str


@router.post("/sms/receipts", auth=gateway_token, response={200: Ack}, url_name="sms_receipt")
def sms_receipt(request, payload: ReceiptIn):
    receipt = services.receipt_record(
        provider_id=payload.id, status=payload.status, error=payload.error
    )
    known = receipt.message_id is not None
    return {
        "status": "recorded" if known else "unknown_message",
        "message": _("Accusé enregistré.") if known else _("Accusé enregistré (SMS inconnu)."),
    }


@router.post("/sms/inbound", auth=gateway_token, response={200: Ack}, url_name="sms_inbound")
def sms_inbound(request, payload: InboundIn):
    inbound = services.inbound_record(
        phone=payload.sender, text=payload.text, provider_id=payload.id
    )
    return {"status": inbound.action or "recorded", "message": _("SMS reçu enregistré.")}
