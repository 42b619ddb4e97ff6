"""The centrale d'achat: groups of cooperatives buying together, their suppliers and
products, quotes, campaigns (order cycles) with offers, two-level orders, what each
cooperative is allocated, the depot's stock (by movements), invoices and market prices.

Money is whole francs (XOF); quantities are whole units of the product's unit.
Allocations, receipts, stock movements, invoices and payments are append-only.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.audit import history_user


class Unit(models.TextChoices):
    KG = "kg", _("kilogramme")
    L = "l", _("litre")
    PIECE = "piece", _("pièce")
    SAC = "sac", _("sac")
    TONNE = "tonne", _("tonne")
    M = "m", _("mètre")


class Supplier(models.Model):
    name = models.CharField(_("nom"), max_length=200)
    phone = models.CharField(_("téléphone"), max_length=20, blank=True)
    contact_name = models.CharField(_("contact"), max_length=120, blank=True)
    address = models.CharField(_("adresse"), max_length=255, blank=True)
    commune = models.ForeignKey(
        "geo.Area", verbose_name=_("commune"), null=True, blank=True, on_delete=models.PROTECT
    )
    search_text = models.CharField(max_length=400, editable=False, default="")
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords(get_user=history_user)

    class Meta:
        verbose_name = _("fournisseur")
        verbose_name_plural = _("fournisseurs")
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return self.name


class Product(models.Model):
    name = models.CharField(_("nom"), max_length=200)
    unit = models.CharField(_("unité"), max_length=8, choices=Unit.choices)
    category = models.CharField(_("catégorie"), max_length=80, blank=True)
    search_text = models.CharField(max_length=400, editable=False, default="")
    history = HistoricalRecords(get_user=history_user)

    class Meta:
        verbose_name = _("produit")
        verbose_name_plural = _("produits")
        ordering = ["name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["name", "unit"], name="product_unique_name_unit")
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.unit})"


class PurchasingGroup(models.Model):
    """A centrale d'achat: a union, a commune's or department's cooperatives, a network."""

    name = models.CharField(_("nom"), max_length=200)
    area = models.ForeignKey(
        "geo.Area", verbose_name=_("zone"), on_delete=models.PROTECT, related_name="+"
    )
    lead_cooperative = models.ForeignKey(
        "registry.Cooperative",
        verbose_name=_("coopérative chef de file"),
        help_text=_("Ses livres portent les achats du groupe et ses factures aux membres."),
        on_delete=models.PROTECT,
        related_name="+",
    )
    manager = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("gestionnaire"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    depot = models.CharField(_("dépôt"), max_length=200, blank=True)
    network = models.CharField(_("réseau"), max_length=120, blank=True)
    cooperatives = models.ManyToManyField(
        "registry.Cooperative", through="GroupMembership", related_name="purchasing_groups"
    )
    search_text = models.CharField(max_length=400, editable=False, default="")
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords(get_user=history_user)

    class Meta:
        verbose_name = _("centrale d'achat")
        verbose_name_plural = _("centrales d'achat")
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return self.name


class GroupMembership(models.Model):
    group = models.ForeignKey(PurchasingGroup, on_delete=models.PROTECT, related_name="members")
    cooperative = models.ForeignKey(
        "registry.Cooperative", on_delete=models.PROTECT, related_name="+"
    )
    joined_on = models.DateField(_("date d'adhésion"))
    history = HistoricalRecords(get_user=history_user)

    class Meta:
        verbose_name = _("coopérative membre de la centrale")
        verbose_name_plural = _("coopératives membres de la centrale")
        constraints = [
            models.UniqueConstraint(fields=["group", "cooperative"], name="group_member_once")
        ]

    def __str__(self) -> str:
        return f"{self.cooperative_id} ∈ {self.group_id}"


class Quote(models.Model):
    """A supplier's quote for a product, to a group (compared side by side)."""

    group = models.ForeignKey(PurchasingGroup, on_delete=models.PROTECT, related_name="quotes")
    product = models.ForeignKey(Product, on_delete=models.PROTECT, related_name="+")
    supplier = models.ForeignKey(Supplier, on_delete=models.PROTECT, related_name="quotes")
    unit_price = models.PositiveBigIntegerField(_("prix unitaire (F CFA)"))
    pack_size = models.PositiveIntegerField(_("conditionnement"))
    received_on = models.DateField(_("reçu le"))
    note = models.CharField(_("observation"), max_length=255, blank=True)
    history = HistoricalRecords(get_user=history_user)

    class Meta:
        verbose_name = _("devis")
        verbose_name_plural = _("devis")
        ordering = ["product", "unit_price", "id"]

    def __str__(self) -> str:
        return f"{self.supplier_id} · {self.product_id} · {self.unit_price}"


class SupplierChoice(models.Model):
    """The supplier chosen for a product among at least three quotes, and why."""

    group = models.ForeignKey(PurchasingGroup, on_delete=models.PROTECT, related_name="choices")
    product = models.ForeignKey(Product, on_delete=models.PROTECT, related_name="+")
    quote = models.ForeignKey(Quote, on_delete=models.PROTECT, related_name="+")
    reason = models.CharField(_("motif du choix"), max_length=500)
    decided_on = models.DateField(_("date du choix"))
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    history = HistoricalRecords(get_user=history_user)

    class Meta:
        verbose_name = _("choix du fournisseur")
        verbose_name_plural = _("choix des fournisseurs")

    def __str__(self) -> str:
        return f"{self.product_id} → {self.quote_id}"


class CampaignStatus(models.TextChoices):
    OPEN = "open", _("ouverte")
    CLOSED = "closed", _("clôturée")
    RECEIVED = "received", _("réceptionnée")
    CANCELLED = "cancelled", _("annulée")


class Campaign(models.Model):
    """An order cycle of a group: opens and closes on dates, offers of several suppliers."""

    group = models.ForeignKey(PurchasingGroup, on_delete=models.PROTECT, related_name="campaigns")
    name = models.CharField(_("nom"), max_length=200)
    season = models.CharField(_("saison"), max_length=80, blank=True)
    opens_on = models.DateField(_("ouverture"))
    closes_on = models.DateField(_("clôture prévue"))
    status = models.CharField(
        _("statut"), max_length=12, choices=CampaignStatus.choices, default=CampaignStatus.OPEN
    )
    closed_on = models.DateField(_("clôturée le"), null=True, blank=True)
    received_on = models.DateField(_("réceptionnée le"), null=True, blank=True)
    copied_from = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    search_text = models.CharField(max_length=400, editable=False, default="")
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords(get_user=history_user)

    class Meta:
        verbose_name = _("campagne d'achat")
        verbose_name_plural = _("campagnes d'achat")
        ordering = ["-opens_on", "-id"]
        indexes = [models.Index(fields=["group", "status"])]

    def __str__(self) -> str:
        return self.name


class Offer(models.Model):
    campaign = models.ForeignKey(Campaign, on_delete=models.PROTECT, related_name="offers")
    product = models.ForeignKey(Product, on_delete=models.PROTECT, related_name="+")
    supplier = models.ForeignKey(Supplier, on_delete=models.PROTECT, related_name="+")
    pack_size = models.PositiveIntegerField(_("conditionnement (unités par colis)"))
    unit_price = models.PositiveBigIntegerField(_("prix unitaire (F CFA)"))
    min_packs = models.PositiveIntegerField(_("minimum de colis"), default=0)
    # Set at closing (the rule of docs/purchasing.md), then at receipt.
    packs = models.PositiveIntegerField(_("colis commandés"), null=True, blank=True)
    received = models.PositiveIntegerField(_("unités reçues"), null=True, blank=True)
    damaged = models.PositiveIntegerField(_("unités endommagées"), null=True, blank=True)
    history = HistoricalRecords(get_user=history_user)

    class Meta:
        verbose_name = _("offre")
        verbose_name_plural = _("offres")
        ordering = ["campaign", "id"]

    def __str__(self) -> str:
        return f"{self.product} · {self.supplier}"

    @property
    def units(self) -> int:
        return (self.packs or 0) * self.pack_size


class Order(models.Model):
    """A cooperative's order in a campaign: the sum of its members' needs. ``placed_at`` is
    its place in time (oldest first at allocation) and survives a replacement of its lines."""

    campaign = models.ForeignKey(Campaign, on_delete=models.PROTECT, related_name="orders")
    cooperative = models.ForeignKey(
        "registry.Cooperative", on_delete=models.PROTECT, related_name="+"
    )
    placed_at = models.DateTimeField(_("passée le"))
    updated_at = models.DateTimeField(_("modifiée le"), auto_now=True)
    placed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    history = HistoricalRecords(get_user=history_user)

    class Meta:
        verbose_name = _("commande")
        verbose_name_plural = _("commandes")
        ordering = ["placed_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "cooperative"], name="order_one_per_coop")
        ]

    def __str__(self) -> str:
        return f"{self.campaign_id} · {self.cooperative_id}"


class OrderLine(models.Model):
    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="lines")
    offer = models.ForeignKey(Offer, on_delete=models.PROTECT, related_name="lines")
    quantity = models.PositiveIntegerField(_("quantité"))
    tolerance = models.PositiveIntegerField(_("tolérance"), default=0)

    class Meta:
        verbose_name = _("ligne de commande")
        verbose_name_plural = _("lignes de commande")
        constraints = [
            models.UniqueConstraint(fields=["order", "offer"], name="order_line_once_per_offer")
        ]

    def __str__(self) -> str:
        return f"{self.offer_id} × {self.quantity} (+{self.tolerance})"


