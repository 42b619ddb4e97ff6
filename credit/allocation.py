"""How a repayment is split over a loan's instalments: a pure function.

Rule (see docs/credit.md):

1. Instalments already due on the payment date (``due_on <= paid_on``), oldest first; within
   each instalment, components in the product's order (default penalties, fees, interest,
   principal: Fineract's "penalties, fees, interest, principal order").
2. What remains is a prepayment: it repays the principal of the instalments not yet due,
   nearest first. Their interest stays due on their dates, except when the whole principal
   is repaid: the interest not yet due is then waived (the loan is settled early).
3. An amount above what can be allocated (everything due plus all remaining principal) is
   refused by the service (``overpayment``); this function returns the part left over.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

PENALTY = "penalty"
FEE = "fee"
INTEREST = "interest"
PRINCIPAL = "principal"
COMPONENTS = (PENALTY, FEE, INTEREST, PRINCIPAL)
DEFAULT_ORDER = COMPONENTS


@dataclass(frozen=True)
class Open:
    """What remains unpaid on one instalment."""

    number: int
    due_on: date
    penalty: int = 0
    fee: int = 0
    interest: int = 0
    principal: int = 0

    def remaining(self, component: str) -> int:
        return getattr(self, component)

    @property
    def total(self) -> int:
        return self.penalty + self.fee + self.interest + self.principal


@dataclass(frozen=True)
class Line:
    number: int
    component: str
    amount: int


def parse_order(text: str | tuple | list) -> tuple[str, ...]:
    order = tuple(p.strip() for p in text.split(",")) if isinstance(text, str) else tuple(text)
    if sorted(order) != sorted(COMPONENTS):
        raise ValueError(f"order must list each of {', '.join(COMPONENTS)} once")
    return order


def capacity(instalments: list[Open], paid_on: date) -> int:
    """The most a payment on ``paid_on`` may be: all that is due plus all remaining principal."""
    return sum(i.total if i.due_on <= paid_on else i.principal for i in instalments)


def allocate(
    instalments: list[Open],
    amount: int,
    paid_on: date,
    order: tuple[str, ...] = DEFAULT_ORDER,
) -> tuple[list[Line], int]:
    """Split ``amount`` over ``instalments``; returns the lines and the unallocated rest."""
    if amount < 0:
        raise ValueError("amount must not be negative")
    rest = amount
    lines: list[Line] = []
    ordered = sorted(instalments, key=lambda i: (i.due_on, i.number))
    for inst in (i for i in ordered if i.due_on <= paid_on):
        for component in order:
            take = min(rest, inst.remaining(component))
            if take:
                lines.append(Line(inst.number, component, take))
                rest -= take
    for inst in (i for i in ordered if i.due_on > paid_on):
        take = min(rest, inst.principal)
        if take:
            lines.append(Line(inst.number, PRINCIPAL, take))
            rest -= take
    return lines, rest
