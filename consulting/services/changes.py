"""Changing an engagement before any payment (an amendment: one party proposes a new amount
and milestones, the other accepts; the split stays frozen) and cancelling it (the unpaid
milestones cancelled; nothing paid vanishes: refunds go through ``dispute_refund``)."""

from __future__ import annotations

import datetime

from django.utils import timezone
from django.utils.translation import gettext as _

from consulting.errors import Code
from consulting.models import (
    Amendment,
    AmendmentSide,
    AmendmentStatus,
    Engagement,
    EngagementStatus,
    Milestone,
)
from consulting.rules import can_see_engagement, is_client_member, is_engagement_consultant
from consulting.services import checks
from consulting.services.engagements import amount_paid, clean_milestones
from core.errors import Conflict, Forbidden, NotFound, ValidationFailed
from core.services import service

DECISIONS = ("accept", "decline", "withdraw")


def _side(actor, engagement: Engagement) -> str:
    """The party ``actor`` acts for; an administrator or a stranger is refused."""
    if is_engagement_consultant(actor, engagement):
        return AmendmentSide.CONSULTANT
    if is_client_member(actor, engagement.client_id):
        return AmendmentSide.CLIENT
    if can_see_engagement(actor, engagement):
        raise Forbidden(_("Seules les parties de la mission en changent les termes."))
    raise NotFound(_("Mission introuvable."))


def _require_changeable(engagement: Engagement) -> None:
    if engagement.status == EngagementStatus.CANCELLED:
        raise Conflict(_("Cette mission est annulée."), code=Code.ENGAGEMENT_CANCELLED)
    if engagement.payments.exists():
        raise Conflict(
            _("Un paiement a déjà été reçu : la mission ne se modifie plus."),
            code=Code.ALREADY_PAID,
        )


def _snapshot(engagement: Engagement) -> dict:
    return {
        "amount": engagement.amount,
        "milestones": [
            {"title": m.title, "amount": m.amount,
             "due_on": m.due_on.isoformat() if m.due_on else None}
            for m in engagement.milestones.all()
        ],
    }  # fmt: skip


@service(texts=((Amendment, {"reason": "reason"}),))
def amendment_propose(
    *, actor, engagement: Engagement, amount: int, milestones: list | None = None,
    reason: str = "",
) -> Amendment:  # fmt: skip
    """A party (the client's user or the consultant) proposes a new amount and milestones
    (summing to it), before any payment; the other party accepts or declines. The split
    frozen at signing does not change. One proposal pending at a time."""
    side = _side(actor, engagement)
    engagement = Engagement.objects.select_for_update().get(pk=engagement.pk)
    _require_changeable(engagement)
    if engagement.amendments.filter(status=AmendmentStatus.PENDING).exists():
        raise Conflict(
            _("Une modification attend déjà la réponse de l'autre partie."),
            code=Code.AMENDMENT_PENDING,
        )
    amount = checks.whole(amount, field="amount")
    steps = clean_milestones(milestones, amount=amount, title=engagement.title)
    return Amendment.objects.create(
        engagement=engagement,
        side=side,
        proposed_by=actor,
        amount=amount,
        milestones=[
            {**m, "due_on": m["due_on"].isoformat() if m["due_on"] else None} for m in steps
        ],
        reason=checks.text(reason, field="reason", most=1000, required=False),
    )


@service
def amendment_decide(*, actor, engagement: Engagement, amendment: Amendment, decision: str):
    """``accept`` or ``decline`` by the other party; ``withdraw`` by the proposing one.
    Accepted, the engagement takes the new amount and milestones (still before any
    payment: the engagement's row is locked against a payment arriving meanwhile)."""
    side = _side(actor, engagement)
    if decision not in DECISIONS:
        raise ValidationFailed(
            _("Décision attendue : accept, decline ou withdraw."),
            code=Code.INVALID_CHOICE,
            field="decision",
        )
    engagement = Engagement.objects.select_for_update().get(pk=engagement.pk)
    amendment = Amendment.objects.select_for_update().get(pk=amendment.pk)
    if amendment.engagement_id != engagement.pk:
        raise NotFound(_("Modification introuvable."))
    if amendment.status != AmendmentStatus.PENDING:
        raise Conflict(_("Cette modification a déjà reçu une réponse."), code=Code.AMENDMENT_CLOSED)
    own = amendment.side == side
    if decision == "withdraw" and not own:
        raise Forbidden(_("Seule la partie qui l'a proposée retire une modification."))
    if decision != "withdraw" and own:
        raise Forbidden(
            _("L'autre partie doit accepter ou refuser cette modification."),
            code=Code.OWN_AMENDMENT,
        )
    if decision == "accept":
        _require_changeable(engagement)
        _apply(engagement, amendment)
    amendment.status = {
        "accept": AmendmentStatus.ACCEPTED,
        "decline": AmendmentStatus.DECLINED,
        "withdraw": AmendmentStatus.WITHDRAWN,
    }[decision]
    amendment.decided_by, amendment.decided_at = actor, timezone.now()
    amendment.save()
    return amendment


def _apply(engagement: Engagement, amendment: Amendment) -> None:
    amendment.previous = _snapshot(engagement)
    engagement.amount = amendment.amount
    engagement.save(update_fields=["amount"])
    engagement.milestones.all().delete()  # before any payment: nothing paid on them
    Milestone.objects.bulk_create(
        [
            Milestone(
                engagement=engagement, position=i, title=m["title"], amount=m["amount"],
                due_on=datetime.date.fromisoformat(m["due_on"]) if m["due_on"] else None,
            )
            for i, m in enumerate(amendment.milestones, 1)
        ]
    )  # fmt: skip


@service(texts=((Engagement, {"reason": "cancel_reason"}),))
def engagement_cancel(*, actor, engagement: Engagement, reason: str) -> Engagement:
    """A party (or an administrator) cancels the engagement: the milestones nothing was
    paid on are cancelled, nothing more can be paid; what was paid stays (its payouts, the
    books); a pending amendment lapses. Money goes back only by a dispute's refund."""
    if not can_see_engagement(actor, engagement):
        raise NotFound(_("Mission introuvable."))
    engagement = Engagement.objects.select_for_update().get(pk=engagement.pk)
    if engagement.status == EngagementStatus.CANCELLED:
        raise Conflict(_("Cette mission est déjà annulée."), code=Code.ALREADY_CANCELLED)
    if engagement.status == EngagementStatus.COMPLETED:
        raise Conflict(
            _("Cette mission est payée entièrement : elle ne s'annule plus."),
            code=Code.ALREADY_COMPLETED,
        )
    reason = checks.text(reason, field="reason", most=1000)
    paid, start = amount_paid(engagement), 0
    for milestone in engagement.milestones.order_by("position"):
        if start >= paid:  # nothing of it was paid
            milestone.cancelled = True
            milestone.save(update_fields=["cancelled"])
        start += milestone.amount
    for amendment in engagement.amendments.filter(status=AmendmentStatus.PENDING):
        amendment.status, amendment.decided_at = AmendmentStatus.LAPSED, timezone.now()
        amendment.save(update_fields=["status", "decided_at"])
    engagement.status = EngagementStatus.CANCELLED
    engagement.cancelled_at, engagement.cancelled_by = timezone.now(), actor
    engagement.cancel_reason = reason
    engagement.save(update_fields=["status", "cancelled_at", "cancelled_by", "cancel_reason"])
    return engagement
