"""Every write of the offline sync: a pull's cursor, a device's push, a conflict's decision.

The push is idempotent by construction: a record's UUID is claimed (a unique row) before
its write, in the same transaction, so the same UUID sent twice, in one batch, in two
batches or by two concurrent requests, is written once (docs/offline.md).
"""

from __future__ import annotations

import datetime
import secrets
import time
import uuid as uuid_module

from django.db import OperationalError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from pydantic import ValidationError as PydanticError

from accounts.scoping import scope_for
from core.errors import DomainError, Forbidden, NotFound, ValidationFailed
from core.limits import check_text
from core.services import service
from credit import selectors as credit_selectors
from sync.errors import Code
from sync.held import Held
from sync.marks import CHANGES_MARGIN
from sync.models import PullCursor, PushedRecord, RecordStatus, Resolution
from sync.pull import (
    INCREMENTAL,
    changes_read,
    marks_start,
    records_for,
    records_since,
    scope_digest,
)
from sync.push import HANDLERS, ParentMissing, Stale, stored_data
from sync.rules import can_resolve

# The most records one push may carry (the device sends the rest in the next batch).
MAX_RECORDS = 200
# Cursors kept per user (a device may retry with one of the last ones).
CURSORS_KEPT = 10
# A cursor is stored as what changed since its base cursor (``PullCursor.base``) while
# that is at most a tenth of the big kinds' ids or ``DELTA_MIN`` ids, else whole (a new
# base): the whole blob of a household-scale department (208,000 records, 2 MB) cost each
# pull 51 ms to pack, write and read where national's (12,700) cost 5 (issue 23).
DELTA_MIN = 2_000
DELTA_SHARE = 10

# Kinds whose service is told the record's UUID (its own idempotency key).
UUID_KINDS = {"repayment", "sale"}

# --- pull ---------------------------------------------------------------------------------


def _load_cursor(actor, token: str) -> tuple[Held, datetime.datetime]:
    """What the cursor's pull sent, and the time from which changes are looked for when
    it keeps no history marks (stored before them, sync/marks.py): ``CHANGES_MARGIN``
    before it was stored (a write committed after the pull read its data may carry a
    history date of before it)."""
    row = PullCursor.objects.filter(user=actor, token=token).select_related("base").first()
    if row is None:
        raise ValidationFailed(
            _("Curseur inconnu ou expiré : refaites une synchronisation complète."),
            code=Code.INVALID_CURSOR,
            field="since",
        )
    return cursor_held(row), row.created_at - CHANGES_MARGIN


def cursor_held(row: PullCursor) -> Held:
    """What a stored cursor says the device holds: its whole blob, or its base's with its
    delta applied."""
    if row.base_id is None:
        held = Held.unpack(bytes(row.versions), big_kinds=INCREMENTAL)
        held.base_id = row.pk
    else:
        held = Held.unpack_delta(
            bytes(row.base.versions), bytes(row.versions), big_kinds=INCREMENTAL
        )
        held.base_id = row.base_id
    return held


