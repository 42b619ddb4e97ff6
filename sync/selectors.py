"""Every read of the offline sync, scoped to the acting user."""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy as _

from accounts.scoping import scope_for, scope_q
from core.errors import NotFound
from sync.models import PushedRecord, RecordStatus


def conflict_scope_q(actor) -> Q:
    """Conflicts a supervisor decides: national all, an agent those of their area."""
    scope = scope_for(actor)
    if scope.national:
        return Q()
    return scope_q(scope, area="area")


def conflict_list(*, actor, open_only: bool = True) -> QuerySet[PushedRecord]:
    qs = (
        PushedRecord.objects.filter(conflict_scope_q(actor))
        .filter(Q(status=RecordStatus.CONFLICT) | ~Q(resolution=""))
        .select_related("user", "area", "resolved_by")
        .order_by("-received_at", "-id")
    )
    if open_only:
        qs = qs.filter(status=RecordStatus.CONFLICT, resolution="")
    return qs


def conflict_get(*, actor, pk) -> PushedRecord:
    try:
        return conflict_list(actor=actor, open_only=False).get(pk=pk)
    except (PushedRecord.DoesNotExist, ValueError, TypeError):
        raise NotFound(_("Conflit introuvable.")) from None


def record_list(*, actor, uuids: list) -> QuerySet[PushedRecord]:
    """The records the actor pushed, by UUID (what their device asks about)."""
    return PushedRecord.objects.filter(user=actor, uuid__in=uuids)


def device_key(*, actor) -> bytes:
    """The 256-bit key sealing ``actor``'s records on their devices (docs/offline.md):
    derived from the server's secret and the user, so that the next login brings back the
    key of what waits on a device, and no other user's key opens it."""
    if not getattr(actor, "is_authenticated", False):
        raise NotFound(_("Clé introuvable."))
    return salted_hmac("sunucoop.sync.device-key", str(actor.pk), algorithm="sha256").digest()
