"""Every read of mediation. The file of a case (its facts, timeline, outcome) is read only
through ``case_list``/``case_get``, which return the cases where the actor is a party or
the mediator; the administrators' queue shows no file; statistics carry no names."""

from __future__ import annotations

from django.db.models import Count, Q, QuerySet
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from core.errors import Forbidden, NotFound
from mediation import rules
from mediation.models import Case, Category, Mediator, Outcome, Status
from network.countries import country_name
from network.rules import network_scope


def _party_q(actor) -> Q:
    if not getattr(actor, "is_authenticated", False):
        return Q(pk__in=[])
    scope = network_scope(actor)
    orgs = sorted(scope.organisation_ids)
    q = Q(complainant_id__in=orgs) | Q(respondent_id__in=orgs) | Q(filed_by=actor)
    q |= Q(mediator__user=actor)
    if scope.admin:
        q |= Q(against_platform=True)
    return q


def case_list(*, actor) -> QuerySet[Case]:
    """The cases whose file the actor may read: as a party or as the mediator."""
    return (
        Case.objects.filter(_party_q(actor))
        .select_related("complainant", "respondent", "mediator__user")
        .order_by("-filed_at", "-id")
    )


def case_get(*, actor, pk: int) -> Case:
    case = case_list(actor=actor).filter(pk=pk).first()
    if case is None:
        raise NotFound(_("Médiation introuvable."))
    return case


def _admin_only(actor) -> None:
    if not rules.is_mediation_admin(actor):
        raise Forbidden(_("Réservé aux administrateurs du réseau."))


def queue(*, actor) -> QuerySet[Case]:
    """Filed cases waiting for a mediator (administrators only: anyone else is refused):
    no file is read here."""
    _admin_only(actor)
    return (
        Case.objects.filter(status=Status.FILED)
        .select_related("complainant", "respondent")
        .only(
            "pk",
            "category",
            "filed_at",
            "against_platform",
            "status",
            "complainant__name",
            "respondent__name",
        )  # fmt: skip
        .order_by("filed_at", "id")
    )


def queue_case_get(*, actor, pk: int) -> Case:
    """A filed case of the queue (administrators only: anyone else is refused before any
    case is looked up, so nothing is revealed)."""
    case = queue(actor=actor).filter(pk=pk).first()
    if case is None:
        raise NotFound(_("Médiation introuvable."))
    return case


def mediator_list(*, actor, active_only: bool = True) -> QuerySet[Mediator]:
    """The network's list of mediators (its administrators keep it and appoint from it)."""
    _admin_only(actor)
    qs = Mediator.objects.select_related("user")
    if active_only:
        qs = qs.filter(active=True)
    return qs.order_by("user__last_name", "user__username")


def mediator_get(*, actor, pk: int) -> Mediator:
    """A mediator on the list (administrators only), to appoint."""
    mediator = mediator_list(actor=actor).filter(pk=pk).first()
    if mediator is None:
        raise NotFound(_("Médiateur introuvable."))
    return mediator


def timeline(*, actor, case: Case):
    """The case's exchanges and meetings (the caller got ``case`` from ``case_get``)."""
    if not rules.may_read_file(actor, case):
        raise NotFound(_("Médiation introuvable."))
    return case.entries.select_related("author").order_by("created_at", "id")


def statistics(*, actor) -> dict:
    """For the network's governance: counts by status, nature, outcome and country of the
    complainant, and the mean duration of closed cases; no names, no texts
    (administrators only)."""
    _admin_only(actor)
    qs = Case.objects.all()

    def by(field, label):
        rows = qs.values(field).annotate(n=Count("id")).order_by(field)
        return [(row[field], label(row[field]), row["n"]) for row in rows if row[field]]

    closed = list(qs.filter(status=Status.CLOSED).values_list("filed_at", "closed_at"))
    days = [(end - start).days for start, end in closed if end]
    return {
        "total": qs.count(),
        "by_status": by("status", lambda c: Status(c).label),
        "by_category": by("category", lambda c: Category(c).label),
        "by_outcome": by("outcome", lambda c: Outcome(c).label),
        "by_country": by("complainant__country", lambda c: country_name(c, get_language())),
        "against_platform": qs.filter(against_platform=True).count(),
        "mean_days_to_close": round(sum(days) / len(days), 1) if days else None,
    }
