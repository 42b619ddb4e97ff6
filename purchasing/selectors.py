"""Every read of purchasing a person triggers, scoped through accounts.scoping."""

from __future__ import annotations

from collections import defaultdict

from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from accounts.scoping import NOTHING, scope_for
from core.errors import NotFound
from core.text import search_q
from purchasing.allocation import Demand, allocate
from purchasing.models import (
    Campaign,
    GroupMembership,
    Invoice,
    MarketPrice,
    OrderLine,
    Product,
    PurchasingGroup,
    Supplier,
    SupplierInvoice,
)
from registry.models import Cooperative


def group_scope_q(actor, prefix: str = "") -> Q:
    """Groups the actor sees: national all; an agent those in their area or with a member
    cooperative in it; an officer those their cooperative belongs to, and those whose area
    holds their cooperative."""
    scope = scope_for(actor)
    if scope.national:
        return Q()
    q = NOTHING
    for path in sorted(scope.area_paths):
        q |= Q(**{f"{prefix}area__path__startswith": path})
        q |= Q(
            **{
                f"{prefix}pk__in": GroupMembership.objects.filter(
                    cooperative__commune__path__startswith=path
                ).values("group_id")
            }
        )
    if scope.cooperative_ids:
        q |= Q(
            **{
                f"{prefix}pk__in": GroupMembership.objects.filter(
                    cooperative_id__in=sorted(scope.cooperative_ids)
                ).values("group_id")
            }
        )
        # and the groups of their cooperative's area (to see, and ask to join, not to order)
        q |= Q(**{f"{prefix}area__path__in": sorted(_ancestor_paths(scope.cooperative_ids))})
    return q


def _ancestor_paths(cooperative_ids) -> set[str]:
    paths = set()
    for path in Cooperative.objects.filter(pk__in=sorted(cooperative_ids)).values_list(
        "commune__path", flat=True
    ):
        parts = path.strip("/").split("/")
        paths.update("/".join(parts[: i + 1]) + "/" for i in range(len(parts)))
    return paths


def _reads_reference(actor) -> bool:
    return not scope_for(actor).is_empty


def supplier_list(*, actor, q: str | None = None) -> QuerySet[Supplier]:
    if not _reads_reference(actor):
        return Supplier.objects.none()
    return Supplier.objects.filter(search_q(q)).select_related("commune")


def supplier_get(*, actor, pk) -> Supplier:
    try:
        return supplier_list(actor=actor).get(pk=pk)
    except (Supplier.DoesNotExist, ValueError, TypeError):
        raise NotFound(_("Fournisseur introuvable."), field="supplier") from None


def product_list(*, actor, q: str | None = None, category: str | None = None):
    if not _reads_reference(actor):
        return Product.objects.none()
    qs = Product.objects.filter(search_q(q))
    if category:
        qs = qs.filter(category=category)
    return qs


def product_get(*, actor, pk) -> Product:
    try:
        return product_list(actor=actor).get(pk=pk)
    except (Product.DoesNotExist, ValueError, TypeError):
        raise NotFound(_("Produit introuvable."), field="product") from None


def group_list(*, actor, q: str | None = None) -> QuerySet[PurchasingGroup]:
    return (
        PurchasingGroup.objects.filter(group_scope_q(actor))
        .filter(search_q(q))
        .select_related("area", "lead_cooperative")
    )


def group_get(*, actor, pk) -> PurchasingGroup:
    try:
        return group_list(actor=actor).get(pk=pk)
    except (PurchasingGroup.DoesNotExist, ValueError, TypeError):
        raise NotFound(_("Centrale d'achat introuvable."), field="group") from None


def campaign_list(
    *, actor, group=None, status: str | None = None, q: str | None = None
) -> QuerySet[Campaign]:
    qs = Campaign.objects.filter(group_scope_q(actor, "group__")).filter(search_q(q))
    if group is not None:
        qs = qs.filter(group=group)
    if status:
        qs = qs.filter(status=status)
    return qs.select_related("group", "group__area")


def campaign_get(*, actor, pk) -> Campaign:
    try:
        return campaign_list(actor=actor).get(pk=pk)
    except (Campaign.DoesNotExist, ValueError, TypeError):
        raise NotFound(_("Campagne introuvable."), field="campaign") from None


def invoice_list(*, actor, campaign=None, cooperative=None) -> QuerySet[Invoice]:
    """Invoices: an officer sees its own cooperative's; managers of the group see all."""
    scope = scope_for(actor)
    visible = Q(campaign__in=Campaign.objects.filter(group_scope_q(actor, "group__")))
    if not scope.national and not scope.area_paths:
        visible &= Q(cooperative_id__in=sorted(scope.cooperative_ids))
    qs = Invoice.objects.filter(visible)
    if campaign is not None:
        qs = qs.filter(campaign=campaign)
    if cooperative is not None:
        qs = qs.filter(cooperative=cooperative)
    return qs.select_related("cooperative", "campaign")


