"""The interface every mobile-money provider implements (docs/payments.md, "Providers").

Adapters speak the provider's real HTTP API; base URLs, keys and secrets come from
settings, so the same code talks to the provider or to its local sandbox (sandboxes/).
Amounts cross this interface as whole francs (int); statuses as our own words.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from django.utils.translation import gettext_lazy as _

from core.errors import DomainError

# Our words for a provider's payment state.
PENDING, SUCCEEDED, FAILED, EXPIRED = "pending", "succeeded", "failed", "expired"


class ProviderUnavailable(DomainError):
    """The provider did not answer, or answered nonsense (503): nothing was changed."""

    status = 503
    default_code = "provider_unavailable"


class InvalidSignature(Exception):
    """A webhook whose signature or timestamp does not hold (the view answers 401)."""


@dataclass(frozen=True)
class CheckoutSession:
    session_id: str
    checkout_url: str
    expires_at: datetime | None = None


@dataclass(frozen=True)
class PaymentState:
    """What the provider says about one payment (a status call or a webhook's data)."""

    status: str  # PENDING / SUCCEEDED / FAILED / EXPIRED
    reference: str = ""  # our reference (client_reference), "" when absent
    session_id: str = ""
    transaction_id: str = ""
    amount: int | None = None  # None when the provider's amount is not whole francs
    currency: str = ""
    completed_at: datetime | None = None


@dataclass(frozen=True)
class ProviderEvent:
    event_id: str
    event_type: str
    state: PaymentState | None  # None for events we do not act on


@dataclass(frozen=True)
class PayoutState:
    payout_id: str
    status: str  # "processing", "succeeded", "failed", "reversed"
    fee: int = 0
    error: str = ""


@dataclass(frozen=True)
class StatementRow:
    transaction_id: str
    when: datetime
    amount: int  # signed: money in > 0, money out < 0
    fee: int = 0
    reference: str = ""
    phone: str = ""
    extra: dict = field(default_factory=dict)


class PaymentProvider:
    """Every method may raise ProviderUnavailable; none writes to our database."""

    code = ""
    label = ""
    # True when the provider has a refund API (Wave); otherwise a refund is a payout to the
    # payer (Orange Money's merchant payment has no refund call).
    supports_refund = False

    def start_checkout(
        self,
        *,
        reference: str,
        amount: int,
        currency: str,
        phone: str,
        success_url: str,
        error_url: str,
    ) -> CheckoutSession:
        raise NotImplementedError

    def fetch_status(self, *, session_id: str, reference: str) -> PaymentState:
        raise NotImplementedError

    def refund(self, *, session_id: str, reference: str) -> None:
        """Only for a provider with ``supports_refund`` (the services check it first)."""
        raise NotImplementedError

    def refund_status(self, *, session_id: str, reference: str) -> str:
        """``processing``, ``succeeded`` or ``failed``: where a refund asked with
        :meth:`refund` stands at the provider. Only for a provider with ``supports_refund``."""
        raise NotImplementedError

    def payout(
        self,
        *,
        idempotency_key: str,
        amount: int,
        currency: str,
        phone: str,
        name: str,
        reference: str,
        reason: str,
    ) -> PayoutState:
        raise NotImplementedError

    def payout_status(self, *, payout_id: str) -> PayoutState:
        raise NotImplementedError

    def verify_webhook(self, *, headers, body: bytes, now: float) -> None:
        """Raise InvalidSignature unless ``body`` is authentic and recent."""
        raise NotImplementedError

    def parse_webhook(self, *, body: bytes) -> ProviderEvent:
        """Raise ValueError when the body is not an event we understand."""
        raise NotImplementedError

    def fetch_statement(self, *, on: date) -> list[StatementRow]:
        raise NotImplementedError


UNAVAILABLE_MESSAGE = _("L'opérateur de paiement ne répond pas ; réessayez dans un moment.")
