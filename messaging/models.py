"""SMS: templates per kind and language, recipients (language, opt-out), the messages sent,
their delivery receipts and the replies received. Messages, receipts and replies are
append-only logs (a message's status follows its receipts); templates and recipients are
changed by people and keep their history."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.audit import history_user


class Language(models.TextChoices):
    FRENCH = "fr", _("français")
    WOLOF = "wo", _("wolof")


TEMPLATE_MAX = 640  # four GSM-7 parts; a template is a short text


class SmsTemplate(models.Model):
    kind = models.CharField(_("nature de message"), max_length=40)
    language = models.CharField(_("langue"), max_length=2, choices=Language.choices)
    text = models.TextField(_("texte"), max_length=TEMPLATE_MAX, blank=True)
    updated_at = models.DateTimeField(_("modifié le"), auto_now=True)
    history = HistoricalRecords(get_user=history_user)

    class Meta:
        verbose_name = _("modèle de SMS")
        verbose_name_plural = _("modèles de SMS")
        constraints = [
            models.UniqueConstraint(fields=["kind", "language"], name="sms_template_once")
        ]

    def __str__(self) -> str:
        return f"{self.kind} ({self.language})"


class OptOutSource(models.TextChoices):
    REPLY = "reply", _("réponse STOP/ARRET par SMS")
    AGENT = "agent", _("saisi par un agent")


class Recipient(models.Model):
    """What we know of a phone number: its preferred language and whether it refused SMS."""

    phone = models.CharField(_("téléphone"), max_length=20, unique=True)
    language = models.CharField(
        _("langue préférée"), max_length=2, choices=Language.choices, blank=True
    )
    opted_out = models.BooleanField(_("refuse les SMS"), default=False)
    opt_out_source = models.CharField(
        _("origine du refus"), max_length=8, choices=OptOutSource.choices, blank=True
    )
    opt_out_reason = models.CharField(_("motif"), max_length=200, blank=True)
    changed_at = models.DateTimeField(_("modifié le"), auto_now=True)
    history = HistoricalRecords(get_user=history_user)

    class Meta:
        verbose_name = _("destinataire SMS")
        verbose_name_plural = _("destinataires SMS")

    def __str__(self) -> str:
        return self.phone


class MessageStatus(models.TextChoices):
    SENT = "sent", _("envoyé")
    DELIVERED = "delivered", _("remis")
    FAILED = "failed", _("échec")
    BLOCKED = "blocked", _("non envoyé (refus du destinataire)")


class SmsMessage(models.Model):
    kind = models.CharField(_("nature de message"), max_length=40)
    phone = models.CharField(_("téléphone"), max_length=20, db_index=True)
    text = models.TextField(_("texte"))
    encoding = models.CharField(_("codage"), max_length=4)
    parts = models.PositiveSmallIntegerField(_("parties"))
    backend = models.CharField(_("passerelle"), max_length=100)
    provider_id = models.CharField(_("identifiant passerelle"), max_length=100, blank=True)
    status = models.CharField(_("statut"), max_length=10, choices=MessageStatus.choices)
    error = models.CharField(_("erreur"), max_length=200, blank=True)
    cooperative = models.ForeignKey(
        "registry.Cooperative", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("créé le"), auto_now_add=True)
    delivered_at = models.DateTimeField(_("remis le"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("SMS envoyé")
        verbose_name_plural = _("SMS envoyés")
        indexes = [models.Index(fields=["backend", "provider_id"], name="sms_provider_id")]

    def __str__(self) -> str:
        return f"{self.kind} -> {self.phone} ({self.status})"


class DeliveryReceipt(models.Model):
    """A delivery report sent back by the gateway (kept even when no message matches)."""

    message = models.ForeignKey(
        SmsMessage, null=True, blank=True, on_delete=models.PROTECT, related_name="receipts"
    )
    provider_id = models.CharField(_("identifiant passerelle"), max_length=100)
    status = models.CharField(_("statut"), max_length=20)
    error = models.CharField(_("erreur"), max_length=200, blank=True)
    received_at = models.DateTimeField(_("reçu le"), auto_now_add=True)

    class Meta:
        verbose_name = _("accusé de réception")
        verbose_name_plural = _("accusés de réception")

    def __str__(self) -> str:
        return f"{self.provider_id} {self.status}"


class InboundSms(models.Model):
    """A reply received through the gateway (STOP/ARRET and anything else)."""

    phone = models.CharField(_("téléphone"), max_length=20)
    text = models.CharField(_("texte"), max_length=640)
    provider_id = models.CharField(_("identifiant passerelle"), max_length=100, blank=True)
    received_at = models.DateTimeField(_("reçu le"), auto_now_add=True)
    action = models.CharField(_("suite donnée"), max_length=20, blank=True)

    class Meta:
        verbose_name = _("SMS reçu")
        verbose_name_plural = _("SMS reçus")

    def __str__(self) -> str:
        return f"{self.phone}: {self.text[:20]}"
