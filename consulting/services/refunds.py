"""A dispute resolved by refunding the client: all or part of what it paid while the
dispute held the payouts, through the payments app's payout rail (purpose
``consulting_refund``), the held shares reversed in proportion in the platform's books,
once per dispute (the engagement's row lock, ``Idempotency-Key``)."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from consulting import books
from consulting.errors import Code
from consulting.models import (
    Dispute,
    DisputeOutcome,
    DisputeRefund,
    Engagement,
    EngagementPayment,
    EssFund,
)
from consulting.rules import can_see_engagement
from consulting.selectors import ess_fund_balance
from consulting.services import checks
from consulting.services.engagements import pay_out_consultant, send_when_approved
from consulting.split import apportion
from core import dates
from core.errors import Conflict, Forbidden, NotFound, ValidationFailed
from core.money import format_xof
from core.services import service
from network.rules import is_network_admin

REFUND_PURPOSE = "consulting_refund"


def _require_admin(actor, engagement: Engagement) -> None:
    if not is_network_admin(actor):
        if can_see_engagement(actor, engagement):
            raise Forbidden(_("Seuls les administrateurs du réseau tranchent un litige."))
        raise NotFound(_("Mission introuvable."))


def _replay(engagement: Engagement, key: str, amount: int) -> DisputeRefund | None:
    """The refund an ``Idempotency-Key`` already made (same amount), else ``None``."""
    first = DisputeRefund.objects.filter(engagement=engagement, idempotency_key=key).first()
    if first is not None and first.amount != amount:
        raise Conflict(
            _("Cette clé d'idempotence a déjà servi pour un autre remboursement."),
            code=Code.IDEMPOTENCY_KEY_REUSED,
        )
    return first


def _held(engagement: Engagement) -> list[EngagementPayment]:
    held = list(engagement.payments.select_for_update().filter(held=True).order_by("id"))
    if not held:
        raise Conflict(
            _("Aucun paiement retenu par ce litige : rien à rembourser."),
            code=Code.NOTHING_TO_REFUND,
        )
    return held


def _check_amount(amount: int, held: list[EngagementPayment]) -> None:
    refundable = sum(p.amount for p in held)
    if amount > refundable:
        raise Conflict(
            _("Le remboursement (%(amount)s) dépasse ce que le client a payé pendant le litige "
              "(%(paid)s).") % {"amount": format_xof(amount), "paid": format_xof(refundable)},
            code=Code.REFUND_ABOVE_PAID,
            field="amount",
        )  # fmt: skip


def _destination(engagement: Engagement, held, phone: str, provider: str) -> tuple[str, str]:
    """Where the money goes back: the phone given, else the phone that paid last (by
    mobile money), else the client organisation's payout phone."""
    if phone:
        return phone, checks.provider(provider or "wave", field="provider")
    paid_by_phone = [p.intent for p in reversed(held) if p.intent_id]
    if paid_by_phone:
        return paid_by_phone[0].phone, paid_by_phone[0].provider
    client = engagement.client
    if client.payout_phone:
        return client.payout_phone, client.payout_provider or "wave"
    raise ValidationFailed(
        _("Indiquez le téléphone à rembourser : le client a payé par virement."),
        code=Code.REQUIRED,
        field="phone",
    )


def _reverse(held: list[EngagementPayment], amount: int) -> dict:
    """The held shares reversed in proportion (the split's rounding rule), and the
    consultant's part taken from each held payment in proportion to its share."""
    parts = apportion(
        amount,
        {
            "consultant": sum(p.consultant_share for p in held),
            "platform": sum(p.platform_share for p in held),
            "ess_fund": sum(p.ess_share for p in held),
        },
    )
    per_payment = apportion(parts["consultant"], {p.pk: p.consultant_share for p in held})
    return {**parts, "per_payment": per_payment}


def _check_fund_holds(ess_part: int) -> None:
    """The fund gives back its share only from what it still holds (its row locked, as a
    support locks it): supports never spend a share a dispute holds, so this refuses only
    books written before that rule, rather than take account 4675 below zero."""
    if not ess_part:
        return
    EssFund.objects.get_or_create(pk=1)
    EssFund.objects.select_for_update().get(pk=1)
    balance = ess_fund_balance()
    if ess_part > balance:
        raise Conflict(
            _("Le fonds ESS ne détient plus que %(balance)s : il ne peut rendre les %(part)s de "
              "sa part que ce remboursement reprendrait. Remboursez moins, ou tranchez le litige "
              "en libérant les versements.")
            % {"balance": format_xof(max(balance, 0)), "part": format_xof(ess_part)},
            code=Code.FUND_INSUFFICIENT,
            field="amount",
        )  # fmt: skip


