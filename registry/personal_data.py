"""A person's own data, exported on request (Senegal's law 2008-12 on personal data,
issue 14, point 5): everything the registry holds on them, for whoever may see them."""

from __future__ import annotations

from registry.corrections_selectors import person_correction_requests
from registry.models import Employment
from registry.selectors import person_get, person_memberships


def person_personal_data(*, actor, pk: int) -> dict:
    """The person's record, memberships, jobs and correction requests, as plain JSON
    values (scoped: 404)."""
    person = person_get(actor=actor, pk=pk)
    memberships = person_memberships(actor=actor, person=person).select_related("cooperative")
    jobs = Employment.objects.filter(
        person=person, cooperative_id__in=[m.cooperative_id for m in memberships]
    ).select_related("cooperative")
    return {
        "person": {
            "id": person.pk,
            "first_name": person.first_name,
            "last_name": person.last_name,
            "sex": person.sex,
            "birth_date": person.birth_date.isoformat() if person.birth_date else None,
            "phone": person.phone,
            "national_id": person.national_id,
            "commune": person.commune.code if person.commune else None,
            "commune_name": person.commune.name if person.commune else None,
            "disability": person.disability,
            "education_level": person.education_level,
            "created_at": person.created_at.isoformat(),
        },
        "memberships": [
            {
                "cooperative": m.cooperative.name,
                "role": m.role,
                "status": m.status,
                "joined_on": m.joined_on.isoformat() if m.joined_on else None,
                "left_on": m.left_on.isoformat() if m.left_on else None,
            }
            for m in memberships
        ],
        "jobs": [
            {
                "cooperative": j.cooperative.name,
                "job_title": j.job_title,
                "started_on": j.started_on.isoformat() if j.started_on else None,
                "ended_on": j.ended_on.isoformat() if j.ended_on else None,
            }
            for j in jobs
        ],
        "correction_requests": [
            {
                "id": c.pk,
                "received_on": c.received_on.isoformat(),
                "channel": c.channel,
                "changes": c.changes,
                "details": c.details,
                "status": c.status,
                "handled_at": c.handled_at.isoformat() if c.handled_at else None,
                "decision_reason": c.decision_reason,
            }
            for c in person_correction_requests(actor=actor, person=person)
        ],
    }