def _cursor_store(actor, held: Held) -> str:
    """Store ``held`` under a new token: as what changed since its base cursor while that
    stays small (``DELTA_MIN``, ``DELTA_SHARE``), else whole (a new base). Then forget
    the user's cursors beyond the last ``CURSORS_KEPT`` and the bases those still need."""
    token = secrets.token_urlsafe(24)
    touched, size = held.touched(), sum(len(c) for c in held.big.values())
    if held.base_id is not None and touched <= max(DELTA_MIN, size // DELTA_SHARE):
        PullCursor.objects.create(
            token=token, user=actor, base_id=held.base_id, versions=held.pack_delta()
        )
    else:
        PullCursor.objects.create(token=token, user=actor, versions=held.pack())
    rows = PullCursor.objects.filter(user=actor).order_by("-created_at", "-id")
    rows = list(rows.values_list("pk", "base_id"))  # not their blobs
    kept = rows[:CURSORS_KEPT]
    needed = {pk for pk, _b in kept} | {base for _pk, base in kept if base}
    old = [pk for pk, _b in rows if pk not in needed]
    if old:
        PullCursor.objects.filter(pk__in=old).delete()
    return token


def _compared(actor, held: Held, today) -> tuple[list[dict], list[dict], Held]:
    """Everything computed again (another scope, the map moved) and compared with what the
    device holds: what to send, what to delete, and what it holds afterwards."""
    current = records_for(actor, today=today)
    send = [
        rec for rec in current.values() if held.kind(rec["kind"]).get(rec["id"]) != rec["version"]
    ]
    deleted = [
        {"kind": kind, "id": pk}
        for kind in sorted(set(held.small) | set(held.big))
        for pk in sorted(pk for pk, _v in held.kind(kind).items())
        if f"{kind}:{pk}" not in current
    ]
    return send, deleted, _held_of(current)


def _held_of(current: dict[str, dict]) -> Held:
    versions = {key: rec["version"] for key, rec in current.items()}
    return Held.of(versions, scope="", big_kinds=INCREMENTAL)


@service
def snapshot_take(*, actor, since: str | None = None, today: datetime.date) -> dict:
    """The records of ``actor``'s scope; with ``since`` (a cursor of an earlier pull), only
    those changed since, plus ``deleted``: the ones gone or no longer visible to them.

    The history marks are read first, before any data: a write that lands during the
    pull is read by the next one (sync/marks.py)."""
    now = timezone.now()
    digest = scope_digest(actor)
    figures_run = credit_selectors.figures_run_latest()  # before any data, as the marks
    deleted = []
    if since:
        held, window_from = _load_cursor(actor, since)
        changes = changes_read(held.marks, window_from=window_from, now=now)
        marks = changes.marks
        if held.scope == digest and not changes.map_moved:
            records, deleted = records_since(
                actor,
                today=today,
                held=held,
                candidates=changes.candidates(),
                figures_run=figures_run,
            )
        else:  # another scope: everything computed again, and compared
            records, deleted, held = _compared(actor, held, today)
    else:
        marks = marks_start(now=now)
        current = records_for(actor, today=today)
        records, held = list(current.values()), _held_of(current)
    held.scope, held.marks, held.day, held.figures_run = digest, marks, today, figures_run
    token = _cursor_store(actor, held)
    return {"cursor": token, "records": records, "deleted": deleted}


# --- push ---------------------------------------------------------------------------------


def _result(uuid, status, object_id=None, code="", message="") -> dict:
    return {
        "uuid": str(uuid),
        "status": status,
        "id": object_id,
        "code": code or None,
        "message": str(message) or None,
    }


def _claim(actor, device: str, uuid, kind: str):
    """The record's row, created now or found, locked (``None`` returned with it), or the
    answer for a record already known.

    One ``INSERT … ON CONFLICT DO NOTHING`` (no savepoint: a UUID already claimed is not
    an error; one being claimed by a concurrent request waits for that one's end), then
    the row read and locked. A claim made now looks like a record refused before
    (``rejected``): both are applied. The claim writes no history: the outcome does."""
    claim = PushedRecord(
        uuid=uuid, kind=kind, user=actor, device=device, status=RecordStatus.REJECTED
    )
    PushedRecord.objects.bulk_create([claim], ignore_conflicts=True)
    row = PushedRecord.objects.select_for_update().get(uuid=uuid)
    if row.user_id != actor.pk or row.kind != kind:
        return None, _result(
            uuid, "rejected", code="uuid_taken", message=_("Cet identifiant a déjà servi.")
        )
    if row.status == RecordStatus.APPLIED:
        return None, _result(uuid, "duplicate", row.object_id)
    if row.status == RecordStatus.CONFLICT:
        return None, _result(uuid, "conflict", row.object_id, row.code, row.message)
    return row, None  # rejected before: corrected and sent again


def _apply(row: PushedRecord, actor, raw: dict) -> dict:
    handler = HANDLERS[row.kind]
    data = raw.get("data") if isinstance(raw.get("data"), dict) else {}
    base_version = str(raw.get("base_version") or "")[:40]
    row.data, row.base_version = stored_data(row.kind, data), base_version
    row.receipt = str(data.get("reference") or "")[:80] if row.kind == "repayment" else ""
    # the record's UUID is the idempotency key of the services that keep one
    extra = {"uuid": row.uuid, "device": row.device} if row.kind in UUID_KINDS else {}
    try:
        with transaction.atomic():
            outcome = handler(actor=actor, data=data, base_version=base_version, **extra)
    except Stale as stale:
        row.status, row.server_data = RecordStatus.CONFLICT, stale.server_data
        row.area = stale.area
        row.code = "stale_version"
        row.message = str(_("Modifié sur le serveur depuis : un superviseur choisira."))
    except DomainError as exc:
        row.status, row.code, row.message = RecordStatus.REJECTED, exc.code, str(exc.message)
        row.message = f"{row.message} ({exc.field})" if exc.field else row.message
    except PydanticError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first.get("loc", ()))
        row.status, row.code = RecordStatus.REJECTED, "invalid"
        row.message = f"{_('Valeur invalide')} ({where}) : {first.get('msg', '')}"
    else:
        row.status, row.object_id, row.area = RecordStatus.APPLIED, outcome.object_id, outcome.area
        row.code, row.message = outcome.code, outcome.message
    row.message = row.message[:500]
    row.save()
    status = {"applied": "applied", "conflict": "conflict"}.get(row.status, "rejected")
    return _result(row.uuid, status, row.object_id, row.code, row.message)


