"""The value chain's filières, boutique source, stock, production and shop writes (the
boutique technologique is in technology.py): keyword-only, one transaction (``@service``),
checked, audited. Stock by movements: valuechain/stock.py; books: valuechain/postings.py."""

from __future__ import annotations

import datetime
import uuid as uuidlib

from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core import dates
from core.dates import check_event_date
from core.errors import Conflict, ValidationFailed
from core.money import check_amount, format_xof
from core.services import service
from core.text import fold
from geo.changes import areas_touch
from valuechain import postings, receipts
from valuechain.errors import Code
from valuechain.models import (
    PRODUCED_ORIGINS,
    Decision,
    Lot,
    MovementKind,
    Opportunity,
    Origin,
    PartnerRole,
    PartnerStaff,
    ProductionRun,
    RunInput,
    Sale,
    SaleLine,
    SalePayment,
    Settlement,
    Site,
    SiteKind,
    StockMovement,
    Terms,
    Till,
    TillClosing,
    Transfer,
    ValueChain,
    ValueChainCooperative,
    ValueChainPartner,
)
from valuechain.rules import can_operate, can_set_up, require
from valuechain.services.outright import invoice_for_transfer, outright_check
from valuechain.services.settlement_payouts import settlement_payout_start
from valuechain.stock import move

MAX_QUANTITY = 10**12
MAX_LINES = 200
SALE_CHANNELS = ("cash", "mobile_money")
MASS = {"kg": 1, "tonne": 1000}  # units whose quantities compare as weights (in kg)


def quantity_check(value, field: str, *, low: int = 1) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValidationFailed(_("Une quantité est un nombre entier."), field=field)
    if value < low:
        raise ValidationFailed(
            _("La quantité doit être positive (au moins %(n)s).") % {"n": low},
            code=Code.INVALID_QUANTITY,
            field=field,
        )
    if value > MAX_QUANTITY:
        raise ValidationFailed(_("Quantité trop grande."), code=Code.OUT_OF_RANGE, field=field)
    return value


def choice_check(value, choices, field: str) -> str:
    if value not in choices:
        raise ValidationFailed(
            _("Valeur inconnue : choisissez parmi %(list)s.") % {"list": ", ".join(choices)},
            code=Code.INVALID_CHOICE,
            field=field,
        )
    return value


# --- value chains ------------------------------------------------------------------------


@service(texts=(ValueChain,), event_dates=("on",))
def value_chain_create(
    *,
    actor,
    name: str,
    sector,
    area,
    description: str = "",
    partners=(),
    cooperatives=(),
    on: datetime.date | None = None,
) -> ValueChain:
    """A filière in ``area``; ``partners``: (partner, role); ``cooperatives``: (coop, level)."""
    require(can_set_up(actor, area))
    name = (name or "").strip()
    if not name:
        raise ValidationFailed(_("Le nom est obligatoire."), code=Code.REQUIRED, field="name")
    chain = ValueChain.objects.create(
        name=name,
        sector=sector,
        area=area,
        description=description,
        search_text=fold(name, sector.name, area.name)[:400],
    )
    for partner, role in partners:
        value_chain_partner_add(actor=actor, value_chain=chain, partner=partner, role=role)
    for coop, level in cooperatives:
        value_chain_cooperative_add(
            actor=actor, value_chain=chain, cooperative=coop, level=level, on=on
        )
    return chain


@service
def value_chain_partner_add(*, actor, value_chain, partner, role: str) -> ValueChainPartner:
    require(can_set_up(actor, value_chain.area))
    choice_check(role, PartnerRole.values, "role")
    link, _created = ValueChainPartner.objects.get_or_create(
        value_chain=value_chain, partner=partner, defaults={"role": role}
    )
    return link


@service(event_dates=("on",))
def value_chain_cooperative_add(
    *, actor, value_chain, cooperative, level: str, on: datetime.date | None = None
) -> ValueChainCooperative:
    require(can_set_up(actor, value_chain.area))
    choice_check(level, SiteKind.values, "level")
    link, _created = ValueChainCooperative.objects.get_or_create(
        value_chain=value_chain,
        cooperative=cooperative,
        level=level,
        defaults={"joined_on": on or dates.today()},
    )
    return link


