"""Who may do what with payments (docs/payments.md, "Droits").

- Start a payment: whoever may see its target (the purpose's handler scopes it): a
  member pays their own instalment, an officer or an agent on behalf of a member.
- See payments: national; agents in their area; officers of the cooperative; lenders'
  staff for their loans; a member their own; anyone the payments they started.
- Reconcile statements, resolve reviews, approve payouts: national staff only (the
  programme holds the provider accounts); a payout above the threshold needs a second
  person (maker-checker).
"""

from __future__ import annotations

from accounts.scoping import scope_for


def can_manage_payments(actor) -> bool:
    return scope_for(actor).national


# Apps above payments that send money back (the network's refunds and settlements)
# register who may request their payouts (an upward hook, filled in AppConfig.ready).
_payout_requesters: dict = {}


def register_payout_requester(code: str, predicate) -> None:
    """``predicate(actor, kind) -> bool``: who may request a payout of ``kind``."""
    _payout_requesters[code] = predicate


def can_request_payout(actor, kind: str) -> bool:
    if can_manage_payments(actor):
        return True
    return any(predicate(actor, kind) for predicate in _payout_requesters.values())


def can_approve_payout(actor, payout) -> bool:
    """The checker: never the requester; for a payout of a purpose registered by an app
    above (payments.purposes.register_payout), whom that app names; else national staff."""
    if payout.requested_by_id == getattr(actor, "pk", None):
        return False
    if payout.purpose:
        from payments.purposes import payout_handler

        return bool(payout_handler(payout.purpose).may_approve(actor=actor, payout=payout))
    return can_manage_payments(actor)
