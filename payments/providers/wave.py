"""Wave (https://docs.wave.com): Checkout API, webhooks, Payout API, Balance API.

Settings: WAVE_BASE_URL (https://api.wave.com), WAVE_API_KEY, WAVE_WEBHOOK_SECRET and
WAVE_WEBHOOK_SECRETS_PREVIOUS (during a rotation), PAYMENTS_HTTP_TIMEOUT. Keys and
secrets are never logged nor put in an error message.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
from datetime import date, datetime

import httpx
from django.conf import settings

from payments.providers.base import (
    EXPIRED,
    FAILED,
    PENDING,
    SUCCEEDED,
    UNAVAILABLE_MESSAGE,
    CheckoutSession,
    InvalidSignature,
    PaymentProvider,
    PaymentState,
    PayoutState,
    ProviderEvent,
    ProviderUnavailable,
    StatementRow,
)

log = logging.getLogger(__name__)
WINDOW_SECONDS = 300
SESSION_EVENTS = {
    "checkout.session.completed",
    "checkout.session.payment_failed",
    "checkout.session.expired",
}


def whole_francs(value) -> int | None:
    """Wave's amounts are decimal strings ("1500"); None unless a whole number of francs."""
    try:
        text = str(value).strip()
        if not text or len(text) > 20:
            return None
        number = float(text)
        if number != int(number) or number < 0:
            return None
        return int(number)
    except (TypeError, ValueError, OverflowError):
        return None


def parse_time(value) -> datetime | None:
    if not value:
        return None
    try:
        return datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    except ValueError:
        return None


def session_state(data: dict) -> PaymentState:
    """A checkout session object (status call or webhook ``data``) in our words."""
    payment = str(data.get("payment_status") or "")
    checkout = str(data.get("checkout_status") or "")
    if payment == "succeeded":
        status = SUCCEEDED
    elif checkout == "expired":
        status = EXPIRED
    elif payment == "cancelled" or (checkout == "complete" and payment != "succeeded"):
        status = FAILED
    else:
        status = PENDING
    return PaymentState(
        status=status,
        reference=str(data.get("client_reference") or "")[:40],
        session_id=str(data.get("id") or "")[:80],
        transaction_id=str(data.get("transaction_id") or "")[:80],
        amount=whole_francs(data.get("amount")),
        currency=str(data.get("currency") or "")[:3],
        completed_at=parse_time(data.get("when_completed")),
    )


def signature_valid(header: str, body: bytes, secrets: list[str], now: float) -> bool:
    """``t=<unix>,v1=<hex>[,v1=<hex>...]``: any v1 = HMAC-SHA256(secret, t + body) for any
    of our secrets, and t within WINDOW_SECONDS of now."""
    parts = [p.strip().split("=", 1) for p in (header or "").split(",") if "=" in p]
    stamps = [v for k, v in parts if k == "t"]
    signatures = [v for k, v in parts if k == "v1"]
    if len(stamps) != 1 or not signatures or not stamps[0].isdigit() or len(stamps[0]) > 12:
        return False
    if abs(now - int(stamps[0])) > WINDOW_SECONDS:
        return False
    signed = stamps[0].encode() + body
    for secret in secrets:
        expected = hmac.new(secret.encode(), signed, hashlib.sha256).hexdigest()
        if any(hmac.compare_digest(expected, s) for s in signatures):
            return True
    return False


def sign(secret: str, body: bytes, t: int) -> str:
    """The header value Wave sends (used by the sandbox and the tests)."""
    digest = hmac.new(secret.encode(), str(t).encode() + body, hashlib.sha256).hexdigest()
    return f"t={t},v1={digest}"


