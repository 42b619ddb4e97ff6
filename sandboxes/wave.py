"""Wave's sandbox: the Checkout API, a payment page, signed webhooks back to the app,
the Payout API (idempotency-key), the Balance API and a statement CSV.

Config keys: ``app_url`` (webhooks go to ``<app_url>/api/v1/webhooks/wave`` unless
``wave_webhook_url`` is set), ``WAVE_WEBHOOK_SECRET`` (signs them), ``WAVE_API_KEY``
(when set, requests must carry it), ``wave_fee_percent`` (default 1).
Test controls: a payout to a number ending in 0000 fails; ``POST /_sandbox/webhooks/off``
and ``/on`` stop and resume sending webhooks (to test late or missing ones).
"""

from __future__ import annotations

import csv
import hashlib
import hmac
import html
import io
import json
import secrets
import time
import urllib.error
import urllib.request
from datetime import UTC, datetime, timedelta

from sandboxes.server import Request, Response, Sandbox

SESSION_MINUTES = 30


def _now() -> datetime:
    return datetime.now(UTC).replace(microsecond=0)


def _iso(dt: datetime) -> str:
    return dt.strftime("%Y-%m-%dT%H:%M:%SZ")


class WaveSandbox(Sandbox):
    name = "wave"

    def __init__(self, config=None):
        super().__init__(config)
        self.sessions: dict[str, dict] = {}
        self.payouts: dict[str, dict] = {}  # by id
        self.payout_keys: dict[str, tuple[str, str]] = {}  # idempotency-key -> (body hash, id)
        self.transactions: list[dict] = []
        self.webhooks_on = True
        self.delay = 0.0  # seconds the API waits before answering (a provider timing out)
        self.sent: list[dict] = []

    def settings_for(self, url):
        return {
            "WAVE_BASE_URL": url,
            "WAVE_API_KEY": self.config.get("WAVE_API_KEY", ""),
            "WAVE_WEBHOOK_SECRET": self.config.get("WAVE_WEBHOOK_SECRET", ""),
            "WAVE_CHECKOUT_ORIGIN": url,
        }

    # ------------------------------------------------------------------ dispatch
    def handle(self, request: Request) -> Response:
        path, method = request.path.rstrip("/") or "/", request.method
        parts = path.strip("/").split("/")
        if parts[0] == "c" and len(parts) >= 2:
            return self._page(request, parts)
        if parts[0] == "_sandbox":
            return self._control(parts)
        if path == "/statement.csv":
            return self._statement_csv(request)
        if not self._authorized(request):
            return Response.json({"code": "unauthorized", "message": "bad API key"}, 401)
        if self.delay:
            time.sleep(self.delay)
        if path == "/v1/checkout/sessions" and method == "POST":
            return self._session_create(request)
        if parts[:3] == ["v1", "checkout", "sessions"] and len(parts) >= 4:
            session = self.sessions.get(parts[3])
            if session is None:
                return Response.json({"code": "not-found", "message": "no such session"}, 404)
            if len(parts) == 5 and parts[4] == "refund" and method == "POST":
                return self._refund(session)
            return Response.json(session)
        if path == "/v1/payout" and method == "POST":
            return self._payout_create(request)
        if parts[:2] == ["v1", "payout"] and len(parts) == 3:
            payout = self.payouts.get(parts[2])
            return Response.json(payout) if payout else Response.json({"code": "not-found"}, 404)
        if path == "/v1/transactions":
            return self._transactions(request)
        if path == "/v1/balance":
            total = sum(int(t["amount"]) - int(t["fee"]) for t in self.transactions)
            return Response.json({"amount": str(total), "currency": "XOF"})
        return Response.json({"code": "not-found", "message": path}, 404)

    def _authorized(self, request: Request) -> bool:
        key = self.config.get("WAVE_API_KEY", "")
        header = request.headers.get("Authorization", "")
        if not header.startswith("Bearer "):
            return False
        return not key or hmac.compare_digest(header[7:], key)

    # ------------------------------------------------------------------ checkout
    def _session_create(self, request: Request) -> Response:
        data = request.json()
        if not isinstance(data, dict):
            return Response.json({"code": "request-validation-error"}, 400)
        amount = str(data.get("amount", ""))
        if not amount.isdigit() or int(amount) <= 0 or data.get("currency") != "XOF":
            return Response.json({"code": "request-validation-error", "message": "amount"}, 400)
        sid = "cos-" + secrets.token_hex(8)
        now = _now()
        session = {
            "id": sid,
            "amount": amount,
            "checkout_status": "open",
            "client_reference": data.get("client_reference"),
            "currency": "XOF",
            "error_url": data.get("error_url", ""),
            "success_url": data.get("success_url", ""),
            "business_name": "SunuCoop (sandbox)",
            "payment_status": "processing",
            "transaction_id": None,
            "last_payment_error": None,
            "restrict_payer_mobile": data.get("restrict_payer_mobile"),
            "wave_launch_url": f"{self.url}/c/{sid}",
            "when_created": _iso(now),
            "when_expires": _iso(now + timedelta(minutes=SESSION_MINUTES)),
            "when_completed": None,
        }
        with self.lock:
            self.sessions[sid] = session
        return Response.json(session)

    def _page(self, request: Request, parts: list[str]) -> Response:
        session = self.sessions.get(parts[1])
        if session is None:
            return Response(404, "Session inconnue", "text/plain; charset=utf-8")
        if len(parts) == 3 and request.method == "POST" and parts[2] in {"approve", "refuse"}:
            phone = request.form().get("mobile") or session.get("restrict_payer_mobile") or ""
            if parts[2] == "approve":
                self.complete(session["id"], mobile=phone or "+221770000001")
                return Response.redirect(session["success_url"] or f"{self.url}/c/{session['id']}")
            self.fail(session["id"])
            return Response.redirect(session["error_url"] or f"{self.url}/c/{session['id']}")
        return Response(200, self._page_html(session), "text/html; charset=utf-8")

    def _page_html(self, s: dict) -> str:
        esc = html.escape
        done = s["checkout_status"] != "open"
        buttons = (
            f"<p>Statut : {esc(s['payment_status'])}</p>"
            if done
            else (
                f'<form method="post" action="/c/{esc(s["id"])}/approve">'
                '<label>Numéro Wave <input name="mobile" value="'
                f'{esc(s.get("restrict_payer_mobile") or "")}"></label>'
                '<button type="submit" id="approve">Payer</button></form>'
                f'<form method="post" action="/c/{esc(s["id"])}/refuse">'
                '<button type="submit" id="refuse">Refuser</button></form>'
            )
        )
        return (
            '<!doctype html><html lang="fr"><head><meta charset="utf-8">'
            '<meta name="viewport" content="width=device-width, initial-scale=1">'
            "<title>Wave (sandbox)</title></head><body>"
            f"<h1>Wave — bac à sable</h1><p>{esc(s['business_name'])}</p>"
            f"<p>Montant : <strong>{esc(s['amount'])} F CFA</strong></p>{buttons}</body></html>"
        )

    def complete(self, sid: str, *, mobile: str = "+221770000001", amount: str | None = None):
        """The payer approved: the session is paid, a transaction and a webhook follow."""
        with self.lock:
            s = self.sessions[sid]
            if s["checkout_status"] != "open":
                return s
            s.update(
                checkout_status="complete",
                payment_status="succeeded",
                transaction_id="T" + secrets.token_hex(6).upper(),
                when_completed=_iso(_now()),
            )
            paid = int(amount or s["amount"])
            fee = paid * int(self.config.get("wave_fee_percent", 1)) // 100
            self.transactions.append(
                {
                    "timestamp": s["when_completed"],
                    "transaction_id": s["transaction_id"],
                    "amount": str(paid),
                    "fee": str(fee),
                    "client_reference": s["client_reference"] or "",
                    "counterparty_mobile": mobile,
                }
            )
            s["paid_amount"] = str(paid)
            data = dict(s, amount=str(paid))
        self.send_event("checkout.session.completed", data)
        return s

    def fail(self, sid: str):
        with self.lock:
            s = self.sessions[sid]
            if s["checkout_status"] != "open":
                return s
            s.update(
                checkout_status="complete",
                payment_status="cancelled",
                when_completed=_iso(_now()),
                last_payment_error={"code": "payer-refused", "message": "refusé"},
            )
            data = dict(s)
        self.send_event("checkout.session.payment_failed", data)
        return s

    def _refund(self, s: dict) -> Response:
        with self.lock:
            if s["payment_status"] != "succeeded":
                return Response.json({"code": "checkout-refund-failed"}, 400)
            s["payment_status"] = "refunded"
            self.transactions.append(
                {
                    "timestamp": _iso(_now()),
                    "transaction_id": "T" + secrets.token_hex(6).upper(),
                    "amount": "-" + s.get("paid_amount", s["amount"]),
                    "fee": "0",
                    "client_reference": s["client_reference"] or "",
                    "counterparty_mobile": "",
                }
            )
        return Response(200, b"", "application/json")

    # ------------------------------------------------------------------ webhooks
    def send_event(self, event_type: str, data: dict) -> dict:
        event = {"id": "AE_" + secrets.token_hex(8), "type": event_type, "data": data}
        self.sent.append(event)
        if self.webhooks_on:
            self.deliver(event)
        return event

    def deliver(self, event: dict, *, t: int | None = None) -> int:
        body = json.dumps(event).encode()
        secret = self.config.get("WAVE_WEBHOOK_SECRET", "")
        t = int(time.time()) if t is None else t
        digest = hmac.new(secret.encode(), str(t).encode() + body, hashlib.sha256).hexdigest()
        url = self.config.get("wave_webhook_url") or (
            self.config.get("app_url", "").rstrip("/") + "/api/v1/webhooks/wave"
        )
        req = urllib.request.Request(  # noqa: S310 - loopback URL from our own config
            url,
            data=body,
            method="POST",
            headers={"Content-Type": "application/json", "Wave-Signature": f"t={t},v1={digest}"},
        )
        try:
            with urllib.request.urlopen(req, timeout=10) as resp:  # noqa: S310
                return resp.status
        except urllib.error.HTTPError as exc:
            return exc.code
        except OSError:
            return 0

    def _control(self, parts: list[str]) -> Response:
        if parts[1:] == ["webhooks", "off"]:
            self.webhooks_on = False
        elif parts[1:] == ["webhooks", "on"]:
            self.webhooks_on = True
        elif len(parts) == 3 and parts[1] == "delay" and parts[2].isdigit():
            self.delay = float(min(int(parts[2]), 120))  # /_sandbox/delay/0 answers at once
        else:
            return Response.json({"code": "not-found"}, 404)
        return Response.json({"webhooks": self.webhooks_on, "delay": self.delay})

    # ------------------------------------------------------------------ payouts
    def _payout_create(self, request: Request) -> Response:
        key = request.headers.get("idempotency-key") or request.headers.get("Idempotency-Key")
        data = request.json()
        if not key or not isinstance(data, dict):
            return Response.json({"code": "request-validation-error"}, 400)
        digest = hashlib.sha256(request.body).hexdigest()
        with self.lock:
            if key in self.payout_keys:
                seen_digest, pid = self.payout_keys[key]
                if seen_digest != digest:
                    return Response.json({"code": "idempotency-mismatch"}, 409)
                return Response.json(self.payouts[pid])
            amount = str(data.get("receive_amount", ""))
            mobile = str(data.get("mobile", ""))
            ok = amount.isdigit() and int(amount) > 0 and not mobile.endswith("0000")
            pid = "pt-" + secrets.token_hex(8)
            payout = {
                "id": pid,
                "currency": "XOF",
                "receive_amount": amount,
                "fee": str(int(amount) // 100) if amount.isdigit() else "0",
                "mobile": mobile,
                "name": data.get("name", ""),
                "client_reference": data.get("client_reference", ""),
                "status": "succeeded" if ok else "failed",
                "payout_error": None if ok else {"error_code": "recipient-not-found"},
                "timestamp": _iso(_now()),
            }
            self.payouts[pid] = payout
            self.payout_keys[key] = (digest, pid)
            if ok:
                self.transactions.append(
                    {
                        "timestamp": payout["timestamp"],
                        "transaction_id": "T" + secrets.token_hex(6).upper(),
                        "amount": "-" + amount,
                        "fee": payout["fee"],
                        "client_reference": payout["client_reference"],
                        "counterparty_mobile": mobile,
                    }
                )
        return Response.json(payout)

    # ------------------------------------------------------------------ statements
    def _day(self, request: Request) -> list[dict]:
        day = request.query.get("date", "")
        return [t for t in self.transactions if not day or t["timestamp"].startswith(day)]

    def _transactions(self, request: Request) -> Response:
        items = self._day(request)
        return Response.json({"page_info": {"has_next_page": False}, "items": items})

    def _statement_csv(self, request: Request) -> Response:
        out = io.StringIO()
        writer = csv.writer(out, delimiter=";")
        writer.writerow(["date", "transaction_id", "montant", "frais", "reference", "telephone"])
        for t in self._day(request):
            writer.writerow(
                [
                    t["timestamp"],
                    t["transaction_id"],
                    t["amount"],
                    t["fee"],
                    t["client_reference"],
                    t["counterparty_mobile"],
                ]
            )
        return Response(200, "\ufeff" + out.getvalue(), "text/csv; charset=utf-8")
