"""Mutual health insurance API (docs/api.md, docs/health.md).

Thin: parse, call a selector or a service, shape the output. Outside the caller's scope:
404; a write the role may not do: 403; a rule: 409 with its code.
"""

import datetime

from django.utils.translation import gettext as _
from ninja import Field, Header, Query, Router, Schema
from ninja.pagination import LimitOffsetPagination, paginate
from pydantic import conint

from core import dates
from core.errors import NotFound, ValidationFailed
from health import selectors, services
from health.errors import Code
from health.models import Claim, Household
from ledger.api import PeriodFilters, TrialBalanceRow

router = Router(tags=["health"])

TEXT = {"max_length": 200}
Id = conint(ge=1, le=2_147_483_647)  # ids beyond a database integer are refused (400)


class SchemeIn(Schema):
    name: str = Field(..., max_length=160)
    country: str = Field(..., max_length=2)
    joining_fee: int
    monthly_contribution: int
    waiting_days: int = 0
    child_age_limit: int = 18
    annual_ceiling: int = 0
    sector: str = Field("", max_length=80)
    reminder_days: int = 7


class BenefitOut(Schema):
    kind: str
    copayment_percent: int
    ceiling_person: int
    ceiling_household: int


class SchemeOut(Schema):
    id: int
    name: str
    country: str
    joining_fee: int
    monthly_contribution: int
    waiting_days: int
    child_age_limit: int
    annual_ceiling: int
    sector: str
    active: bool


class BenefitIn(Schema):
    kind: str = Field(..., max_length=20)
    copayment_percent: int = 0
    ceiling_person: int = 0
    ceiling_household: int = 0


class MemberIn(Schema):
    person: Id
    relation: str = Field("other", max_length=8)


class HouseholdIn(Schema):
    scheme: Id
    head: Id
    members: list[Id | MemberIn] = Field(default_factory=list, max_length=30)
    cooperative: Id | None = None
    payer: str | None = Field(None, max_length=12)
    enrolled_on: datetime.date


class DependantOut(Schema):
    person: int
    relation: str
    joined_on: datetime.date
    left_on: datetime.date | None
    status: str


class HouseholdOut(Schema):
    id: int
    scheme: int
    head: int
    members: list[int]
    cooperative: int | None
    payer: str
    enrolled_on: datetime.date
    covered_until: datetime.date | None
    credit: int
    dependants: list[DependantOut]


class ContributionIn(Schema):
    amount: int
    paid_on: datetime.date
    channel: str = Field(..., max_length=16)
    reference: str = Field("", max_length=80)


class ContributionOut(Schema):
    id: int
    amount: int
    paid_on: datetime.date
    channel: str
    joining_fees: int
    months: int
    covered_until: datetime.date | None
    credit: int


class LineIn(Schema):
    code: str | None = Field(None, max_length=20)
    benefit: str | None = Field(None, max_length=20)
    amount: int | None = None
    quantity: int = 1


class ClaimIn(Schema):
    beneficiary: Id
    household: Id
    provider: Id
    service_on: datetime.date
    amount: int | None = None
    benefit: str | None = Field(None, max_length=20)
    lines: list[LineIn] = Field(default_factory=list, max_length=50)
    diagnosis: str = Field("", **TEXT)


class ClaimOut(Schema):
    id: int
    beneficiary: int = Field(alias="beneficiary_id")
    household: int = Field(alias="household_id")
    provider: int = Field(alias="provider_id")
    scheme: int = Field(alias="scheme_id")
    service_on: datetime.date
    amount: int
    covered_amount: int
    copayment: int
    partial_reason: str
    status: str
    rejection_reason: str
    flagged: bool
    paid_on: datetime.date | None
    payout: int | None = Field(None, alias="payout_id")


class LineOut(Schema):
    code: str
    benefit: str
    quantity: int
    amount: int
    covered: int
    copayment: int
    reason: str


class ClaimDetailOut(ClaimOut):
    diagnosis: str = Field(alias="medical_diagnosis")
    lines: list[LineOut] = Field(alias="medical_lines")


class RejectIn(Schema):
    reason: str = Field(..., **TEXT)


class PayIn(Schema):
    paid_on: datetime.date
    channel: str = Field("bank", max_length=16)


class CoverOut(Schema):
    person: int
    name: str
    household: int
    scheme: int
    on: datetime.date
    status: str
    waiting_until: datetime.date
    covered_until: datetime.date | None


# --- schemes ---------------------------------------------------------------------------


