"""Every read of consulting, scoped to the acting user (network.rules.network_scope and
the consultant's own profile): docs/consulting.md, "Rôles"."""

from __future__ import annotations

from django.db.models import Q, QuerySet, Sum
from django.utils.translation import gettext as _

from consulting.models import (
    Amendment,
    ConsultantProfile,
    DisputeRefund,
    Engagement,
    EngagementPayment,
    EngagementStatus,
    EssSupport,
    ProfileStatus,
    Proposal,
    RequestStatus,
    SupportKind,
    SupportRequest,
)
from consulting.rules import can_see_engagement, consultant_of, is_party
from core.errors import NotFound
from core.text import search_q
from network.models import BookLine, OrgStatus
from network.rules import is_network_admin, network_scope

ESS_FUND_ACCOUNT = "4675"


def _user_id(actor):
    return getattr(actor, "pk", None) if getattr(actor, "is_authenticated", False) else None


def consultant_list(
    *, actor=None, q: str = "", country: str = "", status: str = ""
) -> QuerySet[ConsultantProfile]:
    """Verified consultants for everyone; moderators also see their countries' others
    (``status`` filter), administrators all; a user always sees their own profile."""
    scope = network_scope(actor)
    visible = Q(status=ProfileStatus.VERIFIED) | Q(user_id=_user_id(actor))
    if scope.admin:
        visible = Q()
    for code in sorted(scope.countries):
        visible |= Q(countries__contains=f",{code},")
    qs = ConsultantProfile.objects.filter(visible)
    if status:
        qs = qs.filter(status=status[:12])
    elif not scope.is_staff:
        qs = qs.filter(Q(status=ProfileStatus.VERIFIED))
    if q:
        qs = qs.filter(search_q(q))
    if country:
        qs = qs.filter(countries__contains=f",{country.upper()[:2]},")
    return qs.order_by("name", "id")


def consultant_get(*, actor=None, pk: int) -> ConsultantProfile:
    scope = network_scope(actor)
    profile = ConsultantProfile.objects.filter(pk=pk).first()
    visible = profile is not None and (
        profile.status == ProfileStatus.VERIFIED
        or profile.user_id == _user_id(actor)
        or scope.admin
        or bool(set(profile.country_list) & scope.countries)
    )
    if not visible:
        raise NotFound(_("Consultant introuvable."))
    return profile


def my_profile(*, actor) -> ConsultantProfile | None:
    return consultant_of(actor)


def consultant_moderation_queue(*, actor) -> QuerySet[ConsultantProfile]:
    scope = network_scope(actor)
    if not scope.is_staff:
        return ConsultantProfile.objects.none()
    return consultant_list(actor=actor, status=ProfileStatus.PENDING)


def consultant_record(profile: ConsultantProfile) -> dict:
    """A consultant's track record: engagements completed and the clients' mean rating."""
    done = profile.engagements.filter(rating__isnull=False)
    ratings = list(done.values_list("rating", flat=True))
    return {
        "engagements": profile.engagements.count(),
        "rated": len(ratings),
        "rating": round(sum(ratings) / len(ratings), 1) if ratings else None,
    }


def support_request_list(
    *, actor=None, q: str = "", mine: bool = False
) -> QuerySet[SupportRequest]:
    """Open requests of published organisations for everyone; an organisation's users
    also see their own whatever their status (``mine``: only those)."""
    orgs = sorted(network_scope(actor).organisation_ids)
    qs = SupportRequest.objects.select_related("organisation")
    if mine:
        qs = qs.filter(organisation_id__in=orgs)
    else:
        qs = qs.filter(
            Q(status=RequestStatus.OPEN, organisation__status=OrgStatus.APPROVED)
            | Q(organisation_id__in=orgs)
        )
    for word in (q or "").split()[:5]:
        qs = qs.filter(Q(title__icontains=word) | Q(skills__icontains=word))
    return qs.order_by("-created_at", "-id")


def support_request_get(*, actor=None, pk: int) -> SupportRequest:
    request = SupportRequest.objects.select_related("organisation").filter(pk=pk).first()
    if request is None:
        raise NotFound(_("Demande introuvable."))
    scope = network_scope(actor)
    public = (
        request.status == RequestStatus.OPEN and request.organisation.status == OrgStatus.APPROVED
    )
    consultant = consultant_of(actor)
    proposed = consultant is not None and request.proposals.filter(consultant=consultant).exists()
    if not (public or proposed or scope.admin or request.organisation_id in scope.organisation_ids):
        raise NotFound(_("Demande introuvable."))
    return request


def can_see_all_proposals(actor, request: SupportRequest) -> bool:
    scope = network_scope(actor)
    return scope.admin or request.organisation_id in scope.organisation_ids


def proposal_list(*, actor, request: SupportRequest) -> QuerySet[Proposal]:
    """The client's users (and administrators) see every proposal; a consultant only its
    own; anyone else none."""
    qs = request.proposals.select_related("consultant")
    if can_see_all_proposals(actor, request):
        return qs
    consultant = consultant_of(actor)
    return qs.filter(consultant=consultant) if consultant else qs.none()


def proposal_get(*, actor, pk: int) -> Proposal:
    proposal = Proposal.objects.select_related("request", "consultant").filter(pk=pk).first()
    if (
        proposal is None
        or not proposal_list(actor=actor, request=proposal.request).filter(pk=proposal.pk).exists()
    ):
        raise NotFound(_("Proposition introuvable."))
    return proposal


