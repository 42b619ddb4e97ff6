"""Who may act on a cooperative's capital.

Officers act on their own cooperative; agents (in their area) and the national role may
act too (decide and document). Lenders and members read at most, never write. The
predicate is the registry's ``can_act_for_cooperative`` (governance uses the same one).
"""

from __future__ import annotations

import rules

from registry.models import Cooperative
from registry.rules import can_act_for_cooperative, require_on_cooperative

may_manage = can_act_for_cooperative
rules.add_rule("capital.manage", may_manage)


def can_manage(actor, cooperative: Cooperative) -> bool:
    return may_manage.test(actor, cooperative)


def require_manage(actor, cooperative: Cooperative) -> None:
    """404 when the cooperative is outside the actor's scope, 403 when only readable."""
    require_on_cooperative(actor, cooperative, may_manage)
