"""Value chain API (docs/api.md, docs/valuechain.md): value chains, sites, lots, transfers,
production runs, stock, traces, the shop's sales; plus recalls, Z reports, consignment
settlements and the boutique source's opportunities."""

from datetime import date, datetime
from uuid import UUID

from django.utils.translation import gettext_lazy as _
from ninja import Field, Router, Schema
from ninja.pagination import LimitOffsetPagination, paginate

from core.errors import NotFound, ValidationFailed
from geo.selectors import area_get
from purchasing.selectors import product_get
from registry.selectors import cooperative_get, partner_list, sector_get
from valuechain import selectors, services, trace
from valuechain.errors import Code
from valuechain.rules import can_operate, require

router = Router(tags=["valuechain"])
MAX_ITEMS = 200


class PartnerIn(Schema):
    partner: int = Field(description="a registry partner's id")
    role: str = Field("enterprise", description="enterprise, training_centre, programme, other")


class LevelIn(Schema):
    cooperative: int
    level: str = Field(description="source, technologique, production, temoin")


class ValueChainIn(Schema):
    name: str
    sector: str = Field(description="sector code")
    area: str = Field(description="area code (the territory)")
    description: str = ""
    partners: list[PartnerIn] = []
    cooperatives: list[LevelIn] = []


class PartnerOut(Schema):
    id: int
    name: str
    role: str


class ValueChainOut(Schema):
    id: int
    name: str
    sector: str
    area: str
    description: str
    partners: list[PartnerOut]
    cooperatives: list[dict]


class SiteIn(Schema):
    name: str
    kind: str = Field(description="source, technologique, production, temoin")
    commune: str = Field(description="commune code")
    cooperative: int | None = None
    value_chain: int
    commission_pct: int = Field(0, ge=0, le=100)


class SiteOut(Schema):
    id: int
    name: str
    kind: str
    commune: str = Field(alias="commune.code")
    cooperative: int | None = Field(None, alias="cooperative_id")
    value_chain: int = Field(alias="value_chain_id")
    commission_pct: int


class LotIn(Schema):
    product: int
    quantity: int
    site: int
    on: date
    origin: str = Field("harvest", description="harvest, purchase, other")
    origin_note: str = ""


class LotOut(Schema):
    id: int
    code: str
    product: int = Field(alias="product_id")
    quantity: int
    site: int = Field(alias="site_id")
    on: date
    origin: str
    run: int | None = Field(None, alias="run_id")


class TransferIn(Schema):
    lot: int
    quantity: int
    from_site: int
    to_site: int
    on: date
    terms: str = Field("consignment", description="consignment, outright")
    unit_price: int | None = Field(None, description="outright: the price agreed, F CFA")


class TransferOut(Schema):
    id: int
    lot: int = Field(alias="lot_id")
    quantity: int
    from_site: int = Field(alias="from_site_id")
    to_site: int = Field(alias="to_site_id")
    on: date
    terms: str
    invoice: int | None = Field(None, description="outright: the supplier's invoice")

    @staticmethod
    def resolve_invoice(obj):
        invoice = getattr(obj, "invoice", None) if obj.terms == "outright" else None
        return invoice.pk if invoice else None


class InvoiceOut(Schema):
    id: int
    number: int
    supplier: int = Field(alias="supplier_id")
    buyer: int = Field(alias="buyer_id")
    transfer: int = Field(alias="transfer_id")
    lot: int = Field(alias="transfer.lot_id")
    issued_on: date
    quantity: int
    unit_price: int
    amount: int
    paid_on: date | None
    channel: str


class PayIn(Schema):
    paid_on: date
    channel: str = Field("cash", description="cash, bank, mobile_money")


class InputIn(Schema):
    lot: int
    quantity: int


class OutputIn(Schema):
    product: int
    quantity: int


class RunIn(Schema):
    site: int
    on: date
    inputs: list[InputIn] = []
    outputs: list[OutputIn]
    work_days: int = 0
    quality_ok: bool | None = None
    quality_note: str = ""
    gain_reason: str = ""


