import datetime

from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.audit import history_user


class AreaLevel(models.TextChoices):
    COUNTRY = "country", _("pays")
    REGION = "region", _("région")
    DEPARTMENT = "department", _("département")
    COMMUNE = "commune", _("commune")


LEVEL_ORDER = [AreaLevel.COUNTRY, AreaLevel.REGION, AreaLevel.DEPARTMENT, AreaLevel.COMMUNE]


class Area(models.Model):
    """A node of country > region > department > commune.

    ``path`` holds the codes from the country down, ``"SN/SN-TH/SN-TH-MBO/"``, so that a
    whole subtree is one indexed ``path__startswith`` whatever the depth.
    """

    code = models.CharField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("nom"), max_length=120)
    level = models.CharField(_("niveau"), max_length=16, choices=AreaLevel.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    path = models.CharField(max_length=255, db_index=True, editable=False)
    search_text = models.CharField(max_length=255, editable=False, default="")
    history = HistoricalRecords(get_user=history_user)

    class Meta:
        verbose_name = _("zone")
        verbose_name_plural = _("zones")
        ordering = ["path"]
        indexes = [models.Index(fields=["level", "parent"])]

    def __str__(self) -> str:
        return self.name

    @property
    def country_code(self) -> str:
        return self.path.split("/", 1)[0]

    def path_codes(self) -> list[str]:
        return [c for c in self.path.split("/") if c]


class AreaChange(models.Model):
    """When operational data attached to an area (a commune) last changed, and from which
    business day on the change counts.

    Written by the services that change data counted by the national monitoring
    (``geo.changes.areas_touch``); read by monitoring to know which stored figures are
    stale: a figure "as of" day D computed at T is stale when a change of its subtree
    has ``changed_at`` after T and ``affects_from`` on or before D. One row per (area,
    affects_from), upserted: a technical journal, not business data.
    """

    EVERY_DAY = datetime.date(1, 1, 1)  # a change that affects every day (sex, commune...)

    area = models.ForeignKey(Area, on_delete=models.CASCADE, related_name="+")
    affects_from = models.DateField(default=EVERY_DAY)
    changed_at = models.DateTimeField(db_index=True)

    class Meta:
        verbose_name = _("changement de données d'une zone")
        verbose_name_plural = _("changements de données des zones")
        constraints = [
            models.UniqueConstraint(fields=["area", "affects_from"], name="area_change_unique")
        ]

    def __str__(self) -> str:
        return f"{self.area_id} from {self.affects_from} @ {self.changed_at:%Y-%m-%d %H:%M:%S}"
