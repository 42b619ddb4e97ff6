"""Credit API (docs/api.md): loan products, loans and their lifecycle, schedules,
repayments (with ``Idempotency-Key``), recovery actions and the portfolio.

Thin: parse, call a selector or a service, shape the output. Out of scope answers 404, a
write the role may not do 403, a rule 409 with its code (config/api.py formats errors).
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from ninja import Field, Header, Router, Schema, Status
from ninja.pagination import LimitOffsetPagination, paginate

from core import dates
from core.dates import QueryDate
from core.money import Amount
from credit import selectors, services

router = Router(tags=["credit"])


# --------------------------------------------------------------------------- schemas


class ProductOut(Schema):
    id: int
    lender: int
    name: str
    interest_method: str
    amortization: str
    annual_rate: str
    day_count: str
    term_months: int
    frequency: str
    grace_periods: int
    grace_on_interest: bool
    fee_rate: str
    fee_fixed: int
    penalty_rate: str
    arrears_tolerance: int
    allocation_order: str
    repayment_months: list[int]
    min_principal: int
    max_principal: int | None
    effective_rate: str
    active: bool

    @staticmethod
    def resolve_lender(obj):
        return obj.lender_id

    @staticmethod
    def resolve_annual_rate(obj):
        return str(obj.annual_rate.normalize())

    @staticmethod
    def resolve_fee_rate(obj):
        return str(obj.fee_rate.normalize())

    @staticmethod
    def resolve_penalty_rate(obj):
        return str(obj.penalty_rate.normalize())

    @staticmethod
    def resolve_effective_rate(obj):
        return str(obj.effective_rate)


class ProductIn(Schema):
    name: str
    lender: int | None = None
    interest_method: str = "declining"
    amortization: str = "annuity"
    annual_rate: Decimal
    day_count: str = "30/360"
    term_months: int
    frequency: str = "monthly"
    grace_periods: int = 0
    grace_on_interest: bool = False
    fee_rate: Decimal = Decimal(0)
    fee_fixed: Amount = 0
    penalty_rate: Decimal = Decimal(0)
    arrears_tolerance: int = 0
    allocation_order: str = "penalty,fee,interest,principal"
    repayment_months: list[int] = []
    min_principal: Amount = 0
    max_principal: Amount | None = None


class LoanOut(Schema):
    id: int
    lender: int
    product: int
    borrower_cooperative: int | None
    borrower_person: int | None
    cooperative: int | None
    borrower_name: str
    principal: int
    purpose: str
    status: str
    effective_rate: str
    applied_on: datetime.date
    approved_on: datetime.date | None
    disbursed_on: datetime.date | None
    disbursement_channel: str
    closed_on: datetime.date | None
    outstanding_principal: int
    arrears_amount: int
    days_past_due: int
    figures_as_of: datetime.date | None

    @staticmethod
    def resolve_lender(obj):
        return obj.lender_id

    @staticmethod
    def resolve_product(obj):
        return obj.product_id

    @staticmethod
    def resolve_borrower_cooperative(obj):
        return obj.borrower_cooperative_id

    @staticmethod
    def resolve_borrower_person(obj):
        return obj.borrower_person_id

    @staticmethod
    def resolve_cooperative(obj):
        return obj.cooperative_id

    @staticmethod
    def resolve_borrower_name(obj):
        return str(obj.borrower)

    @staticmethod
    def resolve_effective_rate(obj):
        return str(obj.effective_rate)


class LoanIn(Schema):
    product: int
    principal: Amount
    borrower_cooperative: int | None = None
    borrower_person: int | None = None
    cooperative: int | None = None
    applied_on: datetime.date | None = None
    purpose: str = ""


class OnIn(Schema):
    on: datetime.date | None = None


class DisburseIn(Schema):
    on: datetime.date | None = None
    channel: str = "bank"


class WalletDisburseIn(Schema):
    phone: str = Field("", max_length=40)  # empty: the borrower's registered number
    provider: str = Field("wave", max_length=20)


class DisbursementPayoutOut(Schema):
    id: int
    reference: str
    status: str
    amount: int
    phone: str
    provider: str


class RejectIn(Schema):
    on: datetime.date | None = None
    reason: str


class InstalmentOut(Schema):
    number: int
    due_on: datetime.date
    principal: int
    interest: int
    fee: int
    penalty: int
    total: int
    paid: int
    remaining: int

    @staticmethod
    def resolve_principal(obj):
        return obj.principal_due

    @staticmethod
    def resolve_interest(obj):
        return obj.interest_due - obj.interest_waived

    @staticmethod
    def resolve_fee(obj):
        return obj.fee_due

    @staticmethod
    def resolve_penalty(obj):
        return obj.penalty_due

    @staticmethod
    def resolve_total(obj):
        return obj.total_due - obj.interest_waived

    @staticmethod
    def resolve_paid(obj):
        return obj.total_paid

    @staticmethod
    def resolve_remaining(obj):
        return obj.remaining


class RepaymentOut(Schema):
    id: int
    loan: int
    amount: int
    paid_on: datetime.date
    channel: str
    reference: str
    reverses: int | None
    note: str

    @staticmethod
    def resolve_loan(obj):
        return obj.loan_id

    @staticmethod
    def resolve_reverses(obj):
        return obj.reverses_id


class RepaymentIn(Schema):
    amount: Amount
    paid_on: datetime.date
    channel: str
    reference: str = ""


class ReverseIn(Schema):
    on: datetime.date | None = None
    reason: str


class RecoveryActionOut(Schema):
    id: int
    kind: str
    on: datetime.date
    note: str
    promise_amount: int | None
    promise_on: datetime.date | None
    follow_up_on: datetime.date | None


class RecoveryActionIn(Schema):
    kind: str
    on: datetime.date | None = None
    note: str = ""
    promise_amount: Amount | None = None
    promise_on: datetime.date | None = None
    follow_up_on: datetime.date | None = None


class ChangeRequestIn(Schema):
    kind: str
    on: datetime.date | None = None
    reason: str
    term_months: int | None = None
    annual_rate: Decimal | None = None
    grace_periods: int = 0


class ChangeRequestOut(Schema):
    id: int
    loan: int
    kind: str
    on: datetime.date
    reason: str
    status: str
    params: dict

    @staticmethod
    def resolve_loan(obj):
        return obj.loan_id


class DecideIn(Schema):
    approve: bool


class BucketOut(Schema):
    bucket: str
    count: int
    outstanding: int
    provision_rate: str


class PortfolioOut(Schema):
    as_of: datetime.date
    period_start: datetime.date
    outstanding: int
    loans_count: int
    par1: str
    par30: str
    par90: str
    recovery_rate: str
    due_in_period: int
    collected_in_period: int
    arrears_amount: int
    provisions: int
    arrears_buckets: list[BucketOut]


# --------------------------------------------------------------------------- products


@router.get("/loan-products", response=list[ProductOut])
@paginate(LimitOffsetPagination)
def loan_products(request, lender: int | None = None, active: bool | None = None):
    qs = selectors.loan_product_list(actor=request.user)
    if lender:
        qs = qs.filter(lender_id=lender)
    if active is not None:
        qs = qs.filter(active=active)
    return qs


@router.post("/loan-products", response={201: ProductOut})
def loan_product_create(request, payload: ProductIn):
    data = payload.dict()
    lender = selectors.lender_for_write(actor=request.user, pk=data.pop("lender"))
    product = services.loan_product_create(
        actor=request.user, lender=lender, on=dates.today(), **data
    )
    return Status(201, product)


@router.get("/loan-products/{int:product_id}", response=ProductOut)
def loan_product_detail(request, product_id: int):
    return selectors.loan_product_get(actor=request.user, pk=product_id)


# --------------------------------------------------------------------------- loans


@router.get("/loans", response=list[LoanOut])
@paginate(LimitOffsetPagination)
def loans(
    request,
    status: str | None = None,
    lender: int | None = None,
    product: int | None = None,
    area: str | None = None,
    region: str | None = None,
    sector: str | None = None,
    cooperative: int | None = None,
    in_arrears: bool | None = None,
    q: str | None = None,
):
    return selectors.loan_list(
        actor=request.user,
        status=status,
        lender=lender,
        product=product,
        area=area or region,
        sector=sector,
        cooperative=cooperative,
        in_arrears=in_arrears,
        q=q,
    ).order_by("-applied_on", "-id")


@router.post("/loans", response={201: LoanOut})
def loan_create(request, payload: LoanIn):
    actor = request.user
    product = selectors.loan_product_get(actor=actor, pk=payload.product)
    services.check_one_borrower(payload.borrower_cooperative, payload.borrower_person)
    borrower = (
        {
            "borrower_cooperative": selectors.borrower_get(
                actor=actor, cooperative=payload.borrower_cooperative
            )
        }
        if payload.borrower_cooperative is not None
        else {
            "borrower_person": selectors.borrower_get(actor=actor, person=payload.borrower_person)
        }
    )
    if payload.cooperative is not None and payload.borrower_person is not None:
        borrower["cooperative"] = selectors.borrower_get(
            actor=actor, cooperative=payload.cooperative
        )
    loan = services.loan_apply(
        actor=actor,
        product=product,
        principal=payload.principal,
        applied_on=payload.applied_on or dates.today(),
        purpose=payload.purpose,
        **borrower,
    )
    return Status(201, selectors.loan_get(actor=actor, pk=loan.pk))


@router.get("/loans/{int:loan_id}", response=LoanOut)
def loan_detail(request, loan_id: int):
    return selectors.loan_get(actor=request.user, pk=loan_id)


@router.post("/loans/{int:loan_id}/approve", response=LoanOut)
def loan_approve(request, loan_id: int, payload: OnIn | None = None):
    loan = selectors.loan_get(actor=request.user, pk=loan_id)
    on = (payload.on if payload else None) or dates.today()
    services.loan_approve(actor=request.user, loan=loan, on=on)
    return selectors.loan_get(actor=request.user, pk=loan_id)


@router.post("/loans/{int:loan_id}/reject", response=LoanOut)
def loan_reject(request, loan_id: int, payload: RejectIn):
    loan = selectors.loan_get(actor=request.user, pk=loan_id)
    services.loan_reject(
        actor=request.user, loan=loan, on=payload.on or dates.today(), reason=payload.reason
    )
    return selectors.loan_get(actor=request.user, pk=loan_id)


@router.post("/loans/{int:loan_id}/disburse", response=LoanOut)
def loan_disburse(request, loan_id: int, payload: DisburseIn | None = None):
    loan = selectors.loan_get(actor=request.user, pk=loan_id)
    on = (payload.on if payload else None) or dates.today()
    channel = payload.channel if payload else "bank"
    services.loan_disburse(actor=request.user, loan=loan, on=on, channel=channel)
    return selectors.loan_get(actor=request.user, pk=loan_id)


@router.post("/loans/{int:loan_id}/disburse-by-wallet", response={201: DisbursementPayoutOut})
def loan_disburse_by_wallet(request, loan_id: int, payload: WalletDisburseIn):
    """Disburse an approved loan to the borrower's mobile-money wallet: a payout of the net
    amount; the loan counts as disbursed when the payout succeeds (docs/credit.md). Asked
    again while the payout is live: that payout."""
    loan = selectors.loan_get(actor=request.user, pk=loan_id)
    payout = services.loan_disburse_by_wallet(
        actor=request.user, loan=loan, provider=payload.provider, phone=payload.phone
    )
    return Status(201, payout)


@router.get("/loans/{int:loan_id}/schedule", response=list[InstalmentOut])
def loan_schedule(request, loan_id: int):
    loan = selectors.loan_get(actor=request.user, pk=loan_id)
    return selectors.instalment_list(actor=request.user, loan=loan)


@router.get("/loans/{int:loan_id}/repayments", response=list[RepaymentOut])
@paginate(LimitOffsetPagination)
def loan_repayments(request, loan_id: int):
    loan = selectors.loan_get(actor=request.user, pk=loan_id)
    return selectors.repayment_list(actor=request.user, loan=loan)


@router.post("/loans/{int:loan_id}/repayments", response={201: RepaymentOut})
def loan_repayment_post(
    request,
    loan_id: int,
    payload: RepaymentIn,
    idempotency_key: str | None = Header(None, alias="Idempotency-Key", max_length=120),
):
    loan = selectors.loan_get(actor=request.user, pk=loan_id)
    repayment = services.repayment_post(
        actor=request.user,
        loan=loan,
        amount=payload.amount,
        paid_on=payload.paid_on,
        channel=payload.channel,
        reference=payload.reference,
        idempotency_key=idempotency_key or None,
    )
    return Status(201, repayment)


@router.post(
    "/loans/{int:loan_id}/repayments/{int:repayment_id}/reverse", response={201: RepaymentOut}
)
def loan_repayment_reverse(request, loan_id: int, repayment_id: int, payload: ReverseIn):
    loan = selectors.loan_get(actor=request.user, pk=loan_id)
    repayment = selectors.repayment_get(actor=request.user, pk=repayment_id)
    if repayment.loan_id != loan.pk:
        raise selectors.not_found_repayment()
    reversal = services.repayment_reverse(
        actor=request.user,
        repayment=repayment,
        on=payload.on or dates.today(),
        reason=payload.reason,
    )
    return Status(201, reversal)


@router.get("/loans/{int:loan_id}/recovery-actions", response=list[RecoveryActionOut])
@paginate(LimitOffsetPagination)
def loan_recovery_actions(request, loan_id: int):
    loan = selectors.loan_get(actor=request.user, pk=loan_id)
    return selectors.recovery_action_list(actor=request.user, loan=loan)


@router.post("/loans/{int:loan_id}/recovery-actions", response={201: RecoveryActionOut})
def loan_recovery_action_create(request, loan_id: int, payload: RecoveryActionIn):
    loan = selectors.loan_get(actor=request.user, pk=loan_id)
    data = payload.dict()
    data["on"] = data["on"] or dates.today()
    return Status(201, services.recovery_action_record(actor=request.user, loan=loan, **data))


@router.post("/loans/{int:loan_id}/change-requests", response={201: ChangeRequestOut})
def loan_change_request(request, loan_id: int, payload: ChangeRequestIn):
    loan = selectors.loan_get(actor=request.user, pk=loan_id)
    params = {}
    if payload.kind == "reschedule":
        params = {"term_months": payload.term_months, "grace_periods": payload.grace_periods}
        if payload.annual_rate is not None:
            params["annual_rate"] = payload.annual_rate
    req = services.loan_change_request(
        actor=request.user,
        loan=loan,
        kind=payload.kind,
        on=payload.on or dates.today(),
        reason=payload.reason,
        params=params,
    )
    return Status(201, req)


@router.post("/loan-change-requests/{int:request_id}/decide", response=ChangeRequestOut)
def loan_change_decide(request, request_id: int, payload: DecideIn):
    req = selectors.change_request_get(actor=request.user, pk=request_id)
    return services.loan_change_decide(actor=request.user, request=req, approve=payload.approve)


# --------------------------------------------------------------------------- portfolio


@router.get("/portfolio", response=PortfolioOut)
def portfolio(
    request,
    as_of: QueryDate | None = None,
    area: str | None = None,
    lender: int | None = None,
    product: int | None = None,
    sector: str | None = None,
    period_start: QueryDate | None = None,
):
    data = selectors.portfolio(
        actor=request.user,
        as_of=as_of or dates.today(),
        area=area,
        lender=lender,
        product=product,
        sector=sector,
        period_start=period_start,
    )
    for key in ("par1", "par30", "par90", "recovery_rate"):
        data[key] = str(data[key])
    return data