class MemberNeed(models.Model):
    """A member's own need in the cooperative's order (so the cooperative can recover it)."""

    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="needs")
    offer = models.ForeignKey(Offer, on_delete=models.PROTECT, related_name="+")
    person = models.ForeignKey("registry.Person", on_delete=models.PROTECT, related_name="+")
    quantity = models.PositiveIntegerField(_("quantité"))

    class Meta:
        verbose_name = _("besoin d'un membre")
        verbose_name_plural = _("besoins des membres")
        constraints = [
            models.UniqueConstraint(fields=["order", "offer", "person"], name="need_once")
        ]

    def __str__(self) -> str:
        return f"{self.person_id} · {self.offer_id} × {self.quantity}"


class Stage(models.TextChoices):
    CLOSING = "closing", _("à la clôture")
    RECEIPT = "receipt", _("à la réception")


class Allocation(models.Model):
    """What a cooperative gets of an offer, at closing and again on what arrived."""

    offer = models.ForeignKey(Offer, on_delete=models.PROTECT, related_name="allocations")
    cooperative = models.ForeignKey(
        "registry.Cooperative", on_delete=models.PROTECT, related_name="+"
    )
    stage = models.CharField(max_length=8, choices=Stage.choices)
    quantity = models.PositiveIntegerField(_("quantité allouée"))

    class Meta:
        verbose_name = _("allocation")
        verbose_name_plural = _("allocations")
        constraints = [
            models.UniqueConstraint(
                fields=["offer", "cooperative", "stage"], name="allocation_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.offer_id} → {self.cooperative_id} : {self.quantity}"


class MovementKind(models.TextChoices):
    RECEIPT = "receipt", _("réception")
    DAMAGED = "damaged", _("avarie")
    DISTRIBUTION = "distribution", _("distribution")


class StockMovement(models.Model):
    """The depot's stock, kept by movements (append-only, signed quantities)."""

    group = models.ForeignKey(PurchasingGroup, on_delete=models.PROTECT, related_name="+")
    offer = models.ForeignKey(Offer, on_delete=models.PROTECT, related_name="+")
    product = models.ForeignKey(Product, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=16, choices=MovementKind.choices)
    on = models.DateField(_("date"))
    quantity = models.BigIntegerField(_("quantité"))
    cooperative = models.ForeignKey(
        "registry.Cooperative", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    delivery = models.ForeignKey(
        "Delivery", null=True, blank=True, on_delete=models.PROTECT, related_name="movements"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("mouvement de stock")
        verbose_name_plural = _("mouvements de stock")
        ordering = ["on", "id"]

    def __str__(self) -> str:
        return f"{self.kind} {self.offer_id} {self.quantity:+d}"


class Delivery(models.Model):
    """A delivery note: what a cooperative took from the depot, signed on receipt."""

    campaign = models.ForeignKey(Campaign, on_delete=models.PROTECT, related_name="deliveries")
    cooperative = models.ForeignKey(
        "registry.Cooperative", on_delete=models.PROTECT, related_name="+"
    )
    on = models.DateField(_("date de livraison"))
    received_by = models.CharField(_("reçu par (nom du signataire)"), max_length=120)
    signed_at = models.DateTimeField(_("signé le"), null=True, blank=True)
    history = HistoricalRecords(get_user=history_user)

    class Meta:
        verbose_name = _("bon de livraison")
        verbose_name_plural = _("bons de livraison")
        constraints = [
            models.UniqueConstraint(fields=["campaign", "cooperative"], name="delivery_once")
        ]

    def __str__(self) -> str:
        return f"BL {self.campaign_id}-{self.cooperative_id}"


class InvoiceStatus(models.TextChoices):
    ISSUED = "issued", _("émise")
    FINANCED = "financed", _("financée à crédit (en attente)")
    PAID = "paid", _("payée")


class Invoice(models.Model):
    """A cooperative's invoice for its allocation of what arrived (sum of units × price)."""

    campaign = models.ForeignKey(Campaign, on_delete=models.PROTECT, related_name="invoices")
    cooperative = models.ForeignKey(
        "registry.Cooperative", on_delete=models.PROTECT, related_name="+"
    )
    issued_on = models.DateField(_("émise le"))
    amount = models.PositiveBigIntegerField(_("montant (F CFA)"))
    status = models.CharField(
        _("statut"), max_length=10, choices=InvoiceStatus.choices, default=InvoiceStatus.ISSUED
    )
    loan = models.ForeignKey(
        "credit.Loan",
        verbose_name=_("prêt intrant"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    history = HistoricalRecords(get_user=history_user)

    class Meta:
        verbose_name = _("facture")
        verbose_name_plural = _("factures")
        ordering = ["-issued_on", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "cooperative"], name="invoice_once")
        ]

    def __str__(self) -> str:
        return f"FA-{self.pk:06d}"


class InvoiceLine(models.Model):
    invoice = models.ForeignKey(Invoice, on_delete=models.PROTECT, related_name="lines")
    offer = models.ForeignKey(Offer, on_delete=models.PROTECT, related_name="+")
    quantity = models.PositiveIntegerField(_("quantité"))
    unit_price = models.PositiveBigIntegerField(_("prix unitaire (F CFA)"))
    amount = models.PositiveBigIntegerField(_("montant (F CFA)"))

    def __str__(self) -> str:
        return f"{self.offer_id} × {self.quantity}"


class InvoicePayment(models.Model):
    """A payment of an invoice (append-only): cash, bank, mobile money or an input loan."""

    invoice = models.ForeignKey(Invoice, on_delete=models.PROTECT, related_name="payments")
    cooperative = models.ForeignKey(
        "registry.Cooperative", on_delete=models.PROTECT, related_name="+"
    )
    on = models.DateField(_("date"))
    amount = models.PositiveBigIntegerField(_("montant (F CFA)"))
    channel = models.CharField(_("moyen de paiement"), max_length=16)
    reference = models.CharField(_("référence"), max_length=80, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("paiement de facture")
        verbose_name_plural = _("paiements de factures")

    def __str__(self) -> str:
        return f"{self.invoice_id} · {self.amount}"


class SupplierInvoice(models.Model):
    """What the group owes a supplier for a campaign: the units received × unit price."""

    campaign = models.ForeignKey(Campaign, on_delete=models.PROTECT, related_name="+")
    supplier = models.ForeignKey(Supplier, on_delete=models.PROTECT, related_name="invoices")
    group = models.ForeignKey(PurchasingGroup, on_delete=models.PROTECT, related_name="+")
    issued_on = models.DateField(_("date"))
    amount = models.PositiveBigIntegerField(_("montant (F CFA)"))
    paid_on = models.DateField(_("payée le"), null=True, blank=True)
    paid_channel = models.CharField(_("moyen de paiement"), max_length=16, blank=True)
    history = HistoricalRecords(get_user=history_user)

    class Meta:
        verbose_name = _("facture fournisseur")
        verbose_name_plural = _("factures fournisseurs")
        constraints = [
            models.UniqueConstraint(fields=["campaign", "supplier"], name="supplier_invoice_once")
        ]

    def __str__(self) -> str:
        return f"{self.supplier_id} · {self.amount}"


class MarketPrice(models.Model):
    """A market price seen by an agent or read in a bulletin (per unit, F CFA)."""

    product = models.ForeignKey(Product, on_delete=models.PROTECT, related_name="+")
    area = models.ForeignKey("geo.Area", on_delete=models.PROTECT, related_name="+")
    price = models.PositiveBigIntegerField(_("prix (F CFA par unité)"))
    observed_on = models.DateField(_("date du relevé"))
    source = models.CharField(_("source"), max_length=120, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("prix du marché")
        verbose_name_plural = _("prix du marché")
        ordering = ["-observed_on", "-id"]
        indexes = [
            models.Index(fields=["product", "observed_on"]),
            # the price page's list (newest first) and the alerts' recent window
            models.Index(fields=["-observed_on", "-id"], name="marketprice_newest_first"),
        ]

    def __str__(self) -> str:
        return f"{self.product_id} · {self.area_id} · {self.price}"


class IdempotentWrite(models.Model):
    """A money write of the API done under an ``Idempotency-Key`` (a receipt, which
    invoices, or an invoice's payment): the same key with the same body answers the first
    result and writes nothing again (docs/api.md)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=120)
    operation = models.CharField(max_length=16)  # "receive" or "pay"
    request_hash = models.CharField(max_length=64)
    target_id = models.PositiveBigIntegerField()  # the campaign received, the invoice paid
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("écriture idempotente")
        verbose_name_plural = _("écritures idempotentes")
        constraints = [
            models.UniqueConstraint(fields=["user", "key"], name="purchasing_idempotency_per_user")
        ]

    def __str__(self) -> str:
        return f"{self.user_id} · {self.operation} · {self.key}"
