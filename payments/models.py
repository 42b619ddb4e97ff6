"""Payments by phone: intents, provider events, payouts, statements (docs/payments.md)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.audit import history_user


class Provider(models.TextChoices):
    WAVE = "wave", "Wave"
    ORANGE_MONEY = "orange_money", "Orange Money"


class IntentStatus(models.TextChoices):
    PENDING = "pending", _("en attente")
    SUCCEEDED = "succeeded", _("réussi")
    FAILED = "failed", _("échoué")
    EXPIRED = "expired", _("expiré")
    REFUNDED = "refunded", _("remboursé")


FINAL_STATUSES = (IntentStatus.SUCCEEDED, IntentStatus.FAILED, IntentStatus.EXPIRED)


class PaymentIntent(models.Model):
    """One request for money by phone, for one purpose (a loan repayment, a share payment...).

    ``reference`` is ours, unique, and sent to the provider (Wave's ``client_reference``).
    The status changes only through ``payments.services``; success calls the purpose's own
    service once, in the same transaction (``applied_at`` set)."""

    purpose = models.CharField(_("objet"), max_length=32)
    target_id = models.BigIntegerField(_("cible"))
    target_label = models.CharField(_("libellé"), max_length=200, blank=True)
    cooperative = models.ForeignKey(
        "registry.Cooperative",
        verbose_name=_("coopérative"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="payment_intents",
    )
    area = models.ForeignKey(
        "geo.Area", verbose_name=_("zone"), null=True, blank=True, on_delete=models.PROTECT
    )
    person = models.ForeignKey(
        "registry.Person",
        verbose_name=_("payeur (personne)"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
    )
    lender_id = models.BigIntegerField(_("prêteur"), null=True, blank=True)
    amount = models.PositiveBigIntegerField(_("montant (F CFA)"))
    currency = models.CharField(_("devise"), max_length=3, default="XOF")
    phone = models.CharField(_("téléphone du payeur"), max_length=16)
    provider = models.CharField(_("opérateur"), max_length=16, choices=Provider.choices)
    reference = models.CharField(_("référence"), max_length=40, unique=True)
    provider_session_id = models.CharField(_("session chez l'opérateur"), max_length=80, blank=True)
    provider_transaction_id = models.CharField(
        _("transaction chez l'opérateur"), max_length=80, blank=True, db_index=True
    )
    status = models.CharField(
        _("statut"), max_length=12, choices=IntentStatus.choices, default=IntentStatus.PENDING
    )
    needs_review = models.BooleanField(_("à vérifier"), default=False)
    review_reason = models.CharField(_("motif de vérification"), max_length=300, blank=True)
    checkout_url = models.URLField(_("lien de paiement"), max_length=500, blank=True)
    expires_at = models.DateTimeField(_("expire le"), null=True, blank=True)
    paid_at = models.DateTimeField(_("payé le"), null=True, blank=True)
    applied_at = models.DateTimeField(_("imputé le"), null=True, blank=True)
    applied_ref = models.CharField(_("opération imputée"), max_length=80, blank=True)
    last_polled_at = models.DateTimeField(_("dernière interrogation"), null=True, blank=True)
    created_at = models.DateTimeField(_("créé le"), auto_now_add=True)
    updated_at = models.DateTimeField(_("modifié le"), auto_now=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("créé par"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    history = HistoricalRecords(get_user=history_user)

    class Meta:
        verbose_name = _("paiement par téléphone")
        verbose_name_plural = _("paiements par téléphone")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["status", "created_at"], name="payintent_status_created"),
            models.Index(fields=["purpose", "target_id"], name="payintent_purpose_target"),
        ]

    def __str__(self) -> str:
        return f"{self.reference} ({self.amount} XOF, {self.status})"


class WebhookEvent(models.Model):
    """A provider's event, stored once per (provider, event id), applied once (append-only)."""

    provider = models.CharField(_("opérateur"), max_length=16, choices=Provider.choices)
    event_id = models.CharField(_("identifiant de l'événement"), max_length=100)
    event_type = models.CharField(_("type"), max_length=60, blank=True)
    raw_body = models.TextField(_("corps reçu"))
    received_at = models.DateTimeField(_("reçu le"), auto_now_add=True)
    applied_at = models.DateTimeField(_("appliqué le"), null=True, blank=True)
    outcome = models.CharField(_("résultat"), max_length=40, blank=True)
    intent = models.ForeignKey(
        PaymentIntent,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="events",
    )

    class Meta:
        verbose_name = _("événement d'opérateur")
        verbose_name_plural = _("événements d'opérateur")
        ordering = ["-received_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["provider", "event_id"], name="webhook_event_once")
        ]

    def __str__(self) -> str:
        return f"{self.provider}:{self.event_id}"
