"""Forms of consulting's pages (French labels; the services check every rule again)."""

from __future__ import annotations

import datetime

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from consulting.models import SupportKind
from core.forms import EventDateField, NoNul
from network.countries import country_choices
from payments.models import Provider

LANGUAGE_CHOICES = [
    ("fr", _("français")),
    ("en", _("anglais")),
    ("pt", _("portugais")),
    ("ar", _("arabe")),
    ("wo", _("wolof")),
    ("bm", _("bambara")),
    ("ff", _("peul")),
    ("sw", _("swahili")),
    ("ha", _("haoussa")),
    ("mos", _("mooré")),
    ("dyu", _("dioula")),
]


def _providers():
    configured = set(getattr(settings, "PAYMENT_PROVIDERS", {}))
    return [c for c in Provider.choices if c[0] in configured]


class ProfileForm(NoNul, forms.Form):
    name = forms.CharField(label=_("Nom (public)"), max_length=120)
    headline = forms.CharField(label=_("Présentation courte"), max_length=200)
    bio = forms.CharField(
        label=_("Présentation"), max_length=3000, required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )  # fmt: skip
    skills = forms.CharField(
        label=_("Compétences (séparées par des virgules)"), max_length=700,
        help_text=_("Par exemple : gouvernance coopérative, comptabilité SYSCOHADA"),
    )  # fmt: skip
    countries = forms.MultipleChoiceField(
        label=_("Pays d'intervention"), widget=forms.SelectMultiple(attrs={"size": 6})
    )
    languages = forms.MultipleChoiceField(
        label=_("Langues de travail"), choices=LANGUAGE_CHOICES,
        widget=forms.CheckboxSelectMultiple,
    )  # fmt: skip
    day_rate = forms.IntegerField(
        label=_("Tarif journalier (F CFA)"), min_value=1, max_value=5_000_000
    )
    references = forms.CharField(
        label=_("Références (missions, employeurs, contacts)"), max_length=3000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )  # fmt: skip
    payout_phone = forms.CharField(label=_("Téléphone de versement (mobile money)"), max_length=40)
    payout_provider = forms.ChoiceField(label=_("Opérateur de versement"), initial="wave")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["countries"].choices = country_choices()
        self.fields["payout_provider"].choices = _providers()


class VerifyForm(NoNul, forms.Form):
    decision = forms.ChoiceField(
        label=_("Décision"),
        choices=[("verify", _("Vérifier (références contrôlées)")), ("refuse", _("Refuser"))],
    )
    reason = forms.CharField(label=_("Motif"), max_length=500, required=False)


class RequestForm(NoNul, forms.Form):
    organisation = forms.TypedChoiceField(label=_("Organisation"), coerce=int)
    title = forms.CharField(label=_("Objet de la demande"), max_length=200)
    description = forms.CharField(
        label=_("Le besoin"), max_length=5000, widget=forms.Textarea(attrs={"rows": 5})
    )
    skills = forms.CharField(label=_("Compétences recherchées"), max_length=300, required=False)
    budget = forms.IntegerField(
        label=_("Budget indicatif (F CFA)"), min_value=1, max_value=10**12, required=False
    )

    def __init__(self, *args, organisations=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].choices = [(o.pk, o.name) for o in organisations]


class ProposalForm(NoNul, forms.Form):
    amount = forms.IntegerField(label=_("Montant proposé (F CFA)"), min_value=1, max_value=10**12)
    days = forms.IntegerField(label=_("Jours de travail"), min_value=1, max_value=365)
    message = forms.CharField(
        label=_("Votre proposition (démarche, calendrier)"), max_length=3000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )  # fmt: skip


class AcceptForm(NoNul, forms.Form):
    milestones = forms.CharField(
        label=_("Étapes du contrat (une par ligne : intitulé ; montant ; échéance JJ/MM/AAAA)"),
        required=False, max_length=4000, widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Laissez vide pour une seule étape du montant proposé."),
    )  # fmt: skip

    def clean_milestones(self):
        steps = []
        for number, line in enumerate(self.cleaned_data["milestones"].splitlines(), 1):
            if not line.strip():
                continue
            parts = [p.strip() for p in line.split(";")]
            try:
                amount = int(parts[1].replace(" ", "").replace("\u202f", ""))
                due_on = (
                    datetime.datetime.strptime(parts[2], "%d/%m/%Y").date()
                    if len(parts) > 2 and parts[2]
                    else None
                )
            except (IndexError, ValueError):
                raise forms.ValidationError(
                    _("Ligne %(n)s : écrivez « intitulé ; montant ; échéance ».") % {"n": number}
                ) from None
            steps.append({"title": parts[0], "amount": amount, "due_on": due_on})
        return steps