class OutputOut(Schema):
    lot: int
    code: str
    product: int
    quantity: int


class RunOut(Schema):
    id: int
    outputs: list[OutputOut]


class StockOut(Schema):
    lot: int
    code: str
    product: int
    quantity: int


class TraceOut(Schema):
    upstream: list[int]
    downstream: list[int]
    sales: list[int]


class RecallOut(Schema):
    lots: list[int]
    sites: list[int]
    sales: list[int]
    phones: list[str]


class SaleLineIn(Schema):
    lot: int
    quantity: int
    unit_price: int


class SalePaymentIn(Schema):
    channel: str = Field(description="cash, mobile_money")
    amount: int
    reference: str = Field("", max_length=80)


class SaleIn(Schema):
    client_uuid: UUID
    site: int
    sold_at: datetime
    till: int | None = None
    buyer_phone: str = ""
    lines: list[SaleLineIn]
    payments: list[SalePaymentIn]


class SaleOut(Schema):
    id: int
    client_uuid: UUID
    site: int
    till: int
    receipt_number: int
    sold_at: datetime
    total: int
    below_zero: bool
    lines: list[dict]
    payments: list[dict]


class CloseIn(Schema):
    on: date
    counted_cash: int


class CloseOut(Schema):
    id: int
    till: int = Field(alias="till_id")
    on: date
    sales_count: int
    total: int
    expected_cash: int
    counted_cash: int
    difference: int
    mobile_money: int


class SettlementIn(Schema):
    site: int
    cooperative: int
    period_from: date
    period_to: date
    paid_on: date
    channel: str = "cash"


class SettlementOut(Schema):
    id: int
    site: int = Field(alias="site_id")
    cooperative: int = Field(alias="cooperative_id")
    period_from: date
    period_to: date
    gross: int
    commission_pct: int
    commission: int
    net: int
    paid_on: date


class StatementLineOut(Schema):
    sale: int = Field(alias="sale_id")
    receipt_number: int = Field(alias="sale.receipt_number")
    sold_at: datetime = Field(alias="sale.sold_at")
    lot: int = Field(alias="lot_id")
    code: str = Field(alias="lot.code")
    product: str = Field(alias="lot.product.name")
    quantity: int
    unit_price: int
    amount: int


class StatementOut(SettlementOut):
    lines: list[StatementLineOut]

    @staticmethod
    def resolve_lines(settlement):
        return selectors.settlement_lines(settlement)


class OpportunityIn(Schema):
    area: str
    sector: str
    title: str
    proposed_on: date
    market: str = ""
    inputs: str = ""
    skills: str = ""
    jobs_expected: int = 0
    scores: dict[str, int] = {}


class OpportunityOut(Schema):
    id: int
    area: str = Field(alias="area.code")
    sector: str = Field(alias="sector.code")
    title: str
    jobs_expected: int
    score: int
    decision: str
    decided_on: date | None
    reason: str
    value_chain: int | None = Field(None, alias="value_chain_id")


class DecideIn(Schema):
    decision: str = Field(description="go, later, no")
    reason: str
    decided_on: date
    value_chain: int | None = None


def _area(code: str, field: str):
    if not code or len(code) > 32 or "\x00" in code:
        raise ValidationFailed(_("Code de zone invalide."), code=Code.INVALID, field=field)
    return area_get(code=code)


def _operated(actor, pk):
    """A site the actor sees (else 404) and operates (else 403), before anything else is
    looked up."""
    site = selectors.site_get(actor=actor, pk=pk)
    require(can_operate(actor, site))
    return site


def _many(items, field: str):
    if len(items) > MAX_ITEMS:
        raise ValidationFailed(_("Trop de lignes."), field=field)
    return items


# --- value chains and sites --------------------------------------------------------------


