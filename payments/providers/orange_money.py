"""Orange Money's merchant web payment ("OM WebPay"), behind the provider interface.

- Token: ``POST {ORANGE_MONEY_TOKEN_URL}`` (``Authorization: Basic base64(client_id:
  client_secret)``, form ``grant_type=client_credentials``) -> ``access_token``,
  ``expires_in``; kept in the cache until a minute before it expires.
- Payment: ``POST {ORANGE_MONEY_BASE_URL}/webpayment`` (bearer) with ``merchant_key``,
  ``currency``, ``order_id`` (our reference), ``amount``, ``return_url``, ``cancel_url``,
  ``notif_url``, ``lang``, ``reference`` -> ``pay_token``, ``payment_url``,
  ``notif_token``.
- Status: ``POST {ORANGE_MONEY_BASE_URL}/transactionstatus`` with ``order_id``,
  ``amount``, ``pay_token`` -> ``status`` (``INITIATED``, ``PENDING``, ``SUCCESS``,
  ``FAILED``, ``EXPIRED``), ``txnid``.

Orange Money's notifications are **not signed**: the app never believes one. The
notification URL (``/api/v1/webhooks/orange_money?ref=<reference>``) only makes the app
ask the status API (``payments.services.callback_confirm``); only a ``SUCCESS`` from that
call credits. The status call needs the amount and the pay token, which the interface's
``session_id`` carries as ``"<amount>:<pay_token>"``.

Money out and statements use Sonatel's Orange Money eWallet API (same OAuth token),
``ORANGE_MONEY_EWALLET_URL`` (``https://api.orange-sonatel.com/api/eWallet/v1``):

- Cash-in (a payout to a customer's wallet): ``POST /cashins`` with ``partner``
  (``idType`` ``MSISDN``, ``id`` = ORANGE_MONEY_PARTNER_MSISDN, ``encryptedPinCode`` =
  ORANGE_MONEY_PARTNER_PIN), ``customer`` (``idType`` ``MSISDN``, ``id``), ``amount``
  (``value``, ``unit``), ``reference`` (our payout's reference), ``receiveNotification``
  false; header ``Idempotency-Key`` (derived from our row) -> ``transactionId``,
  ``status`` (``SUCCESS``, ``PENDING``, ``FAILED``), ``fees``.
- ``GET /transactions/{transactionId}/status`` -> ``status``.
- Statement: ``GET /transactions?fromDateTime=&toDateTime=&page=&size=`` -> ``content``
  (``transactionId``, ``createdAt``, ``amount.value``, ``fees.value``, ``reference``,
  ``customer.id``, ``direction`` ``IN``/``OUT``), ``last`` (the last page).

The merchant payment API has no refund call: a refund is a payout to the payer
(``payments.services.payment_refund``).
"""

from __future__ import annotations

import logging
from datetime import date, datetime, time, timedelta

import httpx
from django.conf import settings
from django.core.cache import cache

from payments.providers.base import (
    EXPIRED,
    FAILED,
    PENDING,
    SUCCEEDED,
    UNAVAILABLE_MESSAGE,
    CheckoutSession,
    PaymentProvider,
    PaymentState,
    PayoutState,
    ProviderUnavailable,
    StatementRow,
)
from payments.providers.wave import parse_time, whole_francs

log = logging.getLogger(__name__)

STATUSES = {
    "SUCCESS": SUCCEEDED,
    "FAILED": FAILED,
    "EXPIRED": EXPIRED,
    "INITIATED": PENDING,
    "PENDING": PENDING,
}
TOKEN_CACHE_KEY = "payments:orange_money:token"


def _setting(name: str, default=""):
    return getattr(settings, name, default)


def split_session(session_id: str) -> tuple[int, str]:
    amount, _, pay_token = (session_id or "").partition(":")
    if not amount.isdigit() or not pay_token:
        raise ProviderUnavailable(UNAVAILABLE_MESSAGE)
    return int(amount), pay_token


