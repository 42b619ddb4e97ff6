"""Every write of purchasing: keyword-only, one transaction (``@service``), checked,
audited. The closing rule is purchasing/allocation.py; the postings purchasing/postings.py.
"""

from __future__ import annotations

import datetime
import hashlib
import json
from collections import defaultdict

from django.db.models import Q, Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core import dates
from core.errors import Conflict, Forbidden, ValidationFailed
from core.services import service
from core.text import fold
from geo.changes import areas_touch
from purchasing import checks, postings, selectors
from purchasing.allocation import allocate
from purchasing.errors import Code
from purchasing.models import (
    Allocation,
    Campaign,
    CampaignStatus,
    Delivery,
    GroupMembership,
    IdempotentWrite,
    Invoice,
    InvoiceLine,
    InvoicePayment,
    InvoiceStatus,
    MarketPrice,
    MemberNeed,
    MovementKind,
    Offer,
    Order,
    OrderLine,
    Product,
    PurchasingGroup,
    Quote,
    Stage,
    StockMovement,
    Supplier,
    SupplierChoice,
    SupplierInvoice,
    Unit,
)
from purchasing.pricewatch import WINDOW
from purchasing.rules import (
    can_record_price,
    require_group_manager,
    require_orderer,
    require_reference_editor,
)

MIN_QUOTES = 3
CHANNELS = ("cash", "bank", "mobile_money")


# --- suppliers, products, groups, quotes --------------------------------------------------


@service(
    texts=((Supplier, {"name": "name", "contact_name": "contact_name", "address": "address"}),)
)
def supplier_create(
    *, actor, name: str, phone: str = "", commune=None, contact_name: str = "", address: str = ""
) -> Supplier:
    require_reference_editor(actor)
    name = checks.text(name, field="name", max_length=200, required=True)
    supplier = Supplier.objects.create(
        name=name,
        phone=checks.text(phone, field="phone", max_length=20),
        contact_name=checks.text(contact_name, field="contact_name", max_length=120),
        address=checks.text(address, field="address", max_length=255),
        commune=commune,
        search_text=fold(name, commune.name if commune else "")[:400],
    )
    return supplier


@service(texts=((Product, {"name": "name", "category": "category"}),))
def product_create(*, actor, name: str, unit: str, category: str = "") -> Product:
    require_reference_editor(actor)
    name = checks.text(name, field="name", max_length=200, required=True)
    if unit not in Unit.values:
        raise ValidationFailed(
            _("Unité inconnue (kg, l, piece, sac, tonne, m)."), code=Code.UNKNOWN_UNIT, field="unit"
        )
    if Product.objects.filter(name=name, unit=unit).exists():
        raise Conflict(_("Ce produit existe déjà."), code=Code.DUPLICATE, field="name")
    return Product.objects.create(
        name=name,
        unit=unit,
        category=checks.text(category, field="category", max_length=80),
        search_text=fold(name, category)[:400],
    )


@service(
    texts=((PurchasingGroup, {"name": "name", "depot": "depot", "network": "network"}),),
    event_dates=("joined_on",),
)
def group_create(
    *,
    actor,
    name: str,
    area,
    lead_cooperative,
    cooperatives=(),
    joined_on: datetime.date | None = None,
    depot: str = "",
    network: str = "",
    manager=None,
) -> PurchasingGroup:
    """A purchasing group in ``area``; its lead cooperative is always a member."""
    name = checks.text(name, field="name", max_length=200, required=True)
    group = PurchasingGroup(
        name=name,
        area=area,
        lead_cooperative=lead_cooperative,
        depot=checks.text(depot, field="depot", max_length=200),
        network=checks.text(network, field="network", max_length=120),
        manager=manager,
        search_text=fold(name, network, area.name)[:400],
    )
    require_group_manager(actor, group)
    group.save()
    joined_on = checks.event_date(joined_on or dates.today(), field="joined_on")
    seen = set()
    for coop in [lead_cooperative, *cooperatives]:
        if coop.pk not in seen:
            seen.add(coop.pk)
            GroupMembership.objects.create(group=group, cooperative=coop, joined_on=joined_on)
    return group


@service(event_dates=("joined_on",))
def group_member_add(*, actor, group: PurchasingGroup, cooperative, joined_on) -> GroupMembership:
    require_group_manager(actor, group)
    checks.event_date(joined_on, field="joined_on")
    if GroupMembership.objects.filter(group=group, cooperative=cooperative).exists():
        raise Conflict(
            _("Cette coopérative est déjà membre."), code=Code.DUPLICATE, field="cooperative"
        )
    return GroupMembership.objects.create(group=group, cooperative=cooperative, joined_on=joined_on)


