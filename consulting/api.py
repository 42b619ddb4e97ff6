"""Consulting's API (docs/api.md, "Network portal": consultants, engagements and their
payments; docs/consulting.md). Thin: parse, call a service or a selector, shape. Public
reads (verified consultants, open requests, the ESS fund) need no token."""

import datetime
from decimal import Decimal

from ninja import Field, Header, Router, Schema
from ninja.pagination import LimitOffsetPagination, paginate
from pydantic import conint, constr

from consulting import selectors, services
from core.dates import EventDate
from core.money import Amount
from network import selectors as network_selectors
from network.api import PUBLIC

router = Router(tags=["consulting"])
Id = conint(ge=1, le=2_147_483_647)
Text = constr(max_length=100)
Code = constr(max_length=20)


# --------------------------------------------------------------------------- consultants


class ConsultantIn(Schema):
    name: str = Field(max_length=120)
    headline: str = Field(max_length=200)
    bio: str = Field("", max_length=3000)
    skills: list[constr(max_length=60)] = Field(max_length=10)
    countries: list[constr(max_length=2)] = Field(max_length=10)
    languages: list[constr(max_length=3)] = Field(max_length=6)
    day_rate: Amount
    references: str = Field(max_length=3000)
    payout_phone: str = Field(max_length=40)
    payout_provider: str = Field("wave", max_length=16)


class ConsultantOut(Schema):
    id: int
    name: str
    headline: str
    skills: list[str]
    countries: list[str]
    languages: list[str]
    day_rate: int
    references: str
    status: str

    @staticmethod
    def resolve_countries(obj):
        return obj.country_list

    @staticmethod
    def resolve_languages(obj):
        return obj.language_list


@router.get("/network/consultants", response=list[ConsultantOut], auth=PUBLIC)
@paginate(LimitOffsetPagination)
def consultant_list(request, q: Text = "", country: Code = "", status: Code = ""):
    return selectors.consultant_list(actor=request.auth, q=q, country=country, status=status)


@router.post("/network/consultants", response={201: ConsultantOut})
def consultant_profile_save(request, payload: ConsultantIn):
    """The caller's own profile (created or edited): ``pending`` until a moderator of one
    of its countries verifies it."""
    return 201, services.consultant_profile_save(actor=request.auth, **payload.dict())


@router.get("/network/consultants/{int:consultant_id}", response=ConsultantOut, auth=PUBLIC)
def consultant_get(request, consultant_id: Id):
    return selectors.consultant_get(actor=request.auth, pk=consultant_id)


class VerificationIn(Schema):
    decision: str = Field(max_length=20)
    reason: str = Field("", max_length=500)


@router.post("/network/consultants/{int:consultant_id}/verification", response=ConsultantOut)
def consultant_verify(request, consultant_id: Id, payload: VerificationIn):
    """A moderator's decision: ``verify`` or ``refuse`` (with a reason)."""
    profile = selectors.consultant_get(actor=request.auth, pk=consultant_id)
    return services.consultant_verify(actor=request.auth, profile=profile, **payload.dict())


# --------------------------------------------------------------------------- requests


class RequestIn(Schema):
    organisation: Id
    title: str = Field(max_length=200)
    description: str = Field(max_length=5000)
    skills: str = Field("", max_length=300)
    budget: Amount | None = None


class RequestOut(Schema):
    id: int
    organisation: int
    title: str
    description: str
    skills: str
    budget: int | None
    status: str

    @staticmethod
    def resolve_organisation(obj):
        return obj.organisation_id


@router.get("/network/support-requests", response=list[RequestOut], auth=PUBLIC)
@paginate(LimitOffsetPagination)
def support_request_list(request, q: Text = ""):
    return selectors.support_request_list(actor=request.auth, q=q)


@router.post("/network/support-requests", response={201: RequestOut})
def support_request_create(request, payload: RequestIn):
    data = payload.dict()
    org = network_selectors.organisation_get(actor=request.auth, pk=data.pop("organisation"))
    return 201, services.support_request_create(actor=request.auth, organisation=org, **data)


@router.get("/network/support-requests/{int:request_id}", response=RequestOut, auth=PUBLIC)
def support_request_get(request, request_id: Id):
    return selectors.support_request_get(actor=request.auth, pk=request_id)


class ProposalIn(Schema):
    amount: Amount
    days: conint(ge=0, le=10_000)
    message: str = Field(max_length=3000)


