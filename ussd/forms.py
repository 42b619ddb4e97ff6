from django import forms
from django.utils.translation import gettext_lazy as _


class PinForm(forms.Form):
    pin = forms.CharField(
        label=_("Nouveau code PIN (4 à 6 chiffres)"),
        max_length=6,
        widget=forms.PasswordInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    pin_again = forms.CharField(
        label=_("Répétez le code PIN"),
        max_length=6,
        widget=forms.PasswordInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )

    def clean(self):
        data = super().clean()
        if data.get("pin") and data.get("pin_again") and data["pin"] != data["pin_again"]:
            self.add_error("pin_again", _("Les deux codes ne sont pas identiques."))
        return data


class PinSearchForm(forms.Form):
    q = forms.CharField(label=_("Nom, téléphone ou CNI"), max_length=100, required=False)
