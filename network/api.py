"""The network portal's API (docs/api.md, "Network portal"). Thin: parse, call a
service or a selector, shape. Reads and registrations and pledges need no token."""

import datetime
from decimal import Decimal

from django.contrib.auth.models import AnonymousUser
from django.db import transaction
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema
from ninja.pagination import LimitOffsetPagination, paginate
from pydantic import conint, constr

from accounts.auth import BearerToken
from core.dates import EventDate, PlannedDate
from core.errors import ValidationFailed
from core.money import Amount
from network import selectors, services
from network.models import Campaign, Organisation
from network.ratelimit import check_rate
from network.rules import network_scope

router = Router(tags=["network"])
Id = conint(ge=1, le=2_147_483_647)  # ids beyond a database integer: 400
Text = constr(max_length=100)
Code = constr(max_length=20)


class OptionalBearer(BearerToken):
    """A token when one is sent (a wrong one: 401); none: the anonymous visitor."""

    def __call__(self, request):
        if not request.headers.get("Authorization"):
            return AnonymousUser()
        return super().__call__(request)


PUBLIC = [OptionalBearer()]


class LazyMap:
    """A queryset whose page (only) is shaped by ``func``: counted and sliced by the
    paginator, so only the page's rows are read and shaped."""

    def __init__(self, qs, func):
        self.qs, self.func = qs, func

    def count(self):
        return self.qs.count()

    def __len__(self):
        return self.count()

    def __getitem__(self, item):
        return [self.func(obj) for obj in self.qs[item]]


# --------------------------------------------------------------------------- organisations


class OrganisationIn(Schema):
    name: str = Field(max_length=200)
    kind: str = Field(max_length=20)
    country: str = Field(max_length=2)
    city: str = Field(max_length=100)
    sectors: list[Code] = Field(max_length=5)
    description: str = Field("", max_length=5000)
    website: str = Field("", max_length=200)
    email: str = Field("", max_length=200)
    phone: str = Field("", max_length=40)
    region: str = Field("", max_length=100)


class OrganisationOut(Schema):
    id: int
    name: str
    slug: str
    kind: str
    country: str
    region: str
    city: str
    sectors: list[str]
    description: str
    website: str
    status: str
    verified: bool

    @staticmethod
    def resolve_sectors(obj):
        return sorted(row.sector for row in obj.sector_rows.all())

    @staticmethod
    def resolve_verified(obj):
        return obj.verified_at is not None


@router.get("/network/organisations", response=list[OrganisationOut], auth=PUBLIC)
@paginate(LimitOffsetPagination)
def organisation_list(
    request,
    q: Text = "",
    country: Code = "",
    kind: Code = "",
    sector: Code = "",
    status: Code = "",
):
    return selectors.organisation_list(
        actor=request.auth, q=q, country=country, kind=kind, sector=sector, status=status
    )


@router.post("/network/organisations", response={201: OrganisationOut}, auth=PUBLIC)
def organisation_register(request, payload: OrganisationIn):
    """A registration (no token needed): ``pending`` until a moderator approves it; a
    verification code goes to its e-mail."""
    check_rate(request, "register")
    org, _code = services.organisation_register(**payload.dict())
    return 201, org


@router.get("/network/organisations/{int:organisation_id}", response=OrganisationOut, auth=PUBLIC)
def organisation_get(request, organisation_id: Id):
    return selectors.organisation_get(actor=request.auth, pk=organisation_id)


class ModerationIn(Schema):
    decision: str = Field(max_length=20)
    reason: str = Field("", max_length=500)


@router.post("/network/organisations/{int:organisation_id}/moderation", response=OrganisationOut)
def organisation_moderate(request, organisation_id: Id, payload: ModerationIn):
    """A moderator's decision: ``approve``, ``request_changes`` or ``refuse`` (reason)."""
    org = selectors.organisation_get(actor=request.auth, pk=organisation_id)
    return services.organisation_moderate(
        actor=request.auth, organisation=org, decision=payload.decision, reason=payload.reason
    )


# --------------------------------------------------------------------------- projects


class ProjectIn(Schema):
    organisation: Id
    title: str = Field(max_length=200)
    summary: str = Field(max_length=500)
    sector: str = Field(max_length=20)
    stage: str = Field(max_length=12)
    budget: Amount
    needs_money: Amount = 0
    needs_skills: str = Field("", max_length=500)
    needs_equipment: str = Field("", max_length=500)
    description: str = Field("", max_length=10000)
    country: str = Field("", max_length=2)


class ProjectOut(Schema):
    id: int
    organisation: int
    title: str
    slug: str
    summary: str
    country: str
    sector: str
    stage: str
    budget: int
    needs: dict

    @staticmethod
    def resolve_organisation(obj):
        return obj.organisation_id

    @staticmethod
    def resolve_needs(obj):
        return {
            "money": obj.needs_money,
            "skills": obj.needs_skills,
            "equipment": obj.needs_equipment,
        }