def invoice_get(*, actor, pk) -> Invoice:
    try:
        return invoice_list(actor=actor).get(pk=pk)
    except (Invoice.DoesNotExist, ValueError, TypeError):
        raise NotFound(_("Facture introuvable."), field="invoice") from None


def price_list(*, actor, product=None, area=None) -> QuerySet[MarketPrice]:
    """Market prices are public information for every role-holder; ``area``: its subtree."""
    if not _reads_reference(actor):
        return MarketPrice.objects.none()
    qs = MarketPrice.objects.all()
    if product is not None:
        qs = qs.filter(product=product)
    if area is not None:
        qs = qs.filter(area__path__startswith=area.path)
    return qs.select_related("product", "area")


def order_list(*, actor, campaign: Campaign):
    """The campaign's orders: its managers see all, an officer their cooperative's."""
    from purchasing.rules import can_manage_group

    qs = campaign.orders.all()
    if not can_manage_group(actor, campaign.group):
        qs = qs.filter(cooperative_id__in=sorted(scope_for(actor).cooperative_ids))
    return qs.select_related("cooperative").prefetch_related("lines").order_by("placed_at", "id")


def demands_by_offer(campaign: Campaign) -> dict[int, list[Demand]]:
    """Each offer's demands, oldest order first (one query)."""
    rows = (
        OrderLine.objects.filter(order__campaign=campaign)
        .order_by("order__placed_at", "order_id")
        .values_list("offer_id", "order__cooperative_id", "quantity", "tolerance")
    )
    demands = defaultdict(list)
    for offer_id, coop_id, quantity, tolerance in rows:
        demands[offer_id].append(Demand(coop_id, quantity, tolerance))
    return demands


def closing_results(campaign: Campaign):
    """[(offer, Result)] of the closing rule, without writing anything (the preview)."""
    demands = demands_by_offer(campaign)
    offers = list(campaign.offers.select_related("product", "supplier").order_by("id"))
    return [
        (
            o,
            allocate(pack_size=o.pack_size, min_packs=o.min_packs, demands=demands.get(o.pk, [])),
        )
        for o in offers
    ]


def closing_preview(*, actor, campaign: Campaign):
    """What closing would order and give each cooperative: for the group's managers (the
    campaign is already known to be in scope)."""
    from purchasing.rules import require_group_manager

    require_group_manager(actor, campaign.group)
    return closing_results(campaign)


def price_areas(*, actor):
    """Areas where the actor records prices: an agent's departments and communes, the
    national role's departments."""
    from geo.models import Area, AreaLevel

    scope = scope_for(actor)
    if scope.national:
        return Area.objects.filter(level=AreaLevel.DEPARTMENT).order_by("name")
    q = NOTHING
    for path in sorted(scope.area_paths):
        q |= Q(path__startswith=path)
    return Area.objects.filter(q, level__in=[AreaLevel.DEPARTMENT, AreaLevel.COMMUNE]).order_by(
        "path"
    )


def my_cooperatives_in(*, actor, group):
    """The actor's own cooperatives (as officer) that belong to the group."""
    ids = sorted(scope_for(actor).cooperative_ids)
    return Cooperative.objects.filter(
        pk__in=GroupMembership.objects.filter(group=group, cooperative_id__in=ids).values(
            "cooperative_id"
        )
    ).order_by("name")


def group_cooperatives(*, actor, group):
    return Cooperative.objects.filter(
        pk__in=GroupMembership.objects.filter(group=group).values("cooperative_id")
    ).order_by("name")


def delivery_list(*, actor, campaign):
    qs = campaign.deliveries.all()
    if not _manages(actor, campaign.group):
        qs = qs.filter(cooperative_id__in=sorted(scope_for(actor).cooperative_ids))
    return qs.select_related("cooperative")


def _manages(actor, group) -> bool:
    from purchasing.rules import can_manage_group

    return can_manage_group(actor, group)


def supplier_invoice_list(*, actor, campaign):
    if not _manages(actor, campaign.group):
        return SupplierInvoice.objects.none()
    return SupplierInvoice.objects.filter(campaign=campaign).select_related("supplier")


def purchase_order(*, actor, campaign, supplier_pk):
    """A supplier's purchase order of a closed campaign: its offers with packs > 0."""
    if not _manages(actor, campaign.group):
        raise NotFound(_("Bon de commande introuvable."))
    offers = list(
        campaign.offers.filter(supplier_id=supplier_pk, packs__gt=0).select_related(
            "product", "supplier"
        )
    )
    if not offers:
        raise NotFound(_("Bon de commande introuvable."))
    return offers


def member_shares(*, actor, order):
    """The members' own needs in a cooperative's order (for the cooperative to recover)."""
    return order.needs.select_related("person", "offer__product").order_by(
        "person__last_name", "person__first_name", "offer_id"
    )
