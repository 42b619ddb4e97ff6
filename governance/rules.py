"""Who may do what with a cooperative's bodies, mandates and general assemblies.

- Convene, record attendance and votes, close an assembly, record mandates: the
  cooperative's officers, the agents of its area, the national role (the registry's
  ``can_act_for_cooperative``; the same as for its capital). Lenders and members read.
- The list of cooperatives late in approving their accounts: national and field agents.
Visibility comes first (selectors: 404); a visible cooperative the role may not change: 403.
"""

from __future__ import annotations

import rules
from django.utils.translation import gettext as _

from accounts.rules import is_field_staff
from core.errors import Forbidden
from registry.models import Cooperative
from registry.rules import can_act_for_cooperative, require_on_cooperative

may_manage = can_act_for_cooperative
may_follow_approvals = is_field_staff

rules.add_rule("governance.manage", may_manage)
rules.add_rule("governance.follow_approvals", may_follow_approvals)


def can_manage(actor, cooperative: Cooperative) -> bool:
    return may_manage.test(actor, cooperative)


def require_manage(actor, cooperative: Cooperative) -> None:
    """404 when the cooperative is outside the actor's scope, 403 when only readable."""
    require_on_cooperative(actor, cooperative, may_manage)


def can_follow_approvals(actor) -> bool:
    return may_follow_approvals.test(actor)


def require_follow_approvals(actor) -> None:
    """Only the agents and the national role follow the approval of accounts (403)."""
    if not can_follow_approvals(actor):
        raise Forbidden(_("Seuls les agents et le ministère suivent l'approbation des comptes."))