@service
def partner_staff_add(*, actor, user, partner) -> PartnerStaff:
    """Give ``user`` the partner enterprise role (read its value chains): national only."""
    from accounts.scoping import scope_for

    require(scope_for(actor).national)
    staff, _created = PartnerStaff.objects.get_or_create(user=user, partner=partner)
    return staff


# --- the boutique source: opportunities --------------------------------------------------

GRID = ("market", "inputs", "skills", "jobs", "risk")
WEIGHTS = {"market": 2, "inputs": 1, "skills": 1, "jobs": 2, "risk": 1}


def opportunity_score(scores: dict) -> int:
    """The documented grid: each criterion 0..5; market and jobs count twice (0..35)."""
    total = 0
    for key in GRID:
        value = scores.get(key, 0)
        if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 5:
            raise ValidationFailed(
                _("Chaque note de la grille va de 0 à 5."), code=Code.INVALID_SCORE, field=key
            )
        total += WEIGHTS[key] * value
    return total


@service(
    texts=(
        (
            Opportunity,
            {"title": "title", "market": "market", "inputs": "inputs", "skills": "skills"},
        ),
    ),
    event_dates=("proposed_on",),
)
def opportunity_propose(
    *,
    actor,
    area,
    sector,
    title: str,
    proposed_on: datetime.date,
    market: str = "",
    inputs: str = "",
    skills: str = "",
    jobs_expected: int = 0,
    scores: dict | None = None,
) -> Opportunity:
    require(can_set_up(actor, area))
    if not (title or "").strip():
        raise ValidationFailed(_("L'intitulé est obligatoire."), code=Code.REQUIRED, field="title")
    scores = scores or {}
    total = opportunity_score(scores)
    return Opportunity.objects.create(
        area=area,
        sector=sector,
        title=title.strip(),
        market=market,
        inputs=inputs,
        skills=skills,
        jobs_expected=quantity_check(jobs_expected, "jobs_expected", low=0),
        proposed_on=proposed_on,
        score=total,
        **{f"score_{k}": scores.get(k, 0) for k in GRID},
    )


@service(texts=(Opportunity,), event_dates=("decided_on",))
def opportunity_decide(
    *,
    actor,
    opportunity: Opportunity,
    decision: str,
    reason: str,
    decided_on: datetime.date,
    value_chain: ValueChain | None = None,
    new_chain_name: str = "",
) -> Opportunity:
    """The committee's decision with its reason; a "go" opens a value chain (named
    ``new_chain_name``) or joins ``value_chain``."""
    opp = Opportunity.objects.select_for_update().get(pk=opportunity.pk)
    require(can_set_up(actor, opp.area))
    choice_check(decision, [Decision.GO, Decision.LATER, Decision.NO], "decision")
    if not (reason or "").strip():
        raise ValidationFailed(
            _("Le motif de la décision est obligatoire."), code=Code.REQUIRED, field="reason"
        )
    if opp.decision != Decision.PROPOSED and opp.decision != Decision.LATER:
        raise Conflict(_("Cette opportunité est déjà décidée."), code=Code.ALREADY_DECIDED)
    if decision == Decision.GO and value_chain is None:
        value_chain = value_chain_create(
            actor=actor,
            name=(new_chain_name or opp.title)[:200],
            sector=opp.sector,
            area=opp.area,
            description=opp.market,
        )
    opp.decision, opp.reason, opp.decided_on = decision, reason.strip(), decided_on
    opp.value_chain = value_chain if decision == Decision.GO else None
    opp.save()
    return opp


# --- sites -------------------------------------------------------------------------------


@service(texts=(Site,))
def site_create(
    *,
    actor,
    name: str,
    kind: str,
    commune,
    value_chain,
    cooperative=None,
    commission_pct: int = 0,
) -> Site:
    require(can_set_up(actor, commune))
    choice_check(kind, SiteKind.values, "kind")
    if not (name or "").strip():
        raise ValidationFailed(_("Le nom est obligatoire."), code=Code.REQUIRED, field="name")
    if isinstance(commission_pct, bool) or not 0 <= commission_pct <= 100:
        raise ValidationFailed(
            _("La commission est un pourcentage entre 0 et 100."), field="commission_pct"
        )
    site = Site.objects.create(
        name=name.strip(),
        kind=kind,
        commune=commune,
        cooperative=cooperative,
        value_chain=value_chain,
        commission_pct=commission_pct,
    )
    if kind == SiteKind.TEMOIN:
        Till.objects.create(site=site, name=str(_("Caisse 1")))
    return site


