"""Forms of the mediation pages (French labels; the services check every rule)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import NoNul
from mediation.models import Category, Outcome


class CaseForm(NoNul, forms.Form):
    complainant = forms.ChoiceField(label=_("Au nom de"))
    against_platform = forms.BooleanField(
        label=_("Le différend oppose mon organisation à la plateforme elle-même"), required=False
    )
    respondent = forms.CharField(
        label=_("Autre organisation : son adresse dans l'annuaire (ex. cooperative-de-thies)"),
        max_length=80,
        required=False,
    )
    category = forms.ChoiceField(label=_("Nature du différend"), choices=Category.choices)
    subject = forms.CharField(label=_("Objet"), max_length=200)
    description = forms.CharField(
        label=_("Exposé des faits (confidentiel : les parties et le médiateur seulement)"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 6}),
    )

    def __init__(self, *args, organisations=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["complainant"].choices = [(str(o.pk), o.name) for o in organisations]

    def clean(self):
        data = super().clean()
        if not data.get("against_platform") and not data.get("respondent"):
            self.add_error("respondent", _("Indiquez l'autre organisation, ou la plateforme."))
        return data


class MediatorForm(NoNul, forms.Form):
    username = forms.CharField(label=_("Identifiant du compte"), max_length=150)
    languages = forms.CharField(label=_("Langues"), max_length=100, required=False)


class AppointForm(forms.Form):
    mediator = forms.ChoiceField(label=_("Médiateur"))

    def __init__(self, *args, mediators=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["mediator"].choices = [(str(m.pk), str(m)) for m in mediators]


class EntryForm(NoNul, forms.Form):
    body = forms.CharField(
        label=_("Message"), max_length=5000, widget=forms.Textarea(attrs={"rows": 3})
    )


class MeetingForm(NoNul, forms.Form):
    body = forms.CharField(label=_("Ordre du jour"), max_length=5000)
    meeting_at = forms.DateTimeField(
        label=_("Date et heure (heure de Dakar, GMT)"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
    )
    place = forms.CharField(label=_("Lieu ou lien de visioconférence"), max_length=200)


class CloseForm(NoNul, forms.Form):
    outcome = forms.ChoiceField(label=_("Issue"), choices=Outcome.choices)
    summary = forms.CharField(
        label=_("Compte rendu (pour les parties)"),
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
