"""Who may do what in the registry (``rules`` predicates).

Services check these and raise :class:`core.errors.Forbidden`; templates use them to
show or hide buttons (``{% load rules %}{% test_rule "registry.edit_cooperative" user coop
as can_edit %}``, or call the functions directly in the view).

- national: everything, including the sector list.
- agent: registers cooperatives and persons, edits cooperatives, members, jobs and
  persons inside their area (region or department subtree), merges duplicates there.
- officer: manages the members and jobs of their own cooperative (and edits those
  persons); read-only on the cooperative itself.
- lender, member: read-only.
"""

from __future__ import annotations

import rules
from django.utils.translation import gettext as _

from accounts.rules import is_agent, is_national, is_officer
from accounts.scoping import scope_for
from core.errors import Forbidden, NotFound


def _area_in_scope(scope, area) -> bool:
    return area is not None and scope.covers(area)


@rules.predicate
def is_agent_of_cooperative(user, coop) -> bool:
    return coop is not None and _area_in_scope(scope_for(user), coop.commune)


@rules.predicate
def is_officer_of_cooperative(user, coop) -> bool:
    return coop is not None and coop.pk in scope_for(user).cooperative_ids


def _person_cooperatives(person):
    from registry.models import Cooperative, MembershipStatus

    return Cooperative.objects.filter(
        memberships__person=person, memberships__status=MembershipStatus.ACTIVE
    ).select_related("commune")


@rules.predicate
def is_agent_of_person(user, person) -> bool:
    scope = scope_for(user)
    if person is None or not scope.area_paths:
        return False
    if _area_in_scope(scope, person.commune):
        return True
    return any(_area_in_scope(scope, c.commune) for c in _person_cooperatives(person))


@rules.predicate
def is_officer_of_person(user, person) -> bool:
    scope = scope_for(user)
    if person is None or not scope.cooperative_ids:
        return False
    return _person_cooperatives(person).filter(pk__in=scope.cooperative_ids).exists()


can_register_cooperative = is_national | is_agent
can_edit_cooperative = is_national | is_agent_of_cooperative
can_change_stage = can_edit_cooperative
can_manage_members = is_national | is_agent_of_cooperative | is_officer_of_cooperative
can_manage_jobs = can_manage_members
can_create_person = is_national | is_agent | is_officer
can_edit_person = is_national | is_agent_of_person | is_officer_of_person
can_merge_persons = is_national | is_agent_of_person
can_manage_sectors = is_national
can_import = is_national | is_agent
# Correction requests (law 2008-12): recorded and decided by whoever may edit the person.
can_handle_corrections = can_edit_person
# Act for a cooperative (its capital, its bodies and assemblies...): its officers, the
# agents of its area, the national role.
can_act_for_cooperative = is_national | is_agent_of_cooperative | is_officer_of_cooperative


def require_on_cooperative(actor, coop, rule, message: str | None = None) -> None:
    """``rule`` (a predicate of the actor and ``coop``) must hold: otherwise 403 when the
    actor sees the cooperative, 404 when it is outside their scope (never reveal it)."""
    from registry.models import Cooperative
    from registry.selectors import cooperative_scope_q

    if rule.test(actor, coop):
        return
    if Cooperative.objects.filter(cooperative_scope_q(actor), pk=coop.pk).exists():
        raise Forbidden(message or _("Votre rôle ne permet pas cette opération."))
    raise NotFound(_("Coopérative introuvable."))


rules.add_rule("registry.register_cooperative", can_register_cooperative)
rules.add_rule("registry.edit_cooperative", can_edit_cooperative)
rules.add_rule("registry.change_stage", can_change_stage)
rules.add_rule("registry.manage_members", can_manage_members)
rules.add_rule("registry.manage_jobs", can_manage_jobs)
rules.add_rule("registry.create_person", can_create_person)
rules.add_rule("registry.edit_person", can_edit_person)
rules.add_rule("registry.merge_persons", can_merge_persons)
rules.add_rule("registry.manage_sectors", can_manage_sectors)
rules.add_rule("registry.import", can_import)
rules.add_rule("registry.handle_corrections", can_handle_corrections)
