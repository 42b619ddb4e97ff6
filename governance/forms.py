from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import DateInput, PlannedDateField, choices_with_blank
from governance.limits import BodyKind
from governance.models import AssemblyKind, Office


class AssemblyForm(forms.Form):
    kind = forms.ChoiceField(label=_("Type d'assemblée"), choices=AssemblyKind.choices)
    convocation = forms.TypedChoiceField(
        label=_("Convocation"),
        coerce=int,
        choices=[(1, _("1re convocation")), (2, _("2e convocation"))],
        initial=1,
    )
    held_on = PlannedDateField(label=_("Date de l'assemblée"), widget=DateInput())
    notice_sent_on = PlannedDateField(
        label=_("Date d'envoi de la convocation"),
        widget=DateInput(),
        help_text=_("Au moins 15 jours avant l'assemblée (art. 233 de l'Acte uniforme)."),
    )
    place = forms.CharField(label=_("Lieu"), max_length=200, required=False)
    agenda = forms.CharField(
        label=_("Ordre du jour"), widget=forms.Textarea(attrs={"rows": 5}), required=False
    )


class AttendanceForm(forms.Form):
    person = forms.TypedChoiceField(label=_("Membre"), coerce=int)
    proxy_holder = forms.TypedChoiceField(
        label=_("Représenté(e) par (procuration)"),
        coerce=int,
        required=False,
        empty_value=None,
        help_text=_("Laisser vide si le membre est présent."),
    )

    def __init__(self, *args, absent=(), present=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].choices = choices_with_blank(absent)
        self.fields["proxy_holder"].choices = choices_with_blank(present)


class ResolutionForm(forms.Form):
    title = forms.CharField(label=_("Intitulé de la résolution"), max_length=200, required=False)
    text = forms.CharField(
        label=_("Texte"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    approves_accounts_year = forms.IntegerField(
        label=_("Approuve les comptes de l'exercice (année)"),
        required=False,
        min_value=1990,
        max_value=2100,
    )


class VoteForm(forms.Form):
    votes_for = forms.IntegerField(label=_("Pour"), min_value=0)
    votes_against = forms.IntegerField(label=_("Contre"), min_value=0)
    abstentions = forms.IntegerField(label=_("Abstentions"), min_value=0, initial=0)


class CloseForm(forms.Form):
    chaired_by = forms.CharField(label=_("Président(e) de séance"), max_length=200, required=False)
    secretary = forms.CharField(label=_("Secrétaire de séance"), max_length=200, required=False)


class MandateForm(forms.Form):
    body = forms.ChoiceField(label=_("Organe"), choices=BodyKind.choices)
    person = forms.TypedChoiceField(label=_("Membre"), coerce=int)
    office = forms.ChoiceField(label=_("Fonction"), choices=Office.choices, initial=Office.MEMBRE)
    starts_on = PlannedDateField(label=_("Début du mandat"), widget=DateInput())
    ends_on = PlannedDateField(label=_("Fin du mandat (terme)"), widget=DateInput())

    def __init__(self, *args, members=(), bodies=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].choices = choices_with_blank(members)
        if bodies:
            self.fields["body"].choices = [c for c in BodyKind.choices if c[0] in bodies]


class AsOfForm(forms.Form):
    as_of = PlannedDateField(label=_("À la date du"), widget=DateInput(), required=False)