# --- lots, transfers, losses, counts -----------------------------------------------------


def _lot_new(
    *, product, quantity, site, on, origin, origin_note="", run=None, delivery=None
) -> Lot:
    lot = Lot.objects.create(
        delivery=delivery,
        product=product,
        quantity=quantity,
        site=site,
        cooperative_id=site.cooperative_id,
        on=on,
        origin=origin,
        origin_note=origin_note,
        run=run,
    )
    lot.code = f"L{on:%y}{lot.pk:07d}"
    lot.save(update_fields=["code"])
    if origin in PRODUCED_ORIGINS and site.cooperative_id:
        # Monitoring's freshness mark: the production of the cooperative's commune changed.
        areas_touch([site.cooperative.commune_id], on=on)
    return lot


@service(texts=((Lot, {"origin_note": "origin_note"}),), event_dates=("on",))
def lot_open(
    *, actor, product, quantity: int, site, on: datetime.date, origin: str, origin_note: str = ""
) -> Lot:
    """Goods entering from outside (a harvest, a purchase): a new lot, in stock at ``site``."""
    require(can_operate(actor, site))
    choice_check(origin, [Origin.HARVEST, Origin.PURCHASE, Origin.OTHER], "origin")
    quantity = quantity_check(quantity, "quantity")
    lot = _lot_new(
        product=product,
        quantity=quantity,
        site=site,
        on=on,
        origin=origin,
        origin_note=origin_note,
    )
    move(site=site, lot=lot, kind=MovementKind.ENTRY, quantity=quantity, on=on)
    return lot


@service
def lots_from_delivery(*, actor, site, delivery) -> list[Lot]:
    """Goods a cooperative received from a group purchase (a ``purchasing.Delivery``) open
    lots at one of its sites: a lot per product delivered, origin ``purchase``, in stock
    there on the delivery's date. Once per delivery: again answers the same lots."""
    from purchasing.models import Delivery, Product
    from purchasing.models import MovementKind as DepotMovement

    require(can_operate(actor, site))
    delivery = Delivery.objects.select_for_update().select_related("campaign").get(pk=delivery.pk)
    if delivery.cooperative_id != site.cooperative_id:
        raise ValidationFailed(
            _("Ce bon de livraison est celui d'une autre coopérative que celle du site."),
            code=Code.NOT_YOUR_DELIVERY,
            field="delivery",
        )
    made = list(Lot.objects.filter(delivery=delivery).order_by("pk"))
    if made:
        return made
    delivered = (
        delivery.movements.filter(kind=DepotMovement.DISTRIBUTION)
        .values("product")
        .annotate(q=Sum("quantity"))
        .order_by("product")
    )
    lots = []
    for row in delivered:
        lot = _lot_new(
            product=Product.objects.get(pk=row["product"]),
            quantity=-row["q"],
            site=site,
            on=delivery.on,
            origin=Origin.PURCHASE,
            origin_note=str(delivery.campaign)[:200],
            delivery=delivery,
        )
        move(site=site, lot=lot, kind=MovementKind.ENTRY, quantity=lot.quantity, on=delivery.on)
        lots.append(lot)
    return lots


