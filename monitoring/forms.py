from django import forms
from django.utils.translation import gettext_lazy as _

from monitoring.indicators import INDICATORS


class TargetForm(forms.Form):
    indicator = forms.ChoiceField(
        label=_("Indicateur"), choices=[(i.code, i.label) for i in INDICATORS]
    )
    area = forms.CharField(label=_("Zone (code)"), initial="SN", max_length=32)
    year = forms.IntegerField(label=_("Année"), min_value=2000, max_value=2100)
    value = forms.DecimalField(
        label=_("Cible"), min_value=0, max_digits=18, decimal_places=1, required=False
    )
    baseline_year = forms.IntegerField(
        label=_("ou : année de référence"),
        min_value=2000,
        max_value=2100,
        required=False,
        help_text=_("Cible relative : multiplicateur × valeur mesurée cette année-là."),
    )
    multiplier = forms.DecimalField(
        label=_("multiplicateur (ex. 2 pour doubler)"),
        min_value=0,
        max_digits=6,
        decimal_places=2,
        required=False,
    )
    note = forms.CharField(label=_("Source ou note"), required=False, max_length=255)
    cascade = forms.BooleanField(
        label=_("Répartir aussi entre les sous-zones (au prorata des communes)"), required=False
    )


class ReportForm(forms.Form):
    area = forms.CharField(label=_("Zone (code)"), max_length=32)
    year = forms.IntegerField(label=_("Année"), min_value=2000, max_value=2100)
    quarter = forms.TypedChoiceField(
        label=_("Trimestre"),
        coerce=int,
        choices=[
            (1, _("1er trimestre")),
            (2, _("2e trimestre")),
            (3, _("3e trimestre")),
            (4, _("4e trimestre")),
        ],
    )