@router.get("/health/schemes", response=list[SchemeOut])
@paginate(LimitOffsetPagination)
def scheme_list(request, country: str | None = None, q: str | None = None):
    return selectors.scheme_list(actor=request.auth, filters={"country": country, "q": q})


@router.post("/health/schemes", response={201: SchemeOut})
def scheme_create(request, payload: SchemeIn):
    return 201, services.scheme_create(actor=request.auth, **payload.dict())


@router.get("/health/schemes/{scheme_id}", response=SchemeOut)
def scheme_get(request, scheme_id: Id):
    return selectors.scheme_get(actor=request.auth, pk=scheme_id)


@router.get("/health/schemes/{scheme_id}/benefits", response=list[BenefitOut])
def benefit_list(request, scheme_id: Id):
    return list(selectors.scheme_get(actor=request.auth, pk=scheme_id).benefits.order_by("kind"))


@router.post("/health/schemes/{scheme_id}/benefits", response=BenefitOut)
def benefit_set(request, scheme_id: Id, payload: BenefitIn):
    scheme = selectors.scheme_get(actor=request.auth, pk=scheme_id)
    return services.benefit_set(actor=request.auth, scheme=scheme, **payload.dict())


# --- households ------------------------------------------------------------------------


def household_out(household: Household, on: datetime.date | None = None) -> dict:
    on = on or dates.today()
    members = list(selectors.household_members(household, current_only=False))
    current = [m for m in members if m.left_on is None]
    return {
        "id": household.pk,
        "scheme": household.scheme_id,
        "head": household.head_id,
        "members": [m.person_id for m in current],
        "cooperative": household.cooperative_id,
        "payer": household.payer,
        "enrolled_on": household.enrolled_on,
        "covered_until": household.covered_until,
        "credit": household.credit,
        "dependants": [
            {
                "person": m.person_id,
                "relation": m.relation,
                "joined_on": m.joined_on,
                "left_on": m.left_on,
                "status": selectors.member_cover(m, on).status,
            }
            for m in members
        ],
    }


@router.get("/health/households", response=list[HouseholdOut])
@paginate(LimitOffsetPagination)
def household_list(
    request, scheme: Id | None = None, cooperative: Id | None = None, q: str | None = None
):
    qs = selectors.household_list(
        actor=request.auth, filters={"scheme": scheme, "cooperative": cooperative, "q": q}
    )
    return [household_out(h) for h in qs.prefetch_related("members__person", "scheme")]


@router.post("/health/households", response={201: HouseholdOut})
def household_enrol(request, payload: HouseholdIn):
    from registry.selectors import cooperative_get

    actor = request.auth
    scheme = selectors.scheme_get(actor=actor, pk=payload.scheme)
    head = selectors.person_for_enrolment(actor=actor, pk=payload.head, scheme=scheme)
    dependants = []
    for item in payload.members:
        pk, relation = (item, "other") if isinstance(item, int) else (item.person, item.relation)
        if pk != head.pk:
            person = selectors.person_for_enrolment(actor=actor, pk=pk, scheme=scheme)
            dependants.append((person, relation))
    coop = cooperative_get(actor=actor, pk=payload.cooperative) if payload.cooperative else None
    household = services.household_enrol(
        actor=actor,
        scheme=scheme,
        head=head,
        dependants=dependants,
        cooperative=coop,
        payer=payload.payer,
        enrolled_on=payload.enrolled_on,
    )
    return 201, household_out(household)


@router.get("/health/households/{household_id}", response=HouseholdOut)
def household_get(request, household_id: Id):
    return household_out(selectors.household_get(actor=request.auth, pk=household_id))


def contribution_out(c) -> dict:
    return {
        "id": c.pk,
        "amount": c.amount,
        "paid_on": c.paid_on,
        "channel": c.channel,
        "joining_fees": c.joining_fees,
        "months": c.months,
        "covered_until": c.covered_until_after,
        "credit": c.credit_after,
    }


@router.get("/health/households/{household_id}/contributions", response=list[ContributionOut])
@paginate(LimitOffsetPagination)
def contribution_list(request, household_id: Id):
    household = selectors.household_get(actor=request.auth, pk=household_id)
    return [
        contribution_out(c)
        for c in selectors.contribution_list(actor=request.auth, household=household)
    ]


