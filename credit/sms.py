"""A pluggable SMS backend for loan reminders.

``settings.SMS_BACKEND`` names the class (default ``credit.sms.ConsoleBackend``). Shipped:
``ConsoleBackend`` (prints), ``FileBackend`` (appends JSON lines to
``settings.SMS_FILE_PATH``, default ``var/sms/outbox.jsonl``). A real gateway subclasses
:class:`SmsBackend` and implements :meth:`SmsBackend.send` (return the gateway's message
id; raise on failure, the reminder is then not recorded and is retried on the next run).
"""

from __future__ import annotations

import json
import sys
import uuid
from pathlib import Path

from django.conf import settings
from django.utils import timezone
from django.utils.module_loading import import_string


class SmsBackend:
    def send(self, to: str, text: str) -> str:  # pragma: no cover - interface
        raise NotImplementedError


class ConsoleBackend(SmsBackend):
    def send(self, to: str, text: str) -> str:
        message_id = uuid.uuid4().hex
        sys.stdout.write(f"SMS {message_id} -> {to}: {text}\n")
        return message_id


class FileBackend(SmsBackend):
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


def get_backend() -> SmsBackend:
    return import_string(getattr(settings, "SMS_BACKEND", "credit.sms.ConsoleBackend"))()