@service(event_dates=("on",))
def stock_transfer(
    *,
    actor,
    lot,
    quantity: int,
    from_site,
    to_site,
    on: datetime.date,
    terms: str = Terms.CONSIGNMENT,
    unit_price: int | None = None,
) -> Transfer:
    """Move ``quantity`` of ``lot`` between sites (409 ``insufficient_stock`` above stock).
    ``outright`` (bought by the receiving site's cooperative, at ``unit_price``): the
    supplier's invoice is made and posted with it (services/outright.py)."""
    require(can_operate(actor, from_site))
    quantity = quantity_check(quantity, "quantity")
    choice_check(terms, Terms.values, "terms")
    if from_site.pk == to_site.pk:
        raise ValidationFailed(_("Choisissez un autre site d'arrivée."), field="to_site")
    if terms == Terms.OUTRIGHT:
        unit_price = outright_check(
            from_site=from_site, to_site=to_site, quantity=quantity, unit_price=unit_price
        )
    transfer = Transfer.objects.create(
        lot=lot,
        quantity=quantity,
        from_site=from_site,
        to_site=to_site,
        on=on,
        terms=terms,
        created_by=actor if getattr(actor, "pk", None) else None,
    )
    move(
        site=from_site,
        lot=lot,
        kind=MovementKind.TRANSFER_OUT,
        quantity=-quantity,
        on=on,
        transfer=transfer,
    )
    move(
        site=to_site,
        lot=lot,
        kind=MovementKind.TRANSFER_IN,
        quantity=quantity,
        on=on,
        transfer=transfer,
    )
    if terms == Terms.OUTRIGHT:
        invoice_for_transfer(actor=actor, transfer=transfer, unit_price=unit_price)
    return transfer


@service(event_dates=("on",))
def stock_loss(
    *, actor, site, lot, quantity: int, on: datetime.date, note: str = ""
) -> StockMovement:
    """A loss of ``quantity`` of ``lot`` at ``site`` (its cause in ``note``): a ``loss``
    movement; above the stock 409 ``insufficient_stock``, nothing written."""
    require(can_operate(actor, site))
    quantity = quantity_check(quantity, "quantity")
    if not (note or "").strip():
        raise ValidationFailed(
            _("Indiquez la cause de la perte."), code=Code.REQUIRED, field="note"
        )
    move(site=site, lot=lot, kind=MovementKind.LOSS, quantity=-quantity, on=on, note=note[:200])
    # the (site, lot) level is locked by move: the latest movement of the pair is this one
    return StockMovement.objects.filter(site=site, lot=lot).latest("id")


def _day_open(site, on: datetime.date) -> None:
    """A shop's day closed by a Z report keeps its stock: a count is dated another day."""
    if TillClosing.objects.filter(till__site=site, on=on).exists():
        raise Conflict(
            _("La journée du %(day)s est clôturée (rapport Z) : datez le comptage du lendemain.")
            % {"day": on.strftime("%d/%m/%Y")},
            code=Code.DAY_CLOSED,
            field="on",
        )


@service(event_dates=("on",))
def stock_count(*, actor, site, lot, counted: int, on: datetime.date) -> int:
    """A physical count: the difference with the level is a ``count`` movement."""
    from valuechain.models import StockLevel

    require(can_operate(actor, site))
    counted = quantity_check(counted, "counted", low=0)
    _day_open(site, on)
    level, _created = StockLevel.objects.select_for_update().get_or_create(site=site, lot=lot)
    diff = counted - level.quantity
    if diff:
        move(site=site, lot=lot, kind=MovementKind.COUNT, quantity=diff, on=on, allow_negative=True)
    return diff


# --- production --------------------------------------------------------------------------


def _weight(product, quantity) -> int | None:
    factor = MASS.get(product.unit)
    return None if factor is None else quantity * factor


def _check_mass_balance(inputs, outputs, gain_reason: str) -> None:
    ins = [_weight(lot.product, q) for lot, q in inputs]
    outs = [_weight(p, q) for p, q in outputs]
    if None in ins or None in outs or not ins:
        return
    if sum(outs) > sum(ins) and not gain_reason.strip():
        raise ValidationFailed(
            _(
                "La production (%(out)s kg) pèse plus que ses entrées (%(in)s kg) : "
                "indiquez-en le motif."
            )
            % {"out": sum(outs), "in": sum(ins)},
            code=Code.OUTPUT_EXCEEDS_INPUTS,
            field="outputs",
        )