@router.post("/health/households/{household_id}/contributions", response={201: ContributionOut})
def contribution_pay(
    request,
    household_id: Id,
    payload: ContributionIn,
    idempotency_key: str | None = Header(None, alias="Idempotency-Key"),
):
    household = selectors.household_get(actor=request.auth, pk=household_id)
    contribution = services.contribution_pay(
        actor=request.auth,
        household=household,
        amount=payload.amount,
        paid_on=payload.paid_on,
        channel=payload.channel,
        reference=payload.reference,
        idempotency_key=idempotency_key or "",
    )
    return 201, contribution_out(contribution)


@router.get("/health/cover", response=CoverOut)
def cover_check(request, person: Id, scheme: Id, on: datetime.date | None = None):
    """A person's cover on a day (a provider's desk): the cover only, nothing medical."""
    scheme_obj = selectors.scheme_get(actor=request.auth, pk=scheme)
    on = on or dates.today()
    member, cover = selectors.cover_check(
        actor=request.auth, person_id=person, scheme=scheme_obj, on=on
    )
    return {
        "person": member.person_id,
        "name": str(member.person),
        "household": member.household_id,
        "scheme": scheme_obj.pk,
        "on": on,
        "status": cover.status,
        "waiting_until": cover.waiting_until,
        "covered_until": cover.covered_until,
    }


class CardCheckOut(Schema):
    person: int
    name: str
    scheme: int
    household: int
    same_household: bool
    issued_on: datetime.date
    on: datetime.date
    status: str
    waiting_until: datetime.date
    covered_until: datetime.date | None


@router.get("/health/cards/verify", response=CardCheckOut)
def card_verify(request, code: str = Query(..., max_length=500)):
    """A member card's QR code: signature checked (400 ``invalid_card``), then the
    person's cover today, with the scope of ``/health/cover``."""
    on = dates.today()
    result = selectors.card_check(actor=request.auth, code=code, on=on)
    member, cover = result["member"], result["cover"]
    return {
        "person": member.person_id,
        "name": str(member.person),
        "scheme": result["scheme"].pk,
        "household": member.household_id,
        "same_household": result["same_household"],
        "issued_on": result["payload"].issued_on,
        "on": on,
        "status": cover.status,
        "waiting_until": cover.waiting_until,
        "covered_until": cover.covered_until,
    }


class CardKeyOut(Schema):
    kty: str
    crv: str
    x: str
    kid: str
    alg: str
    use: str


class CardKeysOut(Schema):
    keys: list[CardKeyOut]


@router.get("/health/card-keys", auth=None, response=CardKeysOut, url_name="health_card_keys")
def card_keys(request):
    """The public keys that check a member card's signature (a JWK set, RFC 8037: kty OKP,
    crv Ed25519), public: the current key and those of cards signed before a rotation."""
    return selectors.card_public_keys()


# --- claims ----------------------------------------------------------------------------


@router.get("/health/claims", response=list[ClaimOut])
@paginate(LimitOffsetPagination)
def claim_list(
    request,
    status: str | None = None,
    scheme: Id | None = None,
    provider: Id | None = None,
    household: Id | None = None,
    flagged: bool | None = None,
):
    filters = {
        "status": status,
        "scheme": scheme,
        "provider": provider,
        "household": household,
        "flagged": flagged,
    }
    return selectors.claim_list(actor=request.auth, filters=filters)


@router.post("/health/claims", response={201: ClaimOut})
def claim_enter(request, payload: ClaimIn):
    actor = request.auth
    household = selectors.household_for_claim(actor=actor, pk=payload.household)
    provider = selectors.provider_get(actor=actor, pk=payload.provider)
    beneficiary = selectors.beneficiary_for_claim(household=household, pk=payload.beneficiary)
    claim = services.claim_enter(
        actor=actor,
        household=household,
        beneficiary=beneficiary,
        provider=provider,
        service_on=payload.service_on,
        lines=[line.dict() for line in payload.lines],
        amount=payload.amount,
        benefit=payload.benefit,
        diagnosis=payload.diagnosis,
    )
    return 201, claim


@router.get("/health/claims/{claim_id}", response=ClaimDetailOut)
def claim_get(request, claim_id: Id):
    """A claim with its medical details (diagnosis, services); the read is logged."""
    claim = selectors.claim_get(actor=request.auth, pk=claim_id)
    details = selectors.claim_medical_details(actor=request.auth, claim=claim, via="api")
    claim.medical_diagnosis, claim.medical_lines = details["diagnosis"], details["lines"]
    return claim


def _step(request, claim_id: Id, fn, **kwargs) -> Claim:
    claim = selectors.claim_get(actor=request.auth, pk=claim_id)
    return fn(actor=request.auth, claim=claim, **kwargs)


