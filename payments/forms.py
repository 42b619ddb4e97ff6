"""Forms of the payments pages (French labels; the services check the rules again)."""

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from payments.models import PayoutKind, Provider


class PayForm(forms.Form):
    amount = forms.IntegerField(label=_("Montant (F CFA)"), min_value=1, max_value=100_000_000)
    phone = forms.CharField(label=_("Téléphone du payeur"), max_length=20)
    provider = forms.ChoiceField(label=_("Opérateur"), choices=Provider.choices, initial="wave")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        configured = set(getattr(settings, "PAYMENT_PROVIDERS", {}))
        self.fields["provider"].choices = [c for c in Provider.choices if c[0] in configured]

    def clean_phone(self):
        value = self.cleaned_data["phone"]
        if "\x00" in value:
            raise forms.ValidationError(_("Caractère interdit."))
        return value


class StatementForm(forms.Form):
    file = forms.FileField(label=_("Relevé de l'opérateur (CSV ou XLSX)"))
    provider = forms.ChoiceField(label=_("Opérateur"), choices=Provider.choices, initial="wave")
    cooperative = forms.IntegerField(
        label=_("Coopérative titulaire du compte (n°, facultatif)"), required=False, min_value=1
    )


class NoteField(forms.CharField):
    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 300)
        kwargs.setdefault("widget", forms.Textarea(attrs={"rows": 2, "maxlength": 300}))
        super().__init__(**kwargs)

    def clean(self, value):
        value = super().clean(value)
        if "\x00" in (value or ""):
            raise forms.ValidationError(_("Caractère interdit."))
        return value


class MatchForm(forms.Form):
    """Match a statement line by hand: one of the candidates, and why."""

    target = forms.ChoiceField(
        label=_("Paiement ou versement correspondant"), widget=forms.RadioSelect
    )
    note = NoteField(label=_("Pourquoi ce rapprochement"))

    def __init__(self, *args, candidates=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["target"].choices = [(str(c.pk), _label(c)) for c in candidates]


def _label(obj) -> str:
    when = obj.created_at.strftime("%d/%m/%Y %H:%M")
    who = getattr(obj, "target_label", "") or getattr(obj, "name", "")
    return f"{obj.reference} · {obj.amount} F · {obj.phone} · {when} · {who}"[:200]


class ReviewForm(forms.Form):
    ACTIONS = [
        ("apply", _("Imputer maintenant (la cause est corrigée)")),
        ("close", _("Classer sans rien imputer")),
        ("refund", _("Rembourser le payeur")),
    ]
    action = forms.ChoiceField(label=_("Décision"), choices=ACTIONS, widget=forms.RadioSelect)
    note = NoteField(label=_("Pourquoi"))


class EventResolveForm(forms.Form):
    note = NoteField(label=_("Pourquoi classer cet événement"))


class PayoutDecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Décision"),
        choices=[("approve", _("Approuver et envoyer")), ("reject", _("Refuser"))],
        widget=forms.RadioSelect,
    )
    confirm = forms.BooleanField(
        label=_("J'ai vérifié le bénéficiaire, le numéro et le montant."), required=True
    )


class PayoutRequestForm(forms.Form):
    """Money sent by phone on national staff's request (a consignment settlement, a loan
    disbursed to a wallet, a consultant); refunds start from the review list, claims from
    the mutual's pages."""

    KINDS = (PayoutKind.SETTLEMENT, PayoutKind.DISBURSEMENT, PayoutKind.CONSULTANT)
    kind = forms.ChoiceField(
        label=_("Type de versement"), choices=[(k.value, k.label) for k in KINDS]
    )
    provider = forms.ChoiceField(label=_("Opérateur"), choices=Provider.choices, initial="wave")
    amount = forms.IntegerField(label=_("Montant (F CFA)"), min_value=1, max_value=100_000_000)
    phone = forms.CharField(label=_("Téléphone du bénéficiaire"), max_length=20)
    name = forms.CharField(label=_("Nom du bénéficiaire"), max_length=100)
    reason = NoteField(label=_("Motif"), max_length=200)
    cooperative = forms.IntegerField(
        label=_("Coopérative concernée (n°, facultatif)"), required=False, min_value=1
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        configured = set(getattr(settings, "PAYMENT_PROVIDERS", {}))
        self.fields["provider"].choices = [c for c in Provider.choices if c[0] in configured]
