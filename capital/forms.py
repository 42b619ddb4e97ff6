from django import forms
from django.utils.translation import gettext_lazy as _

from capital.models import OperationKind, OperationStatus, PaymentChannel, Statutes
from core.forms import DateInput, EventDateField, choices_with_blank


class OperationForm(forms.Form):
    kind = forms.ChoiceField(label=_("Type d'opération"), choices=OperationKind.choices)
    person = forms.TypedChoiceField(label=_("Associé(e)"), coerce=int)
    to_person = forms.TypedChoiceField(
        label=_("Cessionnaire (pour une cession)"), coerce=int, required=False, empty_value=None
    )
    shares = forms.IntegerField(label=_("Nombre de parts"), min_value=0, initial=0, required=False)
    amount = forms.IntegerField(
        label=_("Montant versé ou remboursé (F CFA)"),
        min_value=0,
        required=False,
        help_text=_("Souscription : versement immédiat. Remboursement : vide = capital libéré."),
    )
    channel = forms.ChoiceField(
        label=_("Moyen de paiement"),
        choices=PaymentChannel.choices,
        initial=PaymentChannel.CASH,
        required=False,  # a form posted without it (an old page): cash, as before
        help_text=_("Choisit le journal (caisse, banque, mobile money) où l'argent est passé."),
    )
    effective_on = EventDateField(label=_("Date d'effet"), widget=DateInput())
    note = forms.CharField(label=_("Observation"), max_length=255, required=False)

    def __init__(self, *args, members=(), persons=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].choices = choices_with_blank(persons or members)
        self.fields["to_person"].choices = choices_with_blank(members)


class RefuseForm(forms.Form):
    reason = forms.CharField(label=_("Motif du refus"), max_length=255)


class OperationFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Statut"), choices=[("", _("Tous"))] + OperationStatus.choices, required=False
    )
    kind = forms.ChoiceField(
        label=_("Type"), choices=[("", _("Tous"))] + OperationKind.choices, required=False
    )


class StatutesForm(forms.ModelForm):
    class Meta:
        model = Statutes
        fields = [
            "share_value",
            "max_proxies_per_holder",
            "fiscal_year_end_month",
            "ordinary_quorum_first",
            "ordinary_quorum_second",
            "ordinary_majority",
            "extraordinary_quorum_first",
            "extraordinary_quorum_second",
            "extraordinary_majority",
        ]
