"""What each role's home page shows: real figures, always within the actor's scope."""

from __future__ import annotations

from django.db.models import Count, Q

from accounts.models import RoleAssignment
from accounts.scoping import scope_for
from registry.models import MembershipStatus, Sex, Stage
from registry.selectors import cooperative_list, membership_list


def home_figures(*, actor) -> dict:
    coops = cooperative_list(actor=actor).order_by()
    by_stage = dict(coops.values_list("stage").annotate(n=Count("id")))
    active = membership_list(actor=actor).filter(status=MembershipStatus.ACTIVE)
    persons = active.values("person_id").distinct()
    members = persons.count()
    women = active.filter(person__sex=Sex.F).values("person_id").distinct().count()
    return {
        "cooperatives": sum(by_stage.values()),
        "by_stage": [
            (Stage(code).label, by_stage[code]) for code in Stage.values if by_stage.get(code)
        ],
        "members": members,
        "women": women,
    }


def home_context(*, actor) -> dict:
    scope = scope_for(actor)
    assignments = list(
        RoleAssignment.objects.filter(user=actor)
        .select_related("area", "cooperative", "lender", "person")
        .order_by("role")
    )
    return {
        "scope": scope,
        "assignments": assignments,
        "figures": home_figures(actor=actor),
        "recent_cooperatives": list(
            cooperative_list(actor=actor).filter(~Q(stage="dissoute")).order_by("-created_at")[:5]
        ),
    }
