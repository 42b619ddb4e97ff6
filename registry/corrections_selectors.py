"""Reads of correction requests (registry/corrections.py), scoped to the acting user.

A request is seen by whoever sees its person (``person_scope_q``): the national level
all of them, an agent those of the persons of their area, an officer those of their
cooperative's members, a member their own; a lender none. Out of scope is missing (404).
"""

from __future__ import annotations

from django.db.models import Case, IntegerField, Q, QuerySet, Value, When
from django.utils.translation import gettext as _

from core.errors import NotFound
from core.text import search_q
from registry.models import CorrectionRequest, CorrectionStatus, Person
from registry.selectors import person_scope_q


def correction_request_scope_q(actor) -> Q:
    return Q(person__in=Person.objects.filter(person_scope_q(actor)).values("id"))


def correction_request_list(*, actor, filters: dict | None = None) -> QuerySet[CorrectionRequest]:
    """Requests visible to ``actor``, open ones first, newest first. Filters: ``status``,
    ``q`` (the person's name, phone or CNI), ``person`` (an id)."""
    filters = {k: v for k, v in (filters or {}).items() if v not in (None, "")}
    qs = CorrectionRequest.objects.filter(correction_request_scope_q(actor)).select_related(
        "person", "recorded_by", "handled_by"
    )
    if filters.get("status"):
        qs = qs.filter(status=filters["status"])
    if filters.get("person"):
        person = filters["person"]
        if not isinstance(person, int) or not 0 < person < 2**63:
            return qs.none()
        qs = qs.filter(person_id=person)
    if filters.get("q"):
        qs = qs.filter(search_q(filters["q"], field="person__search_text"))
    open_first = Case(
        When(status=CorrectionStatus.OPEN, then=Value(0)),
        default=Value(1),
        output_field=IntegerField(),
    )
    return qs.annotate(open_rank=open_first).order_by("open_rank", "-received_on", "-id")


def correction_request_get(*, actor, pk: int) -> CorrectionRequest:
    try:
        return correction_request_list(actor=actor).get(pk=pk)
    except (CorrectionRequest.DoesNotExist, ValueError, TypeError, OverflowError):
        raise NotFound(_("Demande introuvable.")) from None


def person_correction_requests(*, actor, person: Person) -> QuerySet[CorrectionRequest]:
    return correction_request_list(actor=actor, filters={"person": person.pk})
