"""Who may do what in credit (see docs/credit.md, "Droits").

- Loan products: the national role, or a lender's staff for that lender.
- Loans: a lender's staff (for its own loans) and the national role enter applications,
  approve them (never the user who entered them), disburse, reverse repayments, ask for and
  approve reschedules and write-offs.
- Repayments and recovery actions: also field agents, on loans in their area.
- Cooperative officers and members only read (their cooperative's / their own loans).

Visibility comes first: a loan outside the actor's scope is 404 (the selectors); a loan in
scope that the role may not change is 403 (here).
"""

from __future__ import annotations

from accounts.scoping import scope_for


def can_manage_lender(actor, lender_id: int | None) -> bool:
    scope = scope_for(actor)
    return scope.national or (lender_id is not None and lender_id in scope.lender_ids)


def can_collect(actor, loan) -> bool:
    """Record repayments and recovery actions (the loan is already known to be in scope)."""
    scope = scope_for(actor)
    if can_manage_lender(actor, loan.lender_id):
        return True
    return loan.area_id is not None and scope.covers(loan.area)