@service(
    texts=((ProductionRun, {"quality_note": "quality_note", "gain_reason": "gain_reason"}),),
    event_dates=("on",),
)
def production_run_record(
    *,
    actor,
    site,
    on: datetime.date,
    inputs,
    outputs,
    work_days: int = 0,
    quality_ok: bool | None = None,
    quality_note: str = "",
    gain_reason: str = "",
) -> ProductionRun:
    """A transformation at ``site``: ``inputs`` (lot, quantity) consumed from the site's
    stock, ``outputs`` (product, quantity) become new lots there."""
    require(can_operate(actor, site))
    if not outputs:
        raise ValidationFailed(_("Indiquez au moins un produit obtenu."), field="outputs")
    if len(inputs) > MAX_LINES or len(outputs) > MAX_LINES:
        raise ValidationFailed(_("Trop de lignes."), field="inputs")
    inputs = [(lot, quantity_check(q, "inputs")) for lot, q in inputs]
    outputs = [(p, quantity_check(q, "outputs")) for p, q in outputs]
    _check_mass_balance(inputs, outputs, gain_reason or "")
    run = ProductionRun.objects.create(
        site=site,
        cooperative_id=site.cooperative_id,
        on=on,
        work_days=quantity_check(work_days, "work_days", low=0),
        quality_ok=quality_ok,
        quality_note=quality_note,
        gain_reason=gain_reason,
        created_by=actor if getattr(actor, "pk", None) else None,
    )
    for lot, quantity in sorted(inputs, key=lambda x: x[0].pk):
        RunInput.objects.create(run=run, lot=lot, quantity=quantity)
        move(site=site, lot=lot, kind=MovementKind.CONSUMED, quantity=-quantity, on=on, run=run)
    for product, quantity in outputs:
        lot = _lot_new(
            product=product, quantity=quantity, site=site, on=on, origin=Origin.PRODUCTION, run=run
        )
        move(site=site, lot=lot, kind=MovementKind.PRODUCED, quantity=quantity, on=on, run=run)
    return run


# --- the shop (boutique témoin): sales, closings, consignment settlements ----------------


def _sold_at(value) -> datetime.datetime:
    if not isinstance(value, datetime.datetime):
        raise ValidationFailed(_("Date et heure de vente invalides."), field="sold_at")
    if timezone.is_naive(value):
        value = timezone.make_aware(value)
    check_event_date(value, field="sold_at")
    return value


def _sale_lines(lines) -> list[tuple]:
    if not lines:
        raise ValidationFailed(
            _("Une vente a au moins une ligne."), code=Code.REQUIRED, field="lines"
        )
    if len(lines) > MAX_LINES:
        raise ValidationFailed(_("Trop de lignes."), field="lines")
    checked = []
    for lot, quantity, unit_price in lines:
        quantity = quantity_check(quantity, "quantity")
        if isinstance(unit_price, bool) or not isinstance(unit_price, int) or unit_price < 1:
            raise ValidationFailed(
                _("Le prix unitaire doit être d'au moins 1 F CFA."),
                code=Code.INVALID_PRICE,
                field="unit_price",
            )
        check_amount(unit_price, field="unit_price")
        check_amount(quantity * unit_price, field="quantity")
        checked.append((lot, quantity, unit_price))
    return checked


def _sale_payments(payments, total: int) -> list[tuple]:
    checked = []
    for channel, amount, reference in payments:
        choice_check(channel, SALE_CHANNELS, "channel")
        if isinstance(amount, bool) or not isinstance(amount, int) or amount < 1:
            raise ValidationFailed(
                _("Un paiement est d'au moins 1 F CFA."), code=Code.INVALID_AMOUNT, field="payments"
            )
        check_amount(amount, field="payments")
        checked.append((channel, amount, (reference or "")[:80]))
    paid = sum(a for _c, a, _r in checked)
    if paid != total:
        raise ValidationFailed(
            _("Les paiements (%(paid)s) diffèrent du total de la vente (%(total)s).")
            % {"paid": format_xof(paid), "total": format_xof(total)},
            code=Code.PAYMENTS_MISMATCH,
            field="payments",
        )
    return checked


def _consignor_id(lot, site) -> int | None:
    """The depositor of a consigned lot: its cooperative, unless the shop bought it
    outright or it is the shop's own product."""
    if lot.cooperative_id is None or lot.cooperative_id == site.cooperative_id:
        return None
    bought = Transfer.objects.filter(lot=lot, to_site=site, terms=Terms.OUTRIGHT).exists()
    return None if bought else lot.cooperative_id


