"""HTML forms of the registry. They only parse input: every write goes through
registry.services, whose domain errors come back onto the form (core.forms)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.scoping import scope_for
from core.forms import EventDateField, PlannedDateField
from geo.models import AreaLevel
from geo.selectors import area_list
from registry.errors import Code
from registry.models import (
    ContractType,
    EducationLevel,
    LegalForm,
    MemberRole,
    Sex,
    Stage,
    ValueChainStage,
)
from registry.selectors import partner_list, sector_list

DATE_INPUT_FORMATS = ["%Y-%m-%d", "%d/%m/%Y"]


def date_field(label, *, required=True, planned=False, **kwargs) -> forms.DateField:
    """A date typed in an ``<input type="date">`` (ISO) or by hand as ``22/11/2026``, with
    the one date rule (core/dates.py) on the field: a date of something that happened
    (1900..today), or ``planned`` (1900..2100)."""
    field = PlannedDateField if planned else EventDateField
    return field(
        label=label,
        required=required,
        input_formats=DATE_INPUT_FORMATS,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        **kwargs,
    )


ALL_LABEL = _("Tous")


def blank_choice(choices, label=ALL_LABEL):
    return [("", label), *choices]


class AreaChoiceField(forms.ModelChoiceField):
    """A commune shown with its department, so homonyms stay apart."""

    def label_from_instance(self, obj):
        return f"{obj.name} ({obj.parent.name})" if obj.parent_id else obj.name


def commune_queryset(actor):
    """The communes the actor may register in: all for national, the agent's areas else."""
    communes = area_list(level=AreaLevel.COMMUNE)
    scope = scope_for(actor)
    if scope.national or not scope.area_paths:
        return communes
    q = None
    for path in sorted(scope.area_paths):
        part = communes.filter(path__startswith=path)
        q = part if q is None else q | part
    return q


class Form(forms.Form):
    """Labels stand above their field: no trailing colon."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)


# ---------------------------------------------------------------- lists (GET)


class CooperativeFilterForm(Form):
    """The list's filters. Invalid values are ignored (a stale link still shows a list)."""

    q = forms.CharField(label=_("Recherche"), required=False, max_length=100)
    region = forms.ChoiceField(label=_("Région"), required=False)
    department = forms.ChoiceField(label=_("Département"), required=False)
    sector = forms.ChoiceField(label=_("Secteur"), required=False)
    stage = forms.ChoiceField(
        label=_("Étape"), required=False, choices=blank_choice(Stage.choices, _("Toutes"))
    )
    legal_form = forms.ChoiceField(
        label=_("Forme juridique"),
        required=False,
        choices=blank_choice([(c, c) for c in LegalForm.values], _("Toutes")),
    )
    value_chain_stage = forms.ChoiceField(
        label=_("Maillon"),
        required=False,
        choices=blank_choice(ValueChainStage.choices),
    )
    women_led = forms.ChoiceField(
        label=_("Dirigée par une femme"),
        required=False,
        choices=[("", _("Indifférent")), ("1", _("Oui")), ("0", _("Non"))],
    )
    ordering = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        regions = area_list(level=AreaLevel.REGION)
        self.fields["region"].choices = blank_choice(
            [(a.code, a.name) for a in regions], _("Toutes")
        )
        departments = area_list(level=AreaLevel.DEPARTMENT)
        region = self.data.get("region") if self.is_bound else None
        if region:
            departments = departments.filter(parent__code=region)
        self.fields["department"].choices = blank_choice([(a.code, a.name) for a in departments])
        self.fields["sector"].choices = blank_choice([(s.code, s.name) for s in sector_list()])

    def filters(self) -> dict:
        """The valid filters as the selector takes them (empty values left out)."""
        if not self.is_bound:
            return {}
        self.is_valid()
        out = {}
        for name, value in self.cleaned_data.items():
            if value in ("", None):
                continue
            if name == "women_led":
                value = value == "1"
            out[name] = value
        return out


