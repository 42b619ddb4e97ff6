"""The solidarity value chain (chaîne de valeur solidaire): value chains (filières) with
their partners and cooperatives per level, the boutique source's opportunity register,
sites (the four boutiques), lots traced end to end (EPCIS-like: objects entering, moved,
transformed, sold), production runs, and the boutique témoin's till.

Quantities are whole units of the product's unit (purchasing.Product); money is whole
francs (XOF). Stock is kept by movements, never edited: ``StockLevel`` is the running sum
of a (site, lot)'s movements, updated in the same transaction under a row lock. Sales,
their lines and payments are append-only.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.audit import history_user
from registry.models import ValueChainStage

SiteKind = ValueChainStage  # source, technologique, production, temoin


class PartnerRole(models.TextChoices):
    ENTERPRISE = "enterprise", _("entreprise partenaire")
    TRAINING = "training_centre", _("centre de formation professionnelle")
    PROGRAMME = "programme", _("programme")
    OTHER = "other", _("autre")


class ValueChain(models.Model):
    """A filière in a territory (a department, a commune...)."""

    name = models.CharField(_("nom"), max_length=200)
    sector = models.ForeignKey(
        "registry.Sector", verbose_name=_("secteur"), on_delete=models.PROTECT, related_name="+"
    )
    area = models.ForeignKey(
        "geo.Area", verbose_name=_("territoire"), on_delete=models.PROTECT, related_name="+"
    )
    description = models.TextField(_("description"), blank=True)
    partners = models.ManyToManyField(
        "registry.Partner", through="ValueChainPartner", related_name="value_chains"
    )
    search_text = models.CharField(max_length=400, editable=False, default="")
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords(get_user=history_user)

    class Meta:
        verbose_name = _("chaîne de valeur")
        verbose_name_plural = _("chaînes de valeur")
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return self.name


class ValueChainPartner(models.Model):
    value_chain = models.ForeignKey(ValueChain, on_delete=models.PROTECT, related_name="links")
    partner = models.ForeignKey("registry.Partner", on_delete=models.PROTECT, related_name="+")
    role = models.CharField(_("rôle"), max_length=20, choices=PartnerRole.choices)
    history = HistoricalRecords(get_user=history_user)

    class Meta:
        verbose_name = _("partenaire de la chaîne")
        verbose_name_plural = _("partenaires de la chaîne")
        constraints = [
            models.UniqueConstraint(fields=["value_chain", "partner"], name="vc_partner_once")
        ]

    def __str__(self) -> str:
        return f"{self.partner_id} · {self.value_chain_id}"


class ValueChainCooperative(models.Model):
    """A cooperative at one level (boutique) of a value chain."""

    value_chain = models.ForeignKey(
        ValueChain, on_delete=models.PROTECT, related_name="cooperatives"
    )
    cooperative = models.ForeignKey(
        "registry.Cooperative", on_delete=models.PROTECT, related_name="+"
    )
    level = models.CharField(_("niveau"), max_length=16, choices=SiteKind.choices)
    joined_on = models.DateField(_("depuis le"))
    history = HistoricalRecords(get_user=history_user)

    class Meta:
        verbose_name = _("coopérative de la chaîne")
        verbose_name_plural = _("coopératives de la chaîne")
        constraints = [
            models.UniqueConstraint(
                fields=["value_chain", "cooperative", "level"], name="vc_coop_level_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.cooperative_id} · {self.level}"


class PartnerStaff(models.Model):
    """A partner enterprise's user: reads the value chains its partner sponsors."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    partner = models.ForeignKey("registry.Partner", on_delete=models.PROTECT, related_name="+")
    history = HistoricalRecords(get_user=history_user)

    class Meta:
        verbose_name = _("personnel d'un partenaire")
        verbose_name_plural = _("personnels des partenaires")
        constraints = [
            models.UniqueConstraint(fields=["user", "partner"], name="partner_staff_once")
        ]

    def __str__(self) -> str:
        return f"{self.user_id} · {self.partner_id}"


class Decision(models.TextChoices):
    PROPOSED = "proposed", _("proposée")
    GO = "go", _("retenue")
    LATER = "later", _("plus tard")
    NO = "no", _("écartée")


