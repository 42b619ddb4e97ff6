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

from django.utils.translation import gettext as _

from accounts.scoping import scope_for
from credit.models import ChangeStatus


def can_manage_lender(actor, lender_id: int | None) -> bool:
    scope = scope_for(actor)
    return scope.national or (lender_id is not None and lender_id in scope.lender_ids)


def can_collect(actor, loan) -> bool:
    """Record repayments and recovery actions (the loan is already known to be in scope)."""
    scope = scope_for(actor)
    if can_manage_lender(actor, loan.lender_id):
        return True
    return loan.area_id is not None and scope.covers(loan.area)


def can_lend(actor) -> bool:
    """Create loan products and enter applications (as ``loan_product_create`` and
    ``loan_apply`` accept): the national role, or a lender's staff."""
    scope = scope_for(actor)
    return scope.national or bool(scope.lender_ids)


def loan_step_refusal(actor, loan, *, statuses, approving: bool) -> str | None:
    """Why ``actor`` cannot approve, reject or disburse ``loan`` now (shown instead of the
    button; the services refuse the same): its status is not one of ``statuses``, or, to
    approve, ``actor`` entered the application (four eyes)."""
    if approving and loan.created_by_id == actor.pk:
        return _(
            "Vous avez saisi cette demande : un autre utilisateur du prêteur doit l'approuver "
            "(contrôle à quatre yeux)."
        )
    if loan.status not in statuses:
        return _("Impossible : le prêt est « %(status)s ».") % {"status": loan.get_status_display()}
    return None


def change_decision_refusal(actor, change) -> str | None:
    """Why ``actor`` cannot decide a reschedule or write-off request now: it is decided
    already, or ``actor`` asked for it (four eyes)."""
    if change.status != ChangeStatus.PENDING:
        return _("Cette demande est déjà tranchée.")
    if change.requested_by_id == actor.pk:
        return _(
            "Vous avez fait cette demande : un autre utilisateur du prêteur doit la trancher "
            "(contrôle à quatre yeux)."
        )
    return None
