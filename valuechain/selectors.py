"""Every read of the value chain a person triggers, scoped (see valuechain/rules.py).

A site is seen by the national role, the agents of its commune's area, the officers of
its operating cooperative and the staff of a partner of its value chain. A lot is seen
where any of its sites is seen (where it was made, and every site it went through); a
sale where its shop is seen. Anything else answers 404.
"""

from __future__ import annotations

import datetime

from django.db.models import Q, QuerySet, Sum
from django.utils.translation import gettext_lazy as _

from accounts.scoping import NOTHING, scope_for
from core.errors import NotFound
from core.text import search_q
from valuechain.models import (
    PRODUCED_ORIGINS,
    Equipment,
    EquipmentBooking,
    InnovationProject,
    Lot,
    Opportunity,
    PurchaseInvoice,
    Sale,
    SaleLine,
    Settlement,
    Site,
    StockLevel,
    StockMovement,
    Till,
    ValueChain,
    ValueChainCooperative,
)
from valuechain.rules import partner_ids


def _int(value, field: str) -> int | None:
    if value in (None, ""):
        return None
    try:
        return int(value)
    except (TypeError, ValueError):
        raise NotFound(_("Introuvable."), field=field) from None


def site_q(actor, prefix: str = "") -> Q:
    scope = scope_for(actor)
    if scope.national:
        return Q()
    q = NOTHING
    for path in sorted(scope.area_paths):
        q |= Q(**{f"{prefix}commune__path__startswith": path})
    if scope.cooperative_ids:
        q |= Q(**{f"{prefix}cooperative__in": sorted(scope.cooperative_ids)})
    partners = partner_ids(actor)
    if partners:
        q |= Q(
            **{
                f"{prefix}value_chain__in": ValueChain.objects.filter(
                    links__partner__in=sorted(partners)
                ).values("pk")
            }
        )
    return q


def is_partner_staff(user) -> bool:
    """Whether ``user`` reads value chains as a partner enterprise's staff."""
    return bool(partner_ids(user))


def value_chain_q(actor) -> Q:
    scope = scope_for(actor)
    if scope.national:
        return Q()
    q = Q(pk__in=Site.objects.filter(site_q(actor)).values("value_chain_id"))
    for path in sorted(scope.area_paths):
        q |= Q(area__path__startswith=path)
    if scope.cooperative_ids:
        q |= Q(cooperatives__cooperative__in=sorted(scope.cooperative_ids))
    partners = partner_ids(actor)
    if partners:
        q |= Q(links__partner__in=sorted(partners))
    return q


def value_chain_list(*, actor, q: str | None = None) -> QuerySet[ValueChain]:
    visible = ValueChain.objects.filter(value_chain_q(actor)).values("pk")
    return (
        ValueChain.objects.filter(pk__in=visible)
        .filter(search_q(q))
        .select_related("sector", "area")
        .prefetch_related("links__partner", "cooperatives")
    )


def value_chain_get(*, actor, pk) -> ValueChain:
    try:
        return value_chain_list(actor=actor).get(pk=_int(pk, "value_chain"))
    except ValueChain.DoesNotExist:
        raise NotFound(_("Chaîne de valeur introuvable."), field="value_chain") from None


def site_list(*, actor, kind: str | None = None, value_chain=None) -> QuerySet[Site]:
    qs = Site.objects.filter(site_q(actor)).select_related("commune", "cooperative")
    if kind:
        qs = qs.filter(kind=str(kind)[:16])
    if value_chain not in (None, ""):
        qs = qs.filter(value_chain_id=_int(value_chain, "value_chain"))
    return qs


def site_get(*, actor, pk, field: str = "site") -> Site:
    try:
        return site_list(actor=actor).get(pk=_int(pk, field))
    except Site.DoesNotExist:
        raise NotFound(_("Site introuvable."), field=field) from None


def lot_q(actor) -> Q:
    if scope_for(actor).national:
        return Q()
    sites = Site.objects.filter(site_q(actor)).values("pk")
    return Q(site__in=sites) | Q(
        pk__in=StockMovement.objects.filter(site__in=sites).values("lot_id")
    )


def lot_list(*, actor, product=None, site=None, q: str | None = None) -> QuerySet[Lot]:
    qs = Lot.objects.filter(lot_q(actor)).select_related("product", "site")
    if product not in (None, ""):
        qs = qs.filter(product_id=_int(product, "product"))
    if site not in (None, ""):
        qs = qs.filter(levels__site_id=_int(site, "site")) | qs.filter(site_id=site)
        qs = qs.distinct()
    if q:
        qs = qs.filter(code__icontains=str(q).replace("\x00", "")[:20])
    return qs


