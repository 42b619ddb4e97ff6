"""Forms of the sponsored announcements' pages (French labels; the services check every
rule and the form keeps what was typed)."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from core.forms import NoNul, PlannedDateField
from network.countries import country_choices
from network.models import Sector
from payments.models import Provider
from sponsoring.models import Format, Placement


class BookingForm(NoNul, forms.Form):
    advertiser = forms.ChoiceField(label=_("Au nom de"))
    format = forms.ChoiceField(label=_("Format"), choices=Format.choices)
    target = forms.ChoiceField(
        label=_("Mise en avant de"), required=False,
        help_text=_(
            "Pour une mise en avant : l'organisation, un de ses projets ou une de ses campagnes."
        ),
    )  # fmt: skip
    title = forms.CharField(label=_("Titre de l'annonce"), max_length=80, required=False)
    text = forms.CharField(
        label=_("Texte (Markdown, 300 caractères au plus)"), max_length=300, required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )  # fmt: skip
    link = forms.CharField(
        label=_("Lien (une page du portail commençant par /, ou une adresse https://)"),
        max_length=300, required=False,
    )  # fmt: skip
    image = forms.FileField(label=_("Image (PNG ou JPEG, facultative)"), required=False)
    placements = forms.MultipleChoiceField(
        label=_("Emplacements"), choices=Placement.choices, widget=forms.CheckboxSelectMultiple
    )
    countries = forms.MultipleChoiceField(
        label=_("Pays"), help_text=_("« Toute l'Afrique » : toutes les pages, avec ou sans pays.")
    )
    sectors = forms.MultipleChoiceField(
        label=_("Secteurs (mise en avant, facultatif)"), choices=Sector.choices, required=False
    )
    starts_on = PlannedDateField(label=_("Du"))
    ends_on = PlannedDateField(label=_("Au"))

    def __init__(self, *args, organisations=(), targets=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["advertiser"].choices = [(str(o.pk), o.name) for o in organisations]
        self.fields["target"].choices = [("", "—"), *targets]
        self.fields["countries"].choices = [("all", _("Toute l'Afrique")), *country_choices()]


class PayForm(NoNul, forms.Form):
    phone = forms.CharField(label=_("Téléphone qui paie (mobile money)"), max_length=40)
    provider = forms.ChoiceField(label=_("Opérateur"), initial="wave")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        configured = set(getattr(settings, "PAYMENT_PROVIDERS", {}))
        self.fields["provider"].choices = [c for c in Provider.choices if c[0] in configured]


class ModerationForm(NoNul, forms.Form):
    decision = forms.ChoiceField(
        label=_("Décision"), choices=[("approve", _("Valider")), ("refuse", _("Refuser"))]
    )
    reason = forms.CharField(label=_("Motif (obligatoire pour un refus)"), max_length=500,
                             required=False)  # fmt: skip


class TariffForm(NoNul, forms.Form):
    placement = forms.ChoiceField(label=_("Emplacement"), choices=Placement.choices)
    price_per_day = forms.IntegerField(
        label=_("Prix par jour et par pays (F CFA)"), min_value=0, max_value=10**8
    )
    price_per_day_all = forms.IntegerField(
        label=_("Prix par jour, toute l'Afrique (F CFA)"), min_value=0, max_value=10**8
    )
