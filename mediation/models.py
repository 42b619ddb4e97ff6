"""Mediation between the network's members (docs/mediation.md): a member organisation
files a dispute with another member (or with the platform); a mediator is appointed from
the network's list (never one of the parties); the file is CONFIDENTIAL (only the parties'
accounts and the mediator); a timeline of exchanges and meetings; an outcome; statistics
without names for the network's governance."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.audit import history_user


class Mediator(models.Model):
    """The network's list of mediators, kept by its administrators."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="network_mediator"
    )
    languages = models.CharField(_("langues"), max_length=100, blank=True)
    active = models.BooleanField(_("sur la liste"), default=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    history = HistoricalRecords(get_user=history_user)

    class Meta:
        verbose_name = _("médiateur")
        verbose_name_plural = _("médiateurs")

    def __str__(self) -> str:
        return self.user.get_full_name() or self.user.username


class Category(models.TextChoices):
    CONTRACT = "contract", _("contrat, prestation, paiement")
    GOVERNANCE = "governance", _("gouvernance, élections, statuts")
    PARTNERSHIP = "partnership", _("partenariat, projet commun")
    PLATFORM = "platform", _("service de la plateforme")
    OTHER = "other", _("autre")


class Status(models.TextChoices):
    FILED = "filed", _("déposée, en attente d'un médiateur")
    MEDIATION = "mediation", _("en médiation")
    CLOSED = "closed", _("close")


class Outcome(models.TextChoices):
    AGREEMENT = "agreement", _("accord")
    PARTIAL = "partial", _("accord partiel")
    NO_AGREEMENT = "no_agreement", _("pas d'accord")
    WITHDRAWN = "withdrawn", _("retrait de la demande")


class Case(models.Model):
    """A dispute. ``respondent`` is null when it is filed against the platform itself
    (then the network's administrators are the other party)."""

    complainant = models.ForeignKey(
        "network.Organisation", on_delete=models.PROTECT, related_name="mediations_filed"
    )
    respondent = models.ForeignKey(
        "network.Organisation",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="mediations_received",
    )
    against_platform = models.BooleanField(_("contre la plateforme"), default=False)
    category = models.CharField(_("nature du différend"), max_length=12, choices=Category.choices)
    subject = models.CharField(_("objet"), max_length=200)
    description = models.TextField(_("exposé des faits"), max_length=5000)
    status = models.CharField(
        _("statut"), max_length=10, choices=Status.choices, default=Status.FILED
    )
    mediator = models.ForeignKey(
        Mediator, null=True, blank=True, on_delete=models.PROTECT, related_name="cases"
    )
    appointed_at = models.DateTimeField(_("médiateur désigné le"), null=True, blank=True)
    outcome = models.CharField(_("issue"), max_length=12, choices=Outcome.choices, blank=True)
    outcome_summary = models.TextField(_("compte rendu de l'issue"), max_length=3000, blank=True)
    closed_at = models.DateTimeField(_("close le"), null=True, blank=True)
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    filed_at = models.DateTimeField(_("déposée le"))
    history = HistoricalRecords(get_user=history_user)

    class Meta:
        verbose_name = _("médiation")
        verbose_name_plural = _("médiations")
        ordering = ["-filed_at", "-id"]
        constraints = [
            models.CheckConstraint(
                name="mediation_one_other_party",
                condition=models.Q(against_platform=True, respondent__isnull=True)
                | models.Q(against_platform=False, respondent__isnull=False),
            )
        ]

    def __str__(self) -> str:
        return f"M-{self.pk}"


class EntryKind(models.TextChoices):
    MESSAGE = "message", _("échange")
    MEETING = "meeting", _("réunion")


class Entry(models.Model):
    """A line of the case's timeline: an exchange, or a meeting set by the mediator."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="entries")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("type"), max_length=8, choices=EntryKind.choices)
    body = models.TextField(_("texte"), max_length=5000)
    meeting_at = models.DateTimeField(_("réunion le"), null=True, blank=True)
    place = models.CharField(_("lieu ou lien"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("écrit le"), auto_now_add=True)
    history = HistoricalRecords(get_user=history_user)

    class Meta:
        verbose_name = _("élément du dossier de médiation")
        verbose_name_plural = _("éléments des dossiers de médiation")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.case} · {self.kind}"
