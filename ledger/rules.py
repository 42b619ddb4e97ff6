"""Who may write a cooperative's books: its officers only (agents and the national role
read them). A cooperative the actor sees but may not post in: 403; one outside their
scope: 404 (never reveal it)."""

from __future__ import annotations

import rules
from django.utils.translation import gettext_lazy as _

from accounts.scoping import scope_for, scope_q
from core.errors import Forbidden, NotFound
from registry.models import Cooperative
from registry.rules import is_officer_of_cooperative

may_post = is_officer_of_cooperative
rules.add_rule("ledger.post", may_post)


def can_post(actor, cooperative) -> bool:
    return may_post.test(actor, cooperative)


def require_poster(actor, cooperative) -> None:
    """Officers of the cooperative write its books; others who see it get 403, the rest 404."""
    if can_post(actor, cooperative):
        return
    visible = Cooperative.objects.filter(
        scope_q(scope_for(actor), area="commune", cooperative="id"), pk=cooperative.pk
    ).exists()
    if visible:
        raise Forbidden(_("Seuls les responsables de la coopérative tiennent ses livres."))
    raise NotFound(_("Coopérative introuvable."))