class ProposalOut(Schema):
    id: int
    request: int
    consultant: int
    amount: int
    days: int
    message: str
    status: str

    @staticmethod
    def resolve_request(obj):
        return obj.request_id

    @staticmethod
    def resolve_consultant(obj):
        return obj.consultant_id


@router.get("/network/support-requests/{int:request_id}/proposals", response=list[ProposalOut])
@paginate(LimitOffsetPagination)
def proposal_list(request, request_id: Id):
    """The client's users see every proposal, a consultant its own."""
    support = selectors.support_request_get(actor=request.auth, pk=request_id)
    return selectors.proposal_list(actor=request.auth, request=support)


@router.post("/network/support-requests/{int:request_id}/proposals", response={201: ProposalOut})
def proposal_submit(request, request_id: Id, payload: ProposalIn):
    support = selectors.support_request_get(actor=request.auth, pk=request_id)
    return 201, services.proposal_submit(actor=request.auth, request=support, **payload.dict())


# --------------------------------------------------------------------------- engagements


class MilestoneIn(Schema):
    title: str = Field(max_length=200)
    amount: Amount
    due_on: datetime.date | None = None


class SplitIn(Schema):
    consultant: Decimal
    platform: Decimal
    ess_fund: Decimal


class AcceptIn(Schema):
    milestones: list[MilestoneIn] = Field(default_factory=list, max_length=20)


class MilestoneOut(Schema):
    title: str
    amount: int
    due_on: datetime.date | None
    cancelled: bool


class EngagementOut(Schema):
    id: int
    client: int
    consultant: int
    title: str
    amount: int
    split: dict
    status: str
    paid: int
    due: int
    refunded: int
    cancelled: int
    disputed: bool
    rating: int | None
    milestones: list[MilestoneOut]

    @staticmethod
    def resolve_client(obj):
        return obj.client_id

    @staticmethod
    def resolve_consultant(obj):
        return obj.consultant_id

    @staticmethod
    def resolve_split(obj):
        return {party: format(value.normalize(), "f") for party, value in obj.split.items()}

    @staticmethod
    def resolve_paid(obj):
        return selectors.engagement_figures(obj)["paid"]

    @staticmethod
    def resolve_due(obj):
        return selectors.engagement_figures(obj)["due"]

    @staticmethod
    def resolve_refunded(obj):
        return selectors.engagement_figures(obj)["refunded"]

    @staticmethod
    def resolve_cancelled(obj):
        return selectors.engagement_figures(obj)["cancelled"]

    @staticmethod
    def resolve_disputed(obj):
        return obj.disputes.filter(resolved_at__isnull=True).exists()

    @staticmethod
    def resolve_milestones(obj):
        return list(obj.milestones.all())


@router.post("/network/proposals/{int:proposal_id}/accept", response={201: EngagementOut})
def proposal_accept(request, proposal_id: Id, payload: AcceptIn):
    """The client accepts the proposal: the engagement is signed (the split frozen)."""
    proposal = selectors.proposal_get(actor=request.auth, pk=proposal_id)
    milestones = [m.dict() for m in payload.milestones] or None
    return 201, services.proposal_accept(
        actor=request.auth, proposal=proposal, milestones=milestones
    )


class EngagementIn(Schema):
    client: Id
    consultant: Id
    title: str = Field(max_length=200)
    amount: Amount
    split: SplitIn | None = None
    milestones: list[MilestoneIn] = Field(default_factory=list, max_length=20)


@router.get("/network/engagements", response=list[EngagementOut])
@paginate(LimitOffsetPagination)
def engagement_list(request):
    return selectors.engagement_list(actor=request.auth)


@router.post("/network/engagements", response={201: EngagementOut})
def engagement_create(request, payload: EngagementIn):
    """Signed at once by the client's user (or an administrator): the split (default from
    the settings; another one by an administrator only) is frozen on the engagement."""
    client = network_selectors.organisation_get(actor=request.auth, pk=payload.client)
    consultant = selectors.consultant_get(actor=request.auth, pk=payload.consultant)
    return 201, services.engagement_create(
        actor=request.auth,
        client=client,
        consultant=consultant,
        title=payload.title,
        amount=payload.amount,
        split=payload.split.dict() if payload.split else None,
        milestones=[m.dict() for m in payload.milestones] or None,
    )


