"""Orange Money's sandbox: the merchant web payment API (OAuth token, ``webpayment``,
``transactionstatus``) and the payment page where the payer approves or refuses.

Paths: ``POST /oauth/v3/token`` (Basic ``client_id:client_secret`` when
``ORANGE_MONEY_CLIENT_ID`` is configured), ``POST /orange-money-webpay/dev/v1/webpayment``
and ``/transactionstatus`` (bearer token), ``GET/POST /payment/pay_token/<token>`` (the
page). On approval or refusal, an (unsigned, as Orange Money's) notification
``{"status", "notif_token", "txnid"}`` goes to the payment's ``notif_url``, then the payer
is sent to ``return_url`` or ``cancel_url``. ``POST /_sandbox/notifications/off|on`` stops
and resumes the notifications (to test missing ones).

The eWallet API (``/api/eWallet/v1``, bearer token): ``POST /cashins`` (a payout; the
``Idempotency-Key`` header, or else the ``reference``, is paid once; a customer number
ending in 0000 fails), ``GET /transactions/<id>/status``, ``GET /transactions`` (the
wallet's transactions between ``fromDateTime`` and ``toDateTime``, paged by ``page`` and
``size``): payments approved on the page (IN) and cash-ins (OUT), fee 1 %.
"""

from __future__ import annotations

import base64
import html
import json
import secrets
import threading
import urllib.error
import urllib.request
from datetime import UTC, datetime

from sandboxes.server import Request, Response, Sandbox

API = "/orange-money-webpay/dev/v1"
EWALLET = "/api/eWallet/v1"


def _stamp() -> str:
    return datetime.now(UTC).replace(microsecond=0).strftime("%Y-%m-%dT%H:%M:%SZ")


