"""Forms of the calls for tenders' pages (French labels; the services check every rule)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import NoNul
from network.countries import country_choices
from network.models import Sector
from tenders.models import BuyerKind


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%dT%H:%M")


class TenderForm(NoNul, forms.Form):
    buyer = forms.ChoiceField(label=_("Acheteur (votre organisation)"))
    buyer_kind = forms.ChoiceField(label=_("Type d'acheteur"), choices=BuyerKind.choices)
    title = forms.CharField(label=_("Titre"), max_length=200)
    description = forms.CharField(
        label=_("Description et termes de référence (Markdown permis)"),
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 8}),
    )
    country = forms.ChoiceField(label=_("Pays"))
    sector = forms.ChoiceField(label=_("Secteur"), choices=Sector.choices)
    budget = forms.IntegerField(
        label=_("Budget indicatif (F CFA, 0 si non publié)"), min_value=0, initial=0
    )
    deadline = forms.DateTimeField(
        label=_("Date limite de dépôt (heure de Dakar, GMT)"),
        widget=DateTimeInput,
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
    )
    criteria = forms.CharField(
        label=_("Grille d'évaluation : un critère par ligne, « nom ; poids » (total 100)"),
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 4}),
        initial="Compréhension des termes de référence ; 30\nMéthodologie ; 40\n"
        "Expérience de l'équipe ; 20\nPrix ; 10",
    )

    def __init__(self, *args, buyers=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["buyer"].choices = [(str(o.pk), o.name) for o in buyers]
        self.fields["country"].choices = country_choices()

    def clean_criteria(self):
        rows = []
        for line in self.cleaned_data["criteria"].splitlines():
            if not line.strip():
                continue
            name, sep, weight = line.rpartition(";")
            if not sep or not weight.strip().isdigit():
                raise forms.ValidationError(_("Chaque ligne : « nom du critère ; poids »."))
            rows.append((name.strip(), int(weight.strip())))
        return rows


class DocumentForm(forms.Form):
    title = forms.CharField(label=_("Titre du document"), max_length=200)
    file = forms.FileField(label=_("Fichier (PDF, ODT, DOCX, ODS, XLSX ; 2 Mo au plus)"))


class QuestionForm(NoNul, forms.Form):
    body = forms.CharField(
        label=_("Votre question (publiée avec sa réponse, sans votre nom)"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class AnswerForm(NoNul, forms.Form):
    answer = forms.CharField(
        label=_("Réponse (publiée à tous)"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class SubmissionForm(NoNul, forms.Form):
    organisation = forms.ChoiceField(label=_("Au nom de"))
    summary = forms.CharField(
        label=_("Offre technique (résumé)"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    price = forms.IntegerField(label=_("Prix proposé (F CFA)"), min_value=1)
    file = forms.FileField(label=_("Offre complète (PDF, ODT, DOCX ; facultatif)"), required=False)

    def __init__(self, *args, organisations=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].choices = [(str(o.pk), o.name) for o in organisations]


class EvaluatorForm(forms.Form):
    username = forms.CharField(label=_("Identifiant de l'évaluateur"), max_length=150)


class DeclarationForm(NoNul, forms.Form):
    no_conflict = forms.BooleanField(
        label=_("Je déclare n'avoir aucun conflit d'intérêts avec les soumissionnaires listés.")
    )
    declaration = forms.CharField(
        label=_("Précisions (facultatif)"), max_length=500, required=False
    )


class ScoreForm(forms.Form):
    def __init__(self, *args, criteria=(), initial_scores=None, **kwargs):
        super().__init__(*args, **kwargs)
        for c in criteria:
            self.fields[f"score_{c.pk}"] = forms.IntegerField(
                label=f"{c.name} ({c.weight} %)",
                min_value=0,
                max_value=10,
                initial=(initial_scores or {}).get(c.pk),
            )

    def scores(self) -> list[tuple[int, int]]:
        """One ``(criterion, score)`` pair per value posted: a criterion's field posted
        twice reaches the service twice, which refuses it (as it does the API's)."""
        pairs = []
        for name, value in self.cleaned_data.items():
            posted = (
                self.data.getlist(self.add_prefix(name)) if hasattr(self.data, "getlist") else ()
            )
            pairs += [(int(name.removeprefix("score_")), value)] * max(1, len(posted))
        return pairs


class AwardForm(NoNul, forms.Form):
    submission = forms.ChoiceField(label=_("Offre retenue"))
    reasons = forms.CharField(
        label=_("Motifs de l'attribution (communiqués à chaque soumissionnaire)"),
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    confirm = forms.BooleanField(
        label=_(
            "Je confirme : l'attribution est définitive et chaque soumissionnaire en est avisé."
        ),
        error_messages={"required": _("Cochez la confirmation pour attribuer le marché.")},
    )

    def __init__(self, *args, offers=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["submission"].choices = [(str(o.pk), o.organisation.name) for o in offers]