class OrangeMoneyProvider(PaymentProvider):
    code = "orange_money"
    label = "Orange Money"

    def __init__(self):
        self.base_url = _setting("ORANGE_MONEY_BASE_URL").rstrip("/")
        self.timeout = float(_setting("PAYMENTS_HTTP_TIMEOUT", 10))

    # ------------------------------------------------------------------ transport
    def _post(self, url: str, **kwargs) -> dict:
        return self._send("POST", url, **kwargs)

    def _send(self, method: str, url: str, **kwargs) -> dict:
        name = url.split("?")[0].rsplit("/", 1)[-1]
        try:
            response = httpx.request(method, url, timeout=self.timeout, **kwargs)
        except httpx.HTTPError as exc:
            log.warning("Orange Money %s %s failed: %s", method, name, type(exc).__name__)
            raise ProviderUnavailable(UNAVAILABLE_MESSAGE) from None
        if response.status_code >= 400:
            log.warning("Orange Money %s %s answered %s", method, name, response.status_code)
            raise ProviderUnavailable(UNAVAILABLE_MESSAGE)
        try:
            data = response.json()
        except ValueError:
            raise ProviderUnavailable(UNAVAILABLE_MESSAGE) from None
        if not isinstance(data, dict):
            raise ProviderUnavailable(UNAVAILABLE_MESSAGE)
        return data

    def _token(self) -> str:
        token = cache.get(TOKEN_CACHE_KEY)
        if token:
            return token
        data = self._post(
            _setting("ORANGE_MONEY_TOKEN_URL"),
            data={"grant_type": "client_credentials"},
            auth=(_setting("ORANGE_MONEY_CLIENT_ID"), _setting("ORANGE_MONEY_CLIENT_SECRET")),
        )
        token = str(data.get("access_token") or "")
        if not token:
            raise ProviderUnavailable(UNAVAILABLE_MESSAGE)
        try:
            ttl = int(data.get("expires_in") or 3600)
        except (TypeError, ValueError):
            ttl = 3600
        cache.set(TOKEN_CACHE_KEY, token, timeout=max(60, min(ttl, 86_400) - 60))
        return token

    def _api(self, path: str, body: dict) -> dict:
        headers = {"Authorization": f"Bearer {self._token()}", "Accept": "application/json"}
        return self._post(f"{self.base_url}/{path}", json=body, headers=headers)

    def _ewallet(self, method: str, path: str, *, body=None, params=None, headers=None) -> dict:
        base = str(_setting("ORANGE_MONEY_EWALLET_URL")).rstrip("/")
        all_headers = {"Authorization": f"Bearer {self._token()}", "Accept": "application/json"}
        all_headers.update(headers or {})
        return self._send(method, base + path, json=body, params=params, headers=all_headers)

    # ------------------------------------------------------------------ interface
    def start_checkout(self, *, reference, amount, currency, phone, success_url, error_url):
        public = _setting("PAYMENTS_PUBLIC_URL", "").rstrip("/")
        data = self._api(
            "webpayment",
            {
                "merchant_key": _setting("ORANGE_MONEY_MERCHANT_KEY"),
                "currency": _setting("ORANGE_MONEY_CURRENCY", "XOF") or currency,
                "order_id": reference,
                "amount": int(amount),
                "return_url": success_url,
                "cancel_url": error_url,
                "notif_url": f"{public}/api/v1/webhooks/orange_money?ref={reference}",
                "lang": "fr",
                "reference": "SunuCoop",
            },
        )
        pay_token, payment_url = (
            str(data.get("pay_token") or ""),
            str(data.get("payment_url") or ""),
        )
        if not pay_token or not payment_url or len(pay_token) > 64:
            raise ProviderUnavailable(UNAVAILABLE_MESSAGE)
        return CheckoutSession(session_id=f"{int(amount)}:{pay_token}", checkout_url=payment_url)

    def fetch_status(self, *, session_id: str, reference: str) -> PaymentState:
        amount, pay_token = split_session(session_id)
        data = self._api(
            "transactionstatus", {"order_id": reference, "amount": amount, "pay_token": pay_token}
        )
        status = STATUSES.get(str(data.get("status", "")).upper())
        if status is None:
            raise ProviderUnavailable(UNAVAILABLE_MESSAGE)
        if str(data.get("order_id", reference)) != reference:
            raise ProviderUnavailable(UNAVAILABLE_MESSAGE)
        return PaymentState(
            status=status,
            reference=reference,
            session_id=session_id,
            transaction_id=str(data.get("txnid") or "")[:80],
            amount=amount,
            currency="XOF",
        )

    def verify_webhook(self, *, headers, body: bytes, now: float) -> None:
        """Orange Money signs nothing: a notification is never applied as such (see
        ``payments.services.callback_confirm``, which asks the status API instead)."""
        return None

    # ------------------------------------------------------------------ money out
    def payout(self, *, idempotency_key, amount, currency, phone, name, reference, reason):
        body = {
            "partner": {
                "idType": "MSISDN",
                "id": _setting("ORANGE_MONEY_PARTNER_MSISDN"),
                "encryptedPinCode": _setting("ORANGE_MONEY_PARTNER_PIN"),
            },
            "customer": {"idType": "MSISDN", "id": phone.lstrip("+")},
            "amount": {"value": int(amount), "unit": currency},
            "reference": reference,
            "receiveNotification": False,
        }
        data = self._ewallet(
            "POST", "/cashins", body=body, headers={"Idempotency-Key": idempotency_key}
        )
        return _cashin_state(data)

    def payout_status(self, *, payout_id):
        data = self._ewallet("GET", f"/transactions/{payout_id}/status")
        return _cashin_state({**data, "transactionId": payout_id})

    def fetch_statement(self, *, on: date) -> list[StatementRow]:
        """The wallet's transactions of the day, every page."""
        start = datetime.combine(on, time.min)
        params = {
            "fromDateTime": start.isoformat(),
            "toDateTime": (start + timedelta(days=1)).isoformat(),
            "size": 500,
        }
        rows, page = [], 0
        while page < 10_000:
            data = self._ewallet("GET", "/transactions", params={**params, "page": page})
            rows.extend(_statement_row(item) for item in data.get("content") or [])
            if data.get("last", True):
                return [r for r in rows if r is not None]
            page += 1
        raise ProviderUnavailable(UNAVAILABLE_MESSAGE)


