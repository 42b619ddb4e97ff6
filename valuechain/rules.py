"""Who may do what in the value chain (docs/valuechain.md, "Droits").

- the national role does everything;
- an agent reads the value chains, sites, lots and sales of their area and sets up value
  chains, sites and opportunities there (the programme's staff);
- an officer operates the sites their cooperative runs: lots, transfers from them,
  production runs, sales, closings, settlements; and reads the value chains it is in;
- a partner enterprise's staff (``PartnerStaff``) read the value chains their partner
  sponsors, with their sites, lots and sales, and write nothing;
- members, lenders and users without a role see nothing here.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from accounts.scoping import scope_for
from core.errors import Forbidden
from valuechain.models import PartnerStaff


def partner_ids(user) -> frozenset[int]:
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return frozenset()
    cached = getattr(user, "_sunucoop_vc_partners", None)
    if cached is None:
        cached = frozenset(
            PartnerStaff.objects.filter(user=user).values_list("partner_id", flat=True)
        )
        user._sunucoop_vc_partners = cached
    return cached


def in_agent_area(actor, area) -> bool:
    scope = scope_for(actor)
    return any(area.path.startswith(p) for p in scope.area_paths)


def can_set_up(actor, area) -> bool:
    """Create value chains, sites, opportunities in ``area``."""
    return scope_for(actor).national or in_agent_area(actor, area)


def can_operate(actor, site) -> bool:
    """Record lots, transfers, production, sales at ``site``."""
    scope = scope_for(actor)
    return scope.national or (
        site.cooperative_id is not None and site.cooperative_id in scope.cooperative_ids
    )


def require(allowed: bool) -> None:
    if not allowed:
        raise Forbidden(_("Votre rôle ne permet pas cette opération."))


def can_run_workshop(actor, site) -> bool:
    """Innovation projects and shared equipment of a technology site: its operator, the
    programme's staff of its area."""
    return can_operate(actor, site) or can_set_up(actor, site.commune)


def can_book(actor, equipment, cooperative) -> bool:
    """Book shared equipment for ``cooperative``: the workshop's operator and the programme's
    staff for any cooperative, an officer for their own cooperative."""
    if can_run_workshop(actor, equipment.site):
        return True
    return cooperative.pk in scope_for(actor).cooperative_ids