def _sale_insert(*, client_uuid, site, till, sold_at, total, buyer_phone, actor) -> Sale | None:
    """The sale row with its receipt number, in a savepoint: None when a concurrent
    request inserted the same ``client_uuid`` first (nothing of this one is kept)."""
    try:
        with transaction.atomic():
            till = Till.objects.select_for_update().get(pk=till.pk)
            till.last_receipt += 1
            till.save(update_fields=["last_receipt"])
            return Sale.objects.create(
                client_uuid=client_uuid,
                site=site,
                till=till,
                cooperative_id=site.cooperative_id,
                receipt_number=till.last_receipt,
                sold_at=sold_at,
                total=total,
                buyer_phone=buyer_phone,
                created_by=actor if getattr(actor, "pk", None) else None,
            )
    except IntegrityError:
        if Sale.objects.filter(client_uuid=client_uuid).exists():
            return None
        raise


def _replay(client_uuid, site) -> Sale | None:
    first = Sale.objects.filter(client_uuid=client_uuid).first()
    if first is not None and first.site_id != site.pk:
        raise Conflict(
            _("Cet identifiant de vente est déjà utilisé par une autre boutique."),
            code=Code.CLIENT_UUID_REUSED,
            field="client_uuid",
        )
    return first


@service(texts=((Sale, {"buyer_phone": "buyer_phone"}),))
def sale_record(
    *,
    actor,
    client_uuid,
    site,
    sold_at: datetime.datetime,
    lines,
    payments,
    till: Till | None = None,
    buyer_phone: str = "",
) -> tuple[Sale, bool]:
    """A till sale, once per ``client_uuid`` (made on the device): a replay answers the
    first sale and writes nothing; returns (sale, created). ``lines``: (lot, quantity,
    unit_price); ``payments``: (channel, amount, reference), summing to the total. A sale
    made offline may take the stock below zero: it is flagged, never refused."""
    require(can_operate(actor, site))
    try:
        client_uuid = uuidlib.UUID(str(client_uuid))
    except ValueError:
        raise ValidationFailed(_("Identifiant de vente invalide."), field="client_uuid") from None
    first = _replay(client_uuid, site)
    if first is not None:
        return first, False
    if site.kind != SiteKind.TEMOIN:
        raise ValidationFailed(_("Ce site n'est pas une boutique témoin."), field="site")
    sold_at = _sold_at(sold_at)
    lines = _sale_lines(lines)
    total = sum(q * p for _lot, q, p in lines)
    payments = _sale_payments(payments, total)
    till = till or site.tills.order_by("pk").first() or Till.objects.create(site=site, name="1")
    if till.site_id != site.pk:
        raise ValidationFailed(_("Cette caisse n'est pas de cette boutique."), field="till")
    sale = _sale_insert(
        client_uuid=client_uuid,
        site=site,
        till=till,
        sold_at=sold_at,
        total=total,
        buyer_phone=buyer_phone,
        actor=actor,
    )
    if sale is None:
        return _replay(client_uuid, site), False
    below, rows = _sale_rows(sale, site, lines, payments)
    if below:
        Sale.objects.filter(pk=sale.pk).update(below_zero=True)
        sale.below_zero = True
    postings.sale(actor=actor, sale=sale, payments=rows)
    if buyer_phone:
        # The receipt by SMS, once (a replay returned above), after the sale is committed.
        transaction.on_commit(lambda: receipts.receipt_send(sale=sale, actor=actor), robust=True)
    return sale, True


def _sale_rows(sale, site, lines, payments) -> tuple[bool, list]:
    """The sale's lines, stock movements and payments; (stock went below zero, payments)."""
    on = timezone.localtime(sale.sold_at).date()
    below = False
    for lot, quantity, unit_price in sorted(lines, key=lambda x: x[0].pk):
        SaleLine.objects.create(
            sale=sale,
            lot=lot,
            quantity=quantity,
            unit_price=unit_price,
            amount=quantity * unit_price,
            consignor_id=_consignor_id(lot, site),
        )
        below |= move(
            site=site,
            lot=lot,
            kind=MovementKind.SALE,
            quantity=-quantity,
            on=on,
            sale=sale,
            allow_negative=True,
        )
    rows = [
        SalePayment.objects.create(
            sale=sale,
            channel=channel,
            amount=amount,
            reference=reference,
            confirmed=channel == "cash" or bool(reference),
        )
        for channel, amount, reference in payments
    ]
    return below, rows