def _chain_out(vc) -> dict:
    return {
        "id": vc.pk,
        "name": vc.name,
        "sector": vc.sector.code,
        "area": vc.area.code,
        "description": vc.description,
        "partners": [
            {"id": ln.partner_id, "name": ln.partner.name, "role": ln.role} for ln in vc.links.all()
        ],
        "cooperatives": [
            {"cooperative": c.cooperative_id, "level": c.level} for c in vc.cooperatives.all()
        ],
    }


@router.get("/value-chains", response=list[ValueChainOut])
@paginate(LimitOffsetPagination)
def value_chain_list(request, q: str | None = None):
    return [_chain_out(vc) for vc in selectors.value_chain_list(actor=request.auth, q=q)]


@router.get("/value-chains/{chain_id}", response=ValueChainOut)
def value_chain_get(request, chain_id: int):
    return _chain_out(selectors.value_chain_get(actor=request.auth, pk=chain_id))


@router.post("/value-chains", response={201: ValueChainOut})
def value_chain_create(request, payload: ValueChainIn):
    actor = request.auth
    partners = []
    for p in _many(payload.partners, "partners"):
        partner = partner_list().filter(pk=p.partner).first()
        if partner is None:
            raise NotFound(_("Partenaire introuvable."), field="partners")
        partners.append((partner, p.role))
    coops = [
        (cooperative_get(actor=actor, pk=c.cooperative), c.level)
        for c in _many(payload.cooperatives, "cooperatives")
    ]
    chain = services.value_chain_create(
        actor=actor,
        name=payload.name,
        sector=sector_get(code=payload.sector[:40]),
        area=_area(payload.area, "area"),
        description=payload.description,
        partners=partners,
        cooperatives=coops,
    )
    return 201, _chain_out(selectors.value_chain_get(actor=actor, pk=chain.pk))


class ProductionOut(Schema):
    product: int
    name: str
    unit: str
    volume: int
    baseline_volume: int
    target_volume: int
    value: int
    baseline_value: int
    ratio: float | None


@router.get("/value-chains/{chain_id}/production", response=list[ProductionOut])
def value_chain_production(request, chain_id: int, year: int, baseline_year: int):
    """ "Production doubled": volume per product this year against the baseline (×2)."""
    for name, value in (("year", year), ("baseline_year", baseline_year)):
        if not 1900 <= value <= 2100:
            raise ValidationFailed(_("Année hors limites."), code=Code.OUT_OF_RANGE, field=name)
    chain = selectors.value_chain_get(actor=request.auth, pk=chain_id)
    return selectors.production_report(chain=chain, year=year, baseline_year=baseline_year)


@router.get("/sites", response=list[SiteOut])
@paginate(LimitOffsetPagination)
def site_list(request, kind: str | None = None, value_chain: int | None = None):
    return selectors.site_list(actor=request.auth, kind=kind, value_chain=value_chain)


@router.post("/sites", response={201: SiteOut})
def site_create(request, payload: SiteIn):
    actor = request.auth
    coop = (
        cooperative_get(actor=actor, pk=payload.cooperative)
        if payload.cooperative is not None
        else None
    )
    return 201, services.site_create(
        actor=actor,
        name=payload.name,
        kind=payload.kind,
        commune=_area(payload.commune, "commune"),
        cooperative=coop,
        value_chain=selectors.value_chain_get(actor=actor, pk=payload.value_chain),
        commission_pct=payload.commission_pct,
    )


# --- lots, stock, transfers, production --------------------------------------------------


@router.get("/lots", response=list[LotOut])
@paginate(LimitOffsetPagination)
def lot_list(request, product: int | None = None, site: int | None = None, q: str | None = None):
    return selectors.lot_list(actor=request.auth, product=product, site=site, q=q)


@router.get("/lots/{lot_id}", response=LotOut)
def lot_get(request, lot_id: int):
    return selectors.lot_get(actor=request.auth, pk=lot_id)