class WaveProvider(PaymentProvider):
    code = "wave"
    label = "Wave"
    supports_refund = True

    def __init__(self):
        self.base_url = settings.WAVE_BASE_URL.rstrip("/")
        self.timeout = float(getattr(settings, "PAYMENTS_HTTP_TIMEOUT", 10))

    def _request(self, method: str, path: str, *, json_body=None, headers=None, params=None):
        all_headers = {"Authorization": f"Bearer {settings.WAVE_API_KEY}"}
        all_headers.update(headers or {})
        try:
            response = httpx.request(
                method,
                self.base_url + path,
                json=json_body,
                params=params,
                headers=all_headers,
                timeout=self.timeout,
            )
        except httpx.HTTPError as exc:
            log.warning("Wave %s %s failed: %s", method, path, type(exc).__name__)
            raise ProviderUnavailable(UNAVAILABLE_MESSAGE) from None
        if response.status_code >= 400:
            log.warning("Wave %s %s answered %s", method, path, response.status_code)
            raise ProviderUnavailable(UNAVAILABLE_MESSAGE)
        return response

    def _json(self, response) -> dict:
        try:
            data = response.json()
        except ValueError:
            raise ProviderUnavailable(UNAVAILABLE_MESSAGE) from None
        if not isinstance(data, dict):
            raise ProviderUnavailable(UNAVAILABLE_MESSAGE)
        return data

    def start_checkout(self, *, reference, amount, currency, phone, success_url, error_url):
        body = {
            "amount": str(int(amount)),
            "currency": currency,
            "client_reference": reference,
            "success_url": success_url,
            "error_url": error_url,
        }
        if getattr(settings, "WAVE_RESTRICT_PAYER_MOBILE", False) and phone:
            body["restrict_payer_mobile"] = phone
        data = self._json(self._request("POST", "/v1/checkout/sessions", json_body=body))
        if not data.get("id") or not data.get("wave_launch_url"):
            raise ProviderUnavailable(UNAVAILABLE_MESSAGE)
        return CheckoutSession(
            session_id=str(data["id"])[:80],
            checkout_url=str(data["wave_launch_url"])[:500],
            expires_at=parse_time(data.get("when_expires")),
        )

    def fetch_status(self, *, session_id, reference):
        data = self._json(self._request("GET", f"/v1/checkout/sessions/{session_id}"))
        return session_state(data)

    def refund(self, *, session_id, reference):
        """``POST /v1/checkout/sessions/{id}/refund`` (200, empty body): Wave sends the
        money back to the payer's wallet; the session then reads ``refunded``."""
        self._request("POST", f"/v1/checkout/sessions/{session_id}/refund")

    def refund_status(self, *, session_id, reference):
        data = self._json(self._request("GET", f"/v1/checkout/sessions/{session_id}"))
        payment = str(data.get("payment_status") or "")
        if payment == "refunded":
            return "succeeded"
        if payment == "succeeded":
            return "processing"  # not yet shown as refunded
        return "failed"

    def payout(self, *, idempotency_key, amount, currency, phone, name, reference, reason):
        body = {
            "currency": currency,
            "receive_amount": str(int(amount)),
            "mobile": phone,
            "name": name[:100],
            "client_reference": reference,
            "payment_reason": reason[:40],
        }
        response = self._request(
            "POST", "/v1/payout", json_body=body, headers={"idempotency-key": idempotency_key}
        )
        return self._payout_state(self._json(response))

    def payout_status(self, *, payout_id):
        return self._payout_state(self._json(self._request("GET", f"/v1/payout/{payout_id}")))

    def _payout_state(self, data: dict) -> PayoutState:
        status = str(data.get("status") or "processing")
        if status not in {"processing", "succeeded", "failed", "reversed"}:
            status = "processing"
        error = data.get("payout_error") or {}
        return PayoutState(
            payout_id=str(data.get("id") or "")[:80],
            status=status,
            fee=whole_francs(data.get("fee")) or 0,
            error=str(error.get("error_code", "") if isinstance(error, dict) else "")[:100],
        )

    def verify_webhook(self, *, headers, body, now):
        secrets = [settings.WAVE_WEBHOOK_SECRET, *settings.WAVE_WEBHOOK_SECRETS_PREVIOUS]
        secrets = [s for s in secrets if s]
        header = headers.get("Wave-Signature", "")
        if not secrets or not signature_valid(header, body, secrets, now):
            raise InvalidSignature()

    def parse_webhook(self, *, body):
        data = json.loads(body.decode("utf-8"))
        if not isinstance(data, dict) or not isinstance(data.get("id"), str) or not data["id"]:
            raise ValueError("not a Wave event")
        event_type = str(data.get("type") or "")[:60]
        inner = data.get("data")
        state = None
        if event_type in SESSION_EVENTS and isinstance(inner, dict):
            state = session_state(inner)
            if event_type == "checkout.session.payment_failed" and state.status == PENDING:
                state = PaymentState(**{**state.__dict__, "status": FAILED})
            if event_type == "checkout.session.expired" and state.status == PENDING:
                state = PaymentState(**{**state.__dict__, "status": EXPIRED})
        return ProviderEvent(event_id=data["id"][:100], event_type=event_type, state=state)

    def fetch_statement(self, *, on: date) -> list[StatementRow]:
        """Balance API: GET /v1/transactions?date=YYYY-MM-DD, every page (``cursor``)."""
        rows, cursor = [], None
        while True:
            params = {"date": on.isoformat()}
            if cursor:
                params["after"] = cursor
            data = self._json(self._request("GET", "/v1/transactions", params=params))
            rows.extend(statement_row(item) for item in data.get("items") or [])
            page = data.get("page_info") or {}
            cursor = page.get("end_cursor")
            if not page.get("has_next_page") or not cursor:
                return [r for r in rows if r is not None]


def statement_row(item) -> StatementRow | None:
    if not isinstance(item, dict):
        return None
    amount = whole_francs(str(item.get("amount", "")).lstrip("-"))
    when = parse_time(item.get("timestamp"))
    if amount is None or when is None:
        return None
    sign_ = -1 if str(item.get("amount", "")).strip().startswith("-") else 1
    return StatementRow(
        transaction_id=str(item.get("transaction_id") or "")[:80],
        when=when,
        amount=sign_ * amount,
        fee=whole_francs(str(item.get("fee", "0")).lstrip("-")) or 0,
        reference=str(item.get("client_reference") or "")[:40],
        phone=str(item.get("counterparty_mobile") or "")[:16],
    )
