"""Forms of the value chain's pages (the rules stay in the services)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import DateInput, EventDateField, PlannedDateField


class BookingForm(forms.Form):
    """A slot of shared equipment for one of the chain's cooperatives."""

    cooperative = forms.TypedChoiceField(label=_("Coopérative"), coerce=int)
    day = PlannedDateField(label=_("Jour"), widget=DateInput())
    start = forms.TimeField(label=_("De"), widget=forms.TimeInput(attrs={"type": "time"}))
    end = forms.TimeField(label=_("À"), widget=forms.TimeInput(attrs={"type": "time"}))

    def __init__(self, *args, cooperatives=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cooperative"].choices = [(c.pk, c.name) for c in cooperatives]


class UseForm(forms.Form):
    """The hours a booking used (the fee follows)."""

    booking = forms.IntegerField(widget=forms.HiddenInput)
    hours = forms.DecimalField(
        label=_("Heures d'utilisation"), min_value=0, max_digits=6, decimal_places=2
    )
    on = EventDateField(label=_("Utilisé le"), widget=DateInput())


class LossForm(forms.Form):
    """A loss of a lot at a site (the cause is required)."""

    lot = forms.TypedChoiceField(label=_("Lot"), coerce=int)
    quantity = forms.IntegerField(label=_("Quantité perdue"), min_value=1)
    on = EventDateField(label=_("Date"), widget=DateInput())
    note = forms.CharField(label=_("Cause"), max_length=200)

    def __init__(self, *args, lots=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["lot"].choices = [
            (lv.lot_id, f"{lv.lot.code} · {lv.lot.product}") for lv in lots
        ]


class CountForm(forms.Form):
    """A physical count of a lot at a site."""

    lot = forms.TypedChoiceField(label=_("Lot"), coerce=int)
    counted = forms.IntegerField(label=_("Quantité comptée"), min_value=0)
    on = EventDateField(label=_("Date"), widget=DateInput())

    def __init__(self, *args, lots=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["lot"].choices = [
            (lv.lot_id, f"{lv.lot.code} · {lv.lot.product}") for lv in lots
        ]
