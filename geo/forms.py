from django import forms
from django.utils.translation import gettext_lazy as _


class AreaImportForm(forms.Form):
    KINDS = [
        ("communes", _("Communes (colonnes code, name, department)")),
        ("hierarchy", _("Hiérarchie (colonnes code, name, level, parent)")),
    ]

    file = forms.FileField(
        label=_("Fichier CSV ou Excel (.xlsx)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx,.txt"}),
    )
    kind = forms.ChoiceField(label=_("Type d'import"), choices=KINDS, initial="communes")
    dry_run = forms.BooleanField(
        label=_("Simulation : tout vérifier sans rien enregistrer"), required=False, initial=True
    )