def lot_get(*, actor, pk, field: str = "lot") -> Lot:
    try:
        return lot_list(actor=actor).get(pk=_int(pk, field))
    except Lot.DoesNotExist:
        raise NotFound(_("Lot introuvable."), field=field) from None


def lot_by_code(*, actor, code: str) -> Lot:
    try:
        return lot_list(actor=actor).get(code=str(code).strip().upper()[:20])
    except Lot.DoesNotExist:
        raise NotFound(_("Lot introuvable."), field="code") from None


def stock_list(*, actor, site) -> QuerySet[StockLevel]:
    """What ``site`` holds (above 0), lot by lot."""
    return (
        StockLevel.objects.filter(site=site, quantity__gt=0)
        .select_related("lot__product")
        .order_by("lot__product__name", "lot_id")
    )


def movement_list(*, actor, kind: str, site=None, lot=None) -> QuerySet[StockMovement]:
    """The stock movements of ``kind`` (losses, counts) at the sites the actor sees, newest
    first; ``site``, ``lot``: ids to narrow it."""
    qs = StockMovement.objects.filter(site_q(actor, "site__"), kind=kind)
    if site not in (None, ""):
        qs = qs.filter(site_id=_int(site, "site"))
    if lot not in (None, ""):
        qs = qs.filter(lot_id=_int(lot, "lot"))
    return qs.select_related("lot").order_by("-on", "-id")


def purchase_invoice_list(*, actor, site=None) -> QuerySet[PurchaseInvoice]:
    """Invoices of goods bought outright, seen where the site the goods left or the shop
    they entered is seen; ``site``: either of them (an id)."""
    q = site_q(actor, "transfer__from_site__") | site_q(actor, "transfer__to_site__")
    qs = PurchaseInvoice.objects.filter(q)
    if site not in (None, ""):
        pk = _int(site, "site")
        qs = qs.filter(Q(transfer__from_site_id=pk) | Q(transfer__to_site_id=pk))
    return qs.select_related(
        "supplier", "buyer", "transfer__lot__product", "transfer__from_site", "transfer__to_site"
    ).order_by("-issued_on", "-id")


def purchase_invoice_get(*, actor, pk) -> PurchaseInvoice:
    try:
        return purchase_invoice_list(actor=actor).get(pk=_int(pk, "invoice"))
    except PurchaseInvoice.DoesNotExist:
        raise NotFound(_("Facture introuvable."), field="invoice") from None


def stock_sum_of_movements(*, site, lot) -> int:
    total = StockMovement.objects.filter(site=site, lot=lot).aggregate(s=Sum("quantity"))["s"]
    return total or 0


def sale_list(*, actor, site=None, on: datetime.date | None = None) -> QuerySet[Sale]:
    qs = Sale.objects.filter(site_q(actor, "site__"))
    if site not in (None, ""):
        qs = qs.filter(site_id=_int(site, "site"))
    if on is not None:
        qs = qs.filter(sold_at__date=on)
    return qs.select_related("till", "site").prefetch_related("lines", "payments")


def sale_get(*, actor, pk) -> Sale:
    try:
        return sale_list(actor=actor).get(pk=_int(pk, "sale"))
    except Sale.DoesNotExist:
        raise NotFound(_("Vente introuvable."), field="sale") from None


def till_list(*, actor, site) -> QuerySet[Till]:
    return Till.objects.filter(site=site, site__in=Site.objects.filter(site_q(actor)))


def till_get(*, actor, pk) -> Till:
    try:
        return (
            Till.objects.filter(site__in=Site.objects.filter(site_q(actor)))
            .select_related("site")
            .get(pk=_int(pk, "till"))
        )
    except Till.DoesNotExist:
        raise NotFound(_("Caisse introuvable."), field="till") from None


def opportunity_list(*, actor, decision: str | None = None) -> QuerySet[Opportunity]:
    scope = scope_for(actor)
    if scope.national:
        q = Q()
    else:
        q = NOTHING
        for path in sorted(scope.area_paths):
            q |= Q(area__path__startswith=path)
    qs = Opportunity.objects.filter(q).select_related("area", "sector", "value_chain")
    if decision:
        qs = qs.filter(decision=str(decision)[:12])
    return qs