@service
def record_apply(*, actor, device: str, raw) -> dict | None:
    """One record of a push, in its own transaction: its UUID claimed, its service run.
    The answer, or ``None`` when it waits for its parent (its claim is kept)."""
    raw = raw if isinstance(raw, dict) else {}
    try:
        uuid = uuid_module.UUID(str(raw.get("uuid")))
    except ValueError:
        return _result(
            raw.get("uuid"), "rejected", code="invalid_uuid", message=_("UUID invalide.")
        )
    kind = raw.get("kind")
    if kind not in HANDLERS:
        return _result(uuid, "rejected", code="unknown_kind", message=_("Type inconnu."))
    row, answer = _claim(actor, device, uuid, kind)
    if answer is not None:
        return answer
    try:
        # the handler's writes are undone by _apply's own savepoint; the claim is kept
        return _apply(row, actor, raw)
    except ParentMissing:
        return None


# A record the database chose as a deadlock's victim is applied again (its UUID makes it
# idempotent): concurrent pushes lock rows (areas' freshness marks, a loan, a
# cooperative) in the order of their records, which two devices do not share.
ATTEMPTS = 3
RETRIED_STATES = {"40P01", "40001"}  # deadlock detected, serialization failure


def _retried(actor, device: str, raw) -> dict | None:
    """:func:`record_apply`, again when it lost a deadlock (outside any transaction only:
    inside one, the caller's transaction is lost with it and the error goes up)."""
    for attempt in range(1, ATTEMPTS + 1):
        try:
            return record_apply(actor=actor, device=device, raw=raw)
        except DomainError as exc:  # the guard on its input (a NUL character, say)
            uuid = raw.get("uuid") if isinstance(raw, dict) else None
            return _result(uuid, "rejected", code=exc.code, message=exc.message)
        except OperationalError as exc:
            lost_deadlock = getattr(exc.__cause__, "sqlstate", None) in RETRIED_STATES
            in_transaction = transaction.get_connection().in_atomic_block
            if not lost_deadlock or in_transaction or attempt == ATTEMPTS:
                raise
            time.sleep(0.02 * attempt * (1 + secrets.randbelow(10) / 10))
    return None


def records_push(*, actor, device: str = "", records: list) -> list[dict]:
    """Apply a device's records, each through its app's service and in its own
    transaction (:func:`record_apply`: a record's locks are held for that record only), in
    the order sent; a record whose parent comes later in the batch is tried again once
    that one is in. One still missing its parent is ``rejected`` with ``parent_missing``:
    the device keeps it and sends it again (it is not stored as refused)."""
    if not getattr(actor, "is_authenticated", False) or scope_for(actor).is_empty:
        raise Forbidden(_("Votre rôle ne permet pas de synchroniser."))
    if len(records) > MAX_RECORDS:
        raise ValidationFailed(
            _("Au plus %(n)s enregistrements par envoi.") % {"n": MAX_RECORDS},
            code=Code.TOO_MANY,
            field="records",
        )
    device = check_text(str(device or ""), field="device", max_length=64)
    answers: dict[int, dict] = {}
    waiting = list(enumerate(records))
    while waiting:
        left = []
        for index, raw in waiting:
            answer = _retried(actor, device, raw)
            if answer is None:
                left.append((index, raw))
            else:
                answers[index] = answer
        if len(left) == len(waiting):
            break
        waiting = left
    for index, raw in waiting:
        answers[index] = record_waiting(actor=actor, raw=raw)
    return [answers[i] for i in range(len(records))]


@service
def record_waiting(*, actor, raw) -> dict:
    """A record whose parent has not arrived: kept, answered ``parent_missing``."""
    PushedRecord.objects.filter(uuid=raw.get("uuid"), user=actor).update(
        status=RecordStatus.REJECTED, code="parent_missing"
    )
    return _result(
        raw.get("uuid"),
        "rejected",
        code="parent_missing",
        message=_("En attente : l'enregistrement dont il dépend n'est pas encore arrivé."),
    )


# --- conflicts ----------------------------------------------------------------------------


@service
def conflict_resolve(*, actor, record: PushedRecord, keep: str) -> PushedRecord:
    """A supervisor's decision on a conflict: ``keep="server"`` leaves the server's version,
    ``keep="device"`` applies the device's one through the same service (as the
    supervisor, who takes responsibility for it)."""
    row = PushedRecord.objects.select_for_update().get(pk=record.pk)
    if not can_resolve(actor, row):
        raise NotFound(_("Conflit introuvable."))
    if row.status != RecordStatus.CONFLICT or row.resolution:
        raise ValidationFailed(_("Ce conflit est déjà tranché."), code=Code.ALREADY_RESOLVED)
    if keep not in Resolution.values:
        raise ValidationFailed(_("Choix invalide."), code=Code.INVALID, field="keep")
    if keep == Resolution.DEVICE:
        outcome = HANDLERS[row.kind](actor=actor, data=row.data, base_version="", force=True)
        row.status, row.object_id = RecordStatus.APPLIED, outcome.object_id
    row.resolution, row.resolved_by, row.resolved_at = keep, actor, timezone.now()
    row.save()
    return row