@service(texts=(Quote,), event_dates=("received_on",), amounts=("unit_price",))
def quote_record(
    *, actor, group, product, supplier, unit_price: int, pack_size: int, received_on, note=""
) -> Quote:
    require_group_manager(actor, group)
    return Quote.objects.create(
        group=group,
        product=product,
        supplier=supplier,
        unit_price=checks.whole(
            unit_price,
            field="unit_price",
            low=1,
            high=checks.MAX_PRICE,
            message=_("Le prix unitaire doit être d'au moins 1 F CFA."),
        ),
        pack_size=checks.whole(pack_size, field="pack_size", low=1, high=checks.MAX_PACK),
        received_on=checks.event_date(received_on, field="received_on"),
        note=checks.text(note, field="note", max_length=255),
    )


@service(texts=(SupplierChoice,), event_dates=("on",))
def supplier_choose(*, actor, group, quote: Quote, reason: str, on) -> SupplierChoice:
    """Choose a quote: at least three suppliers quoted the product (409 ``too_few_quotes``)."""
    require_group_manager(actor, group)
    if quote.group_id != group.pk:
        raise ValidationFailed(_("Ce devis n'est pas de cette centrale."), field="quote")
    reason = checks.text(reason, field="reason", max_length=500, required=True)
    suppliers = (
        Quote.objects.filter(group=group, product_id=quote.product_id)
        .values("supplier_id")
        .distinct()
        .count()
    )
    if suppliers < MIN_QUOTES:
        raise Conflict(
            _("Comparez au moins trois devis de fournisseurs différents (%(n)s reçu(s)).")
            % {"n": suppliers},
            code=Code.TOO_FEW_QUOTES,
            field="quote",
        )
    return SupplierChoice.objects.create(
        group=group,
        product_id=quote.product_id,
        quote=quote,
        reason=reason,
        decided_on=checks.event_date(on, field="on"),
        decided_by=actor if getattr(actor, "pk", None) else None,
    )


# --- campaigns and offers ----------------------------------------------------------------


def _check_offer(pack_size, unit_price, min_packs) -> None:
    checks.whole(
        pack_size,
        field="pack_size",
        low=1,
        high=checks.MAX_PACK,
        message=_("Le conditionnement doit être d'au moins 1 unité."),
    )
    checks.whole(
        unit_price,
        field="unit_price",
        low=1,
        high=checks.MAX_PRICE,
        message=_("Le prix unitaire doit être d'au moins 1 F CFA."),
    )
    checks.whole(min_packs, field="min_packs", low=0, high=checks.MAX_QUANTITY)


def _require_open(campaign: Campaign) -> None:
    if campaign.status != CampaignStatus.OPEN:
        raise Conflict(
            _("La campagne est clôturée : elle ne peut plus être modifiée."),
            code=Code.CAMPAIGN_CLOSED,
            field="campaign",
        )


@service(texts=(Offer,), amounts=("unit_price",))
def offer_add(
    *, actor, campaign: Campaign, product, supplier, pack_size: int, unit_price: int, min_packs=0
) -> Offer:
    require_group_manager(actor, campaign.group)
    campaign = Campaign.objects.select_for_update().get(pk=campaign.pk)
    _require_open(campaign)
    _check_offer(pack_size, unit_price, min_packs)
    return Offer.objects.create(
        campaign=campaign,
        product=product,
        supplier=supplier,
        pack_size=pack_size,
        unit_price=unit_price,
        min_packs=min_packs,
    )


@service(
    texts=((Campaign, {"name": "name", "season": "season"}),),
    planned_dates=("opens_on", "closes_on"),
)
def campaign_create(
    *, actor, group, name: str, opens_on, closes_on, offers=(), season: str = ""
) -> Campaign:
    """``offers``: dicts with product, supplier, pack_size, unit_price, min_packs."""
    require_group_manager(actor, group)
    name = checks.text(name, field="name", max_length=200, required=True)
    checks.plan_date(opens_on, field="opens_on")
    checks.plan_date(closes_on, field="closes_on")
    if closes_on < opens_on:
        raise ValidationFailed(
            _("La clôture ne peut pas précéder l'ouverture."),
            code=Code.CLOSES_BEFORE_OPENS,
            field="closes_on",
        )
    campaign = Campaign.objects.create(
        group=group,
        name=name,
        season=checks.text(season, field="season", max_length=80),
        opens_on=opens_on,
        closes_on=closes_on,
        search_text=fold(name, season, group.name)[:400],
    )
    for i, o in enumerate(offers):
        try:
            _check_offer(o["pack_size"], o["unit_price"], o.get("min_packs", 0))
        except ValidationFailed as exc:
            exc.field = f"offers.{i}.{exc.field}"
            raise
        Offer.objects.create(
            campaign=campaign,
            product=o["product"],
            supplier=o["supplier"],
            pack_size=o["pack_size"],
            unit_price=o["unit_price"],
            min_packs=o.get("min_packs", 0),
        )
    return campaign