class Opportunity(models.Model):
    """The boutique source's register: a sector proposed with evidence, scored, decided.

    The grid (docs/valuechain.md): market, inputs, skills, jobs, risk, each 0..5; the
    score is their sum with ``market`` and ``jobs`` counted twice (0..35)."""

    area = models.ForeignKey(
        "geo.Area", verbose_name=_("territoire"), on_delete=models.PROTECT, related_name="+"
    )
    sector = models.ForeignKey(
        "registry.Sector", verbose_name=_("secteur"), on_delete=models.PROTECT, related_name="+"
    )
    title = models.CharField(_("intitulé"), max_length=200)
    market = models.TextField(_("marché (preuves)"), blank=True)
    inputs = models.TextField(_("intrants disponibles"), blank=True)
    skills = models.TextField(_("compétences"), blank=True)
    jobs_expected = models.PositiveIntegerField(_("emplois possibles"), default=0)
    proposed_on = models.DateField(_("proposée le"))
    score_market = models.PositiveSmallIntegerField(_("note marché"), default=0)
    score_inputs = models.PositiveSmallIntegerField(_("note intrants"), default=0)
    score_skills = models.PositiveSmallIntegerField(_("note compétences"), default=0)
    score_jobs = models.PositiveSmallIntegerField(_("note emplois"), default=0)
    score_risk = models.PositiveSmallIntegerField(_("note risque (5 = faible)"), default=0)
    score = models.PositiveSmallIntegerField(_("score"), default=0)
    decision = models.CharField(
        _("décision"), max_length=12, choices=Decision.choices, default=Decision.PROPOSED
    )
    decided_on = models.DateField(_("décidée le"), null=True, blank=True)
    reason = models.CharField(_("motif de la décision"), max_length=500, blank=True)
    value_chain = models.ForeignKey(
        ValueChain, null=True, blank=True, on_delete=models.PROTECT, related_name="opportunities"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords(get_user=history_user)

    class Meta:
        verbose_name = _("opportunité")
        verbose_name_plural = _("opportunités")
        ordering = ["-score", "id"]

    def __str__(self) -> str:
        return self.title


class Site(models.Model):
    """A boutique: a source office, a technology workshop, a production site, a shop."""

    name = models.CharField(_("nom"), max_length=200)
    kind = models.CharField(_("type"), max_length=16, choices=SiteKind.choices)
    commune = models.ForeignKey(
        "geo.Area", verbose_name=_("commune"), on_delete=models.PROTECT, related_name="+"
    )
    cooperative = models.ForeignKey(
        "registry.Cooperative",
        verbose_name=_("coopérative exploitante"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    value_chain = models.ForeignKey(
        ValueChain, on_delete=models.PROTECT, related_name="sites", verbose_name=_("chaîne")
    )
    commission_pct = models.PositiveSmallIntegerField(
        _("commission sur les dépôts-ventes (%)"), default=0
    )
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords(get_user=history_user)

    class Meta:
        verbose_name = _("site")
        verbose_name_plural = _("sites")
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return self.name


class Origin(models.TextChoices):
    HARVEST = "harvest", _("récolte")
    PURCHASE = "purchase", _("achat")
    PRODUCTION = "production", _("production")
    OTHER = "other", _("autre entrée")


# The lots that count as production ("production doubled", the ``production_volume``
# figure): made by a production run or entered as a harvest; never a purchase.
PRODUCED_ORIGINS = (Origin.PRODUCTION, Origin.HARVEST)


class Lot(models.Model):
    """A quantity of one product with an identity (its code, printed as a label)."""

    code = models.CharField(_("code"), max_length=20, unique=True, null=True)
    product = models.ForeignKey(
        "purchasing.Product", verbose_name=_("produit"), on_delete=models.PROTECT, related_name="+"
    )
    quantity = models.PositiveBigIntegerField(_("quantité initiale"))
    site = models.ForeignKey(
        Site, verbose_name=_("site d'origine"), on_delete=models.PROTECT, related_name="lots"
    )
    cooperative = models.ForeignKey(
        "registry.Cooperative",
        verbose_name=_("coopérative productrice"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    on = models.DateField(_("date"))
    origin = models.CharField(_("origine"), max_length=12, choices=Origin.choices)
    origin_note = models.CharField(_("précision sur l'origine"), max_length=200, blank=True)
    run = models.ForeignKey(
        "ProductionRun", null=True, blank=True, on_delete=models.PROTECT, related_name="outputs"
    )
    # Goods a cooperative received from a group purchase (issue "Buying together").
    delivery = models.ForeignKey(
        "purchasing.Delivery",
        verbose_name=_("bon de livraison de l'achat groupé"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords(get_user=history_user)

    class Meta:
        verbose_name = _("lot")
        verbose_name_plural = _("lots")
        ordering = ["-on", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["delivery", "product"],
                condition=models.Q(delivery__isnull=False),
                name="vc_lot_once_per_delivered_product",
            )
        ]

    def __str__(self) -> str:
        return self.code or f"#{self.pk}"


class ProductionRun(models.Model):
    """A transformation: input lots consumed, output lots made (EPCIS TransformationEvent)."""

    site = models.ForeignKey(Site, on_delete=models.PROTECT, related_name="runs")
    cooperative = models.ForeignKey(
        "registry.Cooperative", null=True, on_delete=models.PROTECT, related_name="+"
    )
    on = models.DateField(_("date"))
    work_days = models.PositiveIntegerField(_("journées de travail des membres"), default=0)
    quality_ok = models.BooleanField(_("contrôle qualité conforme"), null=True)
    quality_note = models.CharField(_("contrôle qualité"), max_length=300, blank=True)
    gain_reason = models.CharField(
        _("motif d'une sortie plus lourde que les entrées"), max_length=300, blank=True
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords(get_user=history_user)

    class Meta:
        verbose_name = _("production")
        verbose_name_plural = _("productions")
        ordering = ["-on", "-id"]

    def __str__(self) -> str:
        return f"{self.site_id} · {self.on}"


class RunInput(models.Model):
    run = models.ForeignKey(ProductionRun, on_delete=models.PROTECT, related_name="inputs")
    lot = models.ForeignKey(Lot, on_delete=models.PROTECT, related_name="consumed_by")
    quantity = models.PositiveBigIntegerField(_("quantité"))

    class Meta:
        verbose_name = _("entrée de production")
        verbose_name_plural = _("entrées de production")

    def __str__(self) -> str:
        return f"{self.lot_id} × {self.quantity}"


class Terms(models.TextChoices):
    CONSIGNMENT = "consignment", _("dépôt-vente")
    OUTRIGHT = "outright", _("achat ferme")


class Transfer(models.Model):
    lot = models.ForeignKey(Lot, on_delete=models.PROTECT, related_name="transfers")
    quantity = models.PositiveBigIntegerField(_("quantité"))
    from_site = models.ForeignKey(Site, on_delete=models.PROTECT, related_name="+")
    to_site = models.ForeignKey(Site, on_delete=models.PROTECT, related_name="+")
    on = models.DateField(_("date"))
    terms = models.CharField(
        _("conditions"), max_length=12, choices=Terms.choices, default=Terms.CONSIGNMENT
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("transfert")
        verbose_name_plural = _("transferts")

    def __str__(self) -> str:
        return f"{self.lot_id}: {self.from_site_id} → {self.to_site_id}"


class MovementKind(models.TextChoices):
    ENTRY = "entry", _("entrée")
    PRODUCED = "produced", _("produit")
    CONSUMED = "consumed", _("consommé en production")
    TRANSFER_OUT = "transfer_out", _("transfert sortant")
    TRANSFER_IN = "transfer_in", _("transfert entrant")
    SALE = "sale", _("vente")
    LOSS = "loss", _("perte")
    COUNT = "count", _("écart d'inventaire")


class StockMovement(models.Model):
    """Append-only: the signed quantity of a lot entering (+) or leaving (-) a site."""

    site = models.ForeignKey(Site, on_delete=models.PROTECT, related_name="movements")
    lot = models.ForeignKey(Lot, on_delete=models.PROTECT, related_name="movements")
    cooperative = models.ForeignKey(
        "registry.Cooperative", null=True, on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(_("nature"), max_length=16, choices=MovementKind.choices)
    quantity = models.BigIntegerField(_("quantité (signée)"))
    on = models.DateField(_("date"))
    transfer = models.ForeignKey(Transfer, null=True, on_delete=models.PROTECT, related_name="+")
    run = models.ForeignKey(ProductionRun, null=True, on_delete=models.PROTECT, related_name="+")
    sale = models.ForeignKey("Sale", null=True, on_delete=models.PROTECT, related_name="+")
    note = models.CharField(_("note"), max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("mouvement de stock")
        verbose_name_plural = _("mouvements de stock")
        indexes = [models.Index(fields=["lot", "site"], name="vc_move_lot_site")]

    def __str__(self) -> str:
        return f"{self.kind} {self.quantity}"


class StockLevel(models.Model):
    """The running sum of a (site, lot)'s movements (kept by the services, under lock)."""

    site = models.ForeignKey(Site, on_delete=models.PROTECT, related_name="levels")
    lot = models.ForeignKey(Lot, on_delete=models.PROTECT, related_name="levels")
    quantity = models.BigIntegerField(default=0)

    class Meta:
        verbose_name = _("stock")
        verbose_name_plural = _("stocks")
        constraints = [models.UniqueConstraint(fields=["site", "lot"], name="vc_level_once")]

    def __str__(self) -> str:
        return f"{self.site_id} · {self.lot_id} = {self.quantity}"


class Till(models.Model):
    """A shop's till: numbers its receipts, closes its day (Z report)."""

    site = models.ForeignKey(Site, on_delete=models.PROTECT, related_name="tills")
    name = models.CharField(_("nom"), max_length=80)
    last_receipt = models.PositiveIntegerField(default=0)
    history = HistoricalRecords(get_user=history_user)

    class Meta:
        verbose_name = _("caisse")
        verbose_name_plural = _("caisses")
        constraints = [models.UniqueConstraint(fields=["site", "name"], name="vc_till_name")]

    def __str__(self) -> str:
        return self.name


class Sale(models.Model):
    """A till sale. ``client_uuid`` is made on the device: a replay answers this row."""

    client_uuid = models.UUIDField(unique=True)
    site = models.ForeignKey(Site, on_delete=models.PROTECT, related_name="sales")
    till = models.ForeignKey(Till, on_delete=models.PROTECT, related_name="sales")
    cooperative = models.ForeignKey(
        "registry.Cooperative", null=True, on_delete=models.PROTECT, related_name="+"
    )
    receipt_number = models.PositiveIntegerField(_("numéro de ticket"))
    sold_at = models.DateTimeField(_("vendu le"))
    total = models.PositiveBigIntegerField(_("total (F CFA)"))
    buyer_phone = models.CharField(_("téléphone de l'acheteur"), max_length=20, blank=True)
    below_zero = models.BooleanField(_("stock passé sous zéro"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("vente")
        verbose_name_plural = _("ventes")
        ordering = ["-sold_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["till", "receipt_number"], name="vc_receipt_once")
        ]
        indexes = [models.Index(fields=["site", "sold_at"], name="vc_sale_site_at")]

    def __str__(self) -> str:
        return f"{self.till_id}-{self.receipt_number}"


class SaleLine(models.Model):
    sale = models.ForeignKey(Sale, on_delete=models.PROTECT, related_name="lines")
    lot = models.ForeignKey(Lot, on_delete=models.PROTECT, related_name="sale_lines")
    quantity = models.PositiveBigIntegerField(_("quantité"))
    unit_price = models.PositiveBigIntegerField(_("prix unitaire (F CFA)"))
    amount = models.PositiveBigIntegerField(_("montant (F CFA)"))
    consignor = models.ForeignKey(
        "registry.Cooperative",
        verbose_name=_("déposant"),
        null=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    settlement = models.ForeignKey(
        "Settlement", null=True, on_delete=models.PROTECT, related_name="lines"
    )

    class Meta:
        verbose_name = _("ligne de vente")
        verbose_name_plural = _("lignes de vente")

    def __str__(self) -> str:
        return f"{self.lot_id} × {self.quantity}"


class SalePayment(models.Model):
    sale = models.ForeignKey(Sale, on_delete=models.PROTECT, related_name="payments")
    channel = models.CharField(_("moyen"), max_length=16)
    amount = models.PositiveBigIntegerField(_("montant (F CFA)"))
    reference = models.CharField(_("référence"), max_length=80, blank=True)
    confirmed = models.BooleanField(_("confirmé"), default=True)

    class Meta:
        verbose_name = _("paiement d'une vente")
        verbose_name_plural = _("paiements des ventes")

    def __str__(self) -> str:
        return f"{self.channel} {self.amount}"


class TillClosing(models.Model):
    """The Z report: a till's day closed, cash counted against expected."""

    till = models.ForeignKey(Till, on_delete=models.PROTECT, related_name="closings")
    on = models.DateField(_("journée"))
    sales_count = models.PositiveIntegerField(default=0)
    total = models.PositiveBigIntegerField(default=0)
    expected_cash = models.PositiveBigIntegerField(_("espèces attendues"))
    counted_cash = models.PositiveBigIntegerField(_("espèces comptées"))
    mobile_money = models.PositiveBigIntegerField(default=0)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("clôture de caisse (Z)")
        verbose_name_plural = _("clôtures de caisse (Z)")
        constraints = [models.UniqueConstraint(fields=["till", "on"], name="vc_z_once")]

    def __str__(self) -> str:
        return f"Z {self.till_id} {self.on}"

    @property
    def difference(self) -> int:
        return self.counted_cash - self.expected_cash


class Settlement(models.Model):
    """A consignment settlement: a producing cooperative paid its period's sales at a shop
    less the shop's commission."""

    site = models.ForeignKey(Site, on_delete=models.PROTECT, related_name="settlements")
    cooperative = models.ForeignKey(
        "registry.Cooperative", on_delete=models.PROTECT, related_name="+"
    )
    period_from = models.DateField(_("du"))
    period_to = models.DateField(_("au"))
    gross = models.PositiveBigIntegerField(_("ventes (F CFA)"))
    commission_pct = models.PositiveSmallIntegerField(_("commission (%)"))
    commission = models.PositiveBigIntegerField(_("commission (F CFA)"))
    net = models.PositiveBigIntegerField(_("net à payer (F CFA)"))
    paid_on = models.DateField(_("payé le"))
    channel = models.CharField(_("moyen"), max_length=16)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("règlement de dépôt-vente")
        verbose_name_plural = _("règlements de dépôt-vente")
        constraints = [
            models.UniqueConstraint(
                fields=["site", "cooperative", "period_from", "period_to"],
                name="vc_settlement_once",
            )
        ]

    def __str__(self) -> str:
        return f"{self.site_id} · {self.cooperative_id} · {self.period_to}"


class PurchaseInvoice(models.Model):
    """Goods bought outright: the producing cooperative's invoice to the shop's, made with
    the transfer that brings the goods in (numbered per supplier), paid once."""

    transfer = models.OneToOneField(Transfer, on_delete=models.PROTECT, related_name="invoice")
    supplier = models.ForeignKey(
        "registry.Cooperative",
        verbose_name=_("fournisseur"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    buyer = models.ForeignKey(
        "registry.Cooperative", verbose_name=_("client"), on_delete=models.PROTECT, related_name="+"
    )
    number = models.PositiveIntegerField(_("numéro de facture"))
    issued_on = models.DateField(_("date de facture"))
    quantity = models.PositiveBigIntegerField(_("quantité"))
    unit_price = models.PositiveBigIntegerField(_("prix unitaire (F CFA)"))
    amount = models.PositiveBigIntegerField(_("montant (F CFA)"))
    paid_on = models.DateField(_("payée le"), null=True, blank=True)
    channel = models.CharField(_("moyen de paiement"), max_length=16, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords(get_user=history_user)

    class Meta:
        verbose_name = _("facture d'achat ferme")
        verbose_name_plural = _("factures d'achat ferme")
        constraints = [
            models.UniqueConstraint(fields=["supplier", "number"], name="vc_invoice_number_once")
        ]

    def __str__(self) -> str:
        return f"F{self.issued_on:%y}-{self.supplier_id}-{self.number:05d}"


# --- the boutique technologique: innovation projects, shared equipment -------------------


class ProjectKind(models.TextChoices):
    PRODUCT = "product", _("produit")
    PROCESS = "process", _("procédé")
    PACKAGING = "packaging", _("emballage")


class ProjectStatus(models.TextChoices):
    ONGOING = "ongoing", _("en cours")
    ADOPTED = "adopted", _("adoptée (passe en production)")
    DROPPED = "dropped", _("abandonnée")


class InnovationProject(models.Model):
    """An innovation of the boutique technologique: a product, a process or packaging,
    worked on at a technology site, with its prototypes and tests (``ProjectTrial``)."""

    site = models.ForeignKey(Site, on_delete=models.PROTECT, related_name="projects")
    title = models.CharField(_("intitulé"), max_length=200)
    kind = models.CharField(_("nature"), max_length=12, choices=ProjectKind.choices)
    cooperative = models.ForeignKey(
        "registry.Cooperative",
        verbose_name=_("coopérative porteuse"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    description = models.TextField(_("description"), blank=True)
    started_on = models.DateField(_("commencé le"))
    status = models.CharField(
        _("état"), max_length=12, choices=ProjectStatus.choices, default=ProjectStatus.ONGOING
    )
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords(get_user=history_user)

    class Meta:
        verbose_name = _("projet d'innovation")
        verbose_name_plural = _("projets d'innovation")
        ordering = ["-started_on", "-id"]

    def __str__(self) -> str:
        return self.title


class TrialKind(models.TextChoices):
    PROTOTYPE = "prototype", _("prototype")
    TEST = "test", _("essai")


class ProjectTrial(models.Model):
    """A prototype made or a test run for a project, with its result (append-only)."""

    project = models.ForeignKey(InnovationProject, on_delete=models.PROTECT, related_name="trials")
    kind = models.CharField(_("nature"), max_length=12, choices=TrialKind.choices)
    on = models.DateField(_("date"))
    description = models.CharField(_("description"), max_length=500)
    result = models.CharField(_("résultat"), max_length=500, blank=True)
    success = models.BooleanField(_("concluant"), null=True)
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords(get_user=history_user)

    class Meta:
        verbose_name = _("prototype ou essai")
        verbose_name_plural = _("prototypes et essais")
        ordering = ["on", "id"]

    def __str__(self) -> str:
        return f"{self.project_id} · {self.kind} · {self.on}"


class EquipmentKind(models.TextChoices):
    PRESS = "press", _("presse")
    DRYER = "dryer", _("séchoir")
    MILL = "mill", _("moulin")
    OTHER = "other", _("autre")


class Equipment(models.Model):
    """Shared equipment of a technology site, booked by the cooperatives of its chain and
    invoiced by the hour."""

    site = models.ForeignKey(Site, on_delete=models.PROTECT, related_name="equipment")
    name = models.CharField(_("nom"), max_length=120)
    kind = models.CharField(_("nature"), max_length=12, choices=EquipmentKind.choices)
    hourly_rate = models.PositiveIntegerField(_("tarif horaire (F CFA)"))
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords(get_user=history_user)

    class Meta:
        verbose_name = _("équipement partagé")
        verbose_name_plural = _("équipements partagés")
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return self.name


class BookingStatus(models.TextChoices):
    BOOKED = "booked", _("réservée")
    USED = "used", _("utilisée, facturée")
    CANCELLED = "cancelled", _("annulée")


class EquipmentBooking(models.Model):
    """A slot of shared equipment booked by a cooperative; its use is recorded in hours
    and the usage fee (hours × hourly rate) invoiced to the cooperative."""

    equipment = models.ForeignKey(Equipment, on_delete=models.PROTECT, related_name="bookings")
    cooperative = models.ForeignKey(
        "registry.Cooperative", on_delete=models.PROTECT, related_name="+"
    )
    starts_at = models.DateTimeField(_("début"))
    ends_at = models.DateTimeField(_("fin"))
    status = models.CharField(
        _("état"), max_length=12, choices=BookingStatus.choices, default=BookingStatus.BOOKED
    )
    hours_used = models.DecimalField(
        _("heures d'utilisation"), max_digits=6, decimal_places=2, null=True, blank=True
    )
    fee = models.PositiveBigIntegerField(_("redevance (F CFA)"), null=True, blank=True)
    used_on = models.DateField(_("utilisé le"), null=True, blank=True)
    booked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords(get_user=history_user)

    class Meta:
        verbose_name = _("réservation d'équipement")
        verbose_name_plural = _("réservations d'équipement")
        ordering = ["starts_at", "id"]
        indexes = [models.Index(fields=["equipment", "starts_at"], name="vc_booking_eq_start")]

    def __str__(self) -> str:
        return f"{self.equipment_id} · {self.starts_at:%Y-%m-%d %H:%M}"
