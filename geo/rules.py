"""Who may change the area tree: superusers and holders of the national role.

geo sits below accounts, so the role is read through the user's ``roles`` relation
(accounts.RoleAssignment) without importing accounts.
"""

from __future__ import annotations

import rules


@rules.predicate
def has_national_role(user) -> bool:
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    return user.roles.filter(role="national").exists()


@rules.predicate
def is_active_superuser(user) -> bool:
    return bool(getattr(user, "is_superuser", False) and user.is_active)


can_import_areas = is_active_superuser | has_national_role

rules.add_perm("geo.import_areas", can_import_areas)
