"""Purchasing API (docs/api.md, docs/purchasing.md): suppliers, products, groups, campaigns,
orders, closing, receipt, market prices; plus invoices and the price watch."""

from __future__ import annotations

from datetime import date

from django.utils.translation import gettext_lazy as _
from ninja import Field, File, Form, Header, Router, Schema, Status
from ninja.files import UploadedFile
from ninja.pagination import LimitOffsetPagination, paginate

from core.errors import ValidationFailed
from geo.selectors import area_get
from purchasing import imports, pricewatch, selectors, services
from purchasing.errors import Code
from registry.selectors import cooperative_get

router = Router(tags=["purchasing"])


class SupplierIn(Schema):
    name: str
    phone: str = ""
    commune: str | None = None
    contact_name: str = ""
    address: str = ""


class SupplierOut(Schema):
    id: int
    name: str
    phone: str
    commune: str | None = Field(None, alias="commune.code")
    contact_name: str
    address: str


class ProductIn(Schema):
    name: str
    unit: str = Field(description="kg, l, piece, sac, tonne, m")
    category: str = ""


class ProductOut(Schema):
    id: int
    name: str
    unit: str
    category: str


class GroupIn(Schema):
    name: str
    area: str = Field(description="area code")
    cooperatives: list[int]
    lead_cooperative: int | None = Field(None, description="default: the first cooperative")
    depot: str = ""
    network: str = ""
    joined_on: date | None = None


class GroupOut(Schema):
    id: int
    name: str
    area: str
    cooperatives: list[int]
    lead_cooperative: int
    depot: str
    network: str


class OfferIn(Schema):
    product: int
    supplier: int
    pack_size: int
    unit_price: int
    min_packs: int = 0


class OfferOut(Schema):
    id: int
    product: int = Field(alias="product_id")
    supplier: int = Field(alias="supplier_id")
    pack_size: int
    unit_price: int
    min_packs: int
    packs: int | None = None
    received: int | None = None
    damaged: int | None = None


class CampaignIn(Schema):
    group: int
    name: str
    opens_on: date
    closes_on: date
    season: str = ""
    offers: list[OfferIn] = []


class CampaignOut(Schema):
    id: int
    group: int = Field(alias="group_id")
    name: str
    season: str
    opens_on: date
    closes_on: date
    status: str
    offers: list[OfferOut]


class LineIn(Schema):
    offer: int
    quantity: int
    tolerance: int = 0


class OrderIn(Schema):
    cooperative: int
    lines: list[LineIn]


class LineOut(Schema):
    offer: int = Field(alias="offer_id")
    quantity: int
    tolerance: int


class OrderOut(Schema):
    id: int
    cooperative: int = Field(alias="cooperative_id")
    placed_at: str
    lines: list[LineOut]

    @staticmethod
    def resolve_placed_at(obj):
        return obj.placed_at.isoformat()


class OnIn(Schema):
    on: date


class ReceiptLineIn(Schema):
    offer: int
    received: int
    damaged: int = 0


class ReceiveIn(Schema):
    on: date
    lines: list[ReceiptLineIn]


class PriceIn(Schema):
    product: int
    area: str
    price: int
    observed_on: date
    source: str = ""


class PriceOut(Schema):
    id: int
    product: int = Field(alias="product_id")
    area: str = Field(alias="area.code")
    price: int
    observed_on: date
    source: str


class InvoiceOut(Schema):
    id: int
    campaign: int = Field(alias="campaign_id")
    cooperative: int = Field(alias="cooperative_id")
    issued_on: date
    amount: int
    status: str
    loan: int | None = Field(None, alias="loan_id")


class PayIn(Schema):
    on: date
    channel: str = Field(description="cash, bank, mobile_money, credit")
    reference: str = ""


def _code(value: str, field: str):
    if not value or len(value) > 32 or "\x00" in value:
        raise ValidationFailed(_("Code de zone invalide."), code=Code.INVALID, field=field)
    return area_get(code=value)


