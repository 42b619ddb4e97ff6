"""Forms of the network's governance pages (French labels; the services check every rule)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import EventDateField, NoNul, PlannedDateField
from network.models import Kind
from networkgov.models import AssemblyKind, Choice, Size
from payments.models import Provider


class TariffForm(NoNul, forms.Form):
    kind = forms.ChoiceField(label=_("Type d'organisation"), choices=Kind.choices)
    size = forms.ChoiceField(label=_("Taille"), choices=Size.choices)
    amount = forms.IntegerField(label=_("Cotisation annuelle (F CFA)"))


class JoinForm(NoNul, forms.Form):
    organisation = forms.ChoiceField(label=_("Organisation"))
    size = forms.ChoiceField(label=_("Taille de l'organisation"), choices=Size.choices)
    year = forms.IntegerField(label=_("Année"))

    def __init__(self, *args, organisations=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].choices = [(str(o.pk), o.name) for o in organisations]


class DuesPayForm(NoNul, forms.Form):
    amount = forms.IntegerField(label=_("Montant à payer (F CFA)"))
    phone = forms.CharField(label=_("Téléphone qui paie (mobile money)"), max_length=30)
    provider = forms.ChoiceField(label=_("Opérateur"), choices=Provider.choices, initial="wave")


class AssemblyForm(NoNul, forms.Form):
    title = forms.CharField(label=_("Intitulé"), max_length=200)
    kind = forms.ChoiceField(label=_("Type"), choices=AssemblyKind.choices)
    held_on = PlannedDateField(label=_("Date de l'assemblée"))
    notice_sent_on = EventDateField(label=_("Convocation envoyée le"))
    place = forms.CharField(label=_("Lieu (ou « en ligne »)"), max_length=200)
    agenda = forms.CharField(
        label=_("Ordre du jour"), max_length=5000, widget=forms.Textarea(attrs={"rows": 5})
    )


class ResolutionForm(NoNul, forms.Form):
    title = forms.CharField(label=_("Résolution"), max_length=200)
    text = forms.CharField(
        label=_("Texte (facultatif)"),
        max_length=5000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class VoteForm(NoNul, forms.Form):
    organisation = forms.IntegerField(widget=forms.HiddenInput)
    choice = forms.ChoiceField(label=_("Vote"), choices=Choice.choices)


class DelegateForm(NoNul, forms.Form):
    organisation = forms.IntegerField(widget=forms.HiddenInput)
    username = forms.CharField(label=_("Identifiant du compte délégué"), max_length=150)


class CloseForm(NoNul, forms.Form):
    chaired_by = forms.CharField(label=_("Président(e) de séance"), max_length=150, required=False)
    secretary = forms.CharField(label=_("Secrétaire de séance"), max_length=150, required=False)


class ConsultationForm(NoNul, forms.Form):
    title = forms.CharField(label=_("Intitulé"), max_length=200)
    question = forms.CharField(
        label=_("Question posée aux membres"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    project = forms.ChoiceField(
        label=_("Projet de la banque de projets (facultatif)"), required=False
    )
    options = forms.CharField(
        label=_("Réponses proposées (une par ligne ; vide : commentaires libres seulement)"),
        max_length=2200,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    allow_comments = forms.BooleanField(
        label=_("Accepter des commentaires libres"), required=False, initial=True
    )
    anonymous_comments = forms.BooleanField(
        label=_("Publier les commentaires sans le nom des organisations"),
        required=False,
        initial=True,
    )
    opens_on = PlannedDateField(label=_("Ouverture"))
    closes_on = PlannedDateField(label=_("Clôture"))

    def __init__(self, *args, projects=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["project"].choices = [("", "—")] + [(str(p.pk), p.title) for p in projects]


class AnswerForm(NoNul, forms.Form):
    organisation = forms.IntegerField(widget=forms.HiddenInput)
    option = forms.ChoiceField(label=_("Votre réponse"), required=False)
    comment = forms.CharField(
        label=_("Commentaire"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, consultation=None, **kwargs):
        super().__init__(*args, **kwargs)
        options = list(consultation.options) if consultation else []
        if options:
            self.fields["option"].choices = [(o, o) for o in options]
            self.fields["option"].required = True
        else:
            del self.fields["option"]
        if consultation is not None and not consultation.allow_comments:
            del self.fields["comment"]
