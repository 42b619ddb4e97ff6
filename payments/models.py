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


class RefundStatus(models.TextChoices):
    REQUESTED = "requested", _("demandé")
    PROCESSING = "processing", _("en cours chez l'opérateur")
    SUCCEEDED = "succeeded", _("remboursé")
    FAILED = "failed", _("échoué")


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
    review_resolved_at = models.DateTimeField(_("vérifié le"), null=True, blank=True)
    review_resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("vérifié par"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    review_note = models.CharField(_("décision de vérification"), max_length=300, blank=True)
    refund_status = models.CharField(
        _("remboursement"), max_length=12, choices=RefundStatus.choices, blank=True
    )
    refund_error = models.CharField(_("erreur de remboursement"), max_length=200, blank=True)
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

    @property
    def review_reason_label(self) -> str:
        """The review reason in words (the purpose's own refusals keep their message)."""
        return str(REVIEW_REASONS.get(self.review_reason, self.review_reason))


REVIEW_REASONS = {
    "amount_mismatch": _("montant reçu différent du montant attendu"),
    "currency_mismatch": _("devise reçue différente"),
    "provider_unavailable": _("l'opérateur n'a pas répondu"),
}


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
    resolved_at = models.DateTimeField(_("classé le"), null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("classé par"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    resolution_note = models.CharField(_("motif du classement"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("événement d'opérateur")
        verbose_name_plural = _("événements d'opérateur")
        ordering = ["-received_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["provider", "event_id"], name="webhook_event_once")
        ]
        indexes = [  # the queued mode's queue: only the events waiting, in order
            models.Index(
                fields=["id"], condition=models.Q(outcome="queued"), name="webhook_event_queued"
            )
        ]

    def __str__(self) -> str:
        return f"{self.provider}:{self.event_id}"


class PayoutKind(models.TextChoices):
    REFUND = "refund", _("remboursement d'un paiement")
    SETTLEMENT = "settlement", _("règlement (dépôt-vente, fournisseur)")
    CONSULTANT = "consultant", _("consultant")
    DISBURSEMENT = "disbursement", _("décaissement de prêt")
    CLAIM = "claim", _("remboursement de soins (mutuelle de santé)")


class PayoutStatus(models.TextChoices):
    AWAITING_APPROVAL = "awaiting_approval", _("à approuver")
    APPROVED = "approved", _("approuvé, à envoyer")
    PROCESSING = "processing", _("en cours chez l'opérateur")
    SUCCEEDED = "succeeded", _("versé")
    FAILED = "failed", _("échoué")
    REJECTED = "rejected", _("refusé")


class Payout(models.Model):
    """Money sent by phone. The idempotency key sent to the provider is derived from this
    row (``sunucoop-payout-<reference>``), so a retry never pays twice; above the
    threshold a second person approves (maker-checker); the status is followed to the end."""

    kind = models.CharField(_("type"), max_length=16, choices=PayoutKind.choices)
    provider = models.CharField(_("opérateur"), max_length=16, choices=Provider.choices)
    amount = models.PositiveBigIntegerField(_("montant (F CFA)"))
    currency = models.CharField(_("devise"), max_length=3, default="XOF")
    phone = models.CharField(_("téléphone du bénéficiaire"), max_length=16)
    name = models.CharField(_("bénéficiaire"), max_length=100)
    reason = models.CharField(_("motif"), max_length=200)
    reference = models.CharField(_("référence"), max_length=40, unique=True)
    cooperative = models.ForeignKey(
        "registry.Cooperative", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    intent = models.ForeignKey(
        PaymentIntent, null=True, blank=True, on_delete=models.PROTECT, related_name="payouts"
    )
    # A payout purpose registered by an app above (payments.purposes.register_payout): its
    # handler says who may request and approve it and hears when it is settled.
    purpose = models.CharField(_("objet"), max_length=32, blank=True, default="")
    target_id = models.PositiveBigIntegerField(_("cible"), null=True, blank=True)
    status = models.CharField(_("statut"), max_length=20, choices=PayoutStatus.choices)
    provider_payout_id = models.CharField(
        _("identifiant chez l'opérateur"), max_length=80, blank=True
    )
    fee = models.PositiveBigIntegerField(_("frais (F CFA)"), default=0)
    error = models.CharField(_("erreur"), max_length=200, blank=True)
    attempts = models.PositiveIntegerField(_("envois"), default=0)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    approved_at = models.DateTimeField(_("approuvé le"), null=True, blank=True)
    created_at = models.DateTimeField(_("créé le"), auto_now_add=True)
    updated_at = models.DateTimeField(_("modifié le"), auto_now=True)
    history = HistoricalRecords(get_user=history_user)

    class Meta:
        verbose_name = _("versement sortant")
        verbose_name_plural = _("versements sortants")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.reference} ({self.amount} XOF, {self.status})"

    @property
    def idempotency_key(self) -> str:
        return f"sunucoop-payout-{self.reference}"


class StatementImport(models.Model):
    """One provider statement imported (a file or the provider's API), for one day."""

    provider = models.CharField(_("opérateur"), max_length=16, choices=Provider.choices)
    cooperative = models.ForeignKey(
        "registry.Cooperative",
        verbose_name=_("coopérative titulaire du compte"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    source = models.CharField(_("source"), max_length=120)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    imported_at = models.DateTimeField(_("importé le"), auto_now_add=True)
    lines_read = models.PositiveIntegerField(default=0)
    lines_new = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("relevé d'opérateur")
        verbose_name_plural = _("relevés d'opérateur")
        ordering = ["-imported_at", "-id"]

    def __str__(self) -> str:
        return f"{self.provider} {self.source} ({self.lines_new})"


class LineStatus(models.TextChoices):
    MATCHED = "matched", _("rapprochée")
    UNMATCHED = "unmatched", _("non rapprochée (compte d'attente)")
    MANUAL = "manual", _("rapprochée à la main")


class StatementLine(models.Model):
    """One line of a provider's statement, matched to our payment or payout, or not (then
    it sits in the suspense account 471 until a person matches it, saying why)."""

    statement = models.ForeignKey(StatementImport, on_delete=models.PROTECT, related_name="lines")
    provider = models.CharField(_("opérateur"), max_length=16, choices=Provider.choices)
    transaction_id = models.CharField(_("transaction"), max_length=80)
    occurred_at = models.DateTimeField(_("date"))
    amount = models.BigIntegerField(_("montant (F CFA)"))  # > 0 in, < 0 out
    fee = models.BigIntegerField(_("frais (F CFA)"), default=0)
    reference = models.CharField(_("référence"), max_length=40, blank=True)
    phone = models.CharField(_("téléphone"), max_length=16, blank=True)
    status = models.CharField(_("statut"), max_length=12, choices=LineStatus.choices)
    rule = models.CharField(_("règle de rapprochement"), max_length=20, blank=True)
    intent = models.OneToOneField(
        PaymentIntent,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="statement_line",
    )
    payout = models.OneToOneField(
        Payout, null=True, blank=True, on_delete=models.PROTECT, related_name="statement_line"
    )
    matched_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    matched_at = models.DateTimeField(null=True, blank=True)
    match_note = models.CharField(_("motif du rapprochement manuel"), max_length=300, blank=True)
    history = HistoricalRecords(get_user=history_user)

    class Meta:
        verbose_name = _("ligne de relevé")
        verbose_name_plural = _("lignes de relevé")
        ordering = ["occurred_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["provider", "transaction_id"], name="statement_line_once"
            )
        ]
        indexes = [models.Index(fields=["status", "occurred_at"], name="stmtline_status_at")]

    def __str__(self) -> str:
        return f"{self.provider}:{self.transaction_id} {self.amount}"
