"""Forms of the payments pages (French labels; the services check the rules again)."""

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from payments.models import Provider


class PayForm(forms.Form):
    amount = forms.IntegerField(label=_("Montant (F CFA)"), min_value=1, max_value=100_000_000)
    phone = forms.CharField(label=_("Téléphone du payeur"), max_length=20)
    provider = forms.ChoiceField(label=_("Opérateur"), choices=Provider.choices, initial="wave")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        configured = set(getattr(settings, "PAYMENT_PROVIDERS", {}))
        self.fields["provider"].choices = [c for c in Provider.choices if c[0] in configured]

    def clean_phone(self):
        value = self.cleaned_data["phone"]
        if "\x00" in value:
            raise forms.ValidationError(_("Caractère interdit."))
        return value


class StatementForm(forms.Form):
    file = forms.FileField(label=_("Relevé de l'opérateur (CSV ou XLSX)"))
    provider = forms.ChoiceField(label=_("Opérateur"), choices=Provider.choices, initial="wave")
    cooperative = forms.IntegerField(
        label=_("Coopérative titulaire du compte (n°, facultatif)"), required=False, min_value=1
    )


class MatchForm(forms.Form):
    payment = forms.CharField(label=_("Référence du paiement"), max_length=40)
    note = forms.CharField(label=_("Pourquoi ce rapprochement"), max_length=300)