class OrangeMoneySandbox(Sandbox):
    name = "orange_money"

    def __init__(self, config=None):
        super().__init__(config)
        self.payments: dict[str, dict] = {}  # by pay_token
        self.tokens: set[str] = set()
        self.notifications_on = True
        self.sent: list[dict] = []
        self.cashins: dict[str, dict] = {}  # by transactionId
        self.cashin_keys: dict[str, str] = {}  # idempotency key -> transactionId
        self.transactions: list[dict] = []

    def settings_for(self, url):
        return {
            "ORANGE_MONEY_BASE_URL": url + API,
            "ORANGE_MONEY_TOKEN_URL": url + "/oauth/v3/token",
            "ORANGE_MONEY_CLIENT_ID": self.config.get("ORANGE_MONEY_CLIENT_ID", ""),
            "ORANGE_MONEY_CLIENT_SECRET": self.config.get("ORANGE_MONEY_CLIENT_SECRET", ""),
            "ORANGE_MONEY_MERCHANT_KEY": self.config.get("ORANGE_MONEY_MERCHANT_KEY", ""),
            "ORANGE_MONEY_EWALLET_URL": url + EWALLET,
            "ORANGE_MONEY_CHECKOUT_ORIGIN": url,
        }

    def handle(self, request: Request) -> Response:
        path, method = request.path.rstrip("/") or "/", request.method
        parts = path.strip("/").split("/")
        if path == "/oauth/v3/token" and method == "POST":
            return self._token(request)
        if parts[:2] == ["payment", "pay_token"] and len(parts) == 3:
            return self._page(request, parts[2])
        if parts[:2] == ["_sandbox", "notifications"] and len(parts) == 3:
            self.notifications_on = parts[2] == "on"
            return Response.json({"notifications": self.notifications_on})
        if path.startswith(EWALLET + "/"):
            if not self._bearer_ok(request):
                return Response.json({"code": 42, "message": "Expired credentials"}, 401)
            return self._ewallet(request, path[len(EWALLET) :].strip("/").split("/"))
        if path.startswith(API + "/") and method == "POST":
            if not self._bearer_ok(request):
                return Response.json({"code": 42, "message": "Expired credentials"}, 401)
            if path == API + "/webpayment":
                return self._webpayment(request)
            if path == API + "/transactionstatus":
                return self._status(request)
        return Response.json({"code": 404, "message": "Resource not found"}, 404)

    # ------------------------------------------------------------------ API
    def _token(self, request: Request) -> Response:
        client_id = self.config.get("ORANGE_MONEY_CLIENT_ID", "")
        if client_id:
            expected = base64.b64encode(
                f"{client_id}:{self.config.get('ORANGE_MONEY_CLIENT_SECRET', '')}".encode()
            ).decode()
            given = request.headers.get("Authorization") or request.headers.get("authorization")
            if not secrets.compare_digest(given or "", f"Basic {expected}"):
                return Response.json({"error": "invalid_client"}, 401)
        if request.form().get("grant_type") != "client_credentials":
            return Response.json({"error": "unsupported_grant_type"}, 400)
        token = secrets.token_hex(16)
        with self.lock:
            self.tokens.add(token)
        return Response.json(
            {"token_type": "Bearer", "access_token": token, "expires_in": "7776000"}
        )

    def _bearer_ok(self, request: Request) -> bool:
        given = request.headers.get("Authorization") or request.headers.get("authorization") or ""
        return given.startswith("Bearer ") and given[7:] in self.tokens

    def _webpayment(self, request: Request) -> Response:
        body = request.json()
        required = (
            "merchant_key",
            "currency",
            "order_id",
            "amount",
            "return_url",
            "cancel_url",
            "notif_url",
        )
        if not isinstance(body, dict) or any(body.get(k) in (None, "") for k in required):
            return Response.json({"code": 1, "message": "Missing parameter"}, 400)
        key = self.config.get("ORANGE_MONEY_MERCHANT_KEY", "")
        if key and body["merchant_key"] != key:
            return Response.json({"code": 2, "message": "Invalid merchant key"}, 400)
        try:
            amount = int(body["amount"])
        except (TypeError, ValueError):
            return Response.json({"code": 3, "message": "Invalid amount"}, 400)
        pay_token = "v1" + secrets.token_hex(16)
        payment = {
            **body,
            "amount": amount,
            "pay_token": pay_token,
            "status": "INITIATED",
            "notif_token": secrets.token_hex(16),
            "txnid": "",
        }
        with self.lock:
            self.payments[pay_token] = payment
        return Response.json(
            {
                "status": 201,
                "message": "OK",
                "pay_token": pay_token,
                "payment_url": f"{self.url}/payment/pay_token/{pay_token}",
                "notif_token": payment["notif_token"],
            },
            201,
        )

    def _status(self, request: Request) -> Response:
        body = request.json()
        if not isinstance(body, dict):
            return Response.json({"code": 1, "message": "Missing parameter"}, 400)
        payment = self.payments.get(str(body.get("pay_token", "")))
        if (
            payment is None
            or payment["order_id"] != body.get("order_id")
            or str(payment["amount"]) != str(body.get("amount"))
        ):
            return Response.json({"code": 4, "message": "Transaction not found"}, 404)
        return Response.json(
            {
                "status": payment["status"],
                "order_id": payment["order_id"],
                "txnid": payment["txnid"],
            }
        )

    # ------------------------------------------------------------------ eWallet
    def _record(self, txid: str, direction: str, amount: int, reference: str, phone: str):
        self.transactions.append(
            {
                "transactionId": txid,
                "createdAt": _stamp(),
                "direction": direction,
                "amount": {"value": amount, "unit": "XOF"},
                "fees": {"value": amount // 100, "unit": "XOF"},
                "reference": reference,
                "customer": {"idType": "MSISDN", "id": phone},
            }
        )

    def _ewallet(self, request: Request, parts: list[str]) -> Response:
        if parts == ["cashins"] and request.method == "POST":
            return self._cashin(request)
        if len(parts) == 3 and parts[0] == "transactions" and parts[2] == "status":
            found = self.cashins.get(parts[1])
            if found is None:
                return Response.json({"code": 4, "message": "Transaction not found"}, 404)
            return Response.json({"transactionId": parts[1], "status": found["status"]})
        if parts == ["transactions"] and request.method == "GET":
            return self._transactions(request)
        return Response.json({"code": 404, "message": "Resource not found"}, 404)

    def _cashin(self, request: Request) -> Response:
        body = request.json()
        try:
            amount = int(body["amount"]["value"])
            customer = str(body["customer"]["id"])
            reference = str(body.get("reference") or "")
        except (TypeError, KeyError, ValueError):
            return Response.json({"code": 1, "message": "Missing parameter"}, 400)
        key = request.headers.get("Idempotency-Key") or reference
        with self.lock:
            if key and key in self.cashin_keys:
                return Response.json(self.cashins[self.cashin_keys[key]])
            ok = amount > 0 and not customer.endswith("0000")
            txid = "CI" + secrets.token_hex(6).upper()
            cashin = {
                "transactionId": txid,
                "status": "SUCCESS" if ok else "FAILED",
                "errorCode": "" if ok else "CUSTOMER_NOT_FOUND",
                "fees": {"value": amount // 100 if ok else 0, "unit": "XOF"},
                "reference": reference,
            }
            self.cashins[txid] = cashin
            if key:
                self.cashin_keys[key] = txid
            if ok:
                self._record(txid, "OUT", amount, reference, customer)
        return Response.json(cashin)

    def _transactions(self, request: Request) -> Response:
        start = request.query.get("fromDateTime", "")[:10]
        end = request.query.get("toDateTime", "")[:19]
        items = [
            t
            for t in self.transactions
            if (not start or t["createdAt"][:10] >= start)
            and (not end or t["createdAt"][:19] < end.replace("+00:00", ""))
        ]
        size = max(1, min(int(request.query.get("size") or 100), 1000))
        page = max(0, int(request.query.get("page") or 0))
        chunk = items[page * size : (page + 1) * size]
        return Response.json({"content": chunk, "last": (page + 1) * size >= len(items)})

    # ------------------------------------------------------------------ payment page
    def _page(self, request: Request, pay_token: str) -> Response:
        payment = self.payments.get(pay_token)
        if payment is None:
            return Response(status=404, body="Paiement inconnu", content_type="text/plain")
        if request.method == "POST" and payment["status"] == "INITIATED":
            approve = request.form().get("action") == "pay"
            with self.lock:
                payment["status"] = "SUCCESS" if approve else "FAILED"
                payment["txnid"] = "MP" + secrets.token_hex(6).upper() if approve else ""
                if approve:
                    self._record(
                        payment["txnid"],
                        "IN",
                        payment["amount"],
                        payment["order_id"],
                        request.form().get("mobile", ""),
                    )
            self._notify(payment)
            return Response.redirect(payment["return_url"] if approve else payment["cancel_url"])
        amount = f"{payment['amount']:,}".replace(",", " ")
        page = (
            "<!doctype html><html lang='fr'><head><meta charset='utf-8'>"
            "<meta name='viewport' content='width=device-width, initial-scale=1'>"
            "<title>Orange Money (bac à sable)</title></head><body>"
            "<h1>Orange Money (bac à sable)</h1>"
            f"<p>Paiement de <strong>{html.escape(amount)} F CFA</strong> "
            f"(commande {html.escape(str(payment['order_id']))}) : "
            f"{html.escape(payment['status'])}</p>"
            "<form method='post'><label>Numéro Orange Money <input name='mobile'></label> "
            f"<button name='action' value='pay'>Payer</button> "
            f"<button name='action' value='refuse'>Refuser</button></form></body></html>"
        )
        return Response(body=page, content_type="text/html; charset=utf-8")

    def _notify(self, payment: dict) -> None:
        if not self.notifications_on:
            return
        body = {
            "status": payment["status"],
            "notif_token": payment["notif_token"],
            "txnid": payment["txnid"],
        }
        threading.Thread(target=self._post, args=(payment["notif_url"], body), daemon=True).start()

    def _post(self, url: str, body: dict) -> None:
        req = urllib.request.Request(  # noqa: S310 - loopback, the app's own URL
            url,
            data=json.dumps(body).encode(),
            headers={"Content-Type": "application/json"},
            method="POST",
        )
        try:
            with urllib.request.urlopen(req, timeout=10) as resp:  # noqa: S310
                answer = resp.status
        except urllib.error.HTTPError as exc:
            answer = exc.code
        except OSError:
            answer = 0
        with self.lock:
            self.sent.append({"url": url, "body": body, "answer": answer})