# --- suppliers and products --------------------------------------------------------------


@router.get("/suppliers", response=list[SupplierOut])
@paginate(LimitOffsetPagination)
def supplier_list(request, q: str | None = None):
    return selectors.supplier_list(actor=request.auth, q=q)


@router.post("/suppliers", response={201: SupplierOut})
def supplier_create(request, payload: SupplierIn):
    commune = _code(payload.commune, "commune") if payload.commune else None
    data = payload.dict(exclude={"commune"})
    return 201, services.supplier_create(actor=request.auth, commune=commune, **data)


@router.get("/products", response=list[ProductOut])
@paginate(LimitOffsetPagination)
def product_list(request, q: str | None = None, category: str | None = None):
    return selectors.product_list(actor=request.auth, q=q, category=category)


@router.post("/products", response={201: ProductOut})
def product_create(request, payload: ProductIn):
    return 201, services.product_create(actor=request.auth, **payload.dict())


# --- groups ------------------------------------------------------------------------------


def _group_out(group) -> dict:
    return {
        "id": group.pk,
        "name": group.name,
        "area": group.area.code,
        "cooperatives": sorted(m.cooperative_id for m in group.members.all()),
        "lead_cooperative": group.lead_cooperative_id,
        "depot": group.depot,
        "network": group.network,
    }


@router.get("/purchasing/groups", response=list[GroupOut])
@paginate(LimitOffsetPagination)
def group_list(request, q: str | None = None):
    groups = selectors.group_list(actor=request.auth, q=q).prefetch_related("members")
    return [_group_out(g) for g in groups]


@router.post("/purchasing/groups", response={201: GroupOut})
def group_create(request, payload: GroupIn):
    if not payload.cooperatives:
        raise ValidationFailed(
            _("Indiquez les coopératives de la centrale."), code=Code.REQUIRED, field="cooperatives"
        )
    if len(payload.cooperatives) > 5000:
        raise ValidationFailed(_("Trop de coopératives."), field="cooperatives")
    coops = [
        cooperative_get(actor=request.auth, pk=pk) for pk in dict.fromkeys(payload.cooperatives)
    ]
    lead = coops[0]
    if payload.lead_cooperative is not None:
        lead = cooperative_get(actor=request.auth, pk=payload.lead_cooperative)
    group = services.group_create(
        actor=request.auth,
        name=payload.name,
        area=_code(payload.area, "area"),
        lead_cooperative=lead,
        cooperatives=coops,
        joined_on=payload.joined_on,
        depot=payload.depot,
        network=payload.network,
    )
    return 201, _group_out(group)


# --- campaigns ---------------------------------------------------------------------------


def _campaigns(qs):
    return qs.prefetch_related("offers")


@router.get("/purchasing/campaigns", response=list[CampaignOut])
@paginate(LimitOffsetPagination)
def campaign_list(
    request, group: int | None = None, status: str | None = None, q: str | None = None
):
    grp = selectors.group_get(actor=request.auth, pk=group) if group is not None else None
    return _campaigns(selectors.campaign_list(actor=request.auth, group=grp, status=status, q=q))


@router.get("/purchasing/campaigns/{campaign_id}", response=CampaignOut)
def campaign_get(request, campaign_id: int):
    return selectors.campaign_get(actor=request.auth, pk=campaign_id)


@router.post("/purchasing/campaigns", response={201: CampaignOut})
def campaign_create(request, payload: CampaignIn):
    group = selectors.group_get(actor=request.auth, pk=payload.group)
    if len(payload.offers) > 500:
        raise ValidationFailed(_("Trop d'offres (500 au plus)."), field="offers")
    offers = [
        {
            **o.dict(),
            "product": selectors.product_get(actor=request.auth, pk=o.product),
            "supplier": selectors.supplier_get(actor=request.auth, pk=o.supplier),
        }
        for o in payload.offers
    ]
    campaign = services.campaign_create(
        actor=request.auth,
        group=group,
        name=payload.name,
        opens_on=payload.opens_on,
        closes_on=payload.closes_on,
        season=payload.season,
        offers=offers,
    )
    return 201, campaign