@service(
    texts=(
        (Dispute, {"resolution": "resolution"}),
        (DisputeRefund, {"idempotency_key": "idempotency_key", "provider": "provider"}),
    ),
    amounts=("amount",),
)
def dispute_refund(
    *,
    actor,
    engagement: Engagement,
    amount: int,
    resolution: str,
    phone: str = "",
    provider: str = "",
    idempotency_key: str | None = None,
) -> DisputeRefund:
    """An administrator resolves the open dispute by refunding the client ``amount`` (at
    most what it paid while the dispute held the payouts): the held consultant's, platform's
    and ESS fund's shares reversed in proportion, the money sent back to the client's
    phone, the rest of the consultant's held share paid out to it. Asked again (the same
    ``Idempotency-Key`` and amount): the first refund, nothing more; without the key, the
    dispute is already resolved (409 ``no_dispute``)."""
    _require_admin(actor, engagement)
    amount = checks.whole(amount, field="amount")
    engagement = Engagement.objects.select_for_update().get(pk=engagement.pk)
    if idempotency_key and (first := _replay(engagement, idempotency_key, amount)):
        return first
    dispute = engagement.disputes.filter(resolved_at__isnull=True).first()
    if dispute is None:
        raise Conflict(_("Aucun litige ouvert sur cette mission."), code=Code.NO_DISPUTE)
    resolution = checks.text(resolution, field="resolution", most=1000)
    held = _held(engagement)
    _check_amount(amount, held)
    phone, provider = _destination(engagement, held, checks.text(
        phone, field="phone", most=40, required=False), provider)  # fmt: skip
    parts = _reverse(held, amount)
    _check_fund_holds(parts["ess_fund"])
    refund = DisputeRefund.objects.create(
        engagement=engagement, dispute=dispute, amount=amount,
        consultant_part=parts["consultant"], platform_part=parts["platform"],
        ess_part=parts["ess_fund"], phone=phone[:16], provider=provider,
        idempotency_key=idempotency_key or "", created_by=actor,
    )  # fmt: skip
    _send_back(refund, engagement, actor, resolution)
    today = dates.today()
    books.dispute_refunded(refund, today)
    for payment in held:
        payment.consultant_refunded = parts["per_payment"][payment.pk]
        payment.save(update_fields=["consultant_refunded"])
        pay_out_consultant(payment, actor, today)
    dispute.resolution, dispute.outcome = resolution, DisputeOutcome.REFUNDED
    dispute.resolved_by, dispute.resolved_at = actor, timezone.now()
    dispute.save()
    return refund


def _send_back(refund: DisputeRefund, engagement: Engagement, actor, resolution: str) -> None:
    """The refund's payout (payments' rail: one live payout per refund, maker-checker
    above the threshold), sent once the transaction commits."""
    from payments.services import payout_request

    refund.payout = payout_request(
        kind="refund",
        purpose=REFUND_PURPOSE,
        target_id=refund.pk,
        provider=refund.provider,
        amount=refund.amount,
        phone=refund.phone,
        name=engagement.client.name[:100],
        reason=(_("Remboursement mission %(id)s (litige)") % {"id": engagement.pk})[:200],
        actor=actor,
    )
    refund.phone = refund.payout.phone
    refund.save(update_fields=["payout", "phone"])
    payout = refund.payout
    transaction.on_commit(lambda: send_when_approved(payout, actor))


def dispute_refund_settled(*, payout) -> None:
    """The payments app's word that a refund's payout is final (idempotent): a refund
    paid is dated; a failed or refused one stays owed to the client (account 4196)."""
    from payments.models import PayoutStatus

    refund = DisputeRefund.objects.select_for_update().filter(pk=payout.target_id).first()
    if refund is None or refund.settled_at is not None:
        return
    if payout.status == PayoutStatus.SUCCEEDED:
        refund.settled_at = timezone.now()
        refund.save(update_fields=["settled_at"])