@service(
    texts=((Campaign, {"name": "name", "season": "season"}),),
    planned_dates=("opens_on", "closes_on"),
)
def campaign_copy(*, actor, campaign: Campaign, name: str, opens_on, closes_on, season=""):
    """The seasonal calendar: the same offers for the next season (new dates)."""
    offers = [
        {
            "product": o.product,
            "supplier": o.supplier,
            "pack_size": o.pack_size,
            "unit_price": o.unit_price,
            "min_packs": o.min_packs,
        }
        for o in campaign.offers.select_related("product", "supplier")
    ]
    copy = campaign_create(
        actor=actor,
        group=campaign.group,
        name=name,
        opens_on=opens_on,
        closes_on=closes_on,
        offers=offers,
        season=season,
    )
    copy.copied_from = campaign
    copy.save(update_fields=["copied_from"])
    return copy


@service
def campaign_cancel(*, actor, campaign: Campaign) -> Campaign:
    require_group_manager(actor, campaign.group)
    campaign = Campaign.objects.select_for_update().get(pk=campaign.pk)
    _require_open(campaign)
    campaign.status = CampaignStatus.CANCELLED
    campaign.save()
    return campaign


# --- orders --------------------------------------------------------------------------------


def _check_can_order(campaign: Campaign, cooperative, today: datetime.date) -> None:
    _require_open(campaign)
    if today > campaign.closes_on:
        raise Conflict(
            _("La campagne est close depuis le %(d)s.")
            % {"d": campaign.closes_on.strftime("%d/%m/%Y")},
            code=Code.CAMPAIGN_CLOSED,
            field="campaign",
        )
    if today < campaign.opens_on:
        raise Conflict(
            _("La campagne n'ouvre que le %(d)s.") % {"d": campaign.opens_on.strftime("%d/%m/%Y")},
            code=Code.CAMPAIGN_NOT_OPEN,
            field="campaign",
        )
    if not GroupMembership.objects.filter(
        group=campaign.group_id, cooperative=cooperative
    ).exists():
        raise Conflict(
            _("Cette coopérative n'est pas membre de la centrale d'achat."),
            code=Code.NOT_IN_GROUP,
            field="cooperative",
        )


def _check_lines(campaign: Campaign, lines) -> list[tuple[Offer, int, int]]:
    """``lines``: (offer, quantity, tolerance); each offer of this campaign, once."""
    if not lines:
        raise ValidationFailed(
            _("Indiquez au moins une ligne de commande."), code=Code.LINES_REQUIRED, field="lines"
        )
    seen, clean = set(), []
    for i, (offer, quantity, tolerance) in enumerate(lines):
        field = f"lines.{i}"
        if offer.campaign_id != campaign.pk:
            raise ValidationFailed(
                _("Cette offre n'appartient pas à la campagne."),
                code=Code.UNKNOWN_OFFER,
                field=f"{field}.offer",
            )
        if offer.pk in seen:
            raise ValidationFailed(
                _("Une offre ne figure qu'une fois dans la commande."),
                code=Code.DUPLICATE_OFFER,
                field=f"{field}.offer",
            )
        seen.add(offer.pk)
        checks.whole(
            quantity,
            field=f"{field}.quantity",
            low=1,
            high=checks.MAX_QUANTITY,
            message=_("La quantité doit être un nombre entier positif (au plus 10 000 000)."),
        )
        checks.whole(
            tolerance,
            field=f"{field}.tolerance",
            low=0,
            high=offer.pack_size - 1,
            message=_("La tolérance doit rester inférieure à un colis (%(n)s unités).")
            % {"n": offer.pack_size},
        )
        clean.append((offer, quantity, tolerance))
    return clean