@router.post("/health/claims/{claim_id}/check", response=ClaimOut)
def claim_check(request, claim_id: Id):
    return _step(request, claim_id, services.claim_check)


@router.post("/health/claims/{claim_id}/valuate", response=ClaimOut)
def claim_valuate(request, claim_id: Id):
    return _step(request, claim_id, services.claim_valuate)


@router.post("/health/claims/{claim_id}/reject", response=ClaimOut)
def claim_reject(request, claim_id: Id, payload: RejectIn):
    return _step(request, claim_id, services.claim_reject, reason=payload.reason)


@router.post("/health/claims/{claim_id}/pay", response=ClaimOut)
def claim_pay(request, claim_id: Id, payload: PayIn):
    return _step(
        request, claim_id, services.claim_pay, paid_on=payload.paid_on, channel=payload.channel
    )


class PayoutIn(Schema):
    provider: str = Field("wave", max_length=16)
    to: str = Field("provider", max_length=8)
    phone: str = Field("", max_length=20)


class PayoutDecisionIn(Schema):
    approve: bool = True


class ClaimPayoutOut(Schema):
    claim: int = Field(alias="target_id")
    reference: str
    provider: str
    amount: int
    name: str
    status: str
    error: str


@router.post("/health/claims/{claim_id}/payout", response=ClaimPayoutOut)
def claim_payout(request, claim_id: Id, payload: PayoutIn):
    """Pay a valuated claim by phone (payments' payout purpose ``health_claim``)."""
    return _step(request, claim_id, services.claim_payout_request, **payload.model_dump())


@router.post("/health/claims/{claim_id}/payout/approve", response=ClaimPayoutOut)
def claim_payout_approve(request, claim_id: Id, payload: PayoutDecisionIn):
    """Another agent of the scheme (or national staff) approves or refuses the payout."""
    return _step(request, claim_id, services.claim_payout_approve, approve=payload.approve)


@router.get("/health/schemes/{scheme_id}/fhir")
def fhir_export(request, scheme_id: Id, on: datetime.date | None = None):
    """Enrolments and claims as a FHIR R4 Bundle (Patient, Coverage, Claim)."""
    scheme = selectors.scheme_get(actor=request.auth, pk=scheme_id)
    return selectors.fhir_export(actor=request.auth, scheme=scheme, on=on or dates.today())


class BookLineOut(Schema):
    account: str = Field(..., alias="account.code")
    label: str = Field(..., alias="account.label")
    debit: int
    credit: int


class BookEntryOut(Schema):
    id: int
    date: datetime.date
    label: str
    source: str
    source_ref: str
    lines: list[BookLineOut]


@router.get("/health/schemes/{scheme_id}/trial-balance", response=list[TrialBalanceRow])
def scheme_trial_balance(request, scheme_id: Id, period: Query[PeriodFilters]):
    """The mutual's own books: movements of each account over the period."""
    return selectors.scheme_trial_balance(actor=request.auth, pk=scheme_id, **period.model_dump())


@router.get("/health/schemes/{scheme_id}/journal-entries", response=list[BookEntryOut])
@paginate(LimitOffsetPagination)
def scheme_journal_entries(request, scheme_id: Id, period: Query[PeriodFilters]):
    """The mutual's entries with their lines, newest first."""
    return selectors.scheme_entry_list(actor=request.auth, pk=scheme_id, **period.model_dump())


@router.get("/health/reports")
def health_report(
    request, as_of: datetime.date | None = None, scheme: Id | None = None, area: str = ""
):
    """Counts, never diagnoses: members covered by sex, age, cooperative, area; recovery,
    loss ratio, cost per member; the indicators health_covered_persons and
    health_contribution_recovery. Through the reader's scope."""
    from health.reports import health_report as build
    from health.reports import report_as_dict

    as_of = as_of or dates.today()
    if as_of.year < 1900 or as_of > dates.today():
        raise ValidationFailed(
            _("La date doit être comprise entre 1900 et aujourd'hui."),
            code=Code.DATE_OUT_OF_RANGE,
            field="as_of",
        )
    path = area_path(area)
    return report_as_dict(build(actor=request.auth, as_of=as_of, scheme_id=scheme, area_path=path))


def area_path(code: str) -> str:
    from geo.selectors import area_get

    code = code.replace("\x00", "")[:40]
    if not code:
        return ""
    try:
        return area_get(code=code).path
    except NotFound:
        raise ValidationFailed(_("Zone inconnue."), code=Code.UNKNOWN_AREA, field="area") from None
