"""Who may do what in purchasing (docs/purchasing.md, "Droits").

- Suppliers, products, quotes and market prices: the national role and field agents
  (prices only in their own area). Every role-holder reads them (reference data).
- Groups and campaigns: an agent manages those whose area lies in theirs; the national
  role manages all; the group's named manager manages it too.
- Orders: an officer orders for their own cooperative only (a member of the group);
  whoever manages the group may enter an order for a member cooperative.
- Invoices: paid by an officer of the invoiced cooperative or the group's managers.
Visibility comes first (selectors: 404); a visible object the role may not change: 403.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from accounts.scoping import scope_for
from core.errors import Forbidden


def in_areas(scope, path: str) -> bool:
    return scope.covers(path)


def can_edit_reference(actor) -> bool:
    scope = scope_for(actor)
    return scope.national or bool(scope.area_paths)


def require_reference_editor(actor) -> None:
    if not can_edit_reference(actor):
        raise Forbidden(_("Seuls les agents et le niveau national gèrent ces données."))


def can_record_price(actor, area) -> bool:
    scope = scope_for(actor)
    return scope.national or in_areas(scope, area.path)


def can_manage_group(actor, group) -> bool:
    scope = scope_for(actor)
    if scope.national or (group.manager_id and group.manager_id == getattr(actor, "pk", None)):
        return True
    return in_areas(scope, group.area.path)


def require_group_manager(actor, group) -> None:
    if not can_manage_group(actor, group):
        raise Forbidden(_("Seul le gestionnaire de la centrale peut faire cette opération."))


def can_order_for(actor, group, cooperative) -> bool:
    return cooperative.pk in scope_for(actor).cooperative_ids or can_manage_group(actor, group)


def require_orderer(actor, group, cooperative) -> None:
    if not can_order_for(actor, group, cooperative):
        raise Forbidden(_("Un responsable ne commande que pour sa propre coopérative."))