@router.get("/network/projects", response=list[ProjectOut], auth=PUBLIC)
@paginate(LimitOffsetPagination)
def project_list(request, q: Text = "", country: Code = "", sector: Code = ""):
    return selectors.project_list(actor=request.auth, q=q, country=country, sector=sector)


@router.post("/network/projects", response={201: ProjectOut})
def project_create(request, payload: ProjectIn):
    data = payload.dict()
    org = _own_organisation(request.auth, data.pop("organisation"))
    return 201, services.project_create(actor=request.auth, organisation=org, **data)


def _own_organisation(actor, pk: int) -> Organisation:
    return selectors.organisation_get(actor=actor, pk=pk)


@router.get("/network/projects/{int:project_id}", response=ProjectOut, auth=PUBLIC)
def project_get(request, project_id: Id):
    return selectors.project_get(actor=request.auth, pk=project_id)


# --------------------------------------------------------------------------- campaigns


class CampaignIn(Schema):
    project: Id
    goal: Amount
    starts_on: PlannedDate
    ends_on: PlannedDate
    mode: str = Field(max_length=16)


class CampaignOut(Schema):
    id: int
    project: int
    goal: int
    starts_on: datetime.date
    ends_on: datetime.date
    mode: str
    raised: int
    matched: int
    backers: int
    days_left: int
    status: str


def _campaign_out(campaign: Campaign) -> dict:
    figures = selectors.campaign_figures(campaign)
    return {
        "id": campaign.pk,
        "project": campaign.project_id,
        "goal": campaign.goal,
        "starts_on": campaign.starts_on,
        "ends_on": campaign.ends_on,
        "mode": campaign.mode,
        **{k: figures[k] for k in ("raised", "matched", "backers", "days_left", "status")},
    }


@router.get("/network/campaigns", response=list[CampaignOut], auth=PUBLIC)
@paginate(LimitOffsetPagination)
def campaign_list(request, status: Code = "", country: Code = "", q: Text = ""):
    qs = selectors.campaign_list(actor=request.auth, status=status, country=country, q=q)
    return LazyMap(qs, _campaign_out)


@router.post("/network/campaigns", response={201: CampaignOut})
def campaign_create(request, payload: CampaignIn):
    data = payload.dict()
    project = selectors.project_get(actor=request.auth, pk=data.pop("project"))
    campaign = services.campaign_create(actor=request.auth, project=project, **data)
    return 201, _campaign_out(campaign)


@router.get("/network/campaigns/{int:campaign_id}", response=CampaignOut, auth=PUBLIC)
def campaign_get(request, campaign_id: Id):
    return _campaign_out(selectors.campaign_get(actor=request.auth, pk=campaign_id))


class PledgeIn(Schema):
    amount: Amount
    donor_name: str = Field(max_length=100)
    donor_phone: str = Field(max_length=40)
    provider: str = Field(max_length=16)


class PaymentOut(Schema):
    id: int
    reference: str
    status: str
    checkout_url: str


class PledgeOut(Schema):
    id: int
    campaign: int
    amount: int
    donor_name: str
    status: str
    payment: PaymentOut

    @staticmethod
    def resolve_campaign(obj):
        return obj.campaign_id

    @staticmethod
    def resolve_payment(obj):
        return obj.intent


@router.post("/network/campaigns/{int:campaign_id}/pledges", response={201: PledgeOut}, auth=PUBLIC)
def pledge_create(request, campaign_id: Id, payload: PledgeIn):
    """A pledge (no token needed): answers the pledge with its ``payment`` (pending; the
    donor pays at ``checkout_url``). It counts once the payment succeeded."""
    check_rate(request, "pledge")
    campaign = selectors.campaign_get(actor=request.auth, pk=campaign_id)
    actor = request.auth if getattr(request.auth, "is_authenticated", False) else None
    pledge = services.pledge_create(campaign=campaign, actor=actor, **payload.dict())
    return 201, pledge


class CloseIn(Schema):
    on: EventDate


class CloseOut(CampaignOut):
    statement: list[dict]


@router.post("/network/campaigns/{int:campaign_id}/close", response=CloseOut)
def campaign_close(request, campaign_id: Id, payload: CloseIn):
    """At the end date: an all-or-nothing campaign under its goal fails (every pledge
    refunded, matches back to their funds); otherwise it succeeds (paid out, less the
    commission). 409 ``already_closed`` the second time."""
    campaign = selectors.campaign_get(actor=request.auth, pk=campaign_id)
    with transaction.atomic():
        campaign = services.campaign_close(actor=request.auth, campaign=campaign, on=payload.on)
    out = _campaign_out(campaign)
    out["statement"] = selectors.campaign_statement(campaign)["lines"]
    return out


