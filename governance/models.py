"""Bodies and mandates, general assemblies, attendance, resolutions."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.audit import history_user
from governance.limits import BodyKind

__all__ = ["BodyKind", "Mandate", "Assembly", "Attendance", "Resolution"]


class Office(models.TextChoices):
    PRESIDENT = "president", _("président(e)")
    VICE_PRESIDENT = "vice_president", _("vice-président(e)")
    SECRETAIRE = "secretaire", _("secrétaire")
    TRESORIER = "tresorier", _("trésorier(ère)")
    MEMBRE = "membre", _("membre")


class Mandate(models.Model):
    """A person's seat on a body for a term."""

    cooperative = models.ForeignKey(
        "registry.Cooperative", on_delete=models.PROTECT, related_name="mandates"
    )
    body = models.CharField(_("organe"), max_length=32, choices=BodyKind.choices)
    person = models.ForeignKey(
        "registry.Person", verbose_name=_("personne"), on_delete=models.PROTECT, related_name="+"
    )
    office = models.CharField(
        _("fonction"), max_length=16, choices=Office.choices, default=Office.MEMBRE
    )
    starts_on = models.DateField(_("début du mandat"))
    ends_on = models.DateField(_("fin du mandat (terme)"))
    ended_on = models.DateField(_("fin anticipée"), null=True, blank=True)
    elected_at = models.ForeignKey(
        "governance.Assembly",
        verbose_name=_("élu(e) par l'assemblée"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords(get_user=history_user)

    class Meta:
        verbose_name = _("mandat")
        verbose_name_plural = _("mandats")
        ordering = ["body", "-starts_on", "id"]
        indexes = [models.Index(fields=["cooperative", "body"])]

    def __str__(self) -> str:
        return f"{self.get_body_display()} · {self.person}"


class AssemblyKind(models.TextChoices):
    ORDINARY = "ordinaire", _("ordinaire")
    EXTRAORDINARY = "extraordinaire", _("extraordinaire")


class AssemblyStatus(models.TextChoices):
    CONVENED = "convened", _("convoquée")
    CLOSED = "closed", _("tenue et close")


class Assembly(models.Model):
    cooperative = models.ForeignKey(
        "registry.Cooperative", on_delete=models.PROTECT, related_name="assemblies"
    )
    kind = models.CharField(_("type"), max_length=16, choices=AssemblyKind.choices)
    convocation = models.PositiveSmallIntegerField(
        _("convocation"), choices=[(1, _("1re convocation")), (2, _("2e convocation"))], default=1
    )
    held_on = models.DateField(_("date de l'assemblée"))
    notice_sent_on = models.DateField(_("date de la convocation"))
    place = models.CharField(_("lieu"), max_length=200, blank=True)
    agenda = models.TextField(_("ordre du jour"))
    status = models.CharField(
        _("statut"), max_length=12, choices=AssemblyStatus.choices, default=AssemblyStatus.CONVENED
    )
    # Frozen when the assembly is closed, so that later changes of statutes or members
    # never rewrite the minutes.
    members_count = models.PositiveIntegerField(_("membres inscrits"), null=True, blank=True)
    quorum_required = models.CharField(max_length=4, blank=True)
    majority_required = models.CharField(max_length=4, blank=True)
    quorum_reached = models.BooleanField(null=True, blank=True)
    chaired_by = models.CharField(_("président(e) de séance"), max_length=200, blank=True)
    secretary = models.CharField(_("secrétaire de séance"), max_length=200, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords(get_user=history_user)

    class Meta:
        verbose_name = _("assemblée générale")
        verbose_name_plural = _("assemblées générales")
        ordering = ["-held_on", "-id"]
        indexes = [models.Index(fields=["cooperative", "held_on"])]

    def __str__(self) -> str:
        return f"AG {self.get_kind_display()} · {self.cooperative} · {self.held_on:%d/%m/%Y}"


class Attendance(models.Model):
    """One member's line in the attendance register: present, or represented by a proxy."""

    assembly = models.ForeignKey(Assembly, on_delete=models.CASCADE, related_name="attendances")
    person = models.ForeignKey(
        "registry.Person", verbose_name=_("membre"), on_delete=models.PROTECT, related_name="+"
    )
    proxy_holder = models.ForeignKey(
        "registry.Person",
        verbose_name=_("représenté(e) par"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    recorded_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords(get_user=history_user)

    class Meta:
        verbose_name = _("présence")
        verbose_name_plural = _("présences")
        ordering = ["assembly", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["assembly", "person"], name="attendance_one_line_per_member"
            )
        ]

    def __str__(self) -> str:
        return f"{self.person} · {self.assembly_id}"

    @property
    def represented(self) -> bool:
        return self.proxy_holder_id is not None


class Resolution(models.Model):
    assembly = models.ForeignKey(Assembly, on_delete=models.CASCADE, related_name="resolutions")
    number = models.PositiveSmallIntegerField(_("numéro"))
    title = models.CharField(_("intitulé"), max_length=200)
    text = models.TextField(_("texte"), blank=True)
    approves_accounts_year = models.PositiveSmallIntegerField(
        _("approuve les comptes de l'exercice"), null=True, blank=True
    )
    votes_for = models.PositiveIntegerField(_("pour"), null=True, blank=True)
    votes_against = models.PositiveIntegerField(_("contre"), null=True, blank=True)
    abstentions = models.PositiveIntegerField(_("abstentions"), null=True, blank=True)
    passed = models.BooleanField(_("adoptée"), null=True, blank=True)
    history = HistoricalRecords(get_user=history_user)

    class Meta:
        verbose_name = _("résolution")
        verbose_name_plural = _("résolutions")
        ordering = ["assembly", "number"]
        constraints = [
            models.UniqueConstraint(fields=["assembly", "number"], name="resolution_number_unique")
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.title}"

    @property
    def voted(self) -> bool:
        return self.votes_for is not None