def engagement_list(*, actor) -> QuerySet[Engagement]:
    """Administrators: all; an organisation's users: their organisations' as client; a
    consultant: its own."""
    scope = network_scope(actor)
    qs = Engagement.objects.select_related("client", "consultant")
    if not scope.admin:
        qs = qs.filter(
            Q(client_id__in=sorted(scope.organisation_ids)) | Q(consultant__user_id=_user_id(actor))
        )
    return qs.order_by("-signed_at", "-id")


def engagement_get(*, actor, pk: int) -> Engagement:
    engagement = Engagement.objects.select_related("client", "consultant").filter(pk=pk).first()
    if engagement is None or not can_see_engagement(actor, engagement):
        raise NotFound(_("Mission introuvable."))
    return engagement


def engagement_figures(engagement: Engagement) -> dict:
    """Paid, still due (nothing once cancelled), refunded after disputes, and cancelled
    (what was left unpaid when the engagement was cancelled)."""
    paid = engagement.payments.aggregate(s=Sum("amount"))["s"] or 0
    refunded = engagement.refunds.aggregate(s=Sum("amount"))["s"] or 0
    cancelled = engagement.status == EngagementStatus.CANCELLED
    return {
        "paid": paid,
        "due": 0 if cancelled else engagement.amount - paid,
        "refunded": refunded,
        "cancelled": engagement.amount - paid if cancelled else 0,
    }


def amendment_list(*, actor, engagement: Engagement) -> QuerySet[Amendment]:
    """An engagement's amendments, for whoever sees the engagement (newest first)."""
    engagement_get(actor=actor, pk=engagement.pk)
    return engagement.amendments.select_related("proposed_by").order_by("-id")


def amendment_get(*, actor, engagement: Engagement, pk: int) -> Amendment:
    amendment = amendment_list(actor=actor, engagement=engagement).filter(pk=pk).first()
    if amendment is None:
        raise NotFound(_("Modification introuvable."))
    return amendment


def engagement_refunds(engagement: Engagement) -> QuerySet[DisputeRefund]:
    return engagement.refunds.select_related("payout").order_by("id")


def payment_payouts(payment: EngagementPayment) -> list[dict]:
    """The three parties' amounts of one payment (the API's ``payouts``)."""
    return [
        {"party": "consultant", "amount": payment.consultant_share, "held": payment.held},
        {"party": "platform", "amount": payment.platform_share, "held": False},
        {"party": "ess_fund", "amount": payment.ess_share, "held": False},
    ]


def engagement_payments(engagement: Engagement) -> QuerySet[EngagementPayment]:
    return engagement.payments.select_related("payout").order_by("id")


def ess_fund_balance() -> int:
    sums = BookLine.objects.filter(account=ESS_FUND_ACCOUNT).aggregate(
        d=Sum("debit"), c=Sum("credit")
    )
    return (sums["c"] or 0) - (sums["d"] or 0)


def ess_fund_held() -> int:
    """The fund's shares of the payments an open dispute holds: credited to 4675 when paid,
    but a refund to the client may take them back, so no support spends them."""
    held = EngagementPayment.objects.filter(held=True).aggregate(s=Sum("ess_share"))["s"]
    return held or 0


def ess_fund_available() -> int:
    """What a support may spend: 4675's balance less the shares disputes hold (read in this
    order: a payment committed in between is then counted held, never spendable)."""
    balance = ess_fund_balance()
    return balance - ess_fund_held()


def ess_fund_totals() -> dict:
    """Public: what the fund received (its shares of consulting payments), what it
    supported (grants, training seats) and what it holds, from the platform's books."""
    received = BookLine.objects.filter(account=ESS_FUND_ACCOUNT).aggregate(c=Sum("credit"))["c"]
    supports = EssSupport.objects.all()
    grants = supports.filter(kind=SupportKind.GRANT).aggregate(s=Sum("amount"))["s"] or 0
    training = supports.filter(kind=SupportKind.TRAINING).aggregate(
        s=Sum("amount"), seats=Sum("seats")
    )
    return {
        "received": received or 0,
        "grants": grants,
        "training": training["s"] or 0,
        "seats": training["seats"] or 0,
        "balance": ess_fund_balance(),
        "held": ess_fund_held(),
        "engagements": Engagement.objects.filter(payments__isnull=False).distinct().count(),
    }


def ess_support_list() -> QuerySet[EssSupport]:
    """Public: every support of the fund (organisations are public in the directory)."""
    return EssSupport.objects.select_related("organisation", "project").order_by("-on", "-id")


def engagement_actions(*, actor, engagement: Engagement) -> dict:
    """What the page offers ``actor`` on the engagement (the services check again): change
    the terms (a party, before any payment), cancel (a party or an administrator, not once
    paid entirely or cancelled), refund the client (an administrator, a dispute open with
    payments held)."""
    signed = engagement.status == EngagementStatus.SIGNED
    unpaid = signed and not engagement.payments.exists()
    admin = is_network_admin(actor)
    held = engagement.payments.filter(held=True).exists()
    return {
        "amend": unpaid and is_party(actor, engagement),
        "cancel": signed and (admin or is_party(actor, engagement)),
        "refund": admin and held and engagement.disputes.filter(resolved_at__isnull=True).exists(),
    }