@service(event_dates=("on",))
def sale_mobile_money_confirm(*, actor, payment: SalePayment, reference: str, on) -> SalePayment:
    """An awaited mobile-money payment of a sale confirmed (by the payments app): 552/411."""
    payment = SalePayment.objects.select_for_update().select_related("sale").get(pk=payment.pk)
    if payment.confirmed:
        return payment
    payment.confirmed, payment.reference = True, (reference or "")[:80]
    payment.save(update_fields=["confirmed", "reference"])
    if payment.sale.cooperative_id:
        postings.mobile_money_confirmed(actor=actor, sale=payment.sale, payment=payment, on=on)
    return payment


def till_day(till: Till, on: datetime.date) -> dict:
    """What a till's day holds: sales, total, cash and mobile money expected."""
    sales = Sale.objects.filter(till=till, sold_at__date=on)
    pays = SalePayment.objects.filter(sale__in=sales)
    cash = pays.filter(channel="cash").aggregate(s=Sum("amount"))["s"] or 0
    mm = pays.filter(channel="mobile_money").aggregate(s=Sum("amount"))["s"] or 0
    return {
        "sales_count": sales.count(),
        "total": sales.aggregate(s=Sum("total"))["s"] or 0,
        "expected_cash": cash,
        "mobile_money": mm,
    }


@service(event_dates=("on",), amounts=("counted_cash",))
def till_close(*, actor, till: Till, on: datetime.date, counted_cash: int) -> TillClosing:
    """The Z report of ``till`` for ``on``: cash counted against expected (once a day)."""
    require(can_operate(actor, till.site))
    if TillClosing.objects.filter(till=till, on=on).exists():
        raise Conflict(_("Cette journée est déjà clôturée."), code=Code.ALREADY_CLOSED, field="on")
    if isinstance(counted_cash, bool) or not isinstance(counted_cash, int):
        raise ValidationFailed(_("Montant invalide."), field="counted_cash")
    return TillClosing.objects.create(
        till=till,
        on=on,
        counted_cash=counted_cash,
        closed_by=actor if getattr(actor, "pk", None) else None,
        **till_day(till, on),
    )


@service(event_dates=("paid_on",))
def settlement_make(
    *, actor, site, cooperative, period_from, period_to, paid_on, channel: str = "cash"
) -> Settlement:
    """Pay ``cooperative`` its consigned sales at ``site`` over the period, less the shop's
    commission, with a statement and postings in both books. Idempotent: the same period
    again answers the first settlement. By ``mobile_money``: a payout to the cooperative's
    wallet (services.settlement_payouts), the money's move posted when it succeeds."""
    require(can_operate(actor, site))
    choice_check(channel, ("cash", "bank", "mobile_money"), "channel")
    if period_from > period_to:
        raise ValidationFailed(_("La période est inversée."), field="period_from")
    first = Settlement.objects.filter(
        site=site, cooperative=cooperative, period_from=period_from, period_to=period_to
    ).first()
    if first is not None:
        if first.channel == "mobile_money":  # asked again: the same payout, or a new attempt
            settlement_payout_start(actor=actor, settlement=first)
        return first
    lines = SaleLine.objects.select_for_update().filter(
        sale__site=site,
        consignor=cooperative,
        settlement__isnull=True,
        sale__sold_at__date__gte=period_from,
        sale__sold_at__date__lte=period_to,
    )
    ids = list(lines.values_list("pk", flat=True))
    gross = SaleLine.objects.filter(pk__in=ids).aggregate(s=Sum("amount"))["s"] or 0
    if not gross:
        raise Conflict(
            _("Aucune vente en dépôt-vente à régler sur cette période."),
            code=Code.NOTHING_TO_SETTLE,
        )
    commission = gross * site.commission_pct // 100
    settlement = Settlement.objects.create(
        site=site,
        cooperative=cooperative,
        period_from=period_from,
        period_to=period_to,
        gross=gross,
        commission_pct=site.commission_pct,
        commission=commission,
        net=gross - commission,
        paid_on=paid_on,
        channel=channel,
    )
    SaleLine.objects.filter(pk__in=ids).update(settlement=settlement)
    postings.settlement(actor=actor, settlement=settlement)
    if channel == "mobile_money":
        settlement_payout_start(actor=actor, settlement=settlement)
    return settlement
