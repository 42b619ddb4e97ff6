"""Offline sync (docs/offline.md): what each device pushed, and what each pull sent.

Writes go through ``sync.services``; reads through ``sync.selectors``.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.audit import history_user


class RecordStatus(models.TextChoices):
    APPLIED = "applied", _("appliqué")
    CONFLICT = "conflict", _("conflit")
    REJECTED = "rejected", _("refusé")


class Resolution(models.TextChoices):
    SERVER = "server", _("version du serveur conservée")
    DEVICE = "device", _("version de l'appareil appliquée")


class PushedRecord(models.Model):
    """One record made on a device, known by the UUID the device gave it.

    The UUID is unique: a record applied once is never written again (``duplicate``). A
    rejected record may be corrected and sent again under the same UUID; a conflict waits
    for a supervisor (``resolution``)."""

    uuid = models.UUIDField(_("identifiant de l'appareil"), unique=True)
    kind = models.CharField(_("type"), max_length=20)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("envoyé par"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    device = models.CharField(_("appareil"), max_length=64, blank=True)
    receipt = models.CharField(_("numéro de reçu"), max_length=80, blank=True)
    status = models.CharField(_("état"), max_length=10, choices=RecordStatus.choices)
    object_id = models.BigIntegerField(_("enregistrement"), null=True, blank=True)
    base_version = models.CharField(_("version de base"), max_length=40, blank=True)
    data = models.JSONField(_("données envoyées"), default=dict)
    server_data = models.JSONField(_("données du serveur"), null=True, blank=True)
    code = models.CharField(_("code"), max_length=60, blank=True)
    message = models.CharField(_("message"), max_length=500, blank=True)
    area = models.ForeignKey(
        "geo.Area",
        verbose_name=_("zone"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    resolution = models.CharField(
        _("décision"), max_length=8, choices=Resolution.choices, blank=True
    )
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("décidé par"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    resolved_at = models.DateTimeField(_("décidé le"), null=True, blank=True)
    received_at = models.DateTimeField(_("reçu le"), auto_now_add=True)
    updated_at = models.DateTimeField(_("mis à jour le"), auto_now=True)
    history = HistoricalRecords(get_user=history_user)

    class Meta:
        verbose_name = _("enregistrement synchronisé")
        verbose_name_plural = _("enregistrements synchronisés")
        ordering = ["-received_at", "-id"]
        indexes = [
            models.Index(fields=["status", "resolution"]),
            models.Index(fields=["device", "receipt"]),
            models.Index(fields=["kind", "object_id"]),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.uuid}"


class PullCursor(models.Model):
    """What one pull sent to one user's device (each record's version) and the history
    marks it read, packed by ``sync.held.Held``.

    The next pull (``?since=<token>``) sends only what changed against it, and the deleted
    or no longer visible records."""

    token = models.CharField(max_length=64, unique=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    # ``None``: ``versions`` is the whole blob; else what changed since this cursor's
    # (``Held.pack_delta``), which is kept as long as a kept cursor needs it
    base = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    versions = models.BinaryField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("curseur de synchronisation")
        verbose_name_plural = _("curseurs de synchronisation")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["user", "created_at"])]

    def __str__(self) -> str:
        return self.token[:8]