def _offer(campaign, pk: int, field: str):
    offer = campaign.offers.filter(pk=pk).first() if 0 < pk < 2**63 else None
    if offer is None:
        raise ValidationFailed(
            _("Offre inconnue dans cette campagne."), code=Code.UNKNOWN_OFFER, field=field
        )
    return offer


@router.get("/purchasing/campaigns/{campaign_id}/orders", response=list[OrderOut])
@paginate(LimitOffsetPagination)
def order_list(request, campaign_id: int):
    campaign = selectors.campaign_get(actor=request.auth, pk=campaign_id)
    return selectors.order_list(actor=request.auth, campaign=campaign)


@router.post("/purchasing/campaigns/{campaign_id}/orders", response={201: OrderOut})
def order_place(request, campaign_id: int, payload: OrderIn):
    campaign = selectors.campaign_get(actor=request.auth, pk=campaign_id)
    cooperative = cooperative_get(actor=request.auth, pk=payload.cooperative)
    if len(payload.lines) > 500:
        raise ValidationFailed(_("Trop de lignes (500 au plus)."), field="lines")
    lines = [
        (_offer(campaign, ln.offer, f"lines.{i}.offer"), ln.quantity, ln.tolerance)
        for i, ln in enumerate(payload.lines)
    ]
    order = services.order_place(
        actor=request.auth, campaign=campaign, cooperative=cooperative, lines=lines
    )
    return 201, order


@router.get("/purchasing/campaigns/{campaign_id}/close-preview")
def campaign_close_preview(request, campaign_id: int):
    """What closing would order and allocate, without writing anything."""
    campaign = selectors.campaign_get(actor=request.auth, pk=campaign_id)
    return {"lines": _close_lines(selectors.closing_preview(actor=request.auth, campaign=campaign))}


def _close_lines(results) -> list[dict]:
    return [
        {
            "offer": offer.pk,
            "packs": r.packs,
            "units": r.units,
            "min_reached": r.packs > 0 or offer.min_packs == 0,
            "allocations": [{"cooperative": k, "quantity": q} for k, q in r.allocations.items()],
        }
        for offer, r in results
    ]


@router.post("/purchasing/campaigns/{campaign_id}/close")
def campaign_close(request, campaign_id: int, payload: OnIn):
    campaign = selectors.campaign_get(actor=request.auth, pk=campaign_id)
    results = services.campaign_close(actor=request.auth, campaign=campaign, on=payload.on)
    return {"lines": _close_lines(results)}


@router.post("/purchasing/campaigns/{campaign_id}/receive")
def campaign_receive(
    request,
    campaign_id: int,
    payload: ReceiveIn,
    idempotency_key: str | None = Header(None, alias="Idempotency-Key", max_length=120),
):
    campaign = selectors.campaign_get(actor=request.auth, pk=campaign_id)
    if len(payload.lines) > 500:
        raise ValidationFailed(_("Trop de lignes (500 au plus)."), field="lines")
    lines = [
        (_offer(campaign, ln.offer, f"lines.{i}.offer"), ln.received, ln.damaged)
        for i, ln in enumerate(payload.lines)
    ]
    invoices = services.campaign_receive(
        actor=request.auth,
        campaign=campaign,
        on=payload.on,
        lines=lines,
        idempotency_key=idempotency_key or None,
    )
    return {
        "invoices": [
            {"id": i.pk, "cooperative": i.cooperative_id, "amount": i.amount} for i in invoices
        ]
    }


@router.get("/purchasing/campaigns/{campaign_id}/savings")
def campaign_savings(request, campaign_id: int):
    campaign = selectors.campaign_get(actor=request.auth, pk=campaign_id)
    rows = pricewatch.campaign_savings(campaign)
    return {
        "lines": [r.as_dict() for r in rows],
        "saving": sum(r.saving or 0 for r in rows),
    }