def _write_order(campaign, cooperative, lines, actor) -> Order:
    order = (
        Order.objects.select_for_update().filter(campaign=campaign, cooperative=cooperative).first()
    )
    if order is None:
        order = Order(campaign=campaign, cooperative=cooperative, placed_at=timezone.now())
    order.placed_by = actor if getattr(actor, "pk", None) else None
    order.save()  # a replacement is recorded in the order's history; placed_at is kept
    order.lines.all().delete()
    order.needs.all().delete()
    OrderLine.objects.bulk_create(
        [OrderLine(order=order, offer=o, quantity=q, tolerance=t) for o, q, t in lines]
    )
    return order


@service
def order_place(*, actor, campaign: Campaign, cooperative, lines, today=None) -> Order:
    """The cooperative's order (one per campaign): ``lines`` (offer, quantity, tolerance).
    A second call replaces the lines and keeps the order's place in time."""
    require_orderer(actor, campaign.group, cooperative)
    campaign = Campaign.objects.select_for_update().get(pk=campaign.pk)
    _check_can_order(campaign, cooperative, today or dates.today())
    return _write_order(campaign, cooperative, _check_lines(campaign, lines), actor)


@service
def order_place_from_needs(
    *, actor, campaign: Campaign, cooperative, needs, tolerances=None, today=None
) -> Order:
    """The order as the sum of the members' needs: ``needs`` (person, offer, quantity);
    ``tolerances``: offer id -> tolerance of the cooperative's line."""
    from registry.models import Membership

    require_orderer(actor, campaign.group, cooperative)
    campaign = Campaign.objects.select_for_update().get(pk=campaign.pk)
    _check_can_order(campaign, cooperative, today or dates.today())
    members = set(
        Membership.objects.filter(cooperative=cooperative, left_on__isnull=True).values_list(
            "person_id", flat=True
        )
    )
    sums, offers, seen = defaultdict(int), {}, set()
    for i, (person, offer, quantity) in enumerate(needs):
        if person.pk not in members:
            raise ValidationFailed(
                _("%(p)s n'est pas membre de la coopérative.") % {"p": person},
                code=Code.NOT_MEMBER,
                field=f"needs.{i}.person",
            )
        if (person.pk, offer.pk) in seen:
            raise ValidationFailed(
                _("Un besoin par membre et par offre."),
                code=Code.DUPLICATE_NEED,
                field=f"needs.{i}",
            )
        seen.add((person.pk, offer.pk))
        checks.whole(quantity, field=f"needs.{i}.quantity", low=1, high=checks.MAX_QUANTITY)
        sums[offer.pk] += quantity
        offers[offer.pk] = offer
    tolerances = tolerances or {}
    lines = [(offers[k], q, tolerances.get(k, 0)) for k, q in sums.items()]
    order = _write_order(campaign, cooperative, _check_lines(campaign, lines), actor)
    MemberNeed.objects.bulk_create(
        [MemberNeed(order=order, person=p, offer=o, quantity=q) for p, o, q in needs]
    )
    return order


# --- closing ---------------------------------------------------------------------------


@service(event_dates=("on",))
def campaign_close(*, actor, campaign: Campaign, on, today=None):
    """Close the campaign: the packs of each offer and each cooperative's allocation."""
    require_group_manager(actor, campaign.group)
    campaign = Campaign.objects.select_for_update().get(pk=campaign.pk)
    _require_open(campaign)
    checks.event_date(on, field="on", today=today)
    results = selectors.closing_results(campaign)
    allocations = []
    for offer, result in results:
        offer.packs = result.packs
        allocations += [
            Allocation(offer=offer, cooperative_id=k, stage=Stage.CLOSING, quantity=q)
            for k, q in result.allocations.items()
            if q
        ]
    Offer.objects.bulk_update([o for o, _r in results], ["packs"])
    Allocation.objects.bulk_create(allocations)
    campaign.status = CampaignStatus.CLOSED
    campaign.closed_on = on
    campaign.save()
    return results


# --- receipt, invoices, delivery -------------------------------------------------------


