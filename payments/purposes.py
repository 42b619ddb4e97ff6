"""The purpose registry: how payments reaches the apps above it without importing them.

An app that takes money registers a handler in its ``AppConfig.ready``::

    from payments import purposes
    purposes.register("loan_repayment", LoanRepaymentPurpose())

``payments`` then finds the target through the handler (scoped to the actor) and, when
the provider confirms the money, calls ``handler.on_succeeded(intent=...)`` exactly once,
inside the transaction that marks the intent succeeded (docs/payments.md).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from django.utils.translation import gettext as _

from core.errors import ValidationFailed
from payments.errors import Code

KNOWN_PURPOSES = (
    "loan_repayment",
    "share_payment",
    "purchase_invoice",
    "sale",
    "pledge",
    "contribution",
    "engagement",
    "event_fee",
)


@dataclass(frozen=True)
class Target:
    """What a purpose says about its target: enough to start and scope a payment."""

    id: int
    label: str
    amount_due: int  # the most that may be paid now (whole francs), 0 = nothing due
    cooperative_id: int | None = None  # whose books and whose staff see the payment
    area_id: int | None = None  # the commune, for agents' scope
    person_id: int | None = None  # the payer, when a person (members see their own)
    lender_id: int | None = None  # the lender whose staff see the payment
    amount_suggested: int = 0  # what the pay page proposes (e.g. the arrears), 0: none
    return_path: str = ""  # where the payer comes back (a public page), "": payments:return


class PurposeHandler(Protocol):
    def target_for(self, *, target_id: int, actor) -> Target:
        """The target as ``actor`` may see it; NotFound when outside their scope."""

    def target_get(self, *, target_id: int) -> Target:
        """The target without scoping (for the webhook, which has no user)."""

    def on_succeeded(self, *, intent) -> str:
        """Call the purpose's own service for ``intent.amount``; return its reference
        (e.g. the repayment id). Raise a core.errors.DomainError to refuse: the intent
        then stays succeeded but is flagged for review and nothing is posted."""


_registry: dict[str, PurposeHandler] = {}


def register(code: str, handler: PurposeHandler) -> None:
    """Register (or replace, on a reload) the handler of a purpose code."""
    if not code or len(code) > 32:
        raise ValueError(f"invalid purpose code {code!r}")
    _registry[code] = handler


def unregister(code: str) -> None:
    _registry.pop(code, None)


def get(code: str) -> PurposeHandler:
    handler = _registry.get(code)
    if handler is None:
        raise ValidationFailed(
            _("Objet de paiement inconnu : %(code)s.") % {"code": str(code)[:40]},
            code=Code.UNKNOWN_PURPOSE,
            field="purpose",
        )
    return handler


def registered() -> list[str]:
    return sorted(_registry)


# --------------------------------------------------------------------------- payout purposes
# Money sent by an app above (a mutual paying a claim): the app registers a handler for
# its purpose code; payments asks it who may request and approve (maker-checker stays
# payments' own: never the requester) and tells it once the payout is settled.


class PayoutPurposeHandler(Protocol):
    kind: str  # the PayoutKind its payouts carry

    def may_request(self, *, actor, target_id: int) -> bool:
        """Whether ``actor`` may ask for a payout for the target; NotFound when the target
        is outside their scope."""

    def may_approve(self, *, actor, payout) -> bool:
        """Whether ``actor`` may approve (or refuse) the payout; payments adds that the
        requester never approves their own payout."""

    def on_settled(self, *, payout) -> None:
        """Called once the payout is final (succeeded, failed or refused), inside the
        transaction that records it. Must be idempotent; a DomainError is logged and
        kept on the payout (the money's state is recorded whatever the handler says)."""


_payout_registry: dict[str, PayoutPurposeHandler] = {}


def register_payout(code: str, handler: PayoutPurposeHandler) -> None:
    if not code or len(code) > 32:
        raise ValueError(f"invalid payout purpose code {code!r}")
    _payout_registry[code] = handler


def payout_handler(code: str) -> PayoutPurposeHandler:
    handler = _payout_registry.get(code)
    if handler is None:
        raise ValidationFailed(
            _("Objet de versement inconnu : %(code)s.") % {"code": str(code)[:40]},
            code=Code.UNKNOWN_PURPOSE,
            field="purpose",
        )
    return handler