@router.get("/network/engagements/{int:engagement_id}", response=EngagementOut)
def engagement_get(request, engagement_id: Id):
    return selectors.engagement_get(actor=request.auth, pk=engagement_id)


class PaymentIn(Schema):
    amount: Amount
    paid_on: EventDate


class PayoutOut(Schema):
    party: str
    amount: int
    held: bool


class PaymentOut(Schema):
    id: int
    amount: int
    paid_on: datetime.date
    payouts: list[PayoutOut]

    @staticmethod
    def resolve_payouts(obj):
        return selectors.payment_payouts(obj)


@router.post("/network/engagements/{int:engagement_id}/payments", response={201: PaymentOut})
def engagement_payment_record(
    request,
    engagement_id: Id,
    payload: PaymentIn,
    idempotency_key: str | None = Header(None, alias="Idempotency-Key", max_length=120),
):
    """A payment received (recorded by an administrator): answers the three parties'
    ``payouts``; the consultant's is ``held`` while a dispute is open."""
    engagement = selectors.engagement_get(actor=request.auth, pk=engagement_id)
    return 201, services.engagement_payment_record(
        actor=request.auth,
        engagement=engagement,
        amount=payload.amount,
        paid_on=payload.paid_on,
        idempotency_key=idempotency_key or None,
    )


class DisputeIn(Schema):
    reason: str = Field(max_length=1000)


class ResolveIn(Schema):
    resolution: str = Field(max_length=1000)


class RatingIn(Schema):
    rating: conint(ge=0, le=100)
    comment: str = Field("", max_length=1000)


@router.post("/network/engagements/{int:engagement_id}/dispute", response={201: EngagementOut})
def dispute_open(request, engagement_id: Id, payload: DisputeIn):
    engagement = selectors.engagement_get(actor=request.auth, pk=engagement_id)
    services.dispute_open(actor=request.auth, engagement=engagement, reason=payload.reason)
    return 201, selectors.engagement_get(actor=request.auth, pk=engagement_id)


@router.post("/network/engagements/{int:engagement_id}/dispute/resolve", response=EngagementOut)
def dispute_resolve(request, engagement_id: Id, payload: ResolveIn):
    engagement = selectors.engagement_get(actor=request.auth, pk=engagement_id)
    services.dispute_resolve(
        actor=request.auth, engagement=engagement, resolution=payload.resolution
    )
    return selectors.engagement_get(actor=request.auth, pk=engagement_id)


class RefundIn(Schema):
    amount: Amount
    resolution: str = Field(max_length=1000)
    phone: str = Field("", max_length=40)
    provider: str = Field("", max_length=16)


class RefundOut(Schema):
    id: int
    amount: int
    reversed: dict
    payout: dict | None

    @staticmethod
    def resolve_reversed(obj):
        return {"consultant": obj.consultant_part, "platform": obj.platform_part,
                "ess_fund": obj.ess_part}  # fmt: skip

    @staticmethod
    def resolve_payout(obj):
        payout = obj.payout
        if payout is None:
            return None
        return {"reference": payout.reference, "amount": payout.amount, "phone": payout.phone,
                "status": payout.status}  # fmt: skip


@router.post("/network/engagements/{int:engagement_id}/dispute/refund", response={201: RefundOut})
def dispute_refund(
    request,
    engagement_id: Id,
    payload: RefundIn,
    idempotency_key: str | None = Header(None, alias="Idempotency-Key", max_length=120),
):
    """An administrator resolves the open dispute by refunding the client ``amount`` (at
    most what it paid while the dispute held the payouts, 409 ``refund_above_paid``): the
    held shares ``reversed`` in proportion, the ``payout`` back to the client's phone, the
    rest of the consultant's share paid out. The same ``Idempotency-Key`` answers the
    first refund."""
    engagement = selectors.engagement_get(actor=request.auth, pk=engagement_id)
    return 201, services.dispute_refund(
        actor=request.auth, engagement=engagement, idempotency_key=idempotency_key or None,
        **payload.dict(),
    )  # fmt: skip


class CancelIn(Schema):
    reason: str = Field(max_length=1000)


