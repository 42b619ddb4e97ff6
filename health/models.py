"""Mutual health insurance (mutuelles de santé): schemes and their product terms,
benefits, providers with conventions and tariffs, households, contributions, claims.

Contributions and claim payments are money: append-only rows, never edited. A household
keeps its running coverage (``covered_until``, ``credit``), changed only by
``health.services`` under a row lock.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.audit import history_user


class Scheme(models.Model):
    """A mutuelle de santé (per country, commune or sector) and its product terms."""

    name = models.CharField(_("nom"), max_length=160, unique=True)
    country = models.CharField(_("pays"), max_length=2, help_text=_("code ISO 3166-1"))
    area = models.ForeignKey(
        "geo.Area",
        verbose_name=_("zone"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    sector = models.CharField(_("secteur"), max_length=80, blank=True)
    joining_fee = models.PositiveIntegerField(_("droit d'adhésion par personne (F CFA)"))
    monthly_contribution = models.PositiveIntegerField(
        _("cotisation mensuelle par personne (F CFA)")
    )
    waiting_days = models.PositiveSmallIntegerField(_("délai de carence (jours)"), default=0)
    child_age_limit = models.PositiveSmallIntegerField(_("âge limite des enfants"), default=18)
    annual_ceiling = models.PositiveBigIntegerField(
        _("plafond annuel par personne (F CFA, 0 = aucun)"), default=0
    )
    reminder_days = models.PositiveSmallIntegerField(
        _("rappel SMS avant la fin de la couverture (jours)"), default=7
    )
    active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords(get_user=history_user)

    class Meta:
        verbose_name = _("mutuelle de santé")
        verbose_name_plural = _("mutuelles de santé")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class AgeBand(models.Model):
    """A monthly contribution for the persons whose age lies in [min_age, max_age]."""

    scheme = models.ForeignKey(Scheme, on_delete=models.CASCADE, related_name="age_bands")
    min_age = models.PositiveSmallIntegerField(_("âge minimum"))
    max_age = models.PositiveSmallIntegerField(_("âge maximum"))
    monthly_contribution = models.PositiveIntegerField(_("cotisation mensuelle (F CFA)"))
    history = HistoricalRecords(get_user=history_user)

    class Meta:
        verbose_name = _("tranche d'âge")
        verbose_name_plural = _("tranches d'âge")
        ordering = ["scheme", "min_age"]

    def __str__(self) -> str:
        return f"{self.min_age}-{self.max_age}: {self.monthly_contribution}"


class BenefitKind(models.TextChoices):
    CONSULTATION = "consultation", _("consultation")
    HOSPITALISATION = "hospitalisation", _("hospitalisation")
    MATERNITY = "maternity", _("maternité")
    MEDICINES = "medicines", _("médicaments")


class Benefit(models.Model):
    """A benefit of a scheme: the member's copayment rate and annual ceilings."""

    scheme = models.ForeignKey(Scheme, on_delete=models.CASCADE, related_name="benefits")
    kind = models.CharField(_("prestation"), max_length=20, choices=BenefitKind.choices)
    copayment_percent = models.PositiveSmallIntegerField(_("ticket modérateur (%)"), default=0)
    ceiling_person = models.PositiveBigIntegerField(
        _("plafond annuel par personne (F CFA, 0 = aucun)"), default=0
    )
    ceiling_household = models.PositiveBigIntegerField(
        _("plafond annuel par ménage (F CFA, 0 = aucun)"), default=0
    )
    history = HistoricalRecords(get_user=history_user)

    class Meta:
        verbose_name = _("prestation couverte")
        verbose_name_plural = _("prestations couvertes")
        constraints = [
            models.UniqueConstraint(fields=["scheme", "kind"], name="health_benefit_unique"),
            models.CheckConstraint(
                name="health_copayment_0_100", condition=models.Q(copayment_percent__lte=100)
            ),
        ]

    def __str__(self) -> str:
        return f"{self.scheme} · {self.get_kind_display()}"