# --- invoices ----------------------------------------------------------------------------


@router.get("/purchasing/invoices", response=list[InvoiceOut])
@paginate(LimitOffsetPagination)
def invoice_list(request, campaign: int | None = None):
    camp = selectors.campaign_get(actor=request.auth, pk=campaign) if campaign is not None else None
    return selectors.invoice_list(actor=request.auth, campaign=camp)


@router.post("/purchasing/invoices/{invoice_id}/pay", response=InvoiceOut)
def invoice_pay(
    request,
    invoice_id: int,
    payload: PayIn,
    idempotency_key: str | None = Header(None, alias="Idempotency-Key", max_length=120),
):
    invoice = selectors.invoice_get(actor=request.auth, pk=invoice_id)
    return services.invoice_pay(
        actor=request.auth,
        invoice=invoice,
        idempotency_key=idempotency_key or None,
        **payload.dict(),
    )


# --- market prices -----------------------------------------------------------------------


@router.get("/prices", response=list[PriceOut])
@paginate(LimitOffsetPagination)
def price_list(request, product: int | None = None, area: str | None = None):
    prod = selectors.product_get(actor=request.auth, pk=product) if product is not None else None
    zone = _code(area, "area") if area is not None else None
    return selectors.price_list(actor=request.auth, product=prod, area=zone)


@router.post("/prices", response={201: PriceOut})
def price_record(request, payload: PriceIn):
    price = services.market_price_record(
        actor=request.auth,
        product=selectors.product_get(actor=request.auth, pk=payload.product),
        area=_code(payload.area, "area"),
        price=payload.price,
        observed_on=payload.observed_on,
        source=payload.source,
    )
    return 201, price


class ImportErrorOut(Schema):
    row: int
    column: str
    message: str


class ImportReportOut(Schema):
    created: int
    updated: int
    errors: list[ImportErrorOut]
    dry_run: bool


class ImportFailedOut(ImportReportOut):
    code: str
    message: str
    field: str | None


def _import_answer(report):
    body = {**report.as_dict(), "dry_run": report.dry_run}
    if report.errors:
        return Status(
            400,
            {
                **body,
                "code": "import_errors",
                "message": _("%(n)s erreur(s) : rien n'a été enregistré.")
                % {"n": len(report.errors)},
                "field": report.errors[0].column or None,
            },
        )
    return Status(200, body)


@router.post("/prices/import", response={200: ImportReportOut, 400: ImportFailedOut})
def price_import(request, file: File[UploadedFile], dry_run: Form[bool] = False):
    """A sheet of market prices (columns product, area, price, observed_on, source):
    with any error nothing is written (400 with the report)."""
    report = imports.PriceImport(actor=request.auth).run(file, dry_run=dry_run, filename=file.name)
    return _import_answer(report)


@router.post(
    "/purchasing/campaigns/{campaign_id}/needs/import",
    response={200: ImportReportOut, 400: ImportFailedOut},
)
def needs_import(
    request,
    campaign_id: int,
    file: File[UploadedFile],
    cooperative: Form[int],
    dry_run: Form[bool] = False,
):
    """A cooperative's members' needs (columns person, product, quantity): the order
    becomes their sums; with any error nothing is written (400 with the report)."""
    campaign = selectors.campaign_get(actor=request.auth, pk=campaign_id)
    coop = cooperative_get(actor=request.auth, pk=cooperative)
    report = imports.NeedsImport(actor=request.auth, campaign=campaign, cooperative=coop).run(
        file, dry_run=dry_run, filename=file.name
    )
    return _import_answer(report)


@router.get("/purchasing/price-alerts")
def price_alerts(request, as_of: date | None = None):
    alerts = pricewatch.price_alerts(actor=request.auth, as_of=as_of)
    return [a.as_dict() for a in alerts]
