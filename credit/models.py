from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.audit import history_user


class LenderKind(models.TextChoices):
    PROGRAMME_FUND = "fonds", _("fonds du programme")
    MEC = "mec", _("mutuelle d'épargne et de crédit (MEC)")
    BANK = "banque", _("banque")


class Lender(models.Model):
    """The programme's fund or a partner institution; its users see only its loans."""

    name = models.CharField(_("nom"), max_length=160, unique=True)
    kind = models.CharField(_("type"), max_length=12, choices=LenderKind.choices)
    area = models.ForeignKey(
        "geo.Area",
        verbose_name=_("zone d'intervention"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
    )
    history = HistoricalRecords(get_user=history_user)

    class Meta:
        verbose_name = _("prêteur")
        verbose_name_plural = _("prêteurs")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name
