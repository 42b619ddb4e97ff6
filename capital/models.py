"""Share capital (parts sociales) and each cooperative's statutory settings.

Share operations are requests (draft → approved → done, or refused). Only a done
operation moves capital, by writing append-only :class:`ShareMovement` rows; the register
of members and shares is computed from those rows, never stored.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.audit import history_user


class Fraction(models.TextChoices):
    """Exact fractions for quorum and majority (no rounding of 2/3)."""

    NONE = "0", _("aucun")
    QUARTER = "1/4", _("un quart")
    THIRD = "1/3", _("un tiers")
    HALF = "1/2", _("la moitié")
    TWO_THIRDS = "2/3", _("deux tiers")
    THREE_QUARTERS = "3/4", _("trois quarts")


class Statutes(models.Model):
    """The statutory choices of one cooperative (not law: each cooperative sets them).

    Defaults are common statutory choices, documented in docs/capital-and-governance.md.
    """

    cooperative = models.OneToOneField(
        "registry.Cooperative", on_delete=models.PROTECT, related_name="statutes"
    )
    share_value = models.PositiveIntegerField(
        _("valeur nominale d'une part sociale (F CFA)"), default=5000
    )
    max_proxies_per_holder = models.PositiveSmallIntegerField(
        _("procurations par mandataire (maximum)"), default=1
    )
    fiscal_year_end_month = models.PositiveSmallIntegerField(
        _("mois de clôture de l'exercice"), default=12
    )
    ordinary_quorum_first = models.CharField(
        _("quorum AG ordinaire, 1re convocation"),
        max_length=4,
        choices=Fraction.choices,
        default=Fraction.HALF,
    )
    ordinary_quorum_second = models.CharField(
        _("quorum AG ordinaire, 2e convocation"),
        max_length=4,
        choices=Fraction.choices,
        default=Fraction.QUARTER,
    )
    ordinary_majority = models.CharField(
        _("majorité AG ordinaire (des voix exprimées)"),
        max_length=4,
        choices=Fraction.choices[3:],
        default=Fraction.HALF,
    )
    extraordinary_quorum_first = models.CharField(
        _("quorum AG extraordinaire, 1re convocation"),
        max_length=4,
        choices=Fraction.choices,
        default=Fraction.TWO_THIRDS,
    )
    extraordinary_quorum_second = models.CharField(
        _("quorum AG extraordinaire, 2e convocation"),
        max_length=4,
        choices=Fraction.choices,
        default=Fraction.HALF,
    )
    extraordinary_majority = models.CharField(
        _("majorité AG extraordinaire (des voix exprimées)"),
        max_length=4,
        choices=Fraction.choices[3:],
        default=Fraction.TWO_THIRDS,
    )
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords(get_user=history_user)

    class Meta:
        verbose_name = _("statuts (paramètres)")
        verbose_name_plural = _("statuts (paramètres)")

    def __str__(self) -> str:
        return f"{_('Statuts')} · {self.cooperative}"


class OperationKind(models.TextChoices):
    SUBSCRIPTION = "subscription", _("souscription")
    PAYMENT = "payment", _("libération (versement)")
    TRANSFER = "transfer", _("cession")
    REFUND = "refund", _("remboursement (sortie)")


class OperationStatus(models.TextChoices):
    DRAFT = "draft", _("demandée")
    APPROVED = "approved", _("approuvée")
    DONE = "done", _("réalisée")
    REFUSED = "refused", _("refusée")


class PaymentChannel(models.TextChoices):
    """How money moves (the journal of the cooperative's books it is posted in)."""

    CASH = "cash", _("espèces")
    BANK = "bank", _("banque")
    MOBILE_MONEY = "mobile_money", _("mobile money")


class ShareOperation(models.Model):
    """A request to subscribe, pay up, transfer or refund shares."""

    cooperative = models.ForeignKey(
        "registry.Cooperative", on_delete=models.PROTECT, related_name="share_operations"
    )
    kind = models.CharField(_("type"), max_length=16, choices=OperationKind.choices)
    status = models.CharField(
        _("statut"), max_length=12, choices=OperationStatus.choices, default=OperationStatus.DRAFT
    )
    person = models.ForeignKey(
        "registry.Person",
        verbose_name=_("associé(e)"),
        on_delete=models.PROTECT,
        related_name="share_operations",
    )
    to_person = models.ForeignKey(
        "registry.Person",
        verbose_name=_("cessionnaire"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="share_operations_received",
    )
    shares = models.PositiveIntegerField(_("nombre de parts"), default=0)
    share_value = models.PositiveIntegerField(_("valeur nominale (F CFA)"))
    amount = models.PositiveBigIntegerField(
        _("montant versé ou remboursé (F CFA)"),
        default=0,
        help_text=_("Souscription : versement à la souscription. Libération : versement."),
    )
    effective_on = models.DateField(_("date d'effet"))
    channel = models.CharField(
        _("moyen de paiement"),
        max_length=16,
        choices=PaymentChannel.choices,
        default=PaymentChannel.CASH,
        help_text=_("Où l'argent versé ou remboursé est passé dans les livres."),
    )
    note = models.CharField(_("observation"), max_length=255, blank=True)
    refusal_reason = models.CharField(_("motif du refus"), max_length=255, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    done_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords(get_user=history_user)

    class Meta:
        verbose_name = _("opération sur parts sociales")
        verbose_name_plural = _("opérations sur parts sociales")
        ordering = ["-effective_on", "-id"]
        indexes = [models.Index(fields=["cooperative", "status"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.person} · {self.effective_on}"

    @property
    def nominal(self) -> int:
        return self.shares * self.share_value


class ShareMovement(models.Model):
    """Append-only effect of a done operation on one holder (signed amounts)."""

    cooperative = models.ForeignKey(
        "registry.Cooperative", on_delete=models.PROTECT, related_name="share_movements"
    )
    person = models.ForeignKey(
        "registry.Person", on_delete=models.PROTECT, related_name="share_movements"
    )
    operation = models.ForeignKey(
        ShareOperation, on_delete=models.PROTECT, related_name="movements"
    )
    on = models.DateField(_("date d'effet"))
    shares = models.BigIntegerField(_("parts"))
    subscribed = models.BigIntegerField(_("capital souscrit (F CFA)"))
    paid = models.BigIntegerField(_("capital libéré (F CFA)"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("mouvement de capital")
        verbose_name_plural = _("mouvements de capital")
        ordering = ["on", "id"]
        indexes = [models.Index(fields=["cooperative", "person"])]

    def __str__(self) -> str:
        return f"{self.person} {self.shares:+d} · {self.on}"
