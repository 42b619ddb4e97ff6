"""USSD for members: the PIN an agent sets for a person, and the sessions of the menu."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.audit import history_user


class UssdPin(models.Model):
    """A member's USSD PIN (hashed like a password), and its lock after wrong attempts."""

    person = models.OneToOneField(
        "registry.Person",
        verbose_name=_("personne"),
        on_delete=models.PROTECT,
        related_name="ussd_pin",
    )
    user = models.ForeignKey(  # the member's login (no password), the menu's actor
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    pin_hash = models.CharField(max_length=256)
    failed_attempts = models.PositiveSmallIntegerField(_("essais erronés"), default=0)
    locked_at = models.DateTimeField(_("bloqué le"), null=True, blank=True)
    set_at = models.DateTimeField(_("défini le"))
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    history = HistoricalRecords(get_user=history_user, excluded_fields=["pin_hash"])

    class Meta:
        verbose_name = _("code PIN USSD")
        verbose_name_plural = _("codes PIN USSD")

    def __str__(self) -> str:
        return f"PIN {self.person_id}"


class UssdSession(models.Model):
    """One USSD session of an aggregator: the caller, the language the menu started in,
    whether the PIN was given, and the last answer (a retried request gets it again)."""

    provider = models.CharField(max_length=20)
    session_id = models.CharField(max_length=100)
    phone = models.CharField(_("téléphone"), max_length=20)
    person = models.ForeignKey(
        "registry.Person", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    language = models.CharField(_("langue"), max_length=2, blank=True)
    verified = models.BooleanField(_("PIN vérifié"), default=False)
    last_text = models.CharField(max_length=200, blank=True)
    last_response = models.CharField(max_length=200, blank=True)
    started_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("session USSD")
        verbose_name_plural = _("sessions USSD")
        constraints = [
            models.UniqueConstraint(fields=["provider", "session_id"], name="ussd_session_once")
        ]

    def __str__(self) -> str:
        return f"{self.provider}:{self.session_id}"
