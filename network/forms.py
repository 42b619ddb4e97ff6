"""Forms of the portal's pages (French labels; the services check every rule again)."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib.auth import get_user_model, password_validation
from django.utils.translation import gettext_lazy as _

from core.forms import NoNul, PlannedDateField
from network.countries import country_choices
from network.models import FileKind, Kind, Mode, ReportReason, Sector, Stage
from payments.models import Provider


class FilterForm(forms.Form):
    q = forms.CharField(label=_("Recherche"), max_length=100, required=False)
    country = forms.ChoiceField(label=_("Pays"), required=False)
    kind = forms.ChoiceField(
        label=_("Type"), required=False, choices=[("", _("Tous"))] + Kind.choices
    )
    sector = forms.ChoiceField(
        label=_("Secteur"), required=False, choices=[("", _("Tous"))] + Sector.choices
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["country"].choices = [("", _("Tous"))] + country_choices()


class RegistrationForm(NoNul, forms.Form):
    name = forms.CharField(label=_("Nom de l'organisation"), max_length=200)
    kind = forms.ChoiceField(label=_("Type"), choices=Kind.choices)
    country = forms.ChoiceField(label=_("Pays"))
    region = forms.CharField(label=_("Région"), max_length=100, required=False)
    city = forms.CharField(label=_("Ville"), max_length=100)
    sectors = forms.MultipleChoiceField(
        label=_("Secteurs (1 à 5)"), choices=Sector.choices, widget=forms.CheckboxSelectMultiple
    )
    description = forms.CharField(
        label=_("Présentation (Markdown permis)"),
        max_length=5000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    website = forms.URLField(
        label=_("Site web"), max_length=200, required=False, assume_scheme="https"
    )
    email = forms.EmailField(
        label=_("E-mail de contact (le code de vérification y est envoyé)"),
        max_length=200,
        required=False,
    )
    phone = forms.CharField(
        label=_("Téléphone (sans e-mail, le code arrive par SMS)"), max_length=40, required=False
    )
    username = forms.CharField(label=_("Identifiant du compte propriétaire"), max_length=150)
    password = forms.CharField(label=_("Mot de passe"), widget=forms.PasswordInput, max_length=128)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["country"].choices = country_choices()

    def clean_username(self):
        username = self.cleaned_data["username"]
        if get_user_model().objects.filter(username__iexact=username).exists():
            raise forms.ValidationError(_("Cet identifiant est déjà pris."))
        return username

    def clean(self):
        data = super().clean()
        if data.get("password"):
            user = get_user_model()(username=data.get("username", ""), email=data.get("email"))
            try:
                password_validation.validate_password(data["password"], user)
            except forms.ValidationError as exc:
                self.add_error("password", exc)
        return data


class CodeForm(forms.Form):
    code = forms.CharField(label=_("Code reçu par e-mail ou par SMS"), max_length=12)


class ModerationForm(NoNul, forms.Form):
    decision = forms.ChoiceField(
        label=_("Décision"),
        choices=[
            ("approve", _("Approuver")),
            ("request_changes", _("Demander des modifications")),
            ("refuse", _("Refuser")),
        ],
    )
    reason = forms.CharField(
        label=_("Motif (obligatoire sauf pour approuver)"), max_length=500, required=False
    )


class ProjectForm(NoNul, forms.Form):
    title = forms.CharField(label=_("Titre"), max_length=200)
    summary = forms.CharField(label=_("Résumé"), max_length=500)
    description = forms.CharField(
        label=_("Description (Markdown permis)"),
        max_length=10000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    sector = forms.ChoiceField(label=_("Secteur"), choices=Sector.choices)
    stage = forms.ChoiceField(label=_("Étape"), choices=Stage.choices)
    budget = forms.IntegerField(label=_("Budget (F CFA)"), min_value=1, max_value=10**12)
    needs_money = forms.IntegerField(
        label=_("Besoin de financement (F CFA)"), min_value=0, max_value=10**12, initial=0
    )
    needs_skills = forms.CharField(
        label=_("Compétences recherchées"), max_length=500, required=False
    )
    needs_equipment = forms.CharField(
        label=_("Équipements recherchés"), max_length=500, required=False
    )


class CampaignForm(forms.Form):
    goal = forms.IntegerField(label=_("Objectif (F CFA)"), min_value=1, max_value=10**12)
    starts_on = PlannedDateField(label=_("Début"))
    ends_on = PlannedDateField(label=_("Fin"))
    mode = forms.ChoiceField(label=_("Mode"), choices=Mode.choices)


class PledgeForm(NoNul, forms.Form):
    amount = forms.IntegerField(label=_("Montant du don (F CFA)"), min_value=1)
    donor_name = forms.CharField(label=_("Votre nom"), max_length=100)
    donor_phone = forms.CharField(label=_("Votre téléphone (mobile money)"), max_length=40)
    provider = forms.ChoiceField(label=_("Opérateur"), choices=Provider.choices, initial="wave")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["amount"].max_value = settings.NETWORK_PLEDGE_MAX
        self.fields["amount"].validators.append(
            forms.IntegerField(max_value=settings.NETWORK_PLEDGE_MAX).validators[-1]
        )
        configured = set(getattr(settings, "PAYMENT_PROVIDERS", {}))
        self.fields["provider"].choices = [c for c in Provider.choices if c[0] in configured]


class MessageForm(NoNul, forms.Form):
    body = forms.CharField(
        label=_("Votre message"), max_length=3000, widget=forms.Textarea(attrs={"rows": 4})
    )


class CloseForm(forms.Form):
    on = PlannedDateField(label=_("Date de clôture"))
    confirm = forms.BooleanField(label=_("Je confirme la clôture (irréversible)"))


class ReportForm(NoNul, forms.Form):
    reason = forms.ChoiceField(label=_("Motif"), choices=ReportReason.choices)
    details = forms.CharField(
        label=_("Précisions"), max_length=2000, required=False, widget=forms.Textarea
    )
    contact = forms.CharField(
        label=_("Votre e-mail ou téléphone (facultatif)"), max_length=200, required=False
    )


class ReportDecisionForm(NoNul, forms.Form):
    decision = forms.ChoiceField(
        label=_("Décision"),
        choices=[("dismiss", _("Classer sans suite")), ("act", _("Mesure prise"))],
    )
    note = forms.CharField(label=_("Suite donnée"), max_length=500)


class SuspendForm(NoNul, forms.Form):
    reason = forms.CharField(label=_("Motif de la suspension"), max_length=300)
    confirm = forms.BooleanField(
        label=_("Je confirme : les dons payés seront remboursés (irréversible)")
    )


class MoveForm(forms.Form):
    """The donor's choice if the campaign fails: a refund (empty) or another campaign."""

    campaign = forms.TypedChoiceField(
        label=_("Si la campagne échoue"), coerce=int, empty_value=None, required=False
    )

    def __init__(self, *args, destinations=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["campaign"].choices = [("", _("me rembourser"))] + [
            (c.pk, _("reporter mon don sur : %(title)s (%(country)s)")
             % {"title": c.project.title, "country": c.project.country})
            for c in destinations
        ]  # fmt: skip


class FileForm(forms.Form):
    kind = forms.ChoiceField(label=_("Pièce"), choices=FileKind.choices)
    file = forms.FileField(
        label=_("Fichier (logo : PNG ou JPEG ; documents : PDF, ODT, DOCX, photo ; 2 Mo au plus)")
    )


class MemberForm(NoNul, forms.Form):
    username = forms.CharField(label=_("Identifiant du compte à ajouter"), max_length=150)


class NewsForm(NoNul, forms.Form):
    title = forms.CharField(label=_("Titre"), max_length=200)
    body = forms.CharField(
        label=_("Texte (Markdown permis)"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
