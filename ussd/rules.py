"""Who may set a member's USSD PIN: national staff and field agents, for persons they see."""

from __future__ import annotations

from accounts.scoping import scope_for


def may_set_pins(actor) -> bool:
    scope = scope_for(actor)
    return scope.national or bool(scope.area_paths)