# --------------------------------------------------------------------------- match funds


class FundIn(Schema):
    sponsor: str = Field(max_length=200)
    budget: Amount
    factor: Decimal = Field(max_digits=6, decimal_places=2)
    max_per_pledge: Amount
    max_per_project: Amount
    campaigns: list[Id] = Field(max_length=500)


class FundOut(Schema):
    id: int
    sponsor: str
    budget: int
    factor: str
    max_per_pledge: int
    max_per_project: int
    campaigns: list[int]
    committed: int
    remaining: int


def _fund_out(fund) -> dict:
    committed = selectors.fund_committed(fund)
    return {
        "id": fund.pk,
        "sponsor": fund.sponsor,
        "budget": fund.budget,
        "factor": str(fund.factor),
        "max_per_pledge": fund.max_per_pledge,
        "max_per_project": fund.max_per_project,
        "campaigns": sorted(c.pk for c in fund.campaigns.all()),
        "committed": committed,
        "remaining": fund.budget - committed,
    }


@router.get("/network/match-funds", response=list[FundOut])
@paginate(LimitOffsetPagination)
def match_fund_list(request):
    return LazyMap(selectors.match_fund_list(actor=request.auth), _fund_out)


@router.post("/network/match-funds", response={201: FundOut})
def match_fund_open(request, payload: FundIn):
    data = payload.dict()
    ids = data.pop("campaigns")
    if not network_scope(request.auth).admin:
        # the service refuses too; say so before revealing anything about the campaigns
        services.match_fund_open(actor=request.auth, campaigns=[], **data)
    campaigns = [selectors.campaign_get(actor=request.auth, pk=pk) for pk in dict.fromkeys(ids)]
    if not campaigns:
        raise ValidationFailed(_("Choisissez au moins une campagne."), field="campaigns")
    fund = services.match_fund_open(actor=request.auth, campaigns=campaigns, **data)
    return 201, _fund_out(fund)


@router.get("/network/match-funds/{int:fund_id}", response=FundOut)
def match_fund_get(request, fund_id: Id):
    return _fund_out(selectors.match_fund_get(actor=request.auth, pk=fund_id))


# --------------------------------------------------------------------------- abuse reports


class ReportIn(Schema):
    organisation: Id
    campaign: Id | None = None
    reason: str = Field(max_length=16)
    details: str = Field("", max_length=2000)
    contact: str = Field("", max_length=200)


class ReportOut(Schema):
    id: int
    organisation: int
    campaign: int | None
    reason: str
    status: str
    created_at: datetime.datetime

    @staticmethod
    def resolve_organisation(obj):
        return obj.organisation_id

    @staticmethod
    def resolve_campaign(obj):
        return obj.campaign_id


class ReportFull(ReportOut):
    details: str
    contact: str
    decision_note: str
    decided_at: datetime.datetime | None


@router.post("/network/reports", response={201: ReportOut}, auth=PUBLIC)
def report_create(request, payload: ReportIn):
    """Anyone (no token needed) reports an approved organisation, or one of its campaigns,
    to the moderators of its country; limited per address and hour (429)."""
    check_rate(request, "report")
    data = payload.dict()
    org = selectors.organisation_get(actor=request.auth, pk=data.pop("organisation"))
    campaign_id = data.pop("campaign")
    campaign = selectors.campaign_get(actor=request.auth, pk=campaign_id) if campaign_id else None
    actor = request.auth if getattr(request.auth, "is_authenticated", False) else None
    report = services.abuse_report_create(actor=actor, organisation=org, campaign=campaign, **data)
    return 201, report


@router.get("/network/reports", response=list[ReportFull])
@paginate(LimitOffsetPagination)
def report_list(request, status: Code = "open"):
    """The moderators' queue: their countries' reports (administrators: all); ``status``
    ``open`` (default), ``dismissed``, ``acted`` or empty for all; 403 for others."""
    return selectors.report_list(actor=request.auth, status=status)


@router.get("/network/reports/{int:report_id}", response=ReportFull)
def report_get(request, report_id: Id):
    return selectors.report_get(actor=request.auth, pk=report_id)


class DecisionIn(Schema):
    decision: str = Field(max_length=20)
    note: str = Field("", max_length=500)


@router.post("/network/reports/{int:report_id}/decision", response=ReportFull)
def report_decide(request, report_id: Id, payload: DecisionIn):
    """``dismiss`` or ``act``, with a note; once (409 ``already_decided``)."""
    report = selectors.report_get(actor=request.auth, pk=report_id)
    return services.abuse_report_decide(actor=request.auth, report=report, **payload.dict())
