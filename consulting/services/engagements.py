"""Engagements: signed with their milestones and the split frozen; payments split into
the consultant's payout and the platform's and ESS fund's shares (the platform's books);
disputes holding the payouts; the client's rating."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from consulting import books
from consulting.errors import Code
from consulting.models import (
    ConsultantProfile,
    Dispute,
    DisputeOutcome,
    Engagement,
    EngagementPayment,
    EngagementStatus,
    Milestone,
    ProfileStatus,
    Proposal,
    ProposalStatus,
    RequestStatus,
    SupportRequest,
)
from consulting.rules import (
    can_act_for_client,
    can_see_engagement,
    is_client_member,
    is_engagement_consultant,
)
from consulting.services import checks
from consulting.split import check_split, split_amount
from core import dates
from core.dates import check_planned_date
from core.errors import Conflict, Forbidden, NotFound, ValidationFailed
from core.money import format_xof
from core.services import service
from network.models import Organisation, OrgStatus
from network.rules import is_network_admin


def default_split() -> dict:
    consultant, platform, ess_fund = settings.CONSULTING_SPLIT
    return {"consultant": consultant, "platform": platform, "ess_fund": ess_fund}


def clean_milestones(milestones, *, amount: int, title: str) -> list[dict]:
    """Milestones given by a person (at most 20: a title, whole francs, an optional planned
    date) summing to ``amount``; none: one milestone of the whole amount."""
    if not milestones:
        return [{"title": title, "amount": amount, "due_on": None}]
    if not isinstance(milestones, (list, tuple)) or len(milestones) > 20:
        raise ValidationFailed(_("De 1 à 20 étapes."), code=Code.INVALID, field="milestones")
    clean = []
    for item in milestones:
        item = item if isinstance(item, dict) else {}
        due_on = item.get("due_on")
        if due_on is not None:
            check_planned_date(due_on, field="milestones")
        clean.append(
            {
                "title": checks.text(item.get("title"), field="milestones", most=200),
                "amount": checks.whole(item.get("amount"), field="milestones"),
                "due_on": due_on,
            }
        )
    total = sum(m["amount"] for m in clean)
    if total != amount:
        raise ValidationFailed(
            _("Les étapes font %(total)s, le contrat %(amount)s : ils doivent être égaux.")
            % {"total": format_xof(total), "amount": format_xof(amount)},
            code=Code.MILESTONES_SUM,
            field="milestones",
        )
    return clean


def _split_for(actor, split) -> dict:
    default = check_split(default_split())
    if split is None:
        return default
    clean = check_split(split)
    if clean != default and not is_network_admin(actor):
        raise Forbidden(
            _("Seuls les administrateurs du réseau changent la répartition par défaut."),
            code=Code.SPLIT_ADMIN_ONLY,
        )
    return clean


@service(texts=((Engagement, {"title": "title"}),))
def engagement_create(
    *,
    actor,
    client: Organisation,
    consultant: ConsultantProfile,
    title: str,
    amount: int,
    split: dict | None = None,
    milestones: list | None = None,
    proposal: Proposal | None = None,
) -> Engagement:
    """The client's user (or an administrator) signs the contract with a verified
    consultant: milestones summing to the amount; the split (the settings' default, or
    an administrator's) is frozen on the engagement."""
    if not is_client_member(actor, client.pk) and not is_network_admin(actor):
        raise Forbidden(_("Seuls les membres de l'organisation cliente signent ses missions."))
    client = Organisation.objects.get(pk=client.pk)  # its status, fresh
    consultant = ConsultantProfile.objects.get(pk=consultant.pk)
    if client.status != OrgStatus.APPROVED:
        raise Conflict(_("L'organisation n'est pas encore publiée."), code=Code.NOT_APPROVED)
    if consultant.status != ProfileStatus.VERIFIED:
        raise Conflict(_("Ce consultant n'est pas vérifié."), code=Code.CONSULTANT_NOT_VERIFIED)
    if consultant.user_id == getattr(actor, "pk", None):
        raise Conflict(_("Un consultant ne signe pas sa propre mission."), code=Code.OWN_ENGAGEMENT)
    title = checks.text(title, field="title", most=200)
    amount = checks.whole(amount, field="amount")
    shares = _split_for(actor, split)
    steps = clean_milestones(milestones, amount=amount, title=title)
    engagement = Engagement.objects.create(
        client=client,
        consultant=consultant,
        proposal=proposal,
        title=title,
        amount=amount,
        consultant_percent=shares["consultant"],
        platform_percent=shares["platform"],
        ess_percent=shares["ess_fund"],
        signed_at=timezone.now(),
        created_by=actor,
    )
    Milestone.objects.bulk_create(
        [Milestone(engagement=engagement, position=i, **m) for i, m in enumerate(steps, 1)]
    )
    return engagement


@service
def proposal_accept(*, actor, proposal: Proposal, milestones: list | None = None) -> Engagement:
    """The client accepts one proposal: the engagement is signed at the proposed amount,
    the request is awarded and the other proposals are declined."""
    request = SupportRequest.objects.select_for_update().get(pk=proposal.request_id)
    if not is_client_member(actor, request.organisation_id) and not is_network_admin(actor):
        raise Forbidden(
            _("Seuls les membres de l'organisation cliente retiennent une proposition.")
        )
    if request.status != RequestStatus.OPEN:
        raise Conflict(_("Cette demande est déjà attribuée ou close."), code=Code.REQUEST_CLOSED)
    proposal = Proposal.objects.select_for_update().get(pk=proposal.pk)
    engagement = engagement_create(
        actor=actor,
        client=request.organisation,
        consultant=proposal.consultant,
        title=request.title,
        amount=proposal.amount,
        milestones=milestones,
        proposal=proposal,
    )
    request.status = RequestStatus.AWARDED
    request.save(update_fields=["status"])
    proposal.status = ProposalStatus.ACCEPTED
    proposal.save(update_fields=["status"])
    for other in request.proposals.exclude(pk=proposal.pk):
        other.status = ProposalStatus.DECLINED
        other.save(update_fields=["status"])
    return engagement


def amount_paid(engagement: Engagement) -> int:
    return engagement.payments.aggregate(s=Sum("amount"))["s"] or 0


def _apply(engagement: Engagement, *, amount: int, paid_on, actor, intent=None):
    """Record one payment on a locked engagement: its split, the books, the payout."""
    if engagement.status == EngagementStatus.CANCELLED:
        raise Conflict(
            _("Cette mission est annulée : plus aucun paiement n'y est reçu."),
            code=Code.ENGAGEMENT_CANCELLED,
        )
    due = engagement.amount - amount_paid(engagement)
    if amount > due:
        raise Conflict(
            _("Le paiement (%(amount)s) dépasse ce qui reste dû (%(due)s).")
            % {"amount": format_xof(amount), "due": format_xof(due)},
            code=Code.ABOVE_DUE,
            field="amount",
        )
    shares = split_amount(amount, engagement.split)
    payment = EngagementPayment.objects.create(
        engagement=engagement,
        amount=amount,
        paid_on=paid_on,
        intent=intent,
        consultant_share=shares["consultant"],
        platform_share=shares["platform"],
        ess_share=shares["ess_fund"],
        held=engagement.disputes.filter(resolved_at__isnull=True).exists(),
        recorded_by=actor if getattr(actor, "pk", None) else None,
    )
    books.payment_received(payment)
    if not payment.held:
        pay_out_consultant(payment, actor, paid_on)
    if amount == due:
        engagement.status = EngagementStatus.COMPLETED
        engagement.save(update_fields=["status"])
    return payment


def pay_out_consultant(payment: EngagementPayment, actor, on) -> None:
    """The consultant's share of a payment (less what a refund took back from it) sent to
    its phone, and the books; the payout is sent once the transaction commits."""
    from payments.services import payout_request

    consultant = payment.engagement.consultant
    net = payment.consultant_share - payment.consultant_refunded
    if net > 0:
        payment.payout = payout_request(
            kind="consultant",
            provider=consultant.payout_provider,
            amount=net,
            phone=consultant.payout_phone,
            name=consultant.name[:100],
            reason=_("Mission %(id)s") % {"id": payment.engagement_id},
            actor=actor,
            intent=payment.intent,
        )
    payment.held = False
    payment.save(update_fields=["payout", "held"])
    books.consultant_paid_out(payment, on)
    if payment.payout is not None:
        payout = payment.payout
        transaction.on_commit(lambda: send_when_approved(payout, actor))


def send_when_approved(payout, actor) -> None:
    """Send a payout approved at once (after the commit); one above the threshold waits."""
    from payments.models import PayoutStatus
    from payments.services import payout_send

    if payout.status == PayoutStatus.APPROVED:
        payout_send(payout=payout, actor=actor)


@service(
    event_dates=("paid_on",), texts=((EngagementPayment, {"idempotency_key": "idempotency_key"}),)
)
def engagement_payment_record(
    *,
    actor,
    engagement: Engagement,
    amount: int,
    paid_on: datetime.date,
    idempotency_key: str | None = None,
) -> EngagementPayment:
    """An administrator records a payment received outside the phone (a transfer): the
    same split, books and payout as a payment by phone. The same ``Idempotency-Key`` with
    the same amount and date answers the first payment and records nothing more."""
    if not is_network_admin(actor):
        if can_see_engagement(actor, engagement):
            raise Forbidden(_("Seuls les administrateurs du réseau enregistrent un paiement."))
        raise NotFound(_("Mission introuvable."))
    amount = checks.whole(amount, field="amount")
    engagement = Engagement.objects.select_for_update().get(pk=engagement.pk)
    if idempotency_key:
        first = engagement.payments.filter(idempotency_key=idempotency_key).first()
        if first is not None:
            if (first.amount, first.paid_on) != (amount, paid_on):
                raise Conflict(
                    _("Cette clé d'idempotence a déjà servi pour un autre paiement."),
                    code=Code.IDEMPOTENCY_KEY_REUSED,
                )
            return first
    payment = _apply(engagement, amount=amount, paid_on=paid_on, actor=actor)
    if idempotency_key:
        payment.idempotency_key = idempotency_key
        payment.save(update_fields=["idempotency_key"])
    return payment


def engagement_paid(*, intent) -> str:
    """The payments app's word that a client's payment came (purpose ``engagement``):
    called once, in the transaction that marks the intent succeeded."""
    engagement = Engagement.objects.select_for_update().get(pk=intent.target_id)
    paid_on = timezone.localdate(intent.paid_at or timezone.now())
    payment = _apply(engagement, amount=intent.amount, paid_on=paid_on, actor=intent.created_by,
                     intent=intent)  # fmt: skip
    return f"engagement_payment:{payment.pk}"


@service(atomic=False)
def engagement_payment_start(*, actor, engagement: Engagement, amount: int, phone: str,
                             provider: str):  # fmt: skip
    """The client's user pays an amount due by phone (the payments app, purpose
    ``engagement``); the money counts when the provider confirms it."""
    from payments.services import payment_start

    if not can_act_for_client(actor, engagement):
        if is_engagement_consultant(actor, engagement):
            raise Forbidden(_("Seul le client paie la mission."))
        raise NotFound(_("Mission introuvable."))
    return payment_start(
        purpose="engagement",
        target_id=engagement.pk,
        amount=amount,
        phone=phone,
        provider=provider,
        actor=actor,
    )


@service(texts=((Dispute, {"reason": "reason"}),))
def dispute_open(*, actor, engagement: Engagement, reason: str) -> Dispute:
    """A party (the client's user or the consultant) opens a dispute: the consultant's
    payouts are held until an administrator resolves it."""
    if not (
        is_client_member(actor, engagement.client_id) or is_engagement_consultant(actor, engagement)
    ):
        if is_network_admin(actor):
            raise Forbidden(_("Seules les parties ouvrent un litige."))
        raise NotFound(_("Mission introuvable."))
    engagement = Engagement.objects.select_for_update().get(pk=engagement.pk)
    if engagement.disputes.filter(resolved_at__isnull=True).exists():
        raise Conflict(
            _("Un litige est déjà ouvert sur cette mission."), code=Code.ALREADY_DISPUTED
        )
    reason = checks.text(reason, field="reason", most=1000)
    return Dispute.objects.create(engagement=engagement, opened_by=actor, reason=reason)


@service(texts=((Dispute, {"resolution": "resolution"}),))
def dispute_resolve(*, actor, engagement: Engagement, resolution: str) -> Dispute:
    """An administrator resolves the open dispute by releasing the held payouts to the
    consultant (the other way, refunding the client: ``dispute_refund``)."""
    if not is_network_admin(actor):
        if can_see_engagement(actor, engagement):
            raise Forbidden(_("Seuls les administrateurs du réseau tranchent un litige."))
        raise NotFound(_("Mission introuvable."))
    engagement = Engagement.objects.select_for_update().get(pk=engagement.pk)
    dispute = engagement.disputes.filter(resolved_at__isnull=True).first()
    if dispute is None:
        raise Conflict(_("Aucun litige ouvert sur cette mission."), code=Code.NO_DISPUTE)
    dispute.resolution = checks.text(resolution, field="resolution", most=1000)
    dispute.resolved_by, dispute.resolved_at = actor, timezone.now()
    dispute.outcome = DisputeOutcome.RELEASED
    dispute.save()
    today = dates.today()
    for payment in engagement.payments.select_for_update().filter(held=True):
        pay_out_consultant(payment, actor, today)
    return dispute


@service(texts=((Engagement, {"comment": "rating_comment"}),))
def engagement_rate(*, actor, engagement: Engagement, rating: int, comment: str = "") -> Engagement:
    """The client's user rates the work once the engagement is paid entirely (1 to 5)."""
    if not is_client_member(actor, engagement.client_id):
        if can_see_engagement(actor, engagement):
            raise Forbidden(_("Seul le client note la mission."))
        raise NotFound(_("Mission introuvable."))
    engagement = Engagement.objects.select_for_update().get(pk=engagement.pk)
    if engagement.status != EngagementStatus.COMPLETED:
        raise Conflict(_("La mission se note une fois payée entièrement."), code=Code.NOT_COMPLETED)
    if engagement.rating is not None:
        raise Conflict(_("Cette mission est déjà notée."), code=Code.ALREADY_RATED)
    engagement.rating = checks.whole(rating, field="rating", most=5)
    engagement.rating_comment = checks.text(comment, field="comment", most=1000, required=False)
    engagement.rated_at = timezone.now()
    engagement.save(update_fields=["rating", "rating_comment", "rated_at"])
    return engagement
