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
    value = models.DecimalField(_("cible"), max_digits=18, decimal_places=1)
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
        return f"{self.indicator} · {self.area} · {self.year} : {self.value}"
