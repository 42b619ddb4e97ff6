"""Forms of the books: plain receipts and payments for treasurers, periods, year end."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import DateInput, EventDateField, PlannedDateField
from ledger import chart


class MoneyField(forms.IntegerField):
    """Whole francs; spaces typed as thousands separators are accepted (``25 000``)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("widget", forms.TextInput(attrs={"inputmode": "numeric"}))
        super().__init__(**kwargs)

    def to_python(self, value):
        if isinstance(value, str):
            value = value.replace(" ", "").replace("\u202f", "").replace("\u00a0", "")
        return super().to_python(value)


class SimpleMovementForm(forms.Form):
    """What, how much, when, how: one receipt or payment."""

    category = forms.ChoiceField(label=_("Nature"))
    amount = MoneyField(label=_("Montant (F CFA)"))
    on = EventDateField(label=_("Date"), widget=DateInput())
    channel = forms.ChoiceField(
        label=_("Moyen"), choices=chart.CHANNELS, widget=forms.RadioSelect, initial="cash"
    )
    label = forms.CharField(
        label=_("Libellé (facultatif)"),
        required=False,
        max_length=200,
        help_text=_("Par exemple : « Vente de 10 pagnes au marché »"),
    )

    def __init__(self, *args, kind: str, **kwargs):
        super().__init__(*args, **kwargs)
        rows = chart.RECEIPT_CATEGORIES if kind == "receipt" else chart.PAYMENT_CATEGORIES
        self.fields["category"].choices = [("", _("— choisir —"))] + [
            (code, label) for code, label, _a in rows
        ]


class TransferForm(forms.Form):
    amount = MoneyField(label=_("Montant (F CFA)"))
    on = EventDateField(label=_("Date"), widget=DateInput())
    from_channel = forms.ChoiceField(label=_("Depuis"), choices=chart.CHANNELS)
    to_channel = forms.ChoiceField(label=_("Vers"), choices=chart.CHANNELS, initial="bank")
    label = forms.CharField(label=_("Libellé (facultatif)"), required=False, max_length=200)


class PeriodForm(forms.Form):
    date_from = PlannedDateField(label=_("Du"), widget=DateInput(), required=False)
    date_to = PlannedDateField(label=_("Au"), widget=DateInput(), required=False)

    def clean(self):
        data = super().clean()
        lo, hi = data.get("date_from"), data.get("date_to")
        if lo and hi and lo > hi:
            self.add_error("date_to", _("La fin précède le début."))
        return data

    def period(self, default_year: int) -> tuple[datetime.date, datetime.date]:
        data = self.cleaned_data if self.is_valid() else {}
        return (
            data.get("date_from") or datetime.date(default_year, 1, 1),
            data.get("date_to") or datetime.date(default_year, 12, 31),
        )


class EntryFilterForm(PeriodForm):
    journal = forms.ChoiceField(label=_("Journal"), required=False)
    q = forms.CharField(label=_("Recherche"), required=False)

    def __init__(self, *args, journals=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["journal"].choices = [("", _("Tous"))] + [
            (j.code, f"{j.code} · {j.label}") for j in journals
        ]


class ReverseForm(forms.Form):
    on = EventDateField(label=_("Date de la contre-passation"), widget=DateInput())
    confirm = forms.BooleanField(
        label=_("Je confirme : une écriture inverse sera passée ; l'originale reste."),
    )


class AllocationForm(forms.Form):
    on = EventDateField(label=_("Date de l'assemblée qui affecte le résultat"), widget=DateInput())
    general_reserve_rate = forms.DecimalField(
        label=_("Réserve générale (%)"), initial=Decimal("20"), min_value=20, max_value=100
    )
    training_reserve_rate = forms.DecimalField(
        label=_("Réserve de formation (%)"), initial=Decimal("20"), min_value=20, max_value=100
    )
    optional_reserve_rate = forms.DecimalField(
        label=_("Réserves facultatives (%, au plus 20)"),
        initial=Decimal("0"),
        min_value=0,
        max_value=20,
    )
    share_interest_rate = forms.DecimalField(
        label=_("Intérêt aux parts libérées (% par an)"),
        initial=Decimal("0"),
        min_value=0,
        decimal_places=2,
    )
    patronage_pool = MoneyField(
        label=_("Montant des ristournes (vide : tout le reste)"), required=False, min_value=0
    )
    confirm = forms.BooleanField(
        label=_("Je confirme : l'affectation est passée en comptabilité et ne se modifie plus.")
    )

    def rates(self) -> dict:
        d = self.cleaned_data
        return {
            "general_reserve_rate": d["general_reserve_rate"] / 100,
            "training_reserve_rate": d["training_reserve_rate"] / 100,
            "optional_reserve_rate": d["optional_reserve_rate"] / 100,
            "share_interest_rate": d["share_interest_rate"] / 100,
            "patronage_pool": d.get("patronage_pool"),
        }


class MemberTransactionForm(forms.Form):
    person = forms.ChoiceField(label=_("Membre"))
    on = EventDateField(label=_("Date"), widget=DateInput())
    amount = MoneyField(label=_("Montant (F CFA)"))
    label = forms.CharField(label=_("Libellé"), required=False, max_length=200)

    def __init__(self, *args, members=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].choices = [("", _("— choisir —"))] + [
            (m.person_id, str(m.person)) for m in members
        ]