def _check_receipt(campaign: Campaign, lines) -> dict[int, tuple[int, int]]:
    """``lines``: (offer, received, damaged); every offer ordered is listed once."""
    offers = {o.pk: o for o in campaign.offers.all()}
    got = {}
    for i, (offer, received, damaged) in enumerate(lines):
        field = f"lines.{i}"
        if offer.pk not in offers:
            raise ValidationFailed(
                _("Cette offre n'appartient pas à la campagne."),
                code=Code.UNKNOWN_OFFER,
                field=f"{field}.offer",
            )
        if offer.pk in got:
            raise ValidationFailed(
                _("Une offre ne figure qu'une fois."),
                code=Code.DUPLICATE_OFFER,
                field=f"{field}.offer",
            )
        ordered = offers[offer.pk].units
        checks.whole(
            received,
            field=f"{field}.received",
            low=0,
            high=ordered,
            message=_("On ne peut pas recevoir plus que commandé (%(n)s unités).") % {"n": ordered},
        )
        checks.whole(
            damaged,
            field=f"{field}.damaged",
            low=0,
            high=received,
            message=_("Les unités endommagées ne dépassent pas les unités reçues."),
        )
        got[offer.pk] = (received, damaged)
    missing = [o for k, o in offers.items() if o.packs and k not in got]
    if missing:
        raise ValidationFailed(
            _("Indiquez la quantité reçue de chaque offre commandée (manque : %(p)s).")
            % {"p": missing[0].product},
            code=Code.RECEIPT_INCOMPLETE,
            field="lines",
        )
    return got


def _receive_offers(campaign, got, on) -> dict[int, list[tuple[Offer, int]]]:
    """Stock movements and receipt allocations; returns cooperative -> [(offer, units)]."""
    demands = selectors.demands_by_offer(campaign)
    per_coop, movements, allocations, offers = defaultdict(list), [], [], []
    for offer in campaign.offers.select_related("product").order_by("id"):
        received, damaged = got.get(offer.pk, (0, 0))
        offer.received, offer.damaged = received, damaged
        offers.append(offer)
        for kind, qty in ((MovementKind.RECEIPT, received), (MovementKind.DAMAGED, -damaged)):
            if qty:
                movements.append(
                    StockMovement(
                        group_id=campaign.group_id,
                        offer=offer,
                        product=offer.product,
                        kind=kind,
                        on=on,
                        quantity=qty,
                    )
                )
        result = allocate(
            pack_size=offer.pack_size,
            min_packs=offer.min_packs,
            demands=demands.get(offer.pk, []),
            units=received - damaged,
        )
        for coop_id, qty in result.allocations.items():
            if qty:
                allocations.append(
                    Allocation(
                        offer=offer, cooperative_id=coop_id, stage=Stage.RECEIPT, quantity=qty
                    )
                )
                per_coop[coop_id].append((offer, qty))
    Offer.objects.bulk_update(offers, ["received", "damaged"])
    StockMovement.objects.bulk_create(movements)
    Allocation.objects.bulk_create(allocations)
    return per_coop


def _invoice(campaign, coop_id, items, on, actor) -> Invoice:
    group = campaign.group
    amount = sum(o.unit_price * q for o, q in items)
    own = coop_id == group.lead_cooperative_id
    invoice = Invoice.objects.create(
        campaign=campaign,
        cooperative_id=coop_id,
        issued_on=on,
        amount=amount,
        status=InvoiceStatus.PAID if own else InvoiceStatus.ISSUED,
    )
    InvoiceLine.objects.bulk_create(
        [
            InvoiceLine(
                invoice=invoice,
                offer=o,
                quantity=q,
                unit_price=o.unit_price,
                amount=o.unit_price * q,
            )
            for o, q in items
        ]
    )
    if not own:
        postings.cooperative_invoice(
            actor=actor,
            books=group.lead_cooperative,
            buyer=invoice.cooperative,
            amount=amount,
            on=on,
            ref=f"invoice:{invoice.pk}",
            label=f"Achat groupé {campaign.name} · facture FA-{invoice.pk:06d}"[:200],
        )
    return invoice


def _supplier_invoices(campaign, on, actor) -> list[SupplierInvoice]:
    totals = defaultdict(int)
    for o in campaign.offers.select_related("supplier"):
        totals[o.supplier] += ((o.received or 0) - (o.damaged or 0)) * o.unit_price
    made = []
    for supplier, amount in sorted(totals.items(), key=lambda kv: kv[0].pk):
        if not amount:
            continue
        si = SupplierInvoice.objects.create(
            campaign=campaign, supplier=supplier, group=campaign.group, issued_on=on, amount=amount
        )
        postings.supplier_invoice(
            actor=actor,
            books=campaign.group.lead_cooperative,
            amount=amount,
            on=on,
            ref=f"supplier_invoice:{si.pk}",
            label=f"Achat groupé {campaign.name} · {supplier.name}"[:200],
        )
        made.append(si)
    return made


def _request_hash(**fields) -> str:
    return hashlib.sha256(json.dumps(fields, sort_keys=True, default=str).encode()).hexdigest()