@router.post("/lots", response={201: LotOut})
def lot_open(request, payload: LotIn):
    actor = request.auth
    site = _operated(actor, payload.site)
    return 201, services.lot_open(
        actor=actor,
        product=product_get(actor=actor, pk=payload.product),
        quantity=payload.quantity,
        site=site,
        on=payload.on,
        origin=payload.origin,
        origin_note=payload.origin_note,
    )


@router.get("/lots/{lot_id}/trace", response=TraceOut)
def lot_trace(request, lot_id: int):
    return trace.trace(selectors.lot_get(actor=request.auth, pk=lot_id))


@router.get("/lots/{lot_id}/recall", response=RecallOut)
def lot_recall(request, lot_id: int):
    r = trace.recall(selectors.lot_get(actor=request.auth, pk=lot_id))
    return {
        "lots": [lot.pk for lot in r.lots],
        "sites": [s.pk for s in r.sites],
        "sales": [s.pk for s in r.sales],
        "phones": r.phones,
    }


@router.get("/stock", response=list[StockOut])
def stock_list(request, site: int):
    site_obj = selectors.site_get(actor=request.auth, pk=site)
    return [
        {
            "lot": lv.lot_id,
            "code": lv.lot.code,
            "product": lv.lot.product_id,
            "quantity": lv.quantity,
        }
        for lv in selectors.stock_list(actor=request.auth, site=site_obj)
    ]


@router.post("/stock/transfers", response={201: TransferOut})
def stock_transfer(request, payload: TransferIn):
    actor = request.auth
    from_site = selectors.site_get(actor=actor, pk=payload.from_site, field="from_site")
    return 201, services.stock_transfer(
        actor=actor,
        lot=selectors.lot_get(actor=actor, pk=payload.lot),
        quantity=payload.quantity,
        from_site=from_site,
        to_site=selectors.site_destination(actor=actor, pk=payload.to_site, from_site=from_site),
        on=payload.on,
        terms=payload.terms,
        unit_price=payload.unit_price,
    )


@router.get("/shop/purchases", response=list[InvoiceOut])
@paginate(LimitOffsetPagination)
def purchase_invoice_list(request, site: int | None = None):
    """Invoices of goods bought outright (the shop's or the supplier's site)."""
    return selectors.purchase_invoice_list(actor=request.auth, site=site)


@router.get("/shop/purchases/{invoice_id}", response=InvoiceOut)
def purchase_invoice_get(request, invoice_id: int):
    return selectors.purchase_invoice_get(actor=request.auth, pk=invoice_id)


@router.post("/shop/purchases/{invoice_id}/pay", response=InvoiceOut)
def purchase_invoice_pay(request, invoice_id: int, payload: PayIn):
    invoice = selectors.purchase_invoice_get(actor=request.auth, pk=invoice_id)
    return services.purchase_invoice_pay(
        actor=request.auth, invoice=invoice, paid_on=payload.paid_on, channel=payload.channel
    )


@router.post("/production-runs", response={201: RunOut})
def production_run_record(request, payload: RunIn):
    actor = request.auth
    site = _operated(actor, payload.site)
    inputs = [
        (selectors.lot_get(actor=actor, pk=i.lot, field="inputs"), i.quantity)
        for i in _many(payload.inputs, "inputs")
    ]
    outputs = [
        (product_get(actor=actor, pk=o.product), o.quantity)
        for o in _many(payload.outputs, "outputs")
    ]
    run = services.production_run_record(
        actor=actor,
        site=site,
        on=payload.on,
        inputs=inputs,
        outputs=outputs,
        work_days=payload.work_days,
        quality_ok=payload.quality_ok,
        quality_note=payload.quality_note,
        gain_reason=payload.gain_reason,
    )
    return 201, {
        "id": run.pk,
        "outputs": [
            {"lot": lot.pk, "code": lot.code, "product": lot.product_id, "quantity": lot.quantity}
            for lot in run.outputs.order_by("pk")
        ],
    }


# --- the shop ----------------------------------------------------------------------------


