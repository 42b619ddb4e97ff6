from django import forms
from django.utils.translation import gettext_lazy as _

from messaging.models import TEMPLATE_MAX


class TemplateForm(forms.Form):
    fr = forms.CharField(
        label=_("Texte en français"),
        max_length=TEMPLATE_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 5, "data-sms-parts": "fr"}),
    )
    wo = forms.CharField(
        label=_("Texte en wolof"),
        max_length=TEMPLATE_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 5, "data-sms-parts": "wo"}),
    )


class OptOutForm(forms.Form):
    phone = forms.CharField(label=_("Numéro de téléphone"), max_length=40)
    reason = forms.CharField(label=_("Motif"), max_length=200, required=False)


class OptOutSearchForm(forms.Form):
    q = forms.CharField(label=_("Numéro"), max_length=40, required=False)
