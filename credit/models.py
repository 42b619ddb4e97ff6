from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.audit import history_user


class LenderKind(models.TextChoices):
    PROGRAMME_FUND = "fonds", _("fonds du programme")
    MEC = "mec", _("mutuelle d'épargne et de crédit (MEC)")
    BANK = "banque", _("banque")


class Lender(models.Model):
    """The programme's fund or a partner institution; its users see only its loans."""

    name = models.CharField(_("nom"), max_length=160, unique=True)
    kind = models.CharField(_("type"), max_length=12, choices=LenderKind.choices)
    area = models.ForeignKey(
        "geo.Area",
        verbose_name=_("zone d'intervention"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
    )
    history = HistoricalRecords(get_user=history_user)

    class Meta:
        verbose_name = _("prêteur")
        verbose_name_plural = _("prêteurs")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class UsuryCategory(models.TextChoices):
    SFD = "sfd", _("système financier décentralisé (microfinance)")
    BANK = "banque", _("banque")


class UsuryCap(models.Model):
    """The usury cap on the effective global rate (TEG), dated: the latest in force applies."""

    category = models.CharField(_("catégorie"), max_length=8, choices=UsuryCategory.choices)
    rate = models.DecimalField(_("taux plafond (%)"), max_digits=5, decimal_places=2)
    effective_from = models.DateField(_("en vigueur à partir du"))
    source = models.CharField(_("source"), max_length=200, blank=True)
    history = HistoricalRecords(get_user=history_user)

    class Meta:
        verbose_name = _("taux de l'usure")
        verbose_name_plural = _("taux de l'usure")
        ordering = ["category", "-effective_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["category", "effective_from"], name="usury_cap_one_per_day"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_category_display()} {self.rate} % ({self.effective_from})"


class InterestMethod(models.TextChoices):
    FLAT = "flat", _("taux fixe sur capital initial (flat)")
    DECLINING = "declining", _("dégressif (capital restant dû)")


class Amortization(models.TextChoices):
    ANNUITY = "annuity", _("échéances constantes")
    EQUAL_PRINCIPAL = "equal_principal", _("amortissement constant du capital")


class Frequency(models.TextChoices):
    MONTHLY = "monthly", _("mensuelle")
    WEEKLY = "weekly", _("hebdomadaire")


class DayCount(models.TextChoices):
    D30_360 = "30/360", _("30/360")
    ACTUAL_365 = "actual/365", _("jours réels/365")


DEFAULT_ALLOCATION_ORDER = "penalty,fee,interest,principal"


class LoanProduct(models.Model):
    """A lender's loan product: how interest, fees, penalties and repayments work."""

    lender = models.ForeignKey(
        Lender, verbose_name=_("prêteur"), on_delete=models.PROTECT, related_name="products"
    )
    name = models.CharField(_("nom"), max_length=160)
    interest_method = models.CharField(
        _("mode de calcul des intérêts"),
        max_length=12,
        choices=InterestMethod.choices,
        default=InterestMethod.DECLINING,
    )
    amortization = models.CharField(
        _("amortissement"),
        max_length=16,
        choices=Amortization.choices,
        default=Amortization.ANNUITY,
    )
    annual_rate = models.DecimalField(_("taux annuel (%)"), max_digits=6, decimal_places=3)
    day_count = models.CharField(
        _("base de calcul"), max_length=12, choices=DayCount.choices, default=DayCount.D30_360
    )
    term_months = models.PositiveSmallIntegerField(_("durée (mois)"))
    frequency = models.CharField(
        _("périodicité"), max_length=8, choices=Frequency.choices, default=Frequency.MONTHLY
    )
    grace_periods = models.PositiveSmallIntegerField(
        _("différé sur le capital (échéances)"), default=0
    )
    grace_on_interest = models.BooleanField(_("différé aussi sur les intérêts"), default=False)
    fee_rate = models.DecimalField(
        _("frais de dossier (% du capital)"), max_digits=5, decimal_places=2, default=0
    )
    fee_fixed = models.PositiveIntegerField(_("frais fixes (F CFA)"), default=0)
    penalty_rate = models.DecimalField(
        _("taux de pénalité de retard (% l'an)"), max_digits=5, decimal_places=2, default=0
    )
    arrears_tolerance = models.PositiveIntegerField(_("tolérance d'impayé (F CFA)"), default=0)
    allocation_order = models.CharField(
        _("ordre d'imputation"), max_length=40, default=DEFAULT_ALLOCATION_ORDER
    )
    repayment_months = models.JSONField(
        _("mois de remboursement (saisonnier)"), default=list, blank=True
    )
    min_principal = models.PositiveBigIntegerField(_("montant minimum"), default=0)
    max_principal = models.PositiveBigIntegerField(_("montant maximum"), null=True, blank=True)
    effective_rate = models.DecimalField(
        _("TEG (%)"), max_digits=7, decimal_places=2, editable=False, default=0
    )
    active = models.BooleanField(_("actif"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    history = HistoricalRecords(get_user=history_user)

    class Meta:
        verbose_name = _("produit de crédit")
        verbose_name_plural = _("produits de crédit")
        ordering = ["lender__name", "name"]
        constraints = [
            models.UniqueConstraint(fields=["lender", "name"], name="loan_product_name_per_lender")
        ]

    def __str__(self) -> str:
        return self.name


class LoanStatus(models.TextChoices):
    APPLICATION = "application", _("demande")
    APPROVED = "approved", _("approuvé")
    REJECTED = "rejected", _("rejeté")
    ACTIVE = "active", _("en cours")
    CLOSED = "closed", _("soldé")
    WRITTEN_OFF = "written_off", _("passé en perte")


class Loan(models.Model):
    """A loan to a cooperative or to a person (through a cooperative, when there is one)."""

    lender = models.ForeignKey(Lender, verbose_name=_("prêteur"), on_delete=models.PROTECT)
    product = models.ForeignKey(LoanProduct, verbose_name=_("produit"), on_delete=models.PROTECT)
    borrower_cooperative = models.ForeignKey(
        "registry.Cooperative",
        verbose_name=_("coopérative emprunteuse"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="loans",
    )
    borrower_person = models.ForeignKey(
        "registry.Person",
        verbose_name=_("personne emprunteuse"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="loans",
    )
    cooperative = models.ForeignKey(
        "registry.Cooperative",
        verbose_name=_("coopérative"),
        help_text=_("La coopérative emprunteuse, ou celle par laquelle passe le prêt."),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    area = models.ForeignKey(
        "geo.Area",
        verbose_name=_("commune de l'emprunteur"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    principal = models.PositiveBigIntegerField(_("montant (F CFA)"))
    purpose = models.CharField(_("objet"), max_length=255, blank=True)
    status = models.CharField(
        _("statut"), max_length=12, choices=LoanStatus.choices, default=LoanStatus.APPLICATION
    )
    terms = models.JSONField(_("conditions"), default=dict, editable=False)
    effective_rate = models.DecimalField(
        _("TEG (%)"), max_digits=7, decimal_places=2, default=0, editable=False
    )
    applied_on = models.DateField(_("date de la demande"))
    approved_on = models.DateField(_("date d'approbation"), null=True, blank=True)
    disbursed_on = models.DateField(_("date de décaissement"), null=True, blank=True)
    disbursement_channel = models.CharField(
        _("canal du décaissement"),
        max_length=16,
        blank=True,
        default="",
        help_text=_("Espèces, banque ou mobile money : le journal des livres de la coopérative."),
    )
    closed_on = models.DateField(_("date de clôture"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", editable=False
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
    )
    # Figures recomputed by repayments and by the nightly job (portfolio_refresh).
    outstanding_principal = models.BigIntegerField(_("capital restant dû"), default=0)
    arrears_amount = models.BigIntegerField(_("montant impayé"), default=0)
    days_past_due = models.PositiveIntegerField(_("jours de retard"), default=0)
    figures_as_of = models.DateField(_("chiffres au"), null=True, blank=True)
    # The period's recovery: what fell due from 1 January to the day (principal, interest,
    # fees of the current schedule) and what had been collected on it by then, the same on
    # every day from period_as_of to period_until (same year; nothing of the loan falls
    # due and no payment is dated in between). Refreshed with the figures above and, for
    # the loans closed during the year, by the nightly job (credit/portfolio.py). The
    # portfolio sums them instead of the instalments.
    period_due = models.BigIntegerField(_("échu sur la période"), default=0, editable=False)
    period_collected = models.BigIntegerField(
        _("recouvré sur la période"), default=0, editable=False
    )
    period_as_of = models.DateField(_("période du"), null=True, blank=True, editable=False)
    period_until = models.DateField(_("période au"), null=True, blank=True, editable=False)
    search_text = models.CharField(max_length=400, editable=False, default="")
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords(get_user=history_user)

    class Meta:
        verbose_name = _("prêt")
        verbose_name_plural = _("prêts")
        ordering = ["-applied_on", "-id"]
        constraints = [
            models.CheckConstraint(
                name="loan_one_borrower",
                condition=(
                    models.Q(borrower_cooperative__isnull=False, borrower_person__isnull=True)
                    | models.Q(borrower_cooperative__isnull=True, borrower_person__isnull=False)
                ),
            ),
        ]
        indexes = [
            models.Index(fields=["status", "days_past_due"]),
            models.Index(fields=["lender", "status"]),
            # The arrears list's order (credit.selectors.arrears_list) over the late loans
            # only: a page reads its rows in order instead of sorting the whole region.
            models.Index(
                fields=["-days_past_due", "-arrears_amount", "id", "area"],
                condition=models.Q(status=LoanStatus.ACTIVE, days_past_due__gt=0),
                name="loan_arrears_order",
            ),
            # the arrears list's count for an agent's areas: read from this index alone
            # (loan_arrears_order holds the area last: the count read every late loan of
            # the country, 7 ms for a region at the household scale, 0.75 now)
            models.Index(
                fields=["area"],
                condition=models.Q(status=LoanStatus.ACTIVE, days_past_due__gt=0),
                name="loan_arrears_by_area",
            ),
        ]

    def __str__(self) -> str:
        return f"Prêt n° {self.pk} · {self.borrower}"

    @property
    def borrower(self):
        return self.borrower_cooperative or self.borrower_person


class Instalment(models.Model):
    """One due date of a loan's schedule. Amounts due never change; paid columns are running
    sums of the (append-only) allocation lines."""

    loan = models.ForeignKey(Loan, on_delete=models.CASCADE, related_name="instalments")
    cooperative = models.ForeignKey(
        "registry.Cooperative", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    number = models.PositiveSmallIntegerField(_("numéro"))
    due_on = models.DateField(_("échéance"))
    principal_due = models.BigIntegerField(_("capital"), default=0)
    interest_due = models.BigIntegerField(_("intérêts"), default=0)
    fee_due = models.BigIntegerField(_("frais"), default=0)
    penalty_due = models.BigIntegerField(_("pénalités"), default=0)
    principal_paid = models.BigIntegerField(default=0)
    interest_paid = models.BigIntegerField(default=0)
    fee_paid = models.BigIntegerField(default=0)
    penalty_paid = models.BigIntegerField(default=0)
    interest_waived = models.BigIntegerField(_("intérêts remis"), default=0)
    penalty_accrued_to = models.DateField(null=True, blank=True)
    superseded = models.BooleanField(_("remplacée (rééchelonnement)"), default=False)

    class Meta:
        verbose_name = _("échéance")
        verbose_name_plural = _("échéances")
        ordering = ["loan", "number"]
        constraints = [
            models.UniqueConstraint(fields=["loan", "number"], name="instalment_number_per_loan")
        ]
        indexes = [models.Index(fields=["due_on"])]

    def __str__(self) -> str:
        return f"{self.loan_id} #{self.number} {self.due_on}"

    @property
    def total_due(self) -> int:
        return self.principal_due + self.interest_due + self.fee_due + self.penalty_due

    @property
    def total_paid(self) -> int:
        return self.principal_paid + self.interest_paid + self.fee_paid + self.penalty_paid

    @property
    def remaining(self) -> int:
        return self.total_due - self.total_paid - self.interest_waived


class Channel(models.TextChoices):
    CASH = "cash", _("espèces")
    BANK = "bank", _("banque")
    MOBILE_MONEY = "mobile_money", _("mobile money")
    DEDUCTION = "deduction", _("retenue au décaissement")


class Repayment(models.Model):
    """A payment received (append-only). A correction is a reversal: a new row with the
    opposite amount pointing to the reversed one."""

    loan = models.ForeignKey(Loan, on_delete=models.PROTECT, related_name="repayments")
    cooperative = models.ForeignKey(
        "registry.Cooperative", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    amount = models.BigIntegerField(_("montant (F CFA)"))
    paid_on = models.DateField(_("date du paiement"))
    channel = models.CharField(_("canal"), max_length=16, choices=Channel.choices)
    reference = models.CharField(_("référence"), max_length=80, blank=True)
    reverses = models.OneToOneField(
        "self",
        verbose_name=_("annule"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="reversed_by",
    )
    note = models.CharField(_("motif"), max_length=255, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("remboursement")
        verbose_name_plural = _("remboursements")
        ordering = ["-paid_on", "-id"]
        indexes = [models.Index(fields=["loan", "paid_on"])]

    def __str__(self) -> str:
        return f"{self.loan_id} · {self.amount} F · {self.paid_on}"


class Allocation(models.Model):
    """The part of a repayment (or its reversal, negative) put on one instalment component."""

    repayment = models.ForeignKey(Repayment, on_delete=models.PROTECT, related_name="lines")
    instalment = models.ForeignKey(Instalment, on_delete=models.PROTECT, related_name="lines")
    loan = models.ForeignKey(Loan, on_delete=models.PROTECT, related_name="+")
    cooperative = models.ForeignKey(
        "registry.Cooperative", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    component = models.CharField(max_length=10)
    amount = models.BigIntegerField()
    paid_on = models.DateField()

    class Meta:
        verbose_name = _("imputation")
        verbose_name_plural = _("imputations")
        # paid_on alone: the portfolio's recovery takes back the few lines paid after its day
        indexes = [models.Index(fields=["loan", "paid_on"]), models.Index(fields=["paid_on"])]

    def __str__(self) -> str:
        return f"{self.repayment_id} → {self.instalment_id} {self.component} {self.amount}"


class EventKind(models.TextChoices):
    APPLIED = "applied", _("demande enregistrée")
    APPROVED = "approved", _("approuvé")
    REJECTED = "rejected", _("rejeté")
    DISBURSED = "disbursed", _("décaissé")
    REPAYMENT = "repayment", _("remboursement")
    REVERSAL = "reversal", _("annulation de remboursement")
    PENALTY = "penalty", _("pénalités de retard")
    CLOSED = "closed", _("soldé")
    RESCHEDULE_REQUESTED = "reschedule_requested", _("rééchelonnement demandé")
    RESCHEDULED = "rescheduled", _("rééchelonné")
    WRITE_OFF_REQUESTED = "write_off_requested", _("passage en perte demandé")
    WRITTEN_OFF = "written_off", _("passé en perte")
    REQUEST_REJECTED = "request_rejected", _("demande refusée")


class LoanEvent(models.Model):
    """Who did what to a loan, and when (append-only)."""

    loan = models.ForeignKey(Loan, on_delete=models.CASCADE, related_name="events")
    cooperative = models.ForeignKey(
        "registry.Cooperative", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(_("étape"), max_length=24, choices=EventKind.choices)
    on = models.DateField(_("date"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField(auto_now_add=True)
    detail = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name = _("événement de prêt")
        verbose_name_plural = _("événements de prêt")
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.loan_id} {self.kind} {self.on}"


class ChangeKind(models.TextChoices):
    RESCHEDULE = "reschedule", _("rééchelonnement")
    WRITE_OFF = "write_off", _("passage en perte")


class ChangeStatus(models.TextChoices):
    PENDING = "pending", _("en attente")
    APPROVED = "approved", _("approuvée")
    REJECTED = "rejected", _("refusée")


class LoanChangeRequest(models.Model):
    """A reschedule or a write-off: asked by one user, approved by another."""

    loan = models.ForeignKey(Loan, on_delete=models.PROTECT, related_name="change_requests")
    cooperative = models.ForeignKey(
        "registry.Cooperative", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(_("nature"), max_length=12, choices=ChangeKind.choices)
    on = models.DateField(_("date d'effet"))
    params = models.JSONField(_("paramètres"), default=dict, blank=True)
    reason = models.CharField(_("motif"), max_length=255)
    status = models.CharField(
        _("statut"), max_length=10, choices=ChangeStatus.choices, default=ChangeStatus.PENDING
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField(auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    history = HistoricalRecords(get_user=history_user)

    class Meta:
        verbose_name = _("demande de modification de prêt")
        verbose_name_plural = _("demandes de modification de prêt")
        ordering = ["-requested_at"]

    def __str__(self) -> str:
        return f"{self.loan_id} {self.kind} {self.status}"


class IdempotencyRecord(models.Model):
    """A money write done under an ``Idempotency-Key``: same key, same body -> same answer."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=120)
    request_hash = models.CharField(max_length=64)
    repayment = models.ForeignKey(Repayment, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "key"], name="idempotency_key_per_user")
        ]

    def __str__(self) -> str:
        return f"{self.user_id} {self.key}"


class ActionKind(models.TextChoices):
    CALL = "call", _("appel")
    VISIT = "visit", _("visite")
    LETTER = "letter", _("lettre de relance")
    GUARANTOR = "guarantor", _("contact de la caution")
    MEDIATION = "mediation", _("médiation")


class RecoveryAction(models.Model):
    """A recovery step on a loan in arrears, with an optional promise to pay."""

    loan = models.ForeignKey(Loan, on_delete=models.PROTECT, related_name="recovery_actions")
    cooperative = models.ForeignKey(
        "registry.Cooperative", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(_("action"), max_length=12, choices=ActionKind.choices)
    on = models.DateField(_("date"))
    note = models.CharField(_("compte rendu"), max_length=500, blank=True)
    promise_amount = models.PositiveBigIntegerField(_("promesse : montant"), null=True, blank=True)
    promise_on = models.DateField(_("promesse : date"), null=True, blank=True)
    follow_up_on = models.DateField(_("date de suivi"), null=True, blank=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords(get_user=history_user)

    class Meta:
        verbose_name = _("action de recouvrement")
        verbose_name_plural = _("actions de recouvrement")
        ordering = ["-on", "-id"]

    def __str__(self) -> str:
        return f"{self.loan_id} {self.kind} {self.on}"


class ReminderKind(models.TextChoices):
    BEFORE = "before", _("rappel avant échéance")
    LATE = "late", _("relance après échéance")


class Reminder(models.Model):
    """An SMS reminder sent about one instalment (at most one of each kind and step)."""

    loan = models.ForeignKey(Loan, on_delete=models.CASCADE, related_name="reminders")
    cooperative = models.ForeignKey(
        "registry.Cooperative", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    instalment = models.ForeignKey(Instalment, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(_("nature"), max_length=8, choices=ReminderKind.choices)
    days = models.IntegerField(_("jours par rapport à l'échéance"))
    sent_on = models.DateField(_("envoyé le"))
    phone = models.CharField(_("téléphone"), max_length=20)
    text = models.TextField(_("texte"))
    message_id = models.CharField(max_length=100, blank=True)

    class Meta:
        verbose_name = _("rappel SMS")
        verbose_name_plural = _("rappels SMS")
        constraints = [
            models.UniqueConstraint(
                fields=["instalment", "kind", "days"], name="reminder_once_per_step"
            )
        ]

    def __str__(self) -> str:
        return f"{self.loan_id} {self.kind} {self.sent_on}"


class PortfolioSums(models.Model):
    """The portfolio's sums of one day for a group of loans of one commune (``Loan.area``)
    and lender in one aging bucket (credit/rollups.py), stored at two grains: per product
    and sector (``PortfolioRollup``) and per lender only (``PortfolioRollupLender``).
    ``par1``, ``par30``, ``par90``: the outstanding of those more than 0, 30 and 90 days
    late; ``due``, ``collected``: the period's (from 1 January). Technical: recomputed from
    the loans when their commune changes (``geo.changes``) and by the nightly job."""

    as_of = models.DateField()
    area = models.ForeignKey("geo.Area", on_delete=models.CASCADE, related_name="+")
    lender = models.ForeignKey(Lender, on_delete=models.CASCADE, related_name="+")
    bucket = models.CharField(max_length=8)
    count = models.PositiveIntegerField(default=0)
    outstanding = models.BigIntegerField(default=0)
    arrears = models.BigIntegerField(default=0)
    par1 = models.BigIntegerField(default=0)
    par30 = models.BigIntegerField(default=0)
    par90 = models.BigIntegerField(default=0)
    due = models.BigIntegerField(default=0)
    collected = models.BigIntegerField(default=0)
    computed_at = models.DateTimeField()

    class Meta:
        abstract = True


class PortfolioRollup(PortfolioSums):
    """The portfolio's sums of one day per commune, lender, product, sector (the
    cooperative's; none for a loan without one) and aging bucket: what
    ``credit.selectors.portfolio`` sums instead of the loans when a product or a sector is
    asked (:class:`PortfolioSums`)."""

    product = models.ForeignKey(LoanProduct, on_delete=models.CASCADE, related_name="+")
    sector = models.ForeignKey(
        "registry.Sector", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )

    class Meta:
        verbose_name = _("cumul du portefeuille")
        verbose_name_plural = _("cumuls du portefeuille")
        indexes = [models.Index(fields=["as_of", "area"])]

    def __str__(self) -> str:
        return f"{self.as_of} {self.area_id}/{self.lender_id}/{self.product_id} {self.bucket}"


class PortfolioRollupLender(PortfolioSums):
    """The same sums per commune, lender and aging bucket only (the rows of
    ``PortfolioRollup`` summed over products and sectors, written with them): what
    ``credit.selectors.portfolio`` sums when neither a product nor a sector is asked, fewer
    rows (:class:`PortfolioSums`)."""

    class Meta:
        verbose_name = _("cumul du portefeuille par prêteur")
        verbose_name_plural = _("cumuls du portefeuille par prêteur")
        indexes = [models.Index(fields=["as_of", "area"])]

    def __str__(self) -> str:
        return f"{self.as_of} {self.area_id}/{self.lender_id} {self.bucket}"


class PortfolioRollupStamp(models.Model):
    """When the portfolio rollups of one commune and day were computed (a commune without
    loans has its stamp and no rows): they are stale once a change of the commune that
    counts on the day was marked after it (``geo.AreaChange``)."""

    as_of = models.DateField()
    area = models.ForeignKey("geo.Area", on_delete=models.CASCADE, related_name="+")
    computed_at = models.DateTimeField()

    class Meta:
        verbose_name = _("calcul des cumuls du portefeuille")
        verbose_name_plural = _("calculs des cumuls du portefeuille")
        constraints = [
            models.UniqueConstraint(fields=["area", "as_of"], name="portfolio_rollup_stamp_unique")
        ]
        indexes = [models.Index(fields=["as_of"])]

    def __str__(self) -> str:
        return f"{self.as_of} {self.area_id} @ {self.computed_at:%Y-%m-%d %H:%M:%S}"


class FiguresRun(models.Model):
    """One run of the nightly job's refresh of the loans' stored figures (arrears, days
    past due, outstanding), written when it ends. Its bulk UPDATE writes no history: a
    device's pull of changes sends every loan again after a run it has not seen
    (sync/pull.py)."""

    as_of = models.DateField()
    finished_at = models.DateTimeField()
    seen = models.PositiveIntegerField(default=0)
    changed = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("calcul des chiffres des prêts")
        verbose_name_plural = _("calculs des chiffres des prêts")

    def __str__(self) -> str:
        return f"{self.as_of} @ {self.finished_at:%Y-%m-%d %H:%M:%S} ({self.changed})"
