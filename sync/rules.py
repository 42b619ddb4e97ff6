"""Who may do what with the offline sync (docs/offline.md, "Rights").

- Pull and push: any user with a role; what a pull holds is what their selectors show,
  and every pushed record meets the same service and rules as the online form.
- Conflicts: seen and decided by a supervisor: the national role, or a field agent whose
  area holds the record (its person's commune, its session's, its cooperative's).
"""

from __future__ import annotations

import rules

from accounts.scoping import scope_for


def is_supervisor(actor) -> bool:
    scope = scope_for(actor)
    return scope.national or bool(scope.area_paths)


def can_resolve(actor, record) -> bool:
    scope = scope_for(actor)
    if scope.national:
        return True
    if record.area_id is None:
        return False
    path = record.area.path
    return any(path.startswith(p) for p in scope.area_paths)


@rules.predicate
def may_supervise_sync(user):
    return is_supervisor(user)


rules.set_perm("sync.supervise", may_supervise_sync)
