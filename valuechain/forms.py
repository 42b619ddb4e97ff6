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


class SettlementForm(forms.Form):
    """A consignment settlement: a depositor's sales at the shop over a period."""

    cooperative = forms.TypedChoiceField(label=_("Coopérative déposante"), coerce=int)
    period_from = EventDateField(label=_("Du"), widget=DateInput())
    period_to = EventDateField(label=_("Au"), widget=DateInput())
    paid_on = EventDateField(label=_("Payé le"), widget=DateInput())
    channel = forms.ChoiceField(
        label=_("Moyen"),
        choices=[
            ("cash", _("Espèces")),
            ("bank", _("Virement")),
            ("mobile_money", _("Mobile money")),
        ],
    )

    def __init__(self, *args, cooperatives=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cooperative"].choices = [(c.pk, c.name) for c in cooperatives]


class TrialForm(forms.Form):
    """A prototype made or a test run for an innovation project, with its result."""

    kind = forms.ChoiceField(
        label=_("Nature"), choices=[("prototype", _("prototype")), ("test", _("essai"))]
    )
    on = EventDateField(label=_("Date"), widget=DateInput())
    description = forms.CharField(label=_("Description"), max_length=500)
    result = forms.CharField(label=_("Résultat"), max_length=500, required=False)
    success = forms.TypedChoiceField(
        label=_("Concluant ?"),
        choices=[("", _("pas encore jugé")), ("yes", _("concluant")), ("no", _("non concluant"))],
        coerce=lambda v: {"yes": True, "no": False}.get(v),
        empty_value=None,
        required=False,
    )


class ConcludeForm(forms.Form):
    """A project adopted (it goes to production) or dropped."""

    status = forms.ChoiceField(
        label=_("Conclusion"),
        choices=[("adopted", _("adopter (passe en production)")), ("dropped", _("abandonner"))],
    )


class ScanForm(forms.Form):
    """A lot's code, scanned from its label's QR code or typed."""

    code = forms.CharField(label=_("Code du lot"), max_length=20)
