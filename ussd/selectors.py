"""What the USSD menu reads. The caller is found by phone (the endpoint's own check); every
figure is then read through the apps' own selectors with the member's login as actor, so
the menu shows exactly what that member may see on the web."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import QuerySet

from capital.selectors import share_register
from credit.models import LoanStatus
from credit.selectors import instalment_list, loan_list
from governance.models import AssemblyStatus
from governance.selectors import assembly_list
from registry.models import Person
from registry.selectors import person_get, person_list, person_memberships
from ussd.models import UssdPin


@dataclass(frozen=True)
class Caller:
    person: Person | None
    pin: UssdPin | None
    ambiguous: bool = False


def caller_get(phone: str) -> Caller:
    """The person with this phone who has a PIN (or the only person with this phone)."""
    persons = list(Person.objects.filter(phone=phone, merged_into__isnull=True).order_by("pk")[:5])
    pins = {
        p.person_id: p for p in UssdPin.objects.filter(person__in=persons).select_related("user")
    }
    with_pin = [p for p in persons if p.pk in pins]
    if len(with_pin) > 1:
        return Caller(None, None, ambiguous=True)
    if with_pin:
        return Caller(with_pin[0], pins[with_pin[0].pk])
    if len(persons) > 1:
        return Caller(None, None, ambiguous=True)
    return Caller(persons[0] if persons else None, None)


@dataclass(frozen=True)
class NextDue:
    loan_id: int
    number: int
    amount: int  # what is left of that instalment
    due_on: date
    arrears: int
    days_past_due: int
    other_loans: int


def next_due(*, actor) -> NextDue | None:
    """The member's active loan with the nearest unpaid instalment (arrears first)."""
    loans = list(loan_list(actor=actor, status=LoanStatus.ACTIVE).order_by("-days_past_due", "pk"))
    best = None
    for loan in loans:
        for inst in instalment_list(actor=actor, loan=loan).filter(number__gt=0):
            if inst.remaining > 0:
                key = (-loan.days_past_due, inst.due_on, loan.pk)
                if best is None or key < best[0]:
                    best = (key, loan, inst)
                break
    if best is None:
        return None
    _key, loan, inst = best
    return NextDue(
        loan_id=loan.pk,
        number=inst.number,
        amount=inst.remaining,
        due_on=inst.due_on,
        arrears=loan.arrears_amount,
        days_past_due=loan.days_past_due,
        other_loans=len(loans) - 1,
    )


def active_loan_count(*, actor) -> int:
    return loan_list(actor=actor, status=LoanStatus.ACTIVE).count()


@dataclass(frozen=True)
class SharesLine:
    cooperative: str
    shares: int
    subscribed: int
    paid: int


def shares(*, actor, person: Person) -> list[SharesLine]:
    lines = []
    for membership in person_memberships(actor=actor, person=person).select_related("cooperative"):
        for holding in share_register(actor=actor, cooperative=membership.cooperative):
            if holding.person.pk == person.pk:
                lines.append(
                    SharesLine(
                        membership.cooperative.name,
                        holding.shares,
                        holding.subscribed,
                        holding.paid,
                    )
                )
    return lines


def next_assembly(*, actor, person: Person, on: date):
    """The next convened assembly of one of the member's cooperatives, or None."""
    coops = person_memberships(actor=actor, person=person).values("cooperative")
    return (
        assembly_list(actor=actor)
        .filter(cooperative__in=coops, held_on__gte=on, status=AssemblyStatus.CONVENED)
        .order_by("held_on", "pk")
        .first()
    )


def pin_person_list(*, actor, q: str | None = None) -> QuerySet[Person]:
    """The persons the agent sees, with their PIN (for the agent's PIN page)."""
    return (
        person_list(actor=actor, filters={"q": q} if q else None)
        .select_related("ussd_pin")
        .order_by("last_name", "first_name", "pk")
    )


def pin_person_get(*, actor, pk: int) -> Person:
    return person_get(actor=actor, pk=pk)