def sale_out(sale) -> dict:
    return {
        "id": sale.pk,
        "client_uuid": sale.client_uuid,
        "site": sale.site_id,
        "till": sale.till_id,
        "receipt_number": sale.receipt_number,
        "sold_at": sale.sold_at,
        "total": sale.total,
        "below_zero": sale.below_zero,
        "lines": [
            {
                "lot": ln.lot_id,
                "quantity": ln.quantity,
                "unit_price": ln.unit_price,
                "amount": ln.amount,
            }
            for ln in sale.lines.all()
        ],
        "payments": [
            {"channel": p.channel, "amount": p.amount, "confirmed": p.confirmed}
            for p in sale.payments.all()
        ],
    }


@router.get("/shop/sales", response=list[SaleOut])
@paginate(LimitOffsetPagination)
def sale_list(request, site: int | None = None, on: date | None = None):
    return [sale_out(s) for s in selectors.sale_list(actor=request.auth, site=site, on=on)]


@router.get("/shop/sales/{sale_id}", response=SaleOut)
def sale_get(request, sale_id: int):
    return sale_out(selectors.sale_get(actor=request.auth, pk=sale_id))


@router.post("/shop/sales", response={200: SaleOut, 201: SaleOut})
def sale_record(request, payload: SaleIn):
    """A till sale; the same ``client_uuid`` again answers the first sale (200) and
    writes nothing."""
    actor = request.auth
    site = _operated(actor, payload.site)
    till = selectors.till_get(actor=actor, pk=payload.till) if payload.till else None
    lines = [
        (selectors.lot_get(actor=actor, pk=ln.lot, field="lines"), ln.quantity, ln.unit_price)
        for ln in _many(payload.lines, "lines")
    ]
    sale, created = services.sale_record(
        actor=actor,
        client_uuid=payload.client_uuid,
        site=site,
        sold_at=payload.sold_at,
        lines=lines,
        payments=[(p.channel, p.amount, p.reference) for p in _many(payload.payments, "payments")],
        till=till,
        buyer_phone=payload.buyer_phone,
    )
    return (201 if created else 200), sale_out(selectors.sale_get(actor=actor, pk=sale.pk))


@router.post("/shop/tills/{till_id}/close", response={201: CloseOut})
def till_close(request, till_id: int, payload: CloseIn):
    till = selectors.till_get(actor=request.auth, pk=till_id)
    return 201, services.till_close(
        actor=request.auth, till=till, on=payload.on, counted_cash=payload.counted_cash
    )


@router.get("/shop/settlements", response=list[SettlementOut])
@paginate(LimitOffsetPagination)
def settlement_list(request):
    return selectors.settlement_list(actor=request.auth)


@router.post("/shop/settlements", response={201: SettlementOut})
def settlement_make(request, payload: SettlementIn):
    actor = request.auth
    site = _operated(actor, payload.site)
    return 201, services.settlement_make(
        actor=actor,
        site=site,
        cooperative=selectors.consignor_get(site=site, pk=payload.cooperative),
        period_from=payload.period_from,
        period_to=payload.period_to,
        paid_on=payload.paid_on,
        channel=payload.channel,
    )


@router.get("/shop/settlements/{settlement_id}", response=StatementOut)
def settlement_get(request, settlement_id: int):
    """A settlement's statement: each consigned sale line it paid."""
    return selectors.settlement_get(actor=request.auth, pk=settlement_id)


# --- losses and counts -------------------------------------------------------------------


class LossIn(Schema):
    site: int
    lot: int
    quantity: int
    on: date
    note: str = Field("", description="the cause, required", max_length=200)


class CountIn(Schema):
    site: int
    lot: int
    counted: int = Field(description="the quantity found, 0 or more")
    on: date


class MovementOut(Schema):
    id: int
    site: int = Field(alias="site_id")
    lot: int = Field(alias="lot_id")
    code: str = Field(alias="lot.code")
    quantity: int = Field(description="signed: a loss is negative, a count the difference")
    on: date
    note: str


