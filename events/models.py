"""The network's training and events (docs/events.md): specialised ESS courses, fora and
assises, organised by an approved organisation of the network (or offering a module of
the programme's ILO catalogue, ``training.Module``); registration by the members'
accounts, fees paid by phone (payments purpose ``event_fee``), attendance, certificates
(PDF), replays and documents for the participants."""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.audit import history_user

FEE_PURPOSE = "event_fee"  # the payments app's purpose of a registration's fee (money in)
PAYOUT_PURPOSE = "event_payout"  # the payments app's payout purpose of an event's fees
REFUND_PURPOSE = "event_refund"  # ... and of a cancelled registration's fee


def default_commission() -> Decimal:
    """The platform's commission on event fees (settings.EVENTS_COMMISSION_PERCENT), frozen
    on each event when it is published."""
    return Decimal(str(settings.EVENTS_COMMISSION_PERCENT))


class Kind(models.TextChoices):
    COURSE = "course", _("formation spécialisée ESS")
    FORUM = "forum", _("forum")
    ASSISES = "assises", _("assises")
    WEBINAR = "webinar", _("webinaire")


class Event(models.Model):
    organiser = models.ForeignKey(
        "network.Organisation", on_delete=models.PROTECT, related_name="events"
    )
    kind = models.CharField(_("type"), max_length=8, choices=Kind.choices)
    title = models.CharField(_("intitulé"), max_length=200)
    description = models.TextField(_("programme (Markdown)"), max_length=10000)
    module = models.ForeignKey(
        "training.Module",
        verbose_name=_("module du catalogue OIT"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="network_events",
    )
    country = models.CharField(_("pays"), max_length=2, db_index=True)
    place = models.CharField(_("lieu (ou « en ligne »)"), max_length=200)
    starts_at = models.DateTimeField(_("début"))
    ends_at = models.DateTimeField(_("fin"))
    capacity = models.PositiveIntegerField(_("places"))
    fee = models.PositiveIntegerField(_("frais d'inscription (F CFA)"), default=0)
    commission_percent = models.DecimalField(
        _("commission de la plateforme (%)"),
        max_digits=5,
        decimal_places=2,
        default=default_commission,
    )
    cancelled = models.BooleanField(_("annulé"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    history = HistoricalRecords(get_user=history_user)

    class Meta:
        verbose_name = _("formation ou événement du réseau")
        verbose_name_plural = _("formations et événements du réseau")
        ordering = ["starts_at", "id"]
        constraints = [
            models.CheckConstraint(
                name="event_ends_after_start",
                condition=models.Q(ends_at__gte=models.F("starts_at")),
            ),
        ]

    def __str__(self) -> str:
        return self.title


class RegStatus(models.TextChoices):
    AWAITING_PAYMENT = "awaiting_payment", _("en attente du paiement")
    CONFIRMED = "confirmed", _("confirmée")
    CANCELLED = "cancelled", _("annulée")


class Registration(models.Model):
    """A participant registered by an account of an approved organisation (its seat is
    held while the fee is awaited)."""

    event = models.ForeignKey(Event, on_delete=models.PROTECT, related_name="registrations")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="event_registrations"
    )
    organisation = models.ForeignKey(
        "network.Organisation", on_delete=models.PROTECT, related_name="event_registrations"
    )
    participant_name = models.CharField(_("nom du participant"), max_length=150)
    status = models.CharField(_("statut"), max_length=16, choices=RegStatus.choices)
    paid = models.PositiveIntegerField(_("payé (F CFA)"), default=0)
    attended = models.BooleanField(_("présent"), default=False)
    registered_at = models.DateTimeField(_("inscrit le"))
    cancelled_at = models.DateTimeField(_("annulée le"), null=True, blank=True)
    refunded_at = models.DateTimeField(_("remboursée le"), null=True, blank=True)
    history = HistoricalRecords(get_user=history_user)

    class Meta:
        verbose_name = _("inscription")
        verbose_name_plural = _("inscriptions")
        ordering = ["registered_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["event", "user"],
                condition=~models.Q(status="cancelled"),
                name="event_registration_once",
            )
        ]

    def __str__(self) -> str:
        return f"{self.event} · {self.participant_name}"

    @property
    def certificate_number(self) -> str:
        return f"RESS-{self.event_id}-{self.pk}"


class ResourceKind(models.TextChoices):
    REPLAY = "replay", _("rediffusion")
    DOCUMENT = "document", _("document")


class Resource(models.Model):
    """A replay or a document (a link), for the confirmed participants."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="resources")
    kind = models.CharField(_("type"), max_length=8, choices=ResourceKind.choices)
    title = models.CharField(_("titre"), max_length=200)
    url = models.URLField(_("lien"), max_length=500)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    history = HistoricalRecords(get_user=history_user)

    class Meta:
        verbose_name = _("ressource d'un événement")
        verbose_name_plural = _("ressources des événements")
        ordering = ["kind", "id"]

    def __str__(self) -> str:
        return self.title


class EventSettlement(models.Model):
    """The organiser's payout of an ended event's fees, made once per event: the fees
    collected less the platform's commission (frozen here when it was asked), paid by a
    payout of the payments app (purpose ``event_payout``, target this row); ``paid_out_at``
    is set when the operator confirms it."""

    event = models.OneToOneField(Event, on_delete=models.PROTECT, related_name="settlement")
    registrations_paid = models.PositiveIntegerField(_("inscriptions payées"))
    collected = models.PositiveBigIntegerField(_("frais encaissés (F CFA)"))
    refunded = models.PositiveBigIntegerField(
        _("frais des inscriptions annulées, remboursés (F CFA)"), default=0
    )
    commission_percent = models.DecimalField(
        _("commission de la plateforme (%)"), max_digits=5, decimal_places=2
    )
    commission = models.PositiveBigIntegerField(_("commission (F CFA)"))
    net = models.PositiveBigIntegerField(_("net à verser (F CFA)"))
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    settled_at = models.DateTimeField(_("arrêté le"))
    paid_out_at = models.DateTimeField(_("versé le"), null=True, blank=True)
    history = HistoricalRecords(get_user=history_user)

    class Meta:
        verbose_name = _("versement à l'organisateur")
        verbose_name_plural = _("versements aux organisateurs")
        ordering = ["-settled_at", "-id"]
        constraints = [
            models.CheckConstraint(
                name="event_settlement_sums",
                condition=models.Q(collected=models.F("commission") + models.F("net")),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.event} · {self.net} XOF"
