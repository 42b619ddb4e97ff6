"""Who may see and steer the national monitoring.

- The figures of an area: the national role (every area) and the field agents (their own
  area and below); others see no dashboard.
- The programme's targets: the national role only.
"""

from __future__ import annotations

import rules

from accounts.rules import is_field_staff, is_national
from accounts.scoping import scope_for


@rules.predicate
def sees_area(user, area) -> bool:
    """National, or an agent whose area contains ``area``."""
    scope = scope_for(user)
    return scope.national or scope.covers(area)


may_follow = is_field_staff
may_see_area = sees_area
may_set_targets = is_national

rules.add_rule("monitoring.follow", may_follow)
rules.add_rule("monitoring.see_area", may_see_area)
rules.add_rule("monitoring.set_targets", may_set_targets)
