"""Checks shared by the registry's services: permission, visibility, the actor's reach,
and the facts the OHADA rules are applied to."""

from __future__ import annotations

from django.utils.translation import gettext as _

from accounts.scoping import scope_for
from core.errors import Forbidden, NotFound
from registry import ohada
from registry.errors import Code
from registry.models import Cooperative, Membership, MembershipStatus, Person


def require(allowed: bool, message: str | None = None) -> None:
    """``Forbidden`` unless ``allowed`` (the result of a rule of :mod:`registry.rules`)."""
    if not allowed:
        raise Forbidden(message or _("Action non autorisée pour votre rôle."))


def out_of_reach() -> Forbidden:
    return Forbidden(
        _("Cette commune est hors de votre zone."), code=Code.OUT_OF_SCOPE, field="commune"
    )


def visible_cooperative(actor, coop: Cooperative) -> None:
    """NotFound when ``coop`` is outside the actor's scope (never reveal it exists)."""
    from registry.selectors import cooperative_scope_q

    if scope_for(actor).national:
        return
    if not Cooperative.objects.filter(cooperative_scope_q(actor), pk=coop.pk).exists():
        raise NotFound(_("Coopérative introuvable."))


def visible_person(actor, person: Person) -> None:
    from registry.selectors import person_scope_q

    if scope_for(actor).national:
        return
    if not Person.objects.filter(person_scope_q(actor), pk=person.pk).exists():
        raise NotFound(_("Personne introuvable."))


def check_commune_in_reach(actor, commune) -> None:
    """A person is registered (or moved) only where the actor works: an agent in their
    area, an officer in the department of their cooperative (issue 14, point 5), the
    national level anywhere. No commune: allowed (the person stays visible to whoever
    entered them)."""
    if commune is None:
        return
    scope = scope_for(actor)
    if scope.national or scope.covers(commune):
        return
    if scope.cooperative_ids:
        departments = Cooperative.objects.filter(pk__in=scope.cooperative_ids).values_list(
            "commune__parent__path", "commune__path"
        )
        if any(commune.path.startswith(d or c) for d, c in departments):
            return
    raise out_of_reach()


def actor_user(actor):
    """The actor as a user row to point at (``None`` for an actor without one)."""
    return actor if getattr(actor, "pk", None) else None


def country(coop: Cooperative) -> str:
    return coop.commune.country_code if coop.commune_id else ohada.DEFAULT_COUNTRY


def active_counts(coop: Cooperative) -> tuple[int, int]:
    """(active members, active members holding a committee office)."""
    active = Membership.objects.filter(cooperative=coop, status=MembershipStatus.ACTIVE)
    return active.count(), active.filter(role__in=ohada.COMMITTEE_ROLES).count()