def opportunity_get(*, actor, pk) -> Opportunity:
    try:
        return opportunity_list(actor=actor).get(pk=_int(pk, "opportunity"))
    except Opportunity.DoesNotExist:
        raise NotFound(_("Opportunité introuvable."), field="opportunity") from None


def settlement_list(*, actor, site=None) -> QuerySet[Settlement]:
    scope = scope_for(actor)
    q = site_q(actor, "site__")
    if scope.cooperative_ids and not scope.national:
        q |= Q(cooperative__in=sorted(scope.cooperative_ids))
    qs = Settlement.objects.filter(q).select_related("site", "cooperative")
    if site is not None:
        qs = qs.filter(site=site)
    return qs.order_by("-period_to", "-id")


def settlement_get(*, actor, pk) -> Settlement:
    try:
        return settlement_list(actor=actor).get(pk=_int(pk, "settlement"))
    except Settlement.DoesNotExist:
        raise NotFound(_("Règlement introuvable."), field="settlement") from None


def site_destination(*, actor, pk, from_site: Site) -> Site:
    """Where goods may go: a site the actor sees, or any site of ``from_site``'s chain."""
    q = site_q(actor) | Q(value_chain_id=from_site.value_chain_id)
    try:
        return Site.objects.filter(q).get(pk=_int(pk, "to_site"))
    except Site.DoesNotExist:
        raise NotFound(_("Site introuvable."), field="to_site") from None


def consignor_get(*, site: Site, pk) -> object:
    """A cooperative whose goods ``site`` sold on consignment (for its settlement)."""
    from registry.models import Cooperative

    ids = SaleLine.objects.filter(sale__site=site, consignor_id=_int(pk, "cooperative"))
    try:
        return Cooperative.objects.filter(pk__in=ids.values("consignor_id")).get()
    except Cooperative.DoesNotExist:
        raise NotFound(_("Aucun dépôt de cette coopérative ici."), field="cooperative") from None


def consignors(*, site: Site):
    """The cooperatives whose consigned goods ``site`` sold and has not settled yet."""
    from registry.models import Cooperative

    unsettled = SaleLine.objects.filter(
        sale__site=site, consignor__isnull=False, settlement__isnull=True
    )
    return Cooperative.objects.filter(pk__in=unsettled.values("consignor_id")).order_by("name")


def deliveries_to_enter(*, site: Site):
    """The group-purchase deliveries received by ``site``'s cooperative that opened no lot
    yet (the operator enters them at one of its sites)."""
    from purchasing.models import Delivery

    if site.cooperative_id is None:
        return Delivery.objects.none()
    entered = Lot.objects.filter(delivery__isnull=False).values("delivery_id")
    return (
        Delivery.objects.filter(cooperative_id=site.cooperative_id)
        .exclude(pk__in=entered)
        .select_related("campaign")
        .order_by("-on", "-id")
    )


def delivery_get(*, site: Site, pk):
    """A delivery of ``site``'s cooperative (404 otherwise)."""
    from purchasing.models import Delivery

    try:
        return Delivery.objects.get(pk=_int(pk, "delivery"), cooperative_id=site.cooperative_id)
    except Delivery.DoesNotExist:
        raise NotFound(_("Bon de livraison introuvable."), field="delivery") from None


def settlement_lines(settlement: Settlement) -> QuerySet[SaleLine]:
    """The sale lines a settlement paid (its statement)."""
    return settlement.lines.select_related("sale__till", "lot__product").order_by(
        "sale__sold_at", "sale_id", "id"
    )


def production_report(*, chain: ValueChain, year: int, baseline_year: int) -> list[dict]:
    """ "Production doubled", per product of ``chain``: the volume made (outputs of its
    production runs and harvests entered, in the product's unit) and the value sold at its
    shops, in ``year`` against ``baseline_year``, with the target ×2 of the baseline."""
    from django.db.models import Sum as _Sum

    def volumes(y):
        rows = (
            Lot.objects.filter(site__value_chain=chain, on__year=y, origin__in=PRODUCED_ORIGINS)
            .values("product_id", "product__name", "product__unit")
            .annotate(v=_Sum("quantity"))
        )
        return {r["product_id"]: r for r in rows}

    def values(y):
        rows = (
            SaleLine.objects.filter(sale__site__value_chain=chain, sale__sold_at__year=y)
            .values("lot__product_id")
            .annotate(v=_Sum("amount"))
        )
        return {r["lot__product_id"]: r["v"] for r in rows}

    now, base = volumes(year), volumes(baseline_year)
    sold, sold_base = values(year), values(baseline_year)
    report = []
    for pid in sorted(set(now) | set(base)):
        row = now.get(pid) or base[pid]
        volume, baseline = (now.get(pid) or {}).get("v", 0), (base.get(pid) or {}).get("v", 0)
        report.append(
            {
                "product": pid,
                "name": row["product__name"],
                "unit": row["product__unit"],
                "volume": volume,
                "baseline_volume": baseline,
                "target_volume": 2 * baseline,
                "value": sold.get(pid, 0),
                "baseline_value": sold_base.get(pid, 0),
                "ratio": round(volume / baseline, 2) if baseline else None,
            }
        )
    return report


