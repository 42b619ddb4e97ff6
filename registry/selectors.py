"""Every read of the registry, scoped to the acting user through accounts.scoping."""

from __future__ import annotations

from django.db.models import Count, Q, QuerySet

from accounts.scoping import scope_for, scope_q
from core.errors import NotFound
from registry.models import Cooperative, Membership, MembershipStatus, Person


def cooperative_scope_q(actor) -> Q:
    scope = scope_for(actor)
    q = scope_q(scope, area="commune", cooperative="id")
    if scope.person_ids and not scope.national:
        q |= Q(
            id__in=Membership.objects.filter(person_id__in=scope.person_ids).values(
                "cooperative_id"
            )
        )
    return q


def cooperative_list(*, actor) -> QuerySet[Cooperative]:
    return (
        Cooperative.objects.filter(cooperative_scope_q(actor))
        .select_related("commune__parent__parent", "sector")
        .annotate(
            member_count=Count("memberships", filter=Q(memberships__status=MembershipStatus.ACTIVE))
        )
    )


def cooperative_get(*, actor, pk: int) -> Cooperative:
    try:
        return cooperative_list(actor=actor).get(pk=pk)
    except (Cooperative.DoesNotExist, ValueError, TypeError):
        raise NotFound("Coopérative introuvable.") from None


def person_scope_q(actor) -> Q:
    scope = scope_for(actor)
    if scope.national:
        return Q()
    q = scope_q(scope, area="commune", person="id")
    visible_coops = Cooperative.objects.filter(scope_q(scope, area="commune", cooperative="id"))
    if scope.area_paths or scope.cooperative_ids:
        q |= Q(id__in=Membership.objects.filter(cooperative__in=visible_coops).values("person_id"))
    return q


def person_list(*, actor) -> QuerySet[Person]:
    return Person.objects.filter(person_scope_q(actor), merged_into__isnull=True).select_related(
        "commune"
    )


def person_get(*, actor, pk: int) -> Person:
    try:
        return person_list(actor=actor).get(pk=pk)
    except (Person.DoesNotExist, ValueError, TypeError):
        raise NotFound("Personne introuvable.") from None


def membership_list(*, actor) -> QuerySet[Membership]:
    return Membership.objects.filter(
        cooperative__in=Cooperative.objects.filter(cooperative_scope_q(actor))
    ).select_related("person", "cooperative")