class Provider(models.Model):
    """A health provider (poste, centre de santé, hôpital, pharmacie)."""

    name = models.CharField(_("nom"), max_length=160)
    kind = models.CharField(_("type"), max_length=40, blank=True)
    commune = models.ForeignKey(
        "geo.Area",
        verbose_name=_("commune"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    phone = models.CharField(_("téléphone"), max_length=20, blank=True)
    history = HistoricalRecords(get_user=history_user)

    class Meta:
        verbose_name = _("prestataire de soins")
        verbose_name_plural = _("prestataires de soins")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Convention(models.Model):
    """A scheme's agreement with a provider (the tariffs it pays there)."""

    scheme = models.ForeignKey(Scheme, on_delete=models.PROTECT, related_name="conventions")
    provider = models.ForeignKey(Provider, on_delete=models.PROTECT, related_name="conventions")
    signed_on = models.DateField(_("date de signature"))
    active = models.BooleanField(_("active"), default=True)
    history = HistoricalRecords(get_user=history_user)

    class Meta:
        verbose_name = _("convention")
        verbose_name_plural = _("conventions")
        constraints = [
            models.UniqueConstraint(fields=["scheme", "provider"], name="health_convention_unique")
        ]

    def __str__(self) -> str:
        return f"{self.scheme} · {self.provider}"


class Tariff(models.Model):
    """A service at the convention's price."""

    convention = models.ForeignKey(Convention, on_delete=models.CASCADE, related_name="tariffs")
    code = models.CharField(_("code"), max_length=20)
    label = models.CharField(_("acte"), max_length=120)
    benefit = models.CharField(_("prestation"), max_length=20, choices=BenefitKind.choices)
    amount = models.PositiveIntegerField(_("tarif (F CFA)"))
    history = HistoricalRecords(get_user=history_user)

    class Meta:
        verbose_name = _("tarif")
        verbose_name_plural = _("tarifs")
        ordering = ["convention", "code"]
        constraints = [
            models.UniqueConstraint(fields=["convention", "code"], name="health_tariff_unique")
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.label}"


class StaffRole(models.TextChoices):
    MUTUAL_AGENT = "mutual_agent", _("agent de la mutuelle")
    PROVIDER = "provider", _("agent d'un prestataire de soins")


class HealthStaff(models.Model):
    """A user working for a mutual (all its data) or for a provider (its own claims)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="health_roles"
    )
    role = models.CharField(_("rôle"), max_length=16, choices=StaffRole.choices)
    scheme = models.ForeignKey(Scheme, null=True, blank=True, on_delete=models.PROTECT)
    provider = models.ForeignKey(Provider, null=True, blank=True, on_delete=models.PROTECT)
    history = HistoricalRecords(get_user=history_user)

    class Meta:
        verbose_name = _("rôle santé")
        verbose_name_plural = _("rôles santé")
        constraints = [
            models.CheckConstraint(
                name="health_staff_target_matches_role",
                condition=models.Q(role="mutual_agent", scheme__isnull=False, provider__isnull=True)
                | models.Q(role="provider", provider__isnull=False, scheme__isnull=True),
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.get_role_display()} {self.scheme or self.provider}"


class Payer(models.TextChoices):
    MEMBER = "member", _("le ménage paie")
    COOPERATIVE = "cooperative", _("la coopérative paie")


class Household(models.Model):
    """A family covered by one scheme (the openIMIS policy): the head and dependants."""

    scheme = models.ForeignKey(Scheme, on_delete=models.PROTECT, related_name="households")
    head = models.ForeignKey(
        "registry.Person", on_delete=models.PROTECT, related_name="headed_households"
    )
    cooperative = models.ForeignKey(
        "registry.Cooperative",
        verbose_name=_("coopérative"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="health_households",
    )
    payer = models.CharField(_("payeur"), max_length=12, choices=Payer.choices)
    enrolled_on = models.DateField(_("date d'adhésion"))
    covered_until = models.DateField(_("couvert jusqu'au"), null=True, blank=True)
    months_paid = models.PositiveIntegerField(_("mois payés"), default=0)
    credit = models.PositiveBigIntegerField(_("avoir (F CFA)"), default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords(get_user=history_user)

    class Meta:
        verbose_name = _("ménage")
        verbose_name_plural = _("ménages")
        ordering = ["-enrolled_on", "-id"]

    def __str__(self) -> str:
        return f"{self.head} · {self.scheme}"


class Relation(models.TextChoices):
    HEAD = "head", _("chef de ménage")
    SPOUSE = "spouse", _("conjoint(e)")
    CHILD = "child", _("enfant")
    OTHER = "other", _("autre personne à charge")


class HouseholdMember(models.Model):
    """A person covered in a household; ``scheme`` copied so a person is in one household
    per scheme at a time (unique constraint)."""

    household = models.ForeignKey(Household, on_delete=models.PROTECT, related_name="members")
    scheme = models.ForeignKey(Scheme, on_delete=models.PROTECT, related_name="+")
    person = models.ForeignKey(
        "registry.Person", on_delete=models.PROTECT, related_name="health_memberships"
    )
    relation = models.CharField(_("lien"), max_length=8, choices=Relation.choices)
    joined_on = models.DateField(_("entrée"))
    left_on = models.DateField(_("sortie"), null=True, blank=True)
    left_reason = models.CharField(_("motif de sortie"), max_length=120, blank=True)
    joining_fee_paid = models.BooleanField(_("droit d'adhésion réglé"), default=False)
    history = HistoricalRecords(get_user=history_user)

    class Meta:
        verbose_name = _("bénéficiaire")
        verbose_name_plural = _("bénéficiaires")
        ordering = ["household", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["scheme", "person"],
                condition=models.Q(left_on__isnull=True),
                name="health_one_household_per_scheme",
            )
        ]

    def __str__(self) -> str:
        return f"{self.person} ({self.get_relation_display()})"


class Channel(models.TextChoices):
    CASH = "cash", _("espèces à la coopérative")
    MOBILE = "mobile_money", _("mobile money")
    RISTOURNE = "ristourne", _("retenue sur la ristourne")
    BANK = "bank", _("banque")


class Contribution(models.Model):
    """A payment of contributions (append-only) and how the fixed rule applied it."""

    household = models.ForeignKey(Household, on_delete=models.PROTECT, related_name="payments")
    cooperative = models.ForeignKey(
        "registry.Cooperative", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    amount = models.PositiveBigIntegerField(_("montant (F CFA)"))
    paid_on = models.DateField(_("date du paiement"))
    channel = models.CharField(_("moyen de paiement"), max_length=16, choices=Channel.choices)
    payer = models.CharField(_("payeur"), max_length=12, choices=Payer.choices)
    joining_fees = models.PositiveBigIntegerField(_("droits d'adhésion"), default=0)
    months = models.PositiveSmallIntegerField(_("mois achetés"), default=0)
    months_amount = models.PositiveBigIntegerField(_("cotisations des mois"), default=0)
    credit_after = models.PositiveBigIntegerField(_("avoir après"), default=0)
    covered_until_after = models.DateField(_("couvert jusqu'au"), null=True, blank=True)
    idempotency_key = models.CharField(max_length=80, blank=True, default="")
    reference = models.CharField(_("référence"), max_length=80, blank=True, default="")
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("cotisation")
        verbose_name_plural = _("cotisations")
        ordering = ["-paid_on", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["household", "idempotency_key"],
                condition=~models.Q(idempotency_key=""),
                name="health_contribution_idempotency",
            ),
            models.CheckConstraint(
                name="health_contribution_positive", condition=models.Q(amount__gt=0)
            ),
        ]

    def __str__(self) -> str:
        return f"{self.household} · {self.amount} ({self.paid_on})"


class ContributionMonth(models.Model):
    """A month a contribution bought that had not begun on the day of payment: its amount
    waits in the mutual's books (477) until the month begins (``contributions_earn``)."""

    contribution = models.ForeignKey(
        Contribution, on_delete=models.PROTECT, related_name="deferred_months"
    )
    scheme = models.ForeignKey("Scheme", on_delete=models.PROTECT, related_name="+")
    starts_on = models.DateField(_("début du mois"))
    amount = models.PositiveBigIntegerField(_("montant (F CFA)"))
    earned_on = models.DateField(_("acquis le"), null=True, blank=True)

    class Meta:
        verbose_name = _("mois de cotisation perçu d'avance")
        verbose_name_plural = _("mois de cotisation perçus d'avance")
        ordering = ["starts_on", "id"]
        indexes = [models.Index(fields=["scheme", "earned_on", "starts_on"])]

    def __str__(self) -> str:
        return f"{self.starts_on} {self.amount}"


class ClaimStatus(models.TextChoices):
    ENTERED = "entered", _("saisie")
    CHECKED = "checked", _("vérifiée")
    VALUATED = "valuated", _("liquidée")
    PAID = "paid", _("payée")
    REJECTED = "rejected", _("rejetée")


class Claim(models.Model):
    """A provider's claim for care given to a beneficiary (feuille de soins)."""

    scheme = models.ForeignKey(Scheme, on_delete=models.PROTECT, related_name="claims")
    household = models.ForeignKey(Household, on_delete=models.PROTECT, related_name="claims")
    cooperative = models.ForeignKey(
        "registry.Cooperative", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    beneficiary = models.ForeignKey(
        "registry.Person", on_delete=models.PROTECT, related_name="health_claims"
    )
    provider = models.ForeignKey(Provider, on_delete=models.PROTECT, related_name="claims")
    service_on = models.DateField(_("date des soins"))
    status = models.CharField(
        _("statut"), max_length=10, choices=ClaimStatus.choices, default=ClaimStatus.ENTERED
    )
    amount = models.PositiveBigIntegerField(_("montant demandé (F CFA)"))
    covered_amount = models.PositiveBigIntegerField(_("pris en charge (F CFA)"), default=0)
    copayment = models.PositiveBigIntegerField(_("ticket modérateur (F CFA)"), default=0)
    partial_reason = models.CharField(
        _("motif de prise en charge partielle"), max_length=200, blank=True
    )
    diagnosis = models.CharField(_("diagnostic"), max_length=200, blank=True)
    rejection_reason = models.CharField(_("motif du rejet"), max_length=200, blank=True)
    paid_on = models.DateField(_("payée le"), null=True, blank=True)
    paid_channel = models.CharField(_("moyen de paiement"), max_length=16, blank=True)
    payout = models.ForeignKey(
        "payments.Payout",
        verbose_name=_("versement par téléphone"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    flagged = models.BooleanField(_("signalée (fraude possible)"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    history = HistoricalRecords(get_user=history_user, excluded_fields=["diagnosis"])

    class Meta:
        verbose_name = _("demande de remboursement")
        verbose_name_plural = _("demandes de remboursement")
        ordering = ["-service_on", "-id"]
        indexes = [models.Index(fields=["beneficiary", "service_on"])]

    def __str__(self) -> str:
        return f"#{self.pk} {self.beneficiary} {self.service_on}"


class ClaimLine(models.Model):
    """One service of a claim at the convention's tariff, and how it was valuated."""

    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="lines")
    tariff = models.ForeignKey(Tariff, null=True, blank=True, on_delete=models.PROTECT)
    code = models.CharField(_("code"), max_length=20, blank=True)
    benefit = models.CharField(_("prestation"), max_length=20, choices=BenefitKind.choices)
    quantity = models.PositiveSmallIntegerField(_("quantité"), default=1)
    amount = models.PositiveBigIntegerField(_("montant (F CFA)"))
    covered = models.PositiveBigIntegerField(_("pris en charge"), default=0)
    copayment = models.PositiveBigIntegerField(_("ticket modérateur"), default=0)
    reason = models.CharField(_("motif"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("acte")
        verbose_name_plural = _("actes")
        ordering = ["claim", "id"]

    def __str__(self) -> str:
        return f"{self.code or self.benefit} × {self.quantity}"


class SignalKind(models.TextChoices):
    SAME_SERVICE_SAME_DAY = "same_service_same_day", _("même acte deux fois le même jour")
    OUTSIDE_HOUSEHOLD = "outside_household", _("personne hors du ménage")


class FraudSignal(models.Model):
    """A suspicion raised when a claim is entered (kept even when the claim is refused)."""

    kind = models.CharField(_("type"), max_length=24, choices=SignalKind.choices)
    scheme = models.ForeignKey(Scheme, on_delete=models.PROTECT, related_name="+")
    claim = models.ForeignKey(
        Claim, null=True, blank=True, on_delete=models.PROTECT, related_name="signals"
    )
    household = models.ForeignKey(Household, on_delete=models.PROTECT, related_name="+")
    person = models.ForeignKey("registry.Person", on_delete=models.PROTECT, related_name="+")
    provider = models.ForeignKey(Provider, on_delete=models.PROTECT, related_name="+")
    service_on = models.DateField()
    note = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("signal de fraude")
        verbose_name_plural = _("signaux de fraude")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.person}"


class MedicalRead(models.Model):
    """Who read a claim's medical details, and when (append-only)."""

    claim = models.ForeignKey(Claim, on_delete=models.PROTECT, related_name="medical_reads")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True)
    via = models.CharField(max_length=20)

    class Meta:
        verbose_name = _("lecture de données médicales")
        verbose_name_plural = _("lectures de données médicales")
        ordering = ["-at"]

    def __str__(self) -> str:
        return f"{self.user_id} · {self.claim_id} · {self.at:%Y-%m-%d %H:%M}"


class Reminder(models.Model):
    """An SMS sent to a household (before lapse, or a child leaving the cover)."""

    household = models.ForeignKey(Household, on_delete=models.PROTECT, related_name="reminders")
    person = models.ForeignKey("registry.Person", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=16)
    for_date = models.DateField()
    phone = models.CharField(max_length=20)
    message_id = models.CharField(max_length=80)
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["household", "person", "kind", "for_date"], name="health_reminder_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.phone} {self.for_date}"


class PersonPhoto(models.Model):
    """A covered person's photo, printed on their member cards (one per person, whatever
    the scheme). Kept by health, not the registry: only the cards need it, the registry
    holds no photo, and health may build on the registry but not the reverse (docs/health.md,
    "Photos"). Stored as the JPEG re-encoded on upload (at most ``MAX_SIDE`` pixels a
    side, no metadata), in the database like the other checked files; history records who
    replaced it and when, not the image."""

    MAX_SIDE = 480

    person = models.OneToOneField(
        "registry.Person",
        on_delete=models.PROTECT,
        related_name="health_photo",
        verbose_name=_("personne"),
    )
    data = models.BinaryField(_("photo (JPEG)"))
    width = models.PositiveSmallIntegerField(_("largeur"))
    height = models.PositiveSmallIntegerField(_("hauteur"))
    updated_at = models.DateTimeField(_("mise à jour"), auto_now=True)
    history = HistoricalRecords(get_user=history_user, excluded_fields=["data"])

    class Meta:
        verbose_name = _("photo de bénéficiaire")
        verbose_name_plural = _("photos de bénéficiaires")

    def __str__(self) -> str:
        return f"{self.person} · {self.width}×{self.height}"
