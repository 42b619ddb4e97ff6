"""Who may do what in the mutual health insurance.

Roles come from accounts (national, agent, officer, member) and from this app's
``HealthStaff`` (mutual agents of a scheme, staff of a provider):

- the national role creates schemes; a scheme's agents run it (benefits, providers,
  tariffs, enrolment, contributions, checking, valuating and paying claims);
- an officer enrols households through their cooperative and records their
  contributions; a member pays their own household's contributions;
- a provider's staff check a person's cover and enter claims at their provider;
- programme agents and the national role see counts, never diagnoses.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

from accounts.scoping import scope_for
from core.errors import Forbidden
from health.models import HealthStaff, StaffRole


@dataclass(frozen=True)
class HealthScope:
    scheme_ids: frozenset[int] = field(default_factory=frozenset)  # mutual agent
    provider_ids: frozenset[int] = field(default_factory=frozenset)  # provider staff


def health_scope(user) -> HealthScope:
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return HealthScope()
    cached = getattr(user, "_sunucoop_health_scope", None)
    if cached is not None:
        return cached
    schemes, providers = set(), set()
    for role, scheme_id, provider_id in HealthStaff.objects.filter(user=user).values_list(
        "role", "scheme_id", "provider_id"
    ):
        if role == StaffRole.MUTUAL_AGENT:
            schemes.add(scheme_id)
        elif role == StaffRole.PROVIDER:
            providers.add(provider_id)
    scope = HealthScope(frozenset(schemes), frozenset(providers))
    user._sunucoop_health_scope = scope
    return scope


def is_mutual_agent(actor, scheme_id: int) -> bool:
    return scheme_id in health_scope(actor).scheme_ids


def can_create_scheme(actor) -> bool:
    return scope_for(actor).national


def can_manage_scheme(actor, scheme) -> bool:
    return scope_for(actor).national or is_mutual_agent(actor, scheme.pk)


def can_enrol(actor, scheme, cooperative) -> bool:
    if is_mutual_agent(actor, scheme.pk):
        return True
    return cooperative is not None and cooperative.pk in scope_for(actor).cooperative_ids


def can_set_photo(actor, household) -> bool:
    """A member card's photo: those who enrol the household (the scheme's agents, the
    officers of its cooperative)."""
    return can_enrol(actor, household.scheme, household.cooperative)


def can_pay(actor, household, member_person_ids) -> bool:
    if is_mutual_agent(actor, household.scheme_id):
        return True
    scope = scope_for(actor)
    if household.cooperative_id and household.cooperative_id in scope.cooperative_ids:
        return True
    return bool(scope.person_ids & set(member_person_ids))


def can_enter_claim(actor, scheme, provider) -> bool:
    return is_mutual_agent(actor, scheme.pk) or provider.pk in health_scope(actor).provider_ids


def can_process_claim(actor, claim) -> bool:
    return is_mutual_agent(actor, claim.scheme_id)


def can_read_books(actor, scheme) -> bool:
    """The mutual's books: its agents (its officers) and the national role."""
    return scope_for(actor).national or is_mutual_agent(actor, scheme.pk)


def can_keep_books(actor, scheme) -> bool:
    """Locking months, closing the year and allocating the result: the scheme's agents
    only (the national role reads the books, it does not keep them)."""
    return is_mutual_agent(actor, scheme.pk)


def can_check_cards_offline(actor) -> bool:
    """The offline card check: a provider's staff (its users), a scheme's agents, the
    national role. It shows only what the card itself prints."""
    hs = health_scope(actor)
    return bool(hs.provider_ids or hs.scheme_ids) or scope_for(actor).national


def can_read_medical(actor, claim) -> bool:
    """The scheme's agents, the provider who treated, the beneficiary: no one else."""
    return (
        is_mutual_agent(actor, claim.scheme_id)
        or claim.provider_id in health_scope(actor).provider_ids
        or claim.beneficiary_id in scope_for(actor).person_ids
    )


def require(allowed: bool) -> None:
    if not allowed:
        raise Forbidden(_("Votre rôle ne permet pas cette opération."))