def _replayed(actor, key: str | None, operation: str, digest: str) -> IdempotentWrite | None:
    """The first write done under ``key`` (None: none yet, or no key); the same key with
    another request is 409 ``idempotency_mismatch``."""
    if not key:
        return None
    previous = IdempotentWrite.objects.filter(user=actor, key=key).first()
    if previous is not None and (
        previous.operation != operation or previous.request_hash != digest
    ):
        raise Conflict(
            _("Cette clé d'idempotence a déjà servi pour une autre requête."),
            code=Code.IDEMPOTENCY_MISMATCH,
            field="Idempotency-Key",
        )
    return previous


def _remember(actor, key: str | None, operation: str, digest: str, target_id: int) -> None:
    if key:
        IdempotentWrite.objects.create(
            user=actor, key=key, operation=operation, request_hash=digest, target_id=target_id
        )


IDEMPOTENCY_TEXTS = ((IdempotentWrite, {"idempotency_key": "key"}),)


@service(texts=IDEMPOTENCY_TEXTS, event_dates=("on",))
def campaign_receive(
    *, actor, campaign: Campaign, on, lines, today=None, idempotency_key: str | None = None
) -> list[Invoice]:
    """Receipt at the depot: ``lines`` (offer, received, damaged). The allocation is run
    again on what arrived undamaged; each cooperative is invoiced and it is posted.

    With ``idempotency_key``: the same key and request answer the first receipt's
    invoices and write nothing; the same key with another request is 409."""
    require_group_manager(actor, campaign.group)
    campaign = (
        Campaign.objects.select_for_update()
        .select_related("group__lead_cooperative")
        .get(pk=campaign.pk)
    )
    digest = _request_hash(campaign=campaign.pk, on=on, lines=[(o.pk, r, d) for o, r, d in lines])
    if _replayed(actor, idempotency_key, "receive", digest):
        return list(Invoice.objects.filter(campaign=campaign).order_by("cooperative_id"))
    if campaign.status != CampaignStatus.CLOSED:
        raise Conflict(
            _("Seule une campagne clôturée et non encore réceptionnée peut être reçue."),
            code=Code.CAMPAIGN_NOT_CLOSED,
            field="campaign",
        )
    checks.event_date(on, field="on", today=today)
    if campaign.closed_on and on < campaign.closed_on:
        raise ValidationFailed(
            _("La réception ne peut pas précéder la clôture."), code=Code.BEFORE_CLOSING, field="on"
        )
    got = _check_receipt(campaign, lines)
    per_coop = _receive_offers(campaign, got, on)
    invoices = [_invoice(campaign, k, items, on, actor) for k, items in sorted(per_coop.items())]
    _supplier_invoices(campaign, on, actor)
    # Monitoring's freshness mark: the invoiced cooperatives' purchases changed.
    invoiced = Invoice.objects.filter(campaign=campaign).values_list("cooperative__commune_id")
    areas_touch({c for (c,) in invoiced}, on=on)
    campaign.status = CampaignStatus.RECEIVED
    campaign.received_on = on
    campaign.save()
    _remember(actor, idempotency_key, "receive", digest, campaign.pk)
    return invoices


def depot_stock(group, offer) -> int:
    return (
        StockMovement.objects.filter(group=group, offer=offer).aggregate(s=Sum("quantity"))["s"]
        or 0
    )


@service(texts=(Delivery,), event_dates=("on",))
def delivery_record(*, actor, campaign: Campaign, cooperative, on, received_by: str, today=None):
    """Distribution from the depot to a cooperative: its receipt allocation, on a delivery
    note signed by ``received_by``. Stock leaves by movements (409 ``insufficient_stock``)."""
    require_group_manager(actor, campaign.group)
    PurchasingGroup.objects.select_for_update().filter(pk=campaign.group_id).first()
    campaign = Campaign.objects.select_related("group").get(pk=campaign.pk)
    if campaign.status != CampaignStatus.RECEIVED:
        raise Conflict(_("La campagne n'est pas encore réceptionnée."), code=Code.NOT_RECEIVED)
    checks.event_date(on, field="on", today=today)
    received_by = checks.text(received_by, field="received_by", max_length=120, required=True)
    if Delivery.objects.filter(campaign=campaign, cooperative=cooperative).exists():
        raise Conflict(_("Cette coopérative a déjà été livrée."), code=Code.ALREADY_DELIVERED)
    allocs = list(
        Allocation.objects.filter(
            offer__campaign=campaign, cooperative=cooperative, stage=Stage.RECEIPT
        ).select_related("offer")
    )
    if not allocs:
        raise Conflict(_("Rien à livrer à cette coopérative."), code=Code.NOTHING_TO_DELIVER)
    delivery = Delivery.objects.create(
        campaign=campaign,
        cooperative=cooperative,
        on=on,
        received_by=received_by,
        signed_at=timezone.now(),
    )
    for a in allocs:
        if depot_stock(campaign.group, a.offer) < a.quantity:
            raise Conflict(
                _("Stock insuffisant au dépôt pour %(p)s.") % {"p": a.offer.product_id},
                code=Code.INSUFFICIENT_STOCK,
            )
        StockMovement.objects.create(
            group_id=campaign.group_id,
            offer=a.offer,
            product_id=a.offer.product_id,
            kind=MovementKind.DISTRIBUTION,
            on=on,
            quantity=-a.quantity,
            cooperative=cooperative,
            delivery=delivery,
        )
    return delivery