class PayForm(NoNul, forms.Form):
    amount = forms.IntegerField(label=_("Montant à payer (F CFA)"), min_value=1, max_value=10**12)
    phone = forms.CharField(label=_("Téléphone qui paie (mobile money)"), max_length=40)
    provider = forms.ChoiceField(label=_("Opérateur"), initial="wave")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["provider"].choices = _providers()


class RecordPaymentForm(forms.Form):
    amount = forms.IntegerField(label=_("Montant reçu (F CFA)"), min_value=1, max_value=10**12)
    paid_on = EventDateField(label=_("Reçu le"))


class DisputeForm(NoNul, forms.Form):
    reason = forms.CharField(
        label=_("Motif du litige"), max_length=1000, widget=forms.Textarea(attrs={"rows": 3})
    )


class ResolveForm(NoNul, forms.Form):
    resolution = forms.CharField(
        label=_("Décision (les versements retenus partent au consultant)"), max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )  # fmt: skip


class RatingForm(NoNul, forms.Form):
    rating = forms.TypedChoiceField(
        label=_("Note"), coerce=int,
        choices=[(5, "5 ★★★★★"), (4, "4 ★★★★"), (3, "3 ★★★"), (2, "2 ★★"), (1, "1 ★")],
    )  # fmt: skip
    comment = forms.CharField(label=_("Avis"), max_length=1000, required=False)


class SupportForm(NoNul, forms.Form):
    kind = forms.ChoiceField(label=_("Type de soutien"), choices=SupportKind.choices)
    organisation = forms.IntegerField(label=_("Organisation (numéro)"), min_value=1)
    project = forms.IntegerField(label=_("Projet (numéro, pour une subvention)"), min_value=1,
                                 required=False)  # fmt: skip
    seats = forms.IntegerField(label=_("Places de formation"), min_value=1, max_value=1000,
                               required=False)  # fmt: skip
    amount = forms.IntegerField(label=_("Montant (F CFA)"), min_value=1, max_value=10**12)
    on = EventDateField(label=_("Décidé le"))
    description = forms.CharField(label=_("Objet"), max_length=300)


class AmendmentForm(AcceptForm):
    """A new amount and milestones proposed to the other party (the split does not change)."""

    amount = forms.IntegerField(label=_("Nouveau montant (F CFA)"), min_value=1, max_value=10**12)
    reason = forms.CharField(label=_("Motif"), max_length=1000, required=False)
    field_order = ["amount", "milestones", "reason"]

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "amend_%s")  # its own ids on the engagement's page
        super().__init__(*args, **kwargs)


class AmendmentDecisionForm(forms.Form):
    decision = forms.ChoiceField(
        choices=[("accept", _("Accepter")), ("decline", _("Refuser")), ("withdraw", _("Retirer"))]
    )


class CancelForm(NoNul, forms.Form):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "cancel_%s")  # its own ids on the engagement's page
        super().__init__(*args, **kwargs)

    reason = forms.CharField(
        label=_("Motif de l'annulation"), max_length=1000, widget=forms.Textarea(attrs={"rows": 3})
    )
    confirm = forms.BooleanField(
        label=_("Je confirme : les étapes non payées sont annulées, plus rien ne sera payé "
                "sur cette mission (irréversible).")
    )  # fmt: skip


class RefundForm(NoNul, forms.Form):
    amount = forms.IntegerField(label=_("Montant remboursé (F CFA)"), min_value=1,
                                max_value=10**12)  # fmt: skip
    resolution = forms.CharField(
        label=_("Décision"), max_length=1000, widget=forms.Textarea(attrs={"rows": 3})
    )
    phone = forms.CharField(
        label=_("Téléphone à rembourser"), max_length=40, required=False,
        help_text=_("Laissez vide : le téléphone qui a payé (ou celui de l'organisation)."),
    )  # fmt: skip
    provider = forms.ChoiceField(label=_("Opérateur"), required=False)
    confirm = forms.BooleanField(
        label=_("Je confirme : le client est remboursé, les parts retenues sont reprises en "
                "proportion et le reste part au consultant (irréversible).")
    )  # fmt: skip

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "refund_%s")  # its own ids on the engagement's page
        super().__init__(*args, **kwargs)
        self.fields["provider"].choices = [("", "—"), *_providers()]