class CountOut(Schema):
    site: int
    lot: int
    counted: int
    difference: int
    on: date


@router.get("/stock/losses", response=list[MovementOut])
@paginate(LimitOffsetPagination)
def loss_list(request, site: int | None = None, lot: int | None = None):
    return selectors.movement_list(actor=request.auth, kind="loss", site=site, lot=lot)


@router.post("/stock/losses", response={201: MovementOut})
def stock_loss(request, payload: LossIn):
    actor = request.auth
    site = _operated(actor, payload.site)
    return 201, services.stock_loss(
        actor=actor,
        site=site,
        lot=selectors.lot_get(actor=actor, pk=payload.lot),
        quantity=payload.quantity,
        on=payload.on,
        note=payload.note,
    )


@router.get("/stock/counts", response=list[MovementOut])
@paginate(LimitOffsetPagination)
def count_list(request, site: int | None = None, lot: int | None = None):
    """The counts that changed the stock (a count equal to the stock moves nothing)."""
    return selectors.movement_list(actor=request.auth, kind="count", site=site, lot=lot)


@router.post("/stock/counts", response={201: CountOut})
def stock_count(request, payload: CountIn):
    actor = request.auth
    site = _operated(actor, payload.site)
    lot = selectors.lot_get(actor=actor, pk=payload.lot)
    diff = services.stock_count(
        actor=actor, site=site, lot=lot, counted=payload.counted, on=payload.on
    )
    return 201, {
        "site": site.pk,
        "lot": lot.pk,
        "counted": payload.counted,
        "difference": diff,
        "on": payload.on,
    }


# --- the boutique source -----------------------------------------------------------------


@router.get("/opportunities", response=list[OpportunityOut])
@paginate(LimitOffsetPagination)
def opportunity_list(request, decision: str | None = None):
    return selectors.opportunity_list(actor=request.auth, decision=decision)


@router.post("/opportunities", response={201: OpportunityOut})
def opportunity_propose(request, payload: OpportunityIn):
    data = payload.dict(exclude={"area", "sector"})
    return 201, services.opportunity_propose(
        actor=request.auth,
        area=_area(payload.area, "area"),
        sector=sector_get(code=payload.sector[:40]),
        **data,
    )


@router.post("/opportunities/{opportunity_id}/decide", response=OpportunityOut)
def opportunity_decide(request, opportunity_id: int, payload: DecideIn):
    actor = request.auth
    opp = selectors.opportunity_get(actor=actor, pk=opportunity_id)
    chain = (
        selectors.value_chain_get(actor=actor, pk=payload.value_chain)
        if payload.value_chain
        else None
    )
    return services.opportunity_decide(
        actor=actor,
        opportunity=opp,
        decision=payload.decision,
        reason=payload.reason,
        decided_on=payload.decided_on,
        value_chain=chain,
    )


# --- the boutique technologique ----------------------------------------------------------


class ProjectIn(Schema):
    site: int
    title: str
    kind: str = Field(description="product, process, packaging")
    started_on: date
    cooperative: int | None = None
    description: str = ""


class TrialIn(Schema):
    kind: str = Field(description="prototype, test")
    on: date
    description: str
    result: str = ""
    success: bool | None = None


class TrialOut(Schema):
    id: int
    kind: str
    on: date
    description: str
    result: str
    success: bool | None


class ProjectOut(Schema):
    id: int
    site: int = Field(alias="site_id")
    title: str
    kind: str
    status: str
    started_on: date
    cooperative: int | None = Field(None, alias="cooperative_id")
    trials: list[TrialOut]


class EquipmentIn(Schema):
    site: int
    name: str
    kind: str = Field(description="press, dryer, mill, other")
    hourly_rate: int = Field(description="F CFA per hour")


class EquipmentOut(Schema):
    id: int
    site: int = Field(alias="site_id")
    name: str
    kind: str
    hourly_rate: int


class BookingIn(Schema):
    cooperative: int
    starts_at: datetime
    ends_at: datetime


