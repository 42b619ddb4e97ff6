"""The one scoping mechanism. Every selector that a person triggers goes through it.

``scope_for(user)`` reads the user's role assignments once into a :class:`Scope`;
``scope_q(scope, ...)`` turns it into a ``Q`` for a given model, which names the lookups
linking its rows to each dimension of a scope (area, cooperative, lender, person). A
dimension a model does not name grants nothing on it, so an unknown case fails closed.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Q

from accounts.models import Role, RoleAssignment

NOTHING = Q(pk__in=[])


@dataclass(frozen=True)
class Scope:
    national: bool = False
    area_paths: frozenset[str] = field(default_factory=frozenset)
    cooperative_ids: frozenset[int] = field(default_factory=frozenset)
    lender_ids: frozenset[int] = field(default_factory=frozenset)
    person_ids: frozenset[int] = field(default_factory=frozenset)
    # the ids of the agent's areas (same areas as ``area_paths``): the persons' stored
    # scope text names areas by id (registry.scope_text)
    area_ids: frozenset[int] = field(default_factory=frozenset)

    @property
    def roles(self) -> set[str]:
        roles = set()
        if self.national:
            roles.add(Role.NATIONAL)
        if self.area_paths:
            roles.add(Role.AGENT)
        if self.cooperative_ids:
            roles.add(Role.OFFICER)
        if self.lender_ids:
            roles.add(Role.LENDER)
        if self.person_ids:
            roles.add(Role.MEMBER)
        return roles

    @property
    def is_empty(self) -> bool:
        return not self.roles

    def covers(self, area) -> bool:
        """Whether ``area`` (an area, or its materialised path) lies inside one of the
        agent's areas (the area itself or below it). The national role is not implied:
        check ``national`` too where it may act everywhere. ``None`` is covered by none."""
        path = getattr(area, "path", area)
        return bool(path) and any(path.startswith(p) for p in self.area_paths)


EMPTY = Scope()


def scope_for(user) -> Scope:
    """The user's scope, computed once per request (cached on the user object)."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return EMPTY
    cached = getattr(user, "_sunucoop_scope", None)
    if cached is not None:
        return cached
    national = False
    areas, coops, lenders, persons, area_ids = set(), set(), set(), set(), set()
    rows = RoleAssignment.objects.filter(user=user).select_related("area")
    for ra in rows:
        if ra.role == Role.NATIONAL:
            national = True
        elif ra.role == Role.AGENT and ra.area_id:
            areas.add(ra.area.path)
            area_ids.add(ra.area_id)
        elif ra.role == Role.OFFICER and ra.cooperative_id:
            coops.add(ra.cooperative_id)
        elif ra.role == Role.LENDER and ra.lender_id:
            lenders.add(ra.lender_id)
        elif ra.role == Role.MEMBER and ra.person_id:
            persons.add(ra.person_id)
    scope = Scope(
        national,
        frozenset(areas),
        frozenset(coops),
        frozenset(lenders),
        frozenset(persons),
        frozenset(area_ids),
    )
    user._sunucoop_scope = scope
    return scope


def scope_q(
    scope: Scope,
    *,
    area: str | None = None,
    cooperative: str | None = None,
    lender: str | None = None,
    person: str | None = None,
) -> Q:
    """A filter for rows visible in ``scope``.

    Each keyword is the lookup from the model to that dimension, e.g. for a loan
    ``area="borrower_area", cooperative="borrower_cooperative", lender="lender",
    person="borrower_person"``. ``area`` must lead to a ``geo.Area``.
    """
    if scope.national:
        return Q()
    q = NOTHING
    if area and scope.area_paths:
        for path in sorted(scope.area_paths):
            q |= Q(**{f"{area}__path__startswith": path})
    if cooperative and scope.cooperative_ids:
        q |= Q(**{f"{cooperative}__in": sorted(scope.cooperative_ids)})
    if lender and scope.lender_ids:
        q |= Q(**{f"{lender}__in": sorted(scope.lender_ids)})
    if person and scope.person_ids:
        q |= Q(**{f"{person}__in": sorted(scope.person_ids)})
    return q


def scoped(queryset, actor, **lookups):
    """``queryset`` limited to what ``actor`` may see (see :func:`scope_q`)."""
    return queryset.filter(scope_q(scope_for(actor), **lookups))