# --- the boutique technologique --------------------------------------------------------


def workshop_q(actor, prefix: str = "") -> Q:
    """A technology site's projects and equipment: seen where the site is seen, and by the
    officers of the cooperatives of its value chain (who book the equipment)."""
    scope = scope_for(actor)
    if scope.national:
        return Q()
    q = Q(**{f"{prefix}site__in": Site.objects.filter(site_q(actor)).values("pk")})
    if scope.cooperative_ids:
        chains = ValueChainCooperative.objects.filter(
            cooperative__in=sorted(scope.cooperative_ids)
        ).values("value_chain_id")
        q |= Q(**{f"{prefix}site__value_chain__in": chains})
    return q


def project_list(*, actor, site=None) -> QuerySet[InnovationProject]:
    qs = InnovationProject.objects.filter(workshop_q(actor)).select_related("site", "cooperative")
    if site is not None:
        qs = qs.filter(site_id=_int(site, "site"))
    return qs.prefetch_related("trials")


def project_get(*, actor, pk) -> InnovationProject:
    try:
        return project_list(actor=actor).get(pk=_int(pk, "project"))
    except InnovationProject.DoesNotExist:
        raise NotFound(_("Projet introuvable."), field="project") from None


def equipment_list(*, actor, site=None) -> QuerySet[Equipment]:
    qs = Equipment.objects.filter(workshop_q(actor)).select_related("site")
    if site is not None:
        qs = qs.filter(site_id=_int(site, "site"))
    return qs


def equipment_get(*, actor, pk) -> Equipment:
    try:
        return equipment_list(actor=actor).get(pk=_int(pk, "equipment"))
    except Equipment.DoesNotExist:
        raise NotFound(_("Équipement introuvable."), field="equipment") from None


def booking_list(
    *, actor, equipment: Equipment, start: datetime.date | None = None, days: int = 7
) -> QuerySet[EquipmentBooking]:
    """The bookings of ``equipment`` (already in the actor's scope), from ``start`` for
    ``days`` days when given: the calendar."""
    qs = EquipmentBooking.objects.filter(equipment=equipment).select_related(
        "cooperative", "equipment"
    )
    if start is not None:
        end = start + datetime.timedelta(days=days)
        qs = qs.filter(starts_at__date__lt=end, ends_at__date__gte=start)
    return qs.order_by("starts_at", "id")


def booking_get(*, actor, pk) -> EquipmentBooking:
    try:
        return (
            EquipmentBooking.objects.filter(workshop_q(actor, "equipment__"))
            .select_related("equipment__site", "cooperative")
            .get(pk=_int(pk, "booking"))
        )
    except EquipmentBooking.DoesNotExist:
        raise NotFound(_("Réservation introuvable."), field="booking") from None


def bookable_cooperatives(*, actor, equipment: Equipment):
    """The cooperatives the actor may book ``equipment`` for (the chain's; an officer's own)."""
    from registry.models import Cooperative
    from valuechain.rules import can_run_workshop

    site = equipment.site
    ids = set(
        ValueChainCooperative.objects.filter(value_chain_id=site.value_chain_id).values_list(
            "cooperative_id", flat=True
        )
    )
    if site.cooperative_id:
        ids.add(site.cooperative_id)
    if not can_run_workshop(actor, site):
        ids &= set(scope_for(actor).cooperative_ids)
    return Cooperative.objects.filter(pk__in=sorted(ids)).order_by("name")


def settlement_payout(settlement: Settlement):
    """The latest payout of a settlement paid by mobile money (payments), or None: its
    status is the settlement's (awaiting approval, sent, paid, failed, refused)."""
    if settlement.channel != "mobile_money":
        return None
    from payments.selectors import purpose_payout

    return purpose_payout(purpose="consignment_settlement", target_id=settlement.pk)
