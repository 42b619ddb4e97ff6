"""Forms of the knowledge pages (French labels; the services check every rule)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import NoNul
from knowledge.models import Kind, Language, Theme
from network.countries import country_choices
from network.models import Sector

ALL = [("", _("Tous"))]


class FilterForm(forms.Form):
    q = forms.CharField(label=_("Recherche"), max_length=100, required=False)
    country = forms.ChoiceField(label=_("Pays"), required=False)
    sector = forms.ChoiceField(label=_("Secteur"), required=False, choices=ALL + Sector.choices)
    theme = forms.ChoiceField(label=_("Thème"), required=False, choices=ALL + Theme.choices)
    kind = forms.ChoiceField(label=_("Type"), required=False, choices=ALL + Kind.choices)
    language = forms.ChoiceField(
        label=_("Langue"), required=False, choices=[("", _("Toutes"))] + Language.choices
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["country"].choices = ALL + country_choices()


class VersionForm(NoNul, forms.Form):
    language = forms.ChoiceField(label=_("Langue"), choices=Language.choices)
    title = forms.CharField(label=_("Titre"), max_length=200)
    summary = forms.CharField(
        label=_("Résumé"), max_length=500, widget=forms.Textarea(attrs={"rows": 2})
    )
    body = forms.CharField(
        label=_("Texte (Markdown)"), max_length=20000, widget=forms.Textarea(attrs={"rows": 12})
    )


class ItemForm(VersionForm):
    organisation = forms.ChoiceField(label=_("Au nom de"))
    kind = forms.ChoiceField(label=_("Type"), choices=Kind.choices)
    country = forms.ChoiceField(label=_("Pays concerné"))
    sector = forms.ChoiceField(label=_("Secteur"), choices=Sector.choices)
    theme = forms.ChoiceField(label=_("Thème"), choices=Theme.choices)

    field_order = ["organisation", "kind", "country", "sector", "theme", "language"]

    def __init__(self, *args, organisations=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].choices = [(str(o.pk), o.name) for o in organisations]
        self.fields["country"].choices = country_choices()


class ModerateForm(NoNul, forms.Form):
    decision = forms.ChoiceField(
        label=_("Décision"), choices=[("publish", _("publier")), ("hide", _("retirer"))]
    )
    reason = forms.CharField(
        label=_("Motif (obligatoire pour retirer)"), max_length=500, required=False
    )


class PostModerateForm(ModerateForm):
    decision = forms.ChoiceField(
        label=_("Décision"), choices=[("hide", _("masquer")), ("show", _("rétablir"))]
    )


class QuestionForm(NoNul, forms.Form):
    organisation = forms.ChoiceField(label=_("Au nom de"))
    title = forms.CharField(label=_("Votre question"), max_length=200)
    body = forms.CharField(
        label=_("Précisions"), max_length=5000, widget=forms.Textarea(attrs={"rows": 5})
    )
    to_country = forms.ChoiceField(label=_("Adressée aux membres de"), required=False)
    sector = forms.ChoiceField(label=_("Secteur"), choices=Sector.choices)
    theme = forms.ChoiceField(label=_("Thème"), choices=Theme.choices)

    def __init__(self, *args, organisations=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].choices = [(str(o.pk), o.name) for o in organisations]
        self.fields["to_country"].choices = [("", _("tous les pays"))] + country_choices()


class AnswerForm(NoNul, forms.Form):
    organisation = forms.ChoiceField(label=_("Au nom de"))
    body = forms.CharField(
        label=_("Votre réponse"), max_length=5000, widget=forms.Textarea(attrs={"rows": 5})
    )

    def __init__(self, *args, organisations=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].choices = [(str(o.pk), o.name) for o in organisations]
