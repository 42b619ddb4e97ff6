"""Every read of share capital, scoped through accounts.scoping."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import Q, QuerySet, Sum
from django.utils.translation import gettext_lazy as _

from accounts.scoping import scoped
from capital.models import (
    OperationKind,
    OperationStatus,
    ShareMovement,
    ShareOperation,
    Statutes,
)
from core.errors import NotFound
from registry.models import Cooperative, LegalForm, Person

COOP_CA_PAYMENT_YEARS = 3  # AUSCOOP art. 270: the rest of the shares within 3 years


def statutes_for(cooperative: Cooperative) -> Statutes:
    """The cooperative's statutes, or unsaved defaults when none were recorded yet."""
    try:
        return Statutes.objects.get(cooperative=cooperative)
    except Statutes.DoesNotExist:
        return Statutes(cooperative=cooperative)


def statutes_get(*, actor, cooperative: Cooperative) -> Statutes:
    return statutes_for(cooperative)


def _movements(actor) -> QuerySet[ShareMovement]:
    return scoped(
        ShareMovement.objects.all(),
        actor,
        area="cooperative__commune",
        cooperative="cooperative",
        person="person",
    )


@dataclass
class Holding:
    person: Person
    subscribed: int
    paid: int
    shares: int

    @property
    def unpaid(self) -> int:
        return self.subscribed - self.paid


def holdings(cooperative: Cooperative, movements=None) -> list[Holding]:
    """Totals per person from the append-only movements (unscoped helper for services)."""
    qs = movements if movements is not None else ShareMovement.objects.all()
    rows = (
        qs.filter(cooperative=cooperative)
        .values("person")
        .annotate(s=Sum("subscribed"), p=Sum("paid"), n=Sum("shares"))
        .order_by()
    )
    totals = {r["person"]: r for r in rows}
    persons = Person.objects.in_bulk(list(totals))
    result = [
        Holding(persons[pid], r["s"] or 0, r["p"] or 0, r["n"] or 0) for pid, r in totals.items()
    ]
    result = [h for h in result if h.shares or h.subscribed or h.paid]
    result.sort(key=lambda h: (h.person.last_name, h.person.first_name, h.person.pk))
    return result


def holding_of(cooperative: Cooperative, person: Person) -> Holding:
    agg = ShareMovement.objects.filter(cooperative=cooperative, person=person).aggregate(
        s=Sum("subscribed"), p=Sum("paid"), n=Sum("shares")
    )
    return Holding(person, agg["s"] or 0, agg["p"] or 0, agg["n"] or 0)


def share_register(*, actor, cooperative: Cooperative) -> list[Holding]:
    """The register of members and shares, as far as the actor may see it (a member: own row)."""
    return holdings(cooperative, _movements(actor))


def share_operation_list(
    *, actor, cooperative: Cooperative | None = None, status: str | None = None, kind=None
) -> QuerySet[ShareOperation]:
    qs = scoped(
        ShareOperation.objects.all(),
        actor,
        area="cooperative__commune",
        cooperative="cooperative",
        person="person",
    )
    if cooperative is not None:
        qs = qs.filter(cooperative=cooperative)
    if status:
        qs = qs.filter(status=status)
    if kind:
        qs = qs.filter(kind=kind)
    return qs.select_related("person", "to_person", "cooperative")


def share_operation_get(*, actor, pk) -> ShareOperation:
    try:
        return share_operation_list(actor=actor).get(pk=pk)
    except (ShareOperation.DoesNotExist, ValueError, TypeError):
        raise NotFound(_("Opération introuvable.")) from None


@dataclass
class StatementLine:
    on: date
    label: str
    shares: int
    subscribed: int
    paid: int


@dataclass
class CapitalStatement:
    cooperative: Cooperative
    person: Person
    holding: Holding
    lines: list[StatementLine]
    pending: list[ShareOperation]
    overdue: int
    due_on: date | None


def _add_years(d: date, years: int) -> date:
    try:
        return d.replace(year=d.year + years)
    except ValueError:  # 29 February
        return d.replace(year=d.year + years, day=28)


def unpaid_overdue(cooperative: Cooperative, person: Person, *, as_of: date):
    """COOP-CA: unpaid capital whose 3-year deadline has passed, and the next deadline.

    Payments are allocated to subscriptions oldest first.
    """
    if cooperative.legal_form != LegalForm.COOP_CA:
        return 0, None
    moves = list(
        ShareMovement.objects.filter(cooperative=cooperative, person=person)
        .select_related("operation")
        .order_by("on", "id")
    )
    paid_total = sum(m.paid for m in moves)
    covered = paid_total
    overdue, next_due = 0, None
    for m in moves:
        if m.operation.kind != OperationKind.SUBSCRIPTION or m.subscribed <= 0:
            continue
        part_paid = min(covered, m.subscribed)
        covered -= part_paid
        rest = m.subscribed - part_paid
        if rest <= 0:
            continue
        due = _add_years(m.on, COOP_CA_PAYMENT_YEARS)
        if due < as_of:
            overdue += rest
        elif next_due is None or due < next_due:
            next_due = due
    return overdue, next_due


def capital_statement(*, actor, cooperative: Cooperative, person_id, as_of: date):
    """A member's capital statement (the member, their cooperative's staff, agents)."""
    moves = (
        _movements(actor)
        .filter(cooperative=cooperative, person_id=person_id)
        .select_related("operation", "person")
        .order_by("on", "id")
    )
    moves = list(moves)
    if not moves:
        visible = (
            share_operation_list(actor=actor, cooperative=cooperative)
            .filter(Q(person_id=person_id))
            .exists()
        )
        if not visible:
            raise NotFound(_("Relevé introuvable."))
        person = Person.objects.get(pk=person_id)
    else:
        person = moves[0].person
    lines = [
        StatementLine(m.on, m.operation.get_kind_display(), m.shares, m.subscribed, m.paid)
        for m in moves
    ]
    holding = Holding(
        person,
        sum(m.subscribed for m in moves),
        sum(m.paid for m in moves),
        sum(m.shares for m in moves),
    )
    pending = list(
        share_operation_list(actor=actor, cooperative=cooperative)
        .filter(person_id=person_id, status__in=[OperationStatus.DRAFT, OperationStatus.APPROVED])
        .order_by("effective_on", "id")
    )
    overdue, due_on = unpaid_overdue(cooperative, person, as_of=as_of)
    return CapitalStatement(cooperative, person, holding, lines, pending, overdue, due_on)
