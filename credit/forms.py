"""HTML forms of credit. They only parse input: every write goes through credit.services,
whose domain errors come back onto the form (core.forms.domain_errors_on)."""

from __future__ import annotations

from decimal import Decimal
from itertools import permutations

from django import forms
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from core.forms import EventDateField, PlannedDateField
from credit.models import (
    ActionKind,
    Amortization,
    Channel,
    DayCount,
    Frequency,
    InterestMethod,
    Lender,
    LoanProduct,
    LoanStatus,
)

DATE_INPUT_FORMATS = ["%Y-%m-%d", "%d/%m/%Y"]


def date_field(label, *, required=True, planned=False, **kwargs) -> forms.DateField:
    """The one date rule (core/dates.py) on the field: a date of something that
    happened (1900..today), or ``planned`` (1900..2100)."""
    field = PlannedDateField if planned else EventDateField
    return field(
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
    promise_on = date_field(_("Promesse : date"), required=False, planned=True)
    follow_up_on = date_field(_("Date de suivi"), required=False, planned=True)


# --- products and the loan lifecycle ------------------------------------------------------

COMPONENT_LABELS = {
    "penalty": _("pénalités"),
    "fee": _("frais"),
    "interest": _("intérêts"),
    "principal": _("capital"),
}
DEFAULT_ORDER = ("penalty", "fee", "interest", "principal")
MONTHS = [
    (1, _("janvier")),
    (2, _("février")),
    (3, _("mars")),
    (4, _("avril")),
    (5, _("mai")),
    (6, _("juin")),
    (7, _("juillet")),
    (8, _("août")),
    (9, _("septembre")),
    (10, _("octobre")),
    (11, _("novembre")),
    (12, _("décembre")),
]


def allocation_choices() -> list[tuple[str, str]]:
    """Every order of the four components, the default first, labelled in French."""
    orders = [DEFAULT_ORDER] + [p for p in permutations(DEFAULT_ORDER) if p != DEFAULT_ORDER]
    return [
        (",".join(o), format_lazy("{} → {} → {} → {}", *(COMPONENT_LABELS[c] for c in o)))
        for o in orders
    ]


def rate_field(
    label, *, required=True, max_value=100, help_text="", initial=None
) -> forms.DecimalField:
    return forms.DecimalField(
        label=label,
        required=required,
        initial=initial,
        min_value=0,
        max_value=max_value,
        max_digits=6,
        decimal_places=3,
        help_text=help_text,
        localize=True,
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
    )


class LoanProductForm(forms.Form):
    """Every field of ``credit.services.loan_product_create``; the service checks the rules
    (usury cap included) and its errors come back on the fields."""

    lender = forms.ModelChoiceField(label=_("Prêteur"), queryset=Lender.objects.none())
    name = forms.CharField(label=_("Nom du produit"), max_length=160)
    interest_method = forms.ChoiceField(
        label=_("Calcul des intérêts"),
        choices=InterestMethod.choices,
        initial=InterestMethod.DECLINING,
    )
    amortization = forms.ChoiceField(
        label=_("Amortissement"), choices=Amortization.choices, initial=Amortization.ANNUITY
    )
    annual_rate = rate_field(_("Taux annuel (%)"))
    day_count = forms.ChoiceField(
        label=_("Base de calcul des jours"), choices=DayCount.choices, initial=DayCount.D30_360
    )
    term_months = forms.IntegerField(label=_("Durée (mois)"), min_value=1, max_value=120)
    frequency = forms.ChoiceField(
        label=_("Périodicité"), choices=Frequency.choices, initial=Frequency.MONTHLY
    )
    grace_periods = forms.IntegerField(
        label=_("Différé sur le capital (échéances)"), min_value=0, initial=0
    )
    grace_on_interest = forms.BooleanField(
        label=_("Différé aussi sur les intérêts"), required=False
    )
    fee_rate = rate_field(
        _("Frais de dossier (% du montant)"), max_value=50, required=False, initial=0
    )
    fee_fixed = forms.IntegerField(
        label=_("Frais fixes (F CFA)"), min_value=0, required=False, initial=0
    )
    penalty_rate = rate_field(_("Taux de pénalité de retard (% par an)"), required=False, initial=0)
    arrears_tolerance = forms.IntegerField(
        label=_("Tolérance d'impayé (F CFA)"),
        min_value=0,
        required=False,
        initial=0,
        help_text=_("Un retard inférieur ou égal à ce montant ne compte pas."),
    )
    allocation_order = forms.ChoiceField(label=_("Ordre d'imputation des paiements"))
    repayment_months = forms.TypedMultipleChoiceField(
        label=_("Produit saisonnier : mois de remboursement"),
        choices=MONTHS,
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Laisser vide pour rembourser chaque mois."),
    )
    min_principal = forms.IntegerField(
        label=_("Montant minimum (F CFA)"), min_value=0, required=False, initial=0
    )
    max_principal = forms.IntegerField(
        label=_("Montant maximum (F CFA)"), min_value=1, required=False
    )

    def __init__(self, *args, lenders=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["allocation_order"].choices = allocation_choices()
        lenders = lenders if lenders is not None else Lender.objects.none()
        self.fields["lender"].queryset = lenders
        first_two = list(lenders[:2])
        if len(first_two) == 1:  # a lender's staff: their lender, no choice to make
            self.fields["lender"].initial = first_two[0].pk
            self.fields["lender"].widget = forms.HiddenInput()
            if self.is_bound:  # whatever was posted, it is their lender
                data = self.data.copy()
                data[self.add_prefix("lender")] = first_two[0].pk
                self.data = data

    def service_kwargs(self) -> dict:
        d = dict(self.cleaned_data)
        for key, default in [
            ("fee_rate", Decimal(0)),
            ("penalty_rate", Decimal(0)),
            ("fee_fixed", 0),
            ("arrears_tolerance", 0),
            ("min_principal", 0),
            ("grace_periods", 0),
        ]:
            if d.get(key) is None:
                d[key] = default
        return d


class LoanApplicationForm(forms.Form):
    """A loan application. The borrower is named by number (a cooperative's, or a person's
    with the cooperative the loan goes through when she belongs to several); « Vérifier »
    shows who it is before anything is saved."""

    product = forms.ModelChoiceField(label=_("Produit"), queryset=LoanProduct.objects.none())
    borrower_cooperative = forms.IntegerField(
        label=_("Coopérative emprunteuse (n°)"), required=False, min_value=1
    )
    borrower_person = forms.IntegerField(
        label=_("ou personne emprunteuse (n°)"), required=False, min_value=1
    )
    cooperative = forms.IntegerField(
        label=_("Coopérative par laquelle passe le prêt (n°)"),
        required=False,
        min_value=1,
        help_text=_("Seulement pour une personne membre de plusieurs coopératives."),
    )
    principal = forms.IntegerField(label=_("Montant demandé (F CFA)"), min_value=1)
    applied_on = date_field(_("Date de la demande"))
    purpose = forms.CharField(label=_("Objet du prêt"), max_length=255, required=False)

    def __init__(self, *args, products=None, **kwargs):
        super().__init__(*args, **kwargs)
        if products is not None:
            self.fields["product"].queryset = products
        self.fields["product"].label_from_instance = lambda p: (
            f"{p.name} · {p.annual_rate.normalize()} % · {p.term_months} mois ({p.lender.name})"
        )

    def clean(self):
        data = super().clean()
        coop, person = data.get("borrower_cooperative"), data.get("borrower_person")
        if (coop is None) == (person is None) and "borrower_cooperative" not in self.errors:
            self.add_error(
                "borrower_cooperative",
                _("Indiquez le numéro d'une coopérative ou d'une personne, pas les deux."),
            )
        return data


class DecisionForm(forms.Form):
    """The date of an approval or a disbursement."""

    on = date_field(_("Date"))


class DisburseForm(DecisionForm):
    """The date and the way the money reaches the borrower (posted in a borrowing
    cooperative's books on the matching treasury account)."""

    channel = forms.ChoiceField(
        label=_("Versé par"),
        choices=[c for c in Channel.choices if c[0] != Channel.DEDUCTION],
        initial=Channel.BANK,
    )


class WalletDisburseForm(forms.Form):
    """A disbursement by payout to the borrower's mobile-money wallet (docs/credit.md)."""

    phone = forms.CharField(
        label=_("Téléphone du bénéficiaire"),
        help_text=_("Vide : le numéro enregistré de l'emprunteur."),
        max_length=40,
        required=False,
    )
    provider = forms.ChoiceField(label=_("Opérateur"), initial="wave")

    def __init__(self, *args, **kwargs):
        from django.conf import settings

        from payments.models import Provider

        super().__init__(*args, **kwargs)
        configured = set(getattr(settings, "PAYMENT_PROVIDERS", {}))
        self.fields["provider"].choices = [c for c in Provider.choices if c[0] in configured]


class ReasonForm(forms.Form):
    """A dated decision with its reason (rejection, reversal, write-off request)."""

    on = date_field(_("Date"))
    reason = forms.CharField(
        label=_("Motif"), max_length=255, widget=forms.Textarea(attrs={"rows": 2})
    )


class RescheduleForm(ReasonForm):
    on = date_field(_("Date d'effet"))
    term_months = forms.IntegerField(label=_("Nouvelle durée (mois)"), min_value=1, max_value=120)
    annual_rate = rate_field(
        _("Nouveau taux annuel (%)"),
        required=False,
        help_text=_("Laisser vide pour garder le taux du prêt."),
    )
    grace_periods = forms.IntegerField(
        label=_("Différé sur le capital (échéances)"), min_value=0, initial=0, required=False
    )

    field_order = ["on", "term_months", "annual_rate", "grace_periods", "reason"]

    def params(self) -> dict:
        d = self.cleaned_data
        params = {"term_months": d["term_months"], "grace_periods": d.get("grace_periods") or 0}
        if d.get("annual_rate") is not None:
            params["annual_rate"] = str(d["annual_rate"])
        return params
