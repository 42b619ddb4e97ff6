"""The SMS gateway's sandbox: it speaks the provider-neutral gateway API that
``messaging.backends.HttpGatewayBackend`` uses (docs/messaging.md, "Gateway API"), keeps
every message, and sends delivery receipts and replies back to the app.

- ``POST /messages`` (``Authorization: Bearer <SMS_GATEWAY_TOKEN>`` when that key is
  configured) ``{"from", "to", "text", "status_callback"?}`` -> 201 ``{"id", "status":
  "accepted", "parts"}``. A receipt follows after ``sms_receipt_delay`` seconds (default
  0.2): ``delivered``, or ``failed`` for a number ending in 0000, posted to the message's
  ``status_callback`` or ``<app_url>/api/v1/sms/receipts`` with ``X-Gateway-Token:
  <SMS_CALLBACK_TOKEN>``.
- ``GET /messages`` -> the messages kept (JSON); ``GET /`` -> the same as a page (the
  phones' inboxes), with a form to reply.
- ``POST /_sandbox/reply`` (JSON or form ``from``, ``text``): the gateway forwards a reply
  to ``<app_url>/api/v1/sms/inbound`` (STOP / ARRET opt out there).
"""

from __future__ import annotations

import html
import json
import secrets
import threading
import time
import urllib.error
import urllib.request
from datetime import UTC, datetime

from sandboxes.server import Request, Response, Sandbox


class SmsSandbox(Sandbox):
    name = "sms"

    def __init__(self, config=None):
        super().__init__(config)
        self.messages: list[dict] = []
        self.replies: list[dict] = []
        self.callbacks: list[dict] = []  # what was posted back, with the app's answer
        self.send_lock = threading.Lock()  # receipts are posted back one at a time

    def settings_for(self, url):
        return {
            "SMS_BACKEND": "messaging.backends.HttpGatewayBackend",
            "SMS_GATEWAY_URL": url,
            "SMS_GATEWAY_TOKEN": self.config.get("SMS_GATEWAY_TOKEN", ""),
            "SMS_CALLBACK_TOKEN": self.config.get("SMS_CALLBACK_TOKEN", ""),
        }

    def handle(self, request: Request) -> Response:
        path, method = request.path.rstrip("/") or "/", request.method
        if path == "/" and method == "GET":
            return self._page()
        if path == "/_sandbox/reply" and method == "POST":
            return self._reply(request)
        if path != "/messages":
            return Response.json({"error": "not_found"}, 404)
        if not self._authorized(request):
            return Response.json({"error": "unauthorized"}, 401)
        if method == "GET":
            with self.lock:
                return Response.json({"messages": list(self.messages)})
        if method == "POST":
            return self._accept(request)
        return Response.json({"error": "method_not_allowed"}, 405)

    def _authorized(self, request: Request) -> bool:
        token = self.config.get("SMS_GATEWAY_TOKEN", "")
        given = request.headers.get("Authorization") or request.headers.get("authorization") or ""
        return not token or secrets.compare_digest(given, f"Bearer {token}")

    def _accept(self, request: Request) -> Response:
        body = request.json()
        if (
            not isinstance(body, dict)
            or not body.get("to")
            or not isinstance(body.get("text"), str)
        ):
            return Response.json({"error": "invalid", "message": "to and text are required"}, 400)
        message = {
            "id": "SM" + secrets.token_hex(8),
            "from": str(body.get("from", "")),
            "to": str(body["to"]),
            "text": body["text"],
            "status": "accepted",
            "at": datetime.now(UTC).isoformat(timespec="seconds"),
            "status_callback": str(body.get("status_callback") or ""),
        }
        with self.lock:
            self.messages.append(message)
        threading.Thread(target=self._receipt_later, args=(message,), daemon=True).start()
        return Response.json({"id": message["id"], "status": "accepted"}, 201)

    def _receipt_later(self, message: dict) -> None:
        time.sleep(float(self.config.get("sms_receipt_delay", 0.2)))
        status = "failed" if message["to"].endswith("0000") else "delivered"
        body = {"id": message["id"], "status": status}
        if status == "failed":
            body["error"] = "absent subscriber"
        url = message["status_callback"] or self._app("/api/v1/sms/receipts")
        with self.send_lock:  # one receipt at a time, in the order sent, as one connection
            answer = self._post(url, body)
        with self.lock:
            message["status"] = status
            self.callbacks.append({"url": url, "body": body, "answer": answer})

    def _reply(self, request: Request) -> Response:
        body = request.json() if "json" in request.headers.get("Content-Type", "") else None
        body = body if isinstance(body, dict) else request.form()
        reply = {
            "id": "MO" + secrets.token_hex(8),
            "from": body.get("from", ""),
            "text": body.get("text", ""),
        }
        answer = self._post(self._app("/api/v1/sms/inbound"), reply)
        with self.lock:
            self.replies.append({**reply, "answer": answer})
        if "json" in request.headers.get("Accept", ""):
            return Response.json({"forwarded": reply, "answer": answer})
        return Response.redirect("/")

    def _app(self, path: str) -> str:
        return str(self.config.get("app_url", "http://127.0.0.1:8000")).rstrip("/") + path

    def _post(self, url: str, body: dict) -> int:
        data = json.dumps(body).encode()
        headers = {
            "Content-Type": "application/json",
            "X-Gateway-Token": self.config.get("SMS_CALLBACK_TOKEN", ""),
        }
        req = urllib.request.Request(url, data=data, headers=headers, method="POST")  # noqa: S310
        try:
            with urllib.request.urlopen(req, timeout=10) as resp:  # noqa: S310 - loopback
                return resp.status
        except urllib.error.HTTPError as exc:
            return exc.code
        except OSError:
            return 0

    def _page(self) -> Response:
        with self.lock:
            rows = "".join(
                f"<tr><td>{html.escape(m['at'])}</td><td>{html.escape(m['to'])}</td>"
                f"<td>{html.escape(m['text'])}</td><td>{html.escape(m['status'])}</td></tr>"
                for m in reversed(self.messages)
            )
        page = (
            "<!doctype html><html lang='fr'><head><meta charset='utf-8'>"
            "<meta name='viewport' content='width=device-width, initial-scale=1'>"
            "<title>Passerelle SMS (bac à sable)</title></head><body>"
            "<h1>Passerelle SMS (bac à sable)</h1>"
            "<form method='post' action='/_sandbox/reply'><label>De <input name='from'></label> "
            "<label>Texte <input name='text' value='STOP'></label> "
            "<button>Répondre</button></form>"
            "<table><thead><tr><th>Date</th><th>À</th><th>Texte</th><th>Statut</th></tr></thead>"
            f"<tbody>{rows}</tbody></table></body></html>"
        )
        return Response(body=page, content_type="text/html; charset=utf-8")