class UseIn(Schema):
    hours: float = Field(description="hours of use, at most two decimals (2.5 = 2 h 30)")
    on: date


class BookingOut(Schema):
    id: int
    equipment: int = Field(alias="equipment_id")
    cooperative: int = Field(alias="cooperative_id")
    starts_at: datetime
    ends_at: datetime
    status: str
    hours_used: float | None
    fee: int | None


def _project_out(project) -> dict:
    return {
        "id": project.pk,
        "site_id": project.site_id,
        "title": project.title,
        "kind": project.kind,
        "status": project.status,
        "started_on": project.started_on,
        "cooperative_id": project.cooperative_id,
        "trials": list(project.trials.all()),
    }


@router.get("/innovation-projects", response=list[ProjectOut])
@paginate(LimitOffsetPagination)
def project_list(request, site: int | None = None):
    return [_project_out(p) for p in selectors.project_list(actor=request.auth, site=site)]


@router.post("/innovation-projects", response={201: ProjectOut})
def project_create(request, payload: ProjectIn):
    actor = request.auth
    site = selectors.site_get(actor=actor, pk=payload.site)
    coop = cooperative_get(actor=actor, pk=payload.cooperative) if payload.cooperative else None
    project = services.innovation_project_create(
        actor=actor,
        site=site,
        title=payload.title,
        kind=payload.kind,
        started_on=payload.started_on,
        cooperative=coop,
        description=payload.description,
    )
    return 201, _project_out(project)


@router.post("/innovation-projects/{project_id}/trials", response={201: TrialOut})
def project_trial_record(request, project_id: int, payload: TrialIn):
    actor = request.auth
    project = selectors.project_get(actor=actor, pk=project_id)
    return 201, services.project_trial_record(actor=actor, project=project, **payload.dict())


@router.get("/equipment", response=list[EquipmentOut])
@paginate(LimitOffsetPagination)
def equipment_list(request, site: int | None = None):
    return selectors.equipment_list(actor=request.auth, site=site)


@router.post("/equipment", response={201: EquipmentOut})
def equipment_add(request, payload: EquipmentIn):
    actor = request.auth
    site = selectors.site_get(actor=actor, pk=payload.site)
    return 201, services.equipment_add(actor=actor, site=site, **payload.dict(exclude={"site"}))


@router.get("/equipment/{equipment_id}/bookings", response=list[BookingOut])
@paginate(LimitOffsetPagination)
def booking_list(request, equipment_id: int, start: date | None = None):
    equipment = selectors.equipment_get(actor=request.auth, pk=equipment_id)
    return selectors.booking_list(actor=request.auth, equipment=equipment, start=start)


@router.post("/equipment/{equipment_id}/bookings", response={201: BookingOut})
def equipment_book(request, equipment_id: int, payload: BookingIn):
    actor = request.auth
    equipment = selectors.equipment_get(actor=actor, pk=equipment_id)
    coop = selectors.bookable_cooperatives(actor=actor, equipment=equipment).filter(
        pk=payload.cooperative
    )
    if not coop:
        raise NotFound(_("Coopérative introuvable."), field="cooperative")
    return 201, services.equipment_book(
        actor=actor,
        equipment=equipment,
        cooperative=coop[0],
        starts_at=payload.starts_at,
        ends_at=payload.ends_at,
    )


@router.post("/equipment-bookings/{booking_id}/use", response=BookingOut)
def equipment_use_record(request, booking_id: int, payload: UseIn):
    actor = request.auth
    booking = selectors.booking_get(actor=actor, pk=booking_id)
    return services.equipment_use_record(
        actor=actor, booking=booking, hours=str(round(payload.hours, 4)), on=payload.on
    )


@router.post("/equipment-bookings/{booking_id}/cancel", response=BookingOut)
def equipment_booking_cancel(request, booking_id: int):
    actor = request.auth
    booking = selectors.booking_get(actor=actor, pk=booking_id)
    return services.equipment_booking_cancel(actor=actor, booking=booking)
