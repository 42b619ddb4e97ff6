"""Where SMS go: ``settings.SMS_BACKEND`` names the class.

- ``messaging.backends.ConsoleBackend`` (default): prints each SMS (development).
- ``messaging.backends.FileBackend``: appends JSON lines to ``settings.SMS_FILE_PATH``
  (default ``var/sms/outbox.jsonl``; development and tests).
- ``messaging.backends.HttpGatewayBackend``: a provider-neutral HTTP gateway
  (``SMS_GATEWAY_URL``, ``SMS_GATEWAY_TOKEN``, ``SMS_SENDER``; see docs/messaging.md for
  the API it speaks). The SMS sandbox (``sandboxes/sms.py``) speaks the same API.

``send(to, text)`` returns the gateway's message id and raises :class:`SmsSendError` when
the gateway refuses the message or cannot be reached.
"""

from __future__ import annotations

import json
import sys
import uuid
from pathlib import Path

import httpx
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _


class SmsSendError(Exception):
    """The gateway did not take the message (the caller records a failure and may retry)."""


class SmsBackend:
    name = "base"

    def send(self, to: str, text: str) -> str:  # pragma: no cover - interface
        raise NotImplementedError


class ConsoleBackend(SmsBackend):
    name = "console"

    def send(self, to: str, text: str) -> str:
        message_id = uuid.uuid4().hex
        sys.stdout.write(f"SMS {message_id} -> {to}: {text}\n")
        return message_id


class FileBackend(SmsBackend):
    name = "file"

    def __init__(self, path: str | Path | None = None):
        default = Path(settings.BASE_DIR) / "var" / "sms" / "outbox.jsonl"
        self.path = Path(path or getattr(settings, "SMS_FILE_PATH", None) or default)

    def send(self, to: str, text: str) -> str:
        message_id = uuid.uuid4().hex
        self.path.parent.mkdir(parents=True, exist_ok=True)
        line = {"id": message_id, "to": to, "text": text, "at": timezone.now().isoformat()}
        with self.path.open("a", encoding="utf-8") as f:
            f.write(json.dumps(line, ensure_ascii=False) + "\n")
        return message_id


class HttpGatewayBackend(SmsBackend):
    """``POST {SMS_GATEWAY_URL}/messages`` with a bearer token (docs/messaging.md)."""

    name = "http"

    def __init__(
        self,
        base_url: str | None = None,
        token: str | None = None,
        sender: str | None = None,
        timeout: float | None = None,
    ):
        self.base_url = (base_url or getattr(settings, "SMS_GATEWAY_URL", "")).rstrip("/")
        self.token = token if token is not None else getattr(settings, "SMS_GATEWAY_TOKEN", "")
        self.sender = sender or getattr(settings, "SMS_SENDER", "SunuCoop")
        self.timeout = timeout or float(getattr(settings, "SMS_GATEWAY_TIMEOUT", 10))
        if not self.base_url or not self.token:
            raise ImproperlyConfigured("SMS_GATEWAY_URL et SMS_GATEWAY_TOKEN doivent être définis.")

    def send(self, to: str, text: str) -> str:
        body = {"from": self.sender, "to": to, "text": text}
        callback = getattr(settings, "SMS_STATUS_CALLBACK_URL", "")
        if callback:
            body["status_callback"] = callback
        try:
            response = httpx.post(
                f"{self.base_url}/messages",
                json=body,
                headers={"Authorization": f"Bearer {self.token}"},
                timeout=self.timeout,
            )
        except httpx.HTTPError as exc:
            raise SmsSendError(f"passerelle injoignable ({type(exc).__name__})") from None
        if response.status_code not in (200, 201, 202):
            raise SmsSendError(f"passerelle : HTTP {response.status_code}")
        try:
            message_id = str(response.json()["id"])
        except (ValueError, KeyError, TypeError):
            raise SmsSendError(_("passerelle : réponse sans identifiant")) from None
        if not message_id or len(message_id) > 100:
            raise SmsSendError(_("passerelle : identifiant invalide"))
        return message_id


def get_backend() -> SmsBackend:
    return import_string(getattr(settings, "SMS_BACKEND", "messaging.backends.ConsoleBackend"))()
