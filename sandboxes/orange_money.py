"""Orange Money's sandbox: the merchant web payment API (OAuth token, ``webpayment``,
``transactionstatus``) and the payment page where the payer approves or refuses.

Paths: ``POST /oauth/v3/token`` (Basic ``client_id:client_secret`` when
``ORANGE_MONEY_CLIENT_ID`` is configured), ``POST /orange-money-webpay/dev/v1/webpayment``
and ``/transactionstatus`` (bearer token), ``GET/POST /payment/pay_token/<token>`` (the
page). On approval or refusal, an (unsigned, as Orange Money's) notification
``{"status", "notif_token", "txnid"}`` goes to the payment's ``notif_url``, then the payer
is sent to ``return_url`` or ``cancel_url``. ``POST /_sandbox/notifications/off|on`` stops
and resumes the notifications (to test missing ones).
"""

from __future__ import annotations

import base64
import html
import json
import secrets
import threading
import urllib.error
import urllib.request

from sandboxes.server import Request, Response, Sandbox

API = "/orange-money-webpay/dev/v1"


class OrangeMoneySandbox(Sandbox):
    name = "orange_money"

    def __init__(self, config=None):
        super().__init__(config)
        self.payments: dict[str, dict] = {}  # by pay_token
        self.tokens: set[str] = set()
        self.notifications_on = True
        self.sent: list[dict] = []

    def settings_for(self, url):
        return {
            "ORANGE_MONEY_BASE_URL": url + API,
            "ORANGE_MONEY_TOKEN_URL": url + "/oauth/v3/token",
            "ORANGE_MONEY_CLIENT_ID": self.config.get("ORANGE_MONEY_CLIENT_ID", ""),
            "ORANGE_MONEY_CLIENT_SECRET": self.config.get("ORANGE_MONEY_CLIENT_SECRET", ""),
            "ORANGE_MONEY_MERCHANT_KEY": self.config.get("ORANGE_MONEY_MERCHANT_KEY", ""),
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
            f"<form method='post'><button name='action' value='pay'>Payer</button> "
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
