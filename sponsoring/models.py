"""Sponsored announcements of the network's portal (docs/sponsoring.md): an organisation
books a sponsored listing (its organisation, project or campaign shown first, marked
"Sponsorisé") or an announcement on chosen placements and countries for a period, pays it
by phone (payments purpose ``sponsoring``), a moderator approves it before it shows;
impressions and clicks are counted per announcement and day, never per person."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.audit import history_user


class Placement(models.TextChoices):
    DIRECTORY = "directory", _("annuaire des organisations")
    PROJECTS = "projects", _("banque de projets")
    CAMPAIGNS = "campaigns", _("pages des campagnes")
    HOME = "home", _("accueil du portail")


class Format(models.TextChoices):
    LISTING = "listing", _("mise en avant « Sponsorisé »")
    ANNOUNCEMENT = "announcement", _("annonce")


class Status(models.TextChoices):
    AWAITING_PAYMENT = "awaiting_payment", _("en attente du paiement")
    PENDING = "pending", _("payée, en attente de modération")
    APPROVED = "approved", _("validée")
    REFUSED = "refused", _("refusée (remboursée)")


class Tariff(models.Model):
    """The price of one day on a placement, set by the network's administrators (without
    a row, the setting SPONSORING_PRICES applies): per country chosen, or for the whole
    network (every country's pages and the pages without a country)."""

    placement = models.CharField(
        _("emplacement"), max_length=12, choices=Placement.choices, unique=True
    )
    price_per_day = models.PositiveIntegerField(_("prix par jour et par pays (F CFA)"))
    price_per_day_all = models.PositiveIntegerField(_("prix par jour, toute l'Afrique (F CFA)"))
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    history = HistoricalRecords(get_user=history_user)

    class Meta:
        verbose_name = _("tarif des annonces")
        verbose_name_plural = _("tarifs des annonces")
        ordering = ["placement"]

    def __str__(self) -> str:
        return self.get_placement_display()


class Booking(models.Model):
    """A sponsored listing or an announcement booked by an organisation of the portal."""

    advertiser = models.ForeignKey(
        "network.Organisation", on_delete=models.PROTECT, related_name="sponsored_bookings"
    )
    format = models.CharField(_("format"), max_length=12, choices=Format.choices)
    title = models.CharField(_("titre"), max_length=80)
    text = models.TextField(_("texte (Markdown)"), max_length=300, blank=True)
    link = models.CharField(_("lien"), max_length=300)
    project = models.ForeignKey(
        "network.Project", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    campaign = models.ForeignKey(
        "network.Campaign", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    sectors = models.CharField(_("secteurs (mise en avant)"), max_length=120, blank=True)
    starts_on = models.DateField(_("du"))
    ends_on = models.DateField(_("au"))
    price = models.PositiveBigIntegerField(_("prix (F CFA)"))
    status = models.CharField(
        _("statut"), max_length=16, choices=Status.choices, default=Status.AWAITING_PAYMENT
    )
    intent = models.ForeignKey(
        "payments.PaymentIntent", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    paid_at = models.DateTimeField(_("payée le"), null=True, blank=True)
    moderated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    moderated_at = models.DateTimeField(_("modérée le"), null=True, blank=True)
    moderation_reason = models.CharField(_("motif du refus"), max_length=500, blank=True)
    refund = models.OneToOneField(
        "payments.Payout", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    image_type = models.CharField(max_length=20, blank=True)
    image = models.BinaryField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("réservée le"), auto_now_add=True)
    history = HistoricalRecords(get_user=history_user, excluded_fields=["image"])

    class Meta:
        verbose_name = _("annonce sponsorisée")
        verbose_name_plural = _("annonces sponsorisées")
        ordering = ["-id"]
        constraints = [
            models.CheckConstraint(
                name="sponsoring_period_ordered",
                condition=models.Q(ends_on__gte=models.F("starts_on")),
            ),
        ]

    def __str__(self) -> str:
        return self.title


class Slot(models.Model):
    """Where a booking shows: one row per placement and country ("" = every country's
    pages and the pages without a country). The slots of a page are read in one query."""

    booking = models.ForeignKey(Booking, on_delete=models.CASCADE, related_name="slots")
    placement = models.CharField(_("emplacement"), max_length=12, choices=Placement.choices)
    country = models.CharField(_("pays"), max_length=2, blank=True)

    class Meta:
        verbose_name = _("emplacement réservé")
        verbose_name_plural = _("emplacements réservés")
        constraints = [
            models.UniqueConstraint(
                fields=["booking", "placement", "country"], name="sponsoring_slot_once"
            )
        ]
        indexes = [models.Index(fields=["placement", "country"], name="sponsoring_slot_lookup")]

    def __str__(self) -> str:
        return f"{self.booking_id} · {self.placement} {self.country or '*'}"


class DailyCount(models.Model):
    """Impressions and clicks of one booking on one day: an aggregate, incremented in one
    statement (an upsert), with no cookie, no person, no address."""

    booking = models.ForeignKey(Booking, on_delete=models.CASCADE, related_name="counts")
    day = models.DateField(_("jour"))
    impressions = models.PositiveBigIntegerField(_("affichages"), default=0)
    clicks = models.PositiveBigIntegerField(_("clics"), default=0)

    class Meta:
        verbose_name = _("compteur d'une annonce")
        verbose_name_plural = _("compteurs des annonces")
        ordering = ["day"]
        constraints = [
            models.UniqueConstraint(fields=["booking", "day"], name="sponsoring_count_once")
        ]

    def __str__(self) -> str:
        return f"{self.booking_id} · {self.day}"