# --- paying invoices -------------------------------------------------------------------


def _require_payer(actor, invoice: Invoice) -> None:
    from accounts.scoping import scope_for
    from purchasing.rules import can_manage_group

    if invoice.cooperative_id in scope_for(actor).cooperative_ids:
        return
    if not can_manage_group(actor, invoice.campaign.group):
        raise Forbidden(_("Seuls la coopérative facturée et la centrale règlent cette facture."))


def _settle(invoice: Invoice, *, on, channel: str, reference: str, actor, today=None):
    invoice = (
        Invoice.objects.select_for_update(of=("self",))
        .select_related("campaign__group__lead_cooperative", "cooperative", "loan")
        .get(pk=invoice.pk)
    )
    if invoice.status == InvoiceStatus.PAID:
        raise Conflict(_("Cette facture est déjà payée."), code=Code.ALREADY_PAID)
    checks.event_date(on, field="on", today=today)
    reference = checks.text(reference, field="reference", max_length=80)
    books_channel = channel
    if channel == "credit":
        if invoice.loan is None or invoice.loan.disbursed_on is None:
            raise Conflict(
                _("Le prêt intrant de cette facture n'est pas encore décaissé."),
                code=Code.LOAN_NOT_DISBURSED,
                field="channel",
            )
        books_channel = invoice.loan.disbursement_channel or "bank"
        if books_channel not in CHANNELS:
            books_channel = "bank"
    elif channel not in CHANNELS:
        raise ValidationFailed(
            _("Moyen de paiement inconnu (espèces, banque, mobile money, crédit)."),
            code=Code.UNKNOWN_CHANNEL,
            field="channel",
        )
    InvoicePayment.objects.create(
        invoice=invoice,
        cooperative=invoice.cooperative,
        on=on,
        amount=invoice.amount,
        channel=channel,
        reference=reference,
    )
    postings.cooperative_payment(
        actor=actor,
        books=invoice.campaign.group.lead_cooperative,
        buyer=invoice.cooperative,
        amount=invoice.amount,
        on=on,
        channel=books_channel,
        ref=f"invoice:{invoice.pk}",
        label=f"Règlement de la facture FA-{invoice.pk:06d}",
    )
    invoice.status = InvoiceStatus.PAID
    invoice.save()
    return invoice


@service(
    texts=(*IDEMPOTENCY_TEXTS, (InvoicePayment, {"channel": "channel", "reference": "reference"})),
    event_dates=("on",),
)
def invoice_pay(
    *,
    actor,
    invoice: Invoice,
    on,
    channel: str,
    reference: str = "",
    today=None,
    idempotency_key: str | None = None,
):
    """Settle an invoice in full: cash, bank, mobile money, or ``credit`` (its input loan,
    once disbursed: the money is paid from where the loan was disbursed).

    With ``idempotency_key``: the same key and request answer the paid invoice and post
    nothing again; the same key with another request is 409."""
    _require_payer(actor, invoice)
    # Locked first: a concurrent retry under the same key waits, then finds the record.
    Invoice.objects.select_for_update(of=("self",)).filter(pk=invoice.pk).first()
    digest = _request_hash(invoice=invoice.pk, on=on, channel=channel, reference=reference)
    if _replayed(actor, idempotency_key, "pay", digest):
        return Invoice.objects.get(pk=invoice.pk)
    paid = _settle(invoice, on=on, channel=channel, reference=reference, actor=actor, today=today)
    _remember(actor, idempotency_key, "pay", digest, paid.pk)
    return paid


