"""Who may act on a cooperative's capital and governance.

Officers act on their own cooperative; agents (in their area) and the national role may
act too (decide and document). Lenders and members read at most, never write.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from accounts.scoping import scope_for
from core.errors import Forbidden, NotFound
from registry.models import Cooperative
from registry.selectors import cooperative_scope_q


def can_manage(actor, cooperative: Cooperative) -> bool:
    scope = scope_for(actor)
    if scope.national or cooperative.pk in scope.cooperative_ids:
        return True
    if scope.area_paths:
        path = cooperative.commune.path
        return any(path.startswith(p) for p in scope.area_paths)
    return False


def require_manage(actor, cooperative: Cooperative) -> None:
    """404 when the cooperative is outside the actor's scope, 403 when only readable."""
    if can_manage(actor, cooperative):
        return
    if Cooperative.objects.filter(cooperative_scope_q(actor), pk=cooperative.pk).exists():
        raise Forbidden(_("Votre rôle ne permet pas cette opération."))
    raise NotFound(_("Coopérative introuvable."))
