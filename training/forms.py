"""Forms of the training pages. Choices come from the scoped selectors."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import DateInput, EventDateField, PlannedDateField
from registry.models import Stage
from training import selectors
from training.models import DIAGNOSTIC_AXES, SCORE_MAX, Diagnostic, Programme, SessionKind


class SessionFilterForm(forms.Form):
    programme = forms.ChoiceField(
        label=_("Programme"), required=False, choices=[("", _("Tous"))] + Programme.choices
    )
    starts_from = PlannedDateField(label=_("À partir du"), required=False, widget=DateInput())
    starts_until = PlannedDateField(label=_("Jusqu'au"), required=False, widget=DateInput())


class SessionForm(forms.Form):
    module = forms.ModelChoiceField(label=_("Module"), queryset=None)
    kind = forms.ChoiceField(label=_("Type"), choices=SessionKind.choices, initial="regular")
    commune = forms.ModelChoiceField(label=_("Commune"), queryset=None)
    venue = forms.CharField(label=_("Lieu"), required=False, max_length=200)
    starts_on = PlannedDateField(label=_("Premier jour"), widget=DateInput())
    ends_on = PlannedDateField(label=_("Dernier jour"), widget=DateInput())
    trainers = forms.ModelMultipleChoiceField(
        label=_("Formateurs"), queryset=None, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, actor, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["module"].queryset = selectors.module_list(actor=actor, active=True)
        self.fields["commune"].queryset = selectors.commune_choices(actor=actor)
        self.fields["trainers"].queryset = selectors.trainer_list(actor=actor).filter(active=True)

    def clean(self):
        data = super().clean()
        if data.get("starts_on") and data.get("ends_on") and data["ends_on"] < data["starts_on"]:
            self.add_error("ends_on", _("La date de fin précède la date de début."))
        return data


class EnrolForm(forms.Form):
    cooperative = forms.ModelChoiceField(
        label=_("Inscrire les membres actifs de la coopérative"), queryset=None
    )

    def __init__(self, *args, actor, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cooperative"].queryset = selectors.followed_cooperative_list(actor=actor)


class ModuleForm(forms.Form):
    code = forms.SlugField(label=_("Code"), max_length=40)
    programme = forms.ChoiceField(label=_("Programme"), choices=Programme.choices)
    title = forms.CharField(label=_("Intitulé"), max_length=160)
    position = forms.IntegerField(label=_("Ordre"), min_value=0, initial=0)
    duration_days = forms.IntegerField(label=_("Durée (jours)"), min_value=1)
    audience = forms.CharField(label=_("Public"), max_length=200)
    description = forms.CharField(label=_("Description"), required=False, widget=forms.Textarea)
    active = forms.BooleanField(label=_("Proposé"), required=False, initial=True)


class TrainerForm(forms.Form):
    name = forms.CharField(
        label=_("Nom"),
        max_length=160,
        required=False,
        help_text=_("Facultatif si un compte est lié."),
    )
    username = forms.CharField(
        label=_("Compte utilisateur (identifiant), pour un agent"), max_length=150, required=False
    )
    kind = forms.ChoiceField(
        label=_("Type"), choices=[("agent", _("agent du ministère")), ("partner", _("partenaire"))]
    )
    organisation = forms.CharField(label=_("Organisation"), max_length=160, required=False)
    phone = forms.CharField(label=_("Téléphone"), max_length=20, required=False)


class CertifyForm(forms.Form):
    trainer = forms.ModelChoiceField(label=_("Formateur"), queryset=None)
    module = forms.ModelChoiceField(label=_("Module"), queryset=None)
    certified_on = EventDateField(label=_("Certifié(e) le"), widget=DateInput())

    def __init__(self, *args, actor, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["trainer"].queryset = selectors.trainer_list(actor=actor)
        self.fields["module"].queryset = selectors.module_list(actor=actor)


SCORE_CHOICES = [("", "—")] + [(str(i), str(i)) for i in range(SCORE_MAX + 1)]
ACTION_ROWS = 3


class VisitForm(forms.Form):
    cooperative = forms.ModelChoiceField(label=_("Coopérative"), queryset=None)
    visited_on = EventDateField(label=_("Date de la visite"), widget=DateInput())
    purpose = forms.CharField(label=_("Objet"), max_length=200)
    findings = forms.CharField(
        label=_("Constats"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )

    def __init__(self, *args, actor, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cooperative"].queryset = selectors.followed_cooperative_list(actor=actor)
        for axis in DIAGNOSTIC_AXES:
            self.fields[f"diagnostic_{axis}"] = forms.TypedChoiceField(
                label=Diagnostic._meta.get_field(axis).verbose_name.capitalize(),
                choices=SCORE_CHOICES,
                coerce=int,
                empty_value=None,
                required=False,
            )
        for i in range(ACTION_ROWS):
            self.fields[f"action_{i}_description"] = forms.CharField(
                label=_("Action"), required=False, max_length=255
            )
            self.fields[f"action_{i}_owner"] = forms.CharField(
                label=_("Responsable"), required=False, max_length=120
            )
            self.fields[f"action_{i}_due_on"] = PlannedDateField(
                label=_("Échéance"), required=False, widget=DateInput()
            )

    def diagnostic_fields(self):
        return [self[f"diagnostic_{a}"] for a in DIAGNOSTIC_AXES]

    def action_rows(self):
        return [
            (self[f"action_{i}_description"], self[f"action_{i}_owner"], self[f"action_{i}_due_on"])
            for i in range(ACTION_ROWS)
        ]

    def main_fields(self):
        return [self[n] for n in ("cooperative", "visited_on", "purpose", "findings")]

    def service_kwargs(self) -> dict:
        d = self.cleaned_data
        diagnostic = {a: d.get(f"diagnostic_{a}") for a in DIAGNOSTIC_AXES}
        if all(v is None for v in diagnostic.values()):
            diagnostic = None
        actions = []
        for i in range(ACTION_ROWS):
            row = {
                "description": d.get(f"action_{i}_description") or "",
                "owner": d.get(f"action_{i}_owner") or "",
                "due_on": d.get(f"action_{i}_due_on"),
            }
            if row["description"] or row["owner"] or row["due_on"]:
                actions.append(row)
        return {
            "cooperative": d["cooperative"],
            "visited_on": d["visited_on"],
            "purpose": d["purpose"],
            "findings": d.get("findings") or "",
            "actions": actions,
            "diagnostic": diagnostic,
        }

    def apply_error(self, exc) -> None:
        """Service field names (``actions.1.owner``, ``diagnostic.market``) to form fields."""
        field = exc.field or ""
        if field.startswith("actions."):
            _a, i, name = field.split(".")
            field = f"action_{i}_{name}"
        elif field.startswith("diagnostic."):
            field = "diagnostic_" + field.split(".", 1)[1]
        self.add_error(field if field in self.fields else None, str(exc.message))


class ActionDoneForm(forms.Form):
    done_on = EventDateField(label=_("Réalisée le"), widget=DateInput())


class SupportPlanForm(forms.Form):
    objectives = forms.CharField(
        label=_("Objectifs"), widget=forms.Textarea(attrs={"rows": 3}), max_length=4000
    )
    planned_support = forms.CharField(
        label=_("Appuis prévus"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=4000,
    )
    target_stage = forms.ChoiceField(
        label=_("Étape visée"), required=False, choices=[("", "—")] + Stage.choices
    )
    review_on = PlannedDateField(label=_("Prochaine revue"), required=False, widget=DateInput())


class WorklistForm(forms.Form):
    days = forms.IntegerField(label=_("Non visitées depuis (jours)"), min_value=1, max_value=3650)
