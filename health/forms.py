"""Forms of the health pages: they parse; the services decide."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import EventDateField
from health.models import Channel, ClaimStatus, Relation

DEPENDANT_ROWS = 6
DEPENDANT_RELATIONS = [c for c in Relation.choices if c[0] != Relation.HEAD]


class EnrolForm(forms.Form):
    scheme = forms.TypedChoiceField(label=_("Mutuelle"), coerce=int)
    cooperative = forms.TypedChoiceField(
        label=_("Coopérative"), coerce=int, required=False, empty_value=None
    )
    head = forms.TypedChoiceField(label=_("Chef de ménage"), coerce=int)
    enrolled_on = EventDateField(
        label=_("Date d'adhésion"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )

    def __init__(self, *args, schemes, cooperatives, persons, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["scheme"].choices = [(s.pk, s.name) for s in schemes]
        self.fields["cooperative"].choices = [("", _("— aucune (adhésion directe) —"))] + [
            (c.pk, c.name) for c in cooperatives
        ]
        people = [("", "—")] + [(p.pk, f"{p} ({p.pk})") for p in persons]
        self.fields["head"].choices = people
        for i in range(DEPENDANT_ROWS):
            self.fields[f"person_{i}"] = forms.TypedChoiceField(
                label=_("Personne à charge %(n)s") % {"n": i + 1},
                choices=people,
                coerce=int,
                required=False,
                empty_value=None,
            )
            self.fields[f"relation_{i}"] = forms.ChoiceField(
                label=_("Lien"), choices=DEPENDANT_RELATIONS, required=False
            )

    def dependants(self) -> list[tuple[int, str]]:
        d = self.cleaned_data
        return [
            (d[f"person_{i}"], d[f"relation_{i}"] or Relation.OTHER)
            for i in range(DEPENDANT_ROWS)
            if d.get(f"person_{i}")
        ]


class ContributionForm(forms.Form):
    amount = forms.IntegerField(label=_("Montant (F CFA)"), min_value=1, max_value=10**9)
    paid_on = EventDateField(
        label=_("Date du paiement"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    channel = forms.ChoiceField(
        label=_("Moyen de paiement"),
        choices=[c for c in Channel.choices if c[0] != Channel.MOBILE],
    )


class ClaimForm(forms.Form):
    beneficiary = forms.TypedChoiceField(label=_("Bénéficiaire"), coerce=int)
    provider = forms.TypedChoiceField(label=_("Prestataire"), coerce=int)
    service_on = EventDateField(
        label=_("Date des soins"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    code = forms.ChoiceField(label=_("Acte"))
    quantity = forms.IntegerField(label=_("Quantité"), min_value=1, max_value=100, initial=1)
    diagnosis = forms.CharField(label=_("Diagnostic"), max_length=200, required=False)

    def __init__(self, *args, members, providers, tariffs, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["beneficiary"].choices = [(m.person_id, str(m.person)) for m in members]
        self.fields["provider"].choices = [(p.pk, p.name) for p in providers]
        self.fields["code"].choices = [
            (t.code, f"{t.code} · {t.label} ({t.amount} F)") for t in tariffs
        ]


class ClaimFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Statut"), choices=[("", _("Tous"))] + list(ClaimStatus.choices), required=False
    )


class RejectForm(forms.Form):
    reason = forms.CharField(label=_("Motif du rejet"), max_length=200)


class PayForm(forms.Form):
    paid_on = EventDateField(
        label=_("Date du paiement"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )


class PayoutForm(forms.Form):
    """A valuated claim paid by phone (payments' payout purpose ``health_claim``)."""

    provider = forms.ChoiceField(
        label=_("Opérateur"), choices=[("wave", "Wave"), ("orange_money", "Orange Money")]
    )
    to = forms.ChoiceField(
        label=_("Payer"),
        choices=[("provider", _("le prestataire")), ("member", _("le membre (soins avancés)"))],
    )
    phone = forms.CharField(
        label=_("Téléphone (vide : celui du prestataire ou du membre)"),
        max_length=20,
        required=False,
    )


class ReserveForm(forms.Form):
    """The decision on a closed year's result of a mutual (its general assembly)."""

    on = EventDateField(
        label=_("Date de la décision"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    reserve_percent = forms.DecimalField(
        label=_("Part de l'excédent mise en réserve (%)"),
        initial=100,
        min_value=0,
        max_value=100,
        decimal_places=2,
    )
    confirm = forms.BooleanField(
        label=_("Je confirme : l'affectation est passée en comptabilité et ne se modifie plus.")
    )


class PhotoForm(forms.Form):
    photo = forms.FileField(label=_("Photo (PNG ou JPEG ; 2 Mo au plus)"))
