from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import DateInput, EventDateField, PlannedDateField

OFFER_ROWS = 4
CHANNELS = [
    ("cash", _("Espèces (caisse)")),
    ("bank", _("Banque")),
    ("mobile_money", _("Mobile money")),
    ("credit", _("Crédit intrant (prêt décaissé)")),
]


class CampaignForm(forms.Form):
    """A campaign and up to four offers (empty rows are ignored)."""

    group = forms.TypedChoiceField(label=_("Centrale d'achat"), coerce=int)
    name = forms.CharField(label=_("Nom de la campagne"), max_length=200)
    season = forms.CharField(label=_("Saison"), max_length=80, required=False)
    opens_on = PlannedDateField(label=_("Ouverture"), widget=DateInput())
    closes_on = PlannedDateField(label=_("Clôture"), widget=DateInput())

    def __init__(self, *args, groups=(), products=(), suppliers=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["group"].choices = [(g.pk, g.name) for g in groups]
        product_choices = [("", "—")] + [(p.pk, str(p)) for p in products]
        supplier_choices = [("", "—")] + [(s.pk, s.name) for s in suppliers]
        for i in range(OFFER_ROWS):
            n = i + 1
            self.fields[f"product_{i}"] = forms.TypedChoiceField(
                label=_("Offre %(n)s : produit") % {"n": n},
                choices=product_choices,
                coerce=int,
                required=False,
                empty_value=None,
            )
            self.fields[f"supplier_{i}"] = forms.TypedChoiceField(
                label=_("Offre %(n)s : fournisseur") % {"n": n},
                choices=supplier_choices,
                coerce=int,
                required=False,
                empty_value=None,
            )
            self.fields[f"pack_size_{i}"] = forms.IntegerField(
                label=_("Offre %(n)s : unités par colis") % {"n": n}, required=False
            )
            self.fields[f"unit_price_{i}"] = forms.IntegerField(
                label=_("Offre %(n)s : prix unitaire (F CFA)") % {"n": n}, required=False
            )
            self.fields[f"min_packs_{i}"] = forms.IntegerField(
                label=_("Offre %(n)s : minimum de colis") % {"n": n}, required=False, initial=0
            )

    def offer_rows(self):
        """[(row index, product id, supplier id, pack size, unit price, min packs)]"""
        rows = []
        for i in range(OFFER_ROWS):
            d = self.cleaned_data
            if d.get(f"product_{i}") is None and d.get(f"supplier_{i}") is None:
                continue
            for name in ("product", "supplier", "pack_size", "unit_price"):
                if d.get(f"{name}_{i}") is None:
                    self.add_error(f"{name}_{i}", _("Ce champ est obligatoire."))
            rows.append(
                (
                    i,
                    d.get(f"product_{i}"),
                    d.get(f"supplier_{i}"),
                    d.get(f"pack_size_{i}"),
                    d.get(f"unit_price_{i}"),
                    d.get(f"min_packs_{i}") or 0,
                )
            )
        if not rows:
            self.add_error("product_0", _("Indiquez au moins une offre."))
        return rows


class OrderForm(forms.Form):
    """One quantity and tolerance per offer of the campaign."""

    def __init__(self, *args, offers=(), lines=None, **kwargs):
        super().__init__(*args, **kwargs)
        lines = lines or {}
        self.offers = list(offers)
        for o in self.offers:
            q, t = lines.get(o.pk, (None, None))
            self.fields[f"quantity_{o.pk}"] = forms.IntegerField(
                label=_("Quantité (%(unit)s)") % {"unit": o.product.unit},
                required=False,
                initial=q,
            )
            self.fields[f"tolerance_{o.pk}"] = forms.IntegerField(
                label=_("Tolérance (%(unit)s)") % {"unit": o.product.unit},
                required=False,
                initial=t,
                help_text=_(
                    "Ce que vous accepteriez en plus pour compléter un colis (moins d'un colis)."
                ),
            )

    def rows(self):
        for o in self.offers:
            yield o, self[f"quantity_{o.pk}"], self[f"tolerance_{o.pk}"]

    def lines(self):
        out = []
        for o in self.offers:
            q = self.cleaned_data.get(f"quantity_{o.pk}")
            t = self.cleaned_data.get(f"tolerance_{o.pk}") or 0
            if q is None and not t:
                continue
            out.append((o, q if q is not None else 0, t))
        return out


class CloseForm(forms.Form):
    on = EventDateField(label=_("Date de clôture"), widget=DateInput())


class ReceiveForm(forms.Form):
    on = EventDateField(label=_("Date de réception"), widget=DateInput())

    def __init__(self, *args, offers=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.offers = [o for o in offers if o.packs]
        for o in self.offers:
            self.fields[f"received_{o.pk}"] = forms.IntegerField(
                label=_("%(p)s : unités reçues (commandé : %(n)s)")
                % {"p": o.product, "n": o.units},
                initial=o.units,
                min_value=0,
            )
            self.fields[f"damaged_{o.pk}"] = forms.IntegerField(
                label=_("%(p)s : unités endommagées") % {"p": o.product}, initial=0, min_value=0
            )

    def lines(self):
        d = self.cleaned_data
        return [(o, d[f"received_{o.pk}"], d.get(f"damaged_{o.pk}") or 0) for o in self.offers]


class DeliveryForm(forms.Form):
    on = EventDateField(label=_("Date de livraison"), widget=DateInput())
    received_by = forms.CharField(label=_("Reçu et signé par"), max_length=120)


class PayForm(forms.Form):
    on = EventDateField(label=_("Date du paiement"), widget=DateInput())
    channel = forms.ChoiceField(label=_("Moyen de paiement"), choices=CHANNELS)
    reference = forms.CharField(label=_("Référence"), max_length=80, required=False)


class PriceForm(forms.Form):
    product = forms.TypedChoiceField(label=_("Produit"), coerce=int)
    area = forms.TypedChoiceField(label=_("Zone (département ou commune)"), coerce=int)
    price = forms.IntegerField(label=_("Prix par unité (F CFA)"))
    observed_on = EventDateField(label=_("Date du relevé"), widget=DateInput())
    source = forms.CharField(label=_("Source"), max_length=120, required=False)

    def __init__(self, *args, products=(), areas=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["product"].choices = [(p.pk, str(p)) for p in products]
        self.fields["area"].choices = [(a.pk, f"{a.name} ({a.code})") for a in areas]


class SheetForm(forms.Form):
    file = forms.FileField(label=_("Fichier (CSV ou XLSX)"))
    dry_run = forms.BooleanField(
        label=_("Vérifier seulement (rien n'est enregistré)"), required=False
    )
