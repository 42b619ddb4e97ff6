"""Who may do what with SMS: national staff write the templates; national staff and field
agents record a refusal of SMS (opt-out) for persons they see."""

from __future__ import annotations

import rules

from accounts.scoping import scope_for


def may_edit_templates(actor) -> bool:
    return scope_for(actor).national


def may_see_templates(actor) -> bool:
    scope = scope_for(actor)
    return scope.national or bool(scope.area_paths)


def may_manage_opt_outs(actor) -> bool:
    scope = scope_for(actor)
    return scope.national or bool(scope.area_paths)


rules.add_perm("messaging.change_smstemplate", rules.predicate(may_edit_templates))
