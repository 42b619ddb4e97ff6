"""Forms of the events pages (French labels; the services check every rule)."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from core.forms import NoNul
from events.models import Kind, ResourceKind
from network.countries import country_choices
from payments.models import Provider

DATETIME = {
    "widget": forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    "input_formats": ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
}


class EventForm(NoNul, forms.Form):
    organiser = forms.ChoiceField(label=_("Organisateur"))
    kind = forms.ChoiceField(label=_("Type"), choices=Kind.choices)
    module = forms.ChoiceField(label=_("Module du catalogue OIT (facultatif)"), required=False)
    title = forms.CharField(label=_("Intitulé"), max_length=200)
    description = forms.CharField(
        label=_("Programme (Markdown)"), max_length=10000, widget=forms.Textarea(attrs={"rows": 6})
    )
    country = forms.ChoiceField(label=_("Pays"))
    place = forms.CharField(label=_("Lieu (ou « en ligne »)"), max_length=200)
    starts_at = forms.DateTimeField(label=_("Début (heure de Dakar, GMT)"), **DATETIME)
    ends_at = forms.DateTimeField(label=_("Fin"), **DATETIME)
    capacity = forms.IntegerField(label=_("Places"), min_value=1, max_value=5000)
    fee = forms.IntegerField(
        label=_("Frais d'inscription (F CFA, 0 = gratuit)"), min_value=0, max_value=10**9, initial=0
    )

    def __init__(self, *args, organisations=(), modules=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organiser"].choices = [(str(o.pk), o.name) for o in organisations]
        self.fields["module"].choices = [("", "—")] + [(str(m.pk), str(m)) for m in modules]
        self.fields["country"].choices = country_choices()


class RegisterForm(NoNul, forms.Form):
    organisation = forms.ChoiceField(label=_("Au nom de"))
    participant_name = forms.CharField(label=_("Nom du participant"), max_length=150)

    def __init__(self, *args, organisations=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].choices = [(str(o.pk), o.name) for o in organisations]


class PayForm(NoNul, forms.Form):
    phone = forms.CharField(label=_("Téléphone qui paie (mobile money)"), max_length=40)
    provider = forms.ChoiceField(label=_("Opérateur"), initial="wave")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        configured = set(getattr(settings, "PAYMENT_PROVIDERS", {}))
        self.fields["provider"].choices = [c for c in Provider.choices if c[0] in configured]


class PayoutDecisionForm(forms.Form):
    """The checker's decision: only an explicit ``approve`` lets the money leave."""

    decision = forms.ChoiceField(
        choices=[("approve", _("Approuver")), ("refuse", _("Refuser"))],
        error_messages={
            "required": _("Choisissez d'approuver ou de refuser le versement."),
            "invalid_choice": _("Choisissez d'approuver ou de refuser le versement."),
        },
    )


class CancelForm(forms.Form):
    """Cancelling a registration frees the seat for good: ticked first."""

    confirm = forms.BooleanField(
        error_messages={
            "required": _("Cochez la confirmation pour annuler l'inscription."),
        },
    )


class AttendanceForm(forms.Form):
    attended = forms.BooleanField(required=False)


class ResourceForm(NoNul, forms.Form):
    kind = forms.ChoiceField(label=_("Type"), choices=ResourceKind.choices)
    title = forms.CharField(label=_("Titre"), max_length=200)
    url = forms.URLField(label=_("Lien"), max_length=500, assume_scheme="https")