CASHIN_STATUSES = {"SUCCESS": "succeeded", "FAILED": "failed", "CANCELLED": "failed"}


def _value(obj) -> int | None:
    if isinstance(obj, dict):
        obj = obj.get("value")
    return whole_francs(obj)


def _cashin_state(data: dict) -> PayoutState:
    status = CASHIN_STATUSES.get(str(data.get("status") or "").upper(), "processing")
    return PayoutState(
        payout_id=str(data.get("transactionId") or "")[:80],
        status=status,
        fee=_value(data.get("fees")) or 0,
        error=str(data.get("errorCode") or "")[:100] if status == "failed" else "",
    )


def _statement_row(item) -> StatementRow | None:
    if not isinstance(item, dict):
        return None
    amount, when = _value(item.get("amount")), parse_time(item.get("createdAt"))
    if not amount or when is None or not item.get("transactionId"):
        return None
    customer = item.get("customer") if isinstance(item.get("customer"), dict) else {}
    phone = str(customer.get("id") or "")
    return StatementRow(
        transaction_id=str(item["transactionId"])[:80],
        when=when,
        amount=-amount if str(item.get("direction")).upper() == "OUT" else amount,
        fee=_value(item.get("fees")) or 0,
        reference=str(item.get("reference") or "")[:40],
        phone=("+" + phone if phone.isdigit() else phone)[:16],
    )
