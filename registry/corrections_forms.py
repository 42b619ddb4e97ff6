"""Forms of correction requests (registry/corrections.py). They only parse input."""

from __future__ import annotations

import datetime

from django import forms
from django.utils.translation import gettext_lazy as _

from registry.corrections import CORRECTABLE_FIELDS
from registry.forms import Form, PersonForm, blank_choice, date_field
from registry.models import CorrectionChannel, CorrectionRequester, CorrectionStatus


class CorrectionFilterForm(Form):
    q = forms.CharField(label=_("Recherche"), required=False, max_length=100)
    status = forms.ChoiceField(
        label=_("Statut"),
        required=False,
        choices=blank_choice(CorrectionStatus.choices, _("Tous")),
    )

    def filters(self) -> dict:
        if not self.is_bound:
            return {}
        self.is_valid()
        return {k: v for k, v in self.cleaned_data.items() if v not in ("", None)}


class CorrectionRequestForm(PersonForm):
    """The person's fields, filled with their current values: the agent changes those the
    person asks to correct. Then who asked, how, when, and any free text."""

    received_on = date_field(_("Demande reçue le"), initial=datetime.date.today)
    channel = forms.ChoiceField(label=_("Canal"), choices=CorrectionChannel.choices)
    asked_by = forms.ChoiceField(
        label=_("Demandée par"),
        choices=CorrectionRequester.choices,
        initial=CorrectionRequester.SELF,
    )
    representative_name = forms.CharField(
        label=_("Nom du représentant"), max_length=200, required=False
    )
    details = forms.CharField(
        label=_("Précisions (ce que la personne demande, pièces présentées)"),
        required=False,
        max_length=10_000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    field_order = [
        "received_on",
        "channel",
        "asked_by",
        "representative_name",
        *CORRECTABLE_FIELDS,
        "details",
    ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in CORRECTABLE_FIELDS:
            self.fields[name].required = False

    def changes(self) -> dict:
        """The person's fields the agent changed, as text (the service drops the ones
        equal to the current value)."""
        changes = {}
        for name in CORRECTABLE_FIELDS:
            if name not in self.changed_data:
                continue
            value = self.cleaned_data.get(name)
            if name == "commune":
                value = value.code if value is not None else ""
            elif name == "disability":
                value = bool(value)
            elif isinstance(value, datetime.date):
                value = value.isoformat()
            changes[name] = "" if value is None else value
        return changes

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        return {
            "received_on": data["received_on"],
            "channel": data["channel"],
            "asked_by": data["asked_by"],
            "representative_name": data.get("representative_name", ""),
            "details": data.get("details", ""),
            "changes": self.changes(),
        }


class CorrectionDecisionForm(Form):
    outcome = forms.ChoiceField(
        label=_("Décision"),
        choices=[
            (CorrectionStatus.ACCEPTED, _("Accepter et corriger la fiche")),
            (CorrectionStatus.REFUSED, _("Refuser")),
        ],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label=_("Motif (obligatoire pour un refus)"),
        required=False,
        max_length=10_000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def clean(self):
        data = super().clean()
        if (
            data.get("outcome") == CorrectionStatus.REFUSED
            and not (data.get("reason") or "").strip()
        ):
            self.add_error("reason", _("Le motif du refus est obligatoire."))
        return data