@service(texts=((InvoicePayment, {"reference": "reference"}),), event_dates=("on",))
def invoice_pay_confirmed(*, actor, invoice: Invoice, on, reference: str) -> Invoice:
    """A payment by phone the provider confirmed (payments' ``purchase_invoice`` purpose):
    the money is in, so the payer's role is not checked again; the rules are."""
    return _settle(invoice, on=on, channel="mobile_money", reference=reference, actor=actor)


@service(event_dates=("on",))
def invoice_finance(*, actor, invoice: Invoice, product, on, today=None) -> Invoice:
    """Pay on credit: an input loan application for the invoice amount, entered through
    the credit module's own service (its rules: the lender or national enters it; another
    user approves it: maker-checker). Purchasing calls credit, never the other way."""
    from credit.services import loan_apply

    invoice = (
        Invoice.objects.select_for_update(of=("self",))
        .select_related("cooperative")
        .get(pk=invoice.pk)
    )
    if invoice.status != InvoiceStatus.ISSUED or invoice.loan_id:
        raise Conflict(_("Cette facture est déjà payée ou financée."), code=Code.ALREADY_FINANCED)
    checks.event_date(on, field="on", today=today)
    loan = loan_apply(
        actor=actor,
        product=product,
        principal=invoice.amount,
        applied_on=on,
        borrower_cooperative=invoice.cooperative,
        purpose=f"Prêt intrant : facture FA-{invoice.pk:06d}",
    )
    invoice.loan = loan
    invoice.status = InvoiceStatus.FINANCED
    invoice.save()
    return invoice


@service(texts=((InvoicePayment, {"channel": "channel"}),), event_dates=("on",))
def supplier_invoice_pay(*, actor, supplier_invoice: SupplierInvoice, on, channel: str, today=None):
    require_group_manager(actor, supplier_invoice.group)
    si = (
        SupplierInvoice.objects.select_for_update()
        .select_related("group__lead_cooperative", "supplier")
        .get(pk=supplier_invoice.pk)
    )
    if si.paid_on:
        raise Conflict(_("Cette facture est déjà payée."), code=Code.ALREADY_PAID)
    checks.event_date(on, field="on", today=today)
    if channel not in CHANNELS:
        raise ValidationFailed(
            _("Moyen de paiement inconnu."), code=Code.UNKNOWN_CHANNEL, field="channel"
        )
    postings.supplier_payment(
        actor=actor,
        books=si.group.lead_cooperative,
        amount=si.amount,
        on=on,
        channel=channel,
        ref=f"supplier_invoice:{si.pk}",
        label=f"Règlement fournisseur {si.supplier.name}"[:200],
    )
    si.paid_on, si.paid_channel = on, channel
    si.save()
    return si


# --- market prices ----------------------------------------------------------------------


@service(
    texts=((MarketPrice, {"source": "source"}),), event_dates=("observed_on",), amounts=("price",)
)
def market_price_record(
    *, actor, product, area, price: int, observed_on, source: str = "", today=None
) -> MarketPrice:
    if not can_record_price(actor, area):
        raise Forbidden(_("Vous ne relevez des prix que dans votre zone."))
    price = MarketPrice.objects.create(
        product=product,
        area=area,
        price=checks.whole(
            price,
            field="price",
            low=1,
            high=checks.MAX_PRICE,
            message=_("Le prix doit être d'au moins 1 F CFA."),
        ),
        observed_on=checks.event_date(observed_on, field="observed_on", today=today),
        source=checks.text(source, field="source", max_length=120),
        recorded_by=actor if getattr(actor, "pk", None) else None,
    )
    _touch_savings(price)
    return price


def _touch_savings(price: MarketPrice) -> None:
    """Monitoring's freshness mark: a market price moves the saving of the invoices of
    campaigns closing in the 4 weeks after it, in groups whose area holds its area."""
    codes = price.area.path_codes()
    above = ["/".join(codes[:depth]) + "/" for depth in range(1, len(codes) + 1)]
    window = (price.observed_on + datetime.timedelta(days=1), price.observed_on + WINDOW)
    closing = Q(campaign__closed_on__range=window) | Q(
        campaign__closed_on__isnull=True, campaign__closes_on__range=window
    )
    communes = (
        Invoice.objects.filter(closing, campaign__group__area__path__in=above)
        .values_list("cooperative__commune_id", flat=True)
        .distinct()
    )
    areas_touch(set(communes), on=price.observed_on)
