"""HTML forms of credit. They only parse input: every write goes through credit.services,
whose domain errors come back onto the form (core.forms.apply_domain_error)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from credit.models import ActionKind, Channel, LoanStatus

DATE_INPUT_FORMATS = ["%Y-%m-%d", "%d/%m/%Y"]


def date_field(label, *, required=True, **kwargs) -> forms.DateField:
    return forms.DateField(
        label=label,
        required=required,
        input_formats=DATE_INPUT_FORMATS,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        **kwargs,
    )


class LoanFilterForm(forms.Form):
    q = forms.CharField(label=_("Recherche"), required=False)
    status = forms.ChoiceField(
        label=_("Statut"), required=False, choices=[("", _("Tous")), *LoanStatus.choices]
    )
    in_arrears = forms.BooleanField(label=_("En retard seulement"), required=False)


class RepaymentForm(forms.Form):
    amount = forms.IntegerField(label=_("Montant (F CFA)"), min_value=1)
    paid_on = date_field(_("Date du paiement"))
    channel = forms.ChoiceField(
        label=_("Canal"), choices=[c for c in Channel.choices if c[0] != Channel.DEDUCTION]
    )
    reference = forms.CharField(label=_("Référence (reçu, transaction)"), required=False)
    idempotency_key = forms.CharField(widget=forms.HiddenInput, required=False)


class RecoveryActionForm(forms.Form):
    kind = forms.ChoiceField(label=_("Action"), choices=ActionKind.choices)
    on = date_field(_("Date"))
    note = forms.CharField(
        label=_("Compte rendu"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    promise_amount = forms.IntegerField(
        label=_("Promesse : montant (F CFA)"), required=False, min_value=1
    )
    promise_on = date_field(_("Promesse : date"), required=False)
    follow_up_on = date_field(_("Date de suivi"), required=False)
