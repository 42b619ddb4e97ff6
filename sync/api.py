"""Offline sync (docs/api.md, docs/offline.md): ``GET /sync/pull``, ``POST /sync/push``.

Both answer a Bearer token (a partner's field app) or the signed-in session with its CSRF
token (the installable web app, static/js/field.js)."""

from __future__ import annotations

import base64
from typing import Any

from django.http import HttpResponse
from django.views.decorators.gzip import gzip_page
from ninja import Router, Schema
from ninja.decorators import decorate_view
from ninja.security import SessionAuth
from pydantic import Field

from accounts.auth import BearerToken
from core.dates import today
from sync import selectors, services

router = Router(tags=["sync"], auth=[BearerToken(), SessionAuth()])


class RecordOut(Schema):
    kind: str
    id: int
    uuid: str
    version: str
    data: dict[str, Any]


class DeletedOut(Schema):
    kind: str
    id: int


class PullOut(Schema):
    cursor: str
    records: list[RecordOut]
    deleted: list[DeletedOut]


class RecordIn(Schema):
    uuid: str = Field(max_length=64)
    kind: str = Field(max_length=20)
    base_version: str | None = Field(None, max_length=40)
    data: dict[str, Any] = {}


class PushIn(Schema):
    records: list[RecordIn] = Field(max_length=services.MAX_RECORDS)
    device: str = Field("", max_length=64)


class ResultOut(Schema):
    uuid: str
    status: str
    id: int | None
    code: str | None
    message: str | None


class PushOut(Schema):
    results: list[ResultOut]


@router.get("/sync/pull", response=PullOut)
@decorate_view(gzip_page)  # JSON of the caller's own records only, no CSRF token (BREACH)
def sync_pull(request, since: str | None = None):
    """Without ``since``: every record the caller may see and needs in the field; with the
    ``cursor`` of an earlier pull: what changed since, and ``deleted``. gzip-compressed when
    the client accepts it (a department's first pull: some 3.5 MB of JSON, 0.8 MB so)."""
    since = (since or "")[:64] or None
    return services.snapshot_take(actor=request.auth, since=since, today=today())


@router.post("/sync/push", response=PushOut)
def sync_push(request, payload: PushIn):
    """Each record applied once (its ``uuid``), through the same services as the forms."""
    results = services.records_push(
        actor=request.auth,
        device=payload.device,
        records=[r.dict() for r in payload.records],
    )
    return {"results": results}


class KeyOut(Schema):
    key: str


@router.get("/sync/key", response=KeyOut)
def sync_key(request, response: HttpResponse):
    """The key that seals the field app's records on this user's device (AES-GCM, 256
    bits, base64): the same for a user at every login, never cached."""
    response["Cache-Control"] = "no-store"
    return {"key": base64.b64encode(selectors.device_key(actor=request.auth)).decode()}