class PersonFilterForm(Form):
    q = forms.CharField(label=_("Recherche"), required=False, max_length=100)
    sex = forms.ChoiceField(
        label=_("Sexe"), required=False, choices=blank_choice(Sex.choices, _("Tous"))
    )

    def filters(self) -> dict:
        if not self.is_bound:
            return {}
        self.is_valid()
        return {k: v for k, v in self.cleaned_data.items() if v not in ("", None)}


# ---------------------------------------------------------------- writes (POST)


class CooperativeForm(Form):
    name = forms.CharField(label=_("Nom"), max_length=200)
    legal_form = forms.ChoiceField(label=_("Forme juridique"), choices=LegalForm.choices)
    commune = AreaChoiceField(label=_("Commune"), queryset=area_list(level=AreaLevel.COMMUNE))
    sector = forms.ModelChoiceField(
        label=_("Secteur"), queryset=sector_list(), to_field_name="code"
    )
    value_chain_stage = forms.ChoiceField(
        label=_("Maillon de la chaîne de valeur"), choices=ValueChainStage.choices
    )
    founded_on = date_field(_("Date de création"), required=False)
    registration_number = forms.CharField(
        label=_("Numéro d'immatriculation (RSC)"), max_length=60, required=False
    )
    phone = forms.CharField(
        label=_("Téléphone"),
        max_length=20,
        required=False,
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}),
    )
    email = forms.EmailField(label=_("E-mail"), required=False)
    address = forms.CharField(label=_("Adresse"), max_length=255, required=False)
    latitude = forms.DecimalField(
        label=_("Latitude"), max_digits=9, decimal_places=6, required=False
    )
    longitude = forms.DecimalField(
        label=_("Longitude"), max_digits=9, decimal_places=6, required=False
    )
    sponsor = forms.ModelChoiceField(
        label=_("Parrain"),
        queryset=partner_list(),
        required=False,
        empty_label=_("Aucun"),
    )

    def __init__(self, *args, actor=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["commune"].queryset = commune_queryset(actor)
        self.fields["sector"].queryset = sector_list()
        self.fields["sponsor"].queryset = partner_list()

    def service_kwargs(self) -> dict:
        data = dict(self.cleaned_data)
        data["registration_number"] = data["registration_number"] or None
        return data

    @classmethod
    def initial_for(cls, coop) -> dict:
        return {name: getattr(coop, name) for name in cls.base_fields}


class StageChangeForm(Form):
    stage = forms.ChoiceField(label=_("Nouvelle étape"), choices=Stage.choices)
    on = date_field(_("Date"))
    registration_number = forms.CharField(
        label=_("Numéro d'immatriculation (RSC)"),
        max_length=60,
        required=False,
        help_text=_("Facultatif : à saisir s'il est déjà délivré."),
    )
    note = forms.CharField(label=_("Note"), max_length=255, required=False)


class PersonForm(Form):
    first_name = forms.CharField(label=_("Prénom"), max_length=100)
    last_name = forms.CharField(label=_("Nom"), max_length=100)
    sex = forms.ChoiceField(label=_("Sexe"), choices=Sex.choices)
    birth_date = date_field(_("Date de naissance"), required=False)
    phone = forms.CharField(
        label=_("Téléphone"),
        max_length=20,
        required=False,
        help_text=_("Sénégal par défaut : 77 123 45 67 ou +221 77 123 45 67"),
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}),
    )
    national_id = forms.CharField(label=_("Numéro de CNI"), max_length=32, required=False)
    commune = AreaChoiceField(
        label=_("Commune"),
        queryset=area_list(level=AreaLevel.COMMUNE),
        required=False,
        empty_label=_("Non renseignée"),
    )
    disability = forms.BooleanField(label=_("Situation de handicap"), required=False)
    education_level = forms.ChoiceField(
        label=_("Niveau d'instruction"),
        required=False,
        choices=blank_choice(EducationLevel.choices, _("Non renseigné")),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["commune"].queryset = area_list(level=AreaLevel.COMMUNE)

    def service_kwargs(self) -> dict:
        data = dict(self.cleaned_data)
        data["national_id"] = data["national_id"] or None
        return data

    @classmethod
    def initial_for(cls, person) -> dict:
        return {name: getattr(person, name) for name in cls.base_fields}


class MemberAdmitForm(Form):
    """Admit an existing person (``person``) or one created inline (the ``new_*`` fields)."""

    person = forms.IntegerField(required=False, widget=forms.HiddenInput)
    joined_on = date_field(_("Date d'adhésion"))
    role = forms.ChoiceField(label=_("Rôle"), choices=MemberRole.choices, initial="membre")
    new_first_name = forms.CharField(label=_("Prénom"), max_length=100, required=False)
    new_last_name = forms.CharField(label=_("Nom"), max_length=100, required=False)
    new_sex = forms.ChoiceField(
        label=_("Sexe"), required=False, choices=blank_choice(Sex.choices, "—")
    )
    new_birth_date = date_field(_("Date de naissance"), required=False)
    new_phone = forms.CharField(
        label=_("Téléphone"),
        max_length=20,
        required=False,
        widget=forms.TextInput(attrs={"type": "tel"}),
    )
    new_national_id = forms.CharField(label=_("Numéro de CNI"), max_length=32, required=False)

    NEW_FIELDS = ("first_name", "last_name", "sex", "birth_date", "phone", "national_id")
    PERSON_FIELDS = {n: f"new_{n}" for n in NEW_FIELDS}  # person_create's fields -> the form's

    def clean(self):
        data = super().clean()
        if data.get("person"):
            return data
        missing = False
        for name in ("new_first_name", "new_last_name", "new_sex"):
            if not data.get(name) and name not in self.errors:
                self.add_error(name, _("Ce champ est obligatoire pour une nouvelle personne."))
                missing = True
        if missing and not any(data.get(f"new_{n}") for n in self.NEW_FIELDS):
            raise forms.ValidationError(
                _("Choisissez une personne existante ou saisissez une nouvelle personne."),
                code=Code.PERSON_REQUIRED,
            )
        return data

    def new_person_kwargs(self) -> dict:
        data = {n: self.cleaned_data.get(f"new_{n}") for n in self.NEW_FIELDS}
        data["phone"] = data["phone"] or ""
        data["national_id"] = data["national_id"] or None
        return data


class MemberLeaveForm(Form):
    left_on = date_field(_("Date de sortie"))


class MemberRoleForm(Form):
    role = forms.ChoiceField(label=_("Rôle"), choices=MemberRole.choices)


class EmploymentForm(Form):
    person = forms.TypedChoiceField(label=_("Personne"), coerce=int)
    job_title = forms.CharField(label=_("Poste"), max_length=120)
    contract_type = forms.ChoiceField(label=_("Type de contrat"), choices=ContractType.choices)
    started_on = date_field(_("Début"))
    ended_on = date_field(_("Fin"), required=False, planned=True)
    monthly_pay = forms.IntegerField(label=_("Salaire mensuel (F CFA)"), min_value=0, initial=0)
    social_security = forms.BooleanField(
        label=_("Immatriculé(e) à la sécurité sociale"), required=False
    )

    def __init__(self, *args, persons=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].choices = blank_choice([(p.pk, str(p)) for p in persons], "—")


class EmploymentEndForm(Form):
    ended_on = date_field(_("Date de fin"), planned=True)


class DuplicateDismissForm(Form):
    reason = forms.CharField(
        label=_("Ce qui a été vérifié"),
        max_length=255,
        help_text=_("Par exemple : deux CNI différentes vues, deux sœurs jumelles."),
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": 255}),
    )
