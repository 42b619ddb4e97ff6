from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.audit import history_user


class Target(models.Model):
    """A programme target for one indicator, area and year (national, or cascaded down)."""

    indicator = models.CharField(_("indicateur"), max_length=40)
    area = models.ForeignKey(
        "geo.Area", verbose_name=_("zone"), on_delete=models.PROTECT, related_name="targets"
    )
    year = models.PositiveSmallIntegerField(_("année"))
    value = models.DecimalField(
        _("cible"), max_digits=18, decimal_places=1, null=True, blank=True
    )  # None when the target is relative to a baseline year (below)
    baseline_year = models.PositiveSmallIntegerField(
        _("année de référence"),
        null=True,
        blank=True,
        help_text=_("Cible relative : multiplicateur × valeur mesurée de cette année."),
    )
    multiplier = models.DecimalField(
        _("multiplicateur"), max_digits=6, decimal_places=2, null=True, blank=True
    )
    note = models.CharField(_("source ou note"), max_length=255, blank=True)
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords(get_user=history_user)

    class Meta:
        verbose_name = _("cible")
        verbose_name_plural = _("cibles")
        ordering = ["indicator", "year"]
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "area", "year"], name="target_one_per_indicator_area_year"
            )
        ]

    def __str__(self) -> str:
        if self.baseline_year:
            return (
                f"{self.indicator} · {self.area} · {self.year} : "
                f"{self.multiplier} × {self.baseline_year}"
            )
        return f"{self.indicator} · {self.area} · {self.year} : {self.value}"


class AreaFigures(models.Model):
    """The computed figures of one area for one year and "as of" day (the rollup).

    ``values`` holds the components the indicators and breakdowns are made of (counts,
    sums, numerators and denominators), as whole numbers. Additive components of an area
    are the sums of its children's; distinct-person counts are computed for the area
    itself (monitoring/rollups.py). ``computed_at`` is when the computation started: the
    row is stale as soon as data of the area's subtree changed after it
    (``geo.changes.changed_since``).
    """

    area = models.ForeignKey("geo.Area", on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField()
    as_of = models.DateField()
    values = models.JSONField(default=dict)
    computed_at = models.DateTimeField()

    class Meta:
        verbose_name = _("chiffres calculés d'une zone")
        verbose_name_plural = _("chiffres calculés des zones")
        constraints = [
            models.UniqueConstraint(
                fields=["area", "year", "as_of"], name="areafigures_one_per_area_year_day"
            )
        ]
        indexes = [models.Index(fields=["year", "as_of"])]

    def __str__(self) -> str:
        return f"{self.area_id} · {self.year} · {self.as_of}"


class ReportStatus(models.TextChoices):
    PENDING = "pending", _("en préparation")
    RUNNING = "running", _("en cours")
    DONE = "done", _("prêt")
    FAILED = "failed", _("échec")


class Report(models.Model):
    """A quarterly programme report of an area, built at once or by the worker
    (``manage.py monitoring_worker``, docs/adr/0005)."""

    area = models.ForeignKey("geo.Area", verbose_name=_("zone"), on_delete=models.PROTECT)
    year = models.PositiveSmallIntegerField(_("année"))
    quarter = models.PositiveSmallIntegerField(_("trimestre"))
    status = models.CharField(
        _("état"), max_length=16, choices=ReportStatus.choices, default=ReportStatus.PENDING
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    requested_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    pdf = models.BinaryField(null=True, blank=True, editable=False)
    xlsx = models.BinaryField(null=True, blank=True, editable=False)
    error = models.TextField(blank=True)

    class Meta:
        verbose_name = _("rapport trimestriel")
        verbose_name_plural = _("rapports trimestriels")
        ordering = ["-requested_at"]
        indexes = [models.Index(fields=["status", "requested_at"])]

    def __str__(self) -> str:
        return f"{self.area} · T{self.quarter} {self.year}"