@router.post("/network/engagements/{int:engagement_id}/cancel", response=EngagementOut)
def engagement_cancel(request, engagement_id: Id, payload: CancelIn):
    """A party (or an administrator) cancels: unpaid milestones cancelled, what was paid
    stays; twice: 409 ``already_cancelled``; paid entirely: 409 ``already_completed``."""
    engagement = selectors.engagement_get(actor=request.auth, pk=engagement_id)
    services.engagement_cancel(actor=request.auth, engagement=engagement, reason=payload.reason)
    return selectors.engagement_get(actor=request.auth, pk=engagement_id)


class AmendmentIn(Schema):
    amount: Amount
    milestones: list[MilestoneIn] = Field(default_factory=list, max_length=20)
    reason: str = Field("", max_length=1000)


class AmendmentOut(Schema):
    id: int
    side: str
    amount: int
    milestones: list
    reason: str
    status: str
    previous: dict


class DecisionIn(Schema):
    decision: str = Field(max_length=20)


@router.get("/network/engagements/{int:engagement_id}/amendments", response=list[AmendmentOut])
@paginate(LimitOffsetPagination)
def amendment_list(request, engagement_id: Id):
    engagement = selectors.engagement_get(actor=request.auth, pk=engagement_id)
    return selectors.amendment_list(actor=request.auth, engagement=engagement)


@router.post("/network/engagements/{int:engagement_id}/amendments", response={201: AmendmentOut})
def amendment_propose(request, engagement_id: Id, payload: AmendmentIn):
    """A party proposes a new ``amount`` and ``milestones`` before any payment (409
    ``already_paid`` after one); the split frozen at signing does not change."""
    engagement = selectors.engagement_get(actor=request.auth, pk=engagement_id)
    return 201, services.amendment_propose(
        actor=request.auth, engagement=engagement, amount=payload.amount,
        milestones=[m.dict() for m in payload.milestones] or None, reason=payload.reason,
    )  # fmt: skip


@router.post(
    "/network/engagements/{int:engagement_id}/amendments/{int:amendment_id}/decision",
    response=AmendmentOut,
)
def amendment_decide(request, engagement_id: Id, amendment_id: Id, payload: DecisionIn):
    """``accept`` or ``decline`` (the other party), ``withdraw`` (the proposing one)."""
    engagement = selectors.engagement_get(actor=request.auth, pk=engagement_id)
    amendment = selectors.amendment_get(actor=request.auth, engagement=engagement, pk=amendment_id)
    return services.amendment_decide(
        actor=request.auth, engagement=engagement, amendment=amendment, decision=payload.decision
    )


@router.post("/network/engagements/{int:engagement_id}/rating", response=EngagementOut)
def engagement_rate(request, engagement_id: Id, payload: RatingIn):
    engagement = selectors.engagement_get(actor=request.auth, pk=engagement_id)
    return services.engagement_rate(actor=request.auth, engagement=engagement, **payload.dict())


# --------------------------------------------------------------------------- ESS fund


class FundOut(Schema):
    received: int
    grants: int
    training: int
    seats: int
    balance: int
    held: int  # of the balance, the shares of payments a dispute holds (not spendable)
    engagements: int


@router.get("/network/ess-fund", response=FundOut, auth=PUBLIC)
def ess_fund_totals(request):
    """Public totals of the ESS fund (the platform's books, account 4675)."""
    return selectors.ess_fund_totals()


class SupportIn(Schema):
    kind: str = Field(max_length=10)
    organisation: Id
    project: Id | None = None
    seats: conint(ge=0, le=100_000) | None = None
    amount: Amount
    on: EventDate
    description: str = Field(max_length=300)


class SupportOut(Schema):
    id: int
    kind: str
    organisation: int
    project: int | None
    seats: int | None
    amount: int
    on: datetime.date
    description: str

    @staticmethod
    def resolve_organisation(obj):
        return obj.organisation_id

    @staticmethod
    def resolve_project(obj):
        return obj.project_id


@router.post("/network/ess-fund/supports", response={201: SupportOut})
def ess_support_grant(request, payload: SupportIn):
    """An administrator's support: a grant to a project or training seats, within the
    fund's balance less the shares disputes hold (409 ``fund_insufficient``)."""
    data = payload.dict()
    org = network_selectors.organisation_get(actor=request.auth, pk=data.pop("organisation"))
    project_id = data.pop("project")
    project = None
    if project_id is not None:
        project = network_selectors.project_get(actor=request.auth, pk=project_id)
    return 201, services.ess_support_grant(
        actor=request.auth, organisation=org, project=project, **data
    )
