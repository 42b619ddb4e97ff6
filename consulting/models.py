"""Paid consulting on the ESS network (issue 21, docs/consulting.md): consultants' profiles
verified by a moderator, organisations' support requests, proposals, engagements with
milestones and the three-way split frozen on signature, payments and their payouts,
disputes, ratings, and the ESS fund's support."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.audit import history_user

PERCENT = {"max_digits": 5, "decimal_places": 2}


class ProfileStatus(models.TextChoices):
    PENDING = "pending", _("en attente de vérification")
    VERIFIED = "verified", _("vérifié")
    REFUSED = "refused", _("refusé")


class ConsultantProfile(models.Model):
    """A consultant of the network: public once a moderator of one of its countries (or an
    administrator) has verified it; only a verified consultant proposes."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="consultant_profile"
    )
    name = models.CharField(_("nom"), max_length=120)
    headline = models.CharField(_("présentation courte"), max_length=200)
    bio = models.TextField(_("présentation"), max_length=3000, blank=True)
    skills = models.JSONField(_("compétences"), default=list)
    countries = models.CharField(_("pays d'intervention"), max_length=200)  # ",SN,ML,"
    languages = models.CharField(_("langues"), max_length=100)  # ",fr,wo,"
    day_rate = models.PositiveIntegerField(_("tarif journalier (F CFA)"))
    references = models.TextField(_("références"), max_length=3000)
    payout_phone = models.CharField(_("téléphone de versement"), max_length=16)
    payout_provider = models.CharField(_("opérateur de versement"), max_length=16)
    status = models.CharField(
        _("statut"), max_length=12, choices=ProfileStatus.choices, default=ProfileStatus.PENDING
    )
    moderation_reason = models.CharField(_("motif de la décision"), max_length=500, blank=True)
    moderated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    moderated_at = models.DateTimeField(_("vérifié le"), null=True, blank=True)
    search_text = models.TextField(editable=False, default="")
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords(get_user=history_user)

    class Meta:
        verbose_name = _("consultant")
        verbose_name_plural = _("consultants")
        ordering = ["name", "id"]
        indexes = [models.Index(fields=["status", "name"], name="consultant_status_name")]

    def __str__(self) -> str:
        return self.name

    @property
    def country_list(self) -> list[str]:
        return [c for c in self.countries.split(",") if c]

    @property
    def language_list(self) -> list[str]:
        return [c for c in self.languages.split(",") if c]


class RequestStatus(models.TextChoices):
    OPEN = "open", _("ouverte aux propositions")
    AWARDED = "awarded", _("attribuée")
    CLOSED = "closed", _("close")


class SupportRequest(models.Model):
    """An organisation's request for support ("appui-conseil"): consultants propose."""

    organisation = models.ForeignKey(
        "network.Organisation", on_delete=models.PROTECT, related_name="support_requests"
    )
    title = models.CharField(_("objet"), max_length=200)
    description = models.TextField(_("besoin"), max_length=5000)
    skills = models.CharField(_("compétences recherchées"), max_length=300, blank=True)
    budget = models.PositiveBigIntegerField(_("budget indicatif (F CFA)"), null=True, blank=True)
    status = models.CharField(
        _("statut"), max_length=10, choices=RequestStatus.choices, default=RequestStatus.OPEN
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords(get_user=history_user)

    class Meta:
        verbose_name = _("demande d'appui")
        verbose_name_plural = _("demandes d'appui")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.title


class ProposalStatus(models.TextChoices):
    SUBMITTED = "submitted", _("proposée")
    ACCEPTED = "accepted", _("retenue")
    DECLINED = "declined", _("non retenue")


class Proposal(models.Model):
    request = models.ForeignKey(SupportRequest, on_delete=models.PROTECT, related_name="proposals")
    consultant = models.ForeignKey(
        ConsultantProfile, on_delete=models.PROTECT, related_name="proposals"
    )
    amount = models.PositiveBigIntegerField(_("montant proposé (F CFA)"))
    days = models.PositiveIntegerField(_("jours de travail"))
    message = models.TextField(_("proposition"), max_length=3000)
    status = models.CharField(
        _("statut"),
        max_length=10,
        choices=ProposalStatus.choices,
        default=ProposalStatus.SUBMITTED,
    )
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords(get_user=history_user)

    class Meta:
        verbose_name = _("proposition")
        verbose_name_plural = _("propositions")
        ordering = ["amount", "id"]
        constraints = [
            models.UniqueConstraint(fields=["request", "consultant"], name="proposal_once")
        ]

    def __str__(self) -> str:
        return f"{self.consultant} · {self.request}"


class EngagementStatus(models.TextChoices):
    SIGNED = "signed", _("signée, en cours")
    COMPLETED = "completed", _("payée entièrement")
    CANCELLED = "cancelled", _("annulée")


class Engagement(models.Model):
    """A contract between a client organisation and a consultant. The split between the
    consultant, the platform and the ESS fund is frozen here when it is signed."""

    client = models.ForeignKey(
        "network.Organisation", on_delete=models.PROTECT, related_name="engagements"
    )
    consultant = models.ForeignKey(
        ConsultantProfile, on_delete=models.PROTECT, related_name="engagements"
    )
    proposal = models.OneToOneField(
        Proposal, null=True, blank=True, on_delete=models.PROTECT, related_name="engagement"
    )
    title = models.CharField(_("objet"), max_length=200)
    amount = models.PositiveBigIntegerField(_("montant (F CFA)"))
    consultant_percent = models.DecimalField(_("part du consultant (%)"), **PERCENT)
    platform_percent = models.DecimalField(_("part de la plateforme (%)"), **PERCENT)
    ess_percent = models.DecimalField(_("part du fonds ESS (%)"), **PERCENT)
    status = models.CharField(
        _("statut"), max_length=10, choices=EngagementStatus.choices, default="signed"
    )
    signed_at = models.DateTimeField(_("signée le"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    rating = models.PositiveSmallIntegerField(_("note du client (1 à 5)"), null=True, blank=True)
    rating_comment = models.CharField(_("avis du client"), max_length=1000, blank=True)
    rated_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(_("annulée le"), null=True, blank=True)
    cancelled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    cancel_reason = models.CharField(_("motif de l'annulation"), max_length=1000, blank=True)
    history = HistoricalRecords(get_user=history_user)

    class Meta:
        verbose_name = _("mission")
        verbose_name_plural = _("missions")
        ordering = ["-signed_at", "-id"]
        constraints = [
            models.CheckConstraint(
                name="engagement_split_is_100",
                condition=models.Q(
                    consultant_percent=100 - models.F("platform_percent") - models.F("ess_percent")
                ),
            )
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def split(self) -> dict:
        return {
            "consultant": self.consultant_percent,
            "platform": self.platform_percent,
            "ess_fund": self.ess_percent,
        }


class Milestone(models.Model):
    engagement = models.ForeignKey(Engagement, on_delete=models.CASCADE, related_name="milestones")
    position = models.PositiveSmallIntegerField()
    title = models.CharField(_("étape"), max_length=200)
    amount = models.PositiveBigIntegerField(_("montant (F CFA)"))
    due_on = models.DateField(_("échéance"), null=True, blank=True)
    cancelled = models.BooleanField(_("annulée"), default=False)

    class Meta:
        verbose_name = _("étape")
        verbose_name_plural = _("étapes")
        ordering = ["engagement", "position"]

    def __str__(self) -> str:
        return self.title


class EngagementPayment(models.Model):
    """Money the client paid on an engagement, and its three shares (append-only). The
    consultant's payout is held while a dispute is open (``held``)."""

    engagement = models.ForeignKey(Engagement, on_delete=models.PROTECT, related_name="payments")
    amount = models.PositiveBigIntegerField(_("montant (F CFA)"))
    paid_on = models.DateField(_("payé le"))
    intent = models.OneToOneField(
        "payments.PaymentIntent",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="engagement_payment",
    )
    consultant_share = models.PositiveBigIntegerField(_("part du consultant"))
    platform_share = models.PositiveBigIntegerField(_("part de la plateforme"))
    ess_share = models.PositiveBigIntegerField(_("part du fonds ESS"))
    held = models.BooleanField(_("versement retenu (litige)"), default=False)
    consultant_refunded = models.PositiveBigIntegerField(
        _("part du consultant remboursée au client"), default=0
    )
    payout = models.OneToOneField(
        "payments.Payout",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="engagement_payment",
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    idempotency_key = models.CharField(max_length=120, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("paiement d'une mission")
        verbose_name_plural = _("paiements des missions")
        ordering = ["engagement", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["engagement", "idempotency_key"],
                condition=~models.Q(idempotency_key=""),
                name="engagement_payment_key_once",
            )
        ]

    def __str__(self) -> str:
        return f"{self.engagement_id}: {self.amount} F CFA"


class DisputeOutcome(models.TextChoices):
    RELEASED = "released", _("versements libérés au consultant")
    REFUNDED = "refunded", _("client remboursé")


class Dispute(models.Model):
    engagement = models.ForeignKey(Engagement, on_delete=models.PROTECT, related_name="disputes")
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    reason = models.CharField(_("motif du litige"), max_length=1000)
    opened_at = models.DateTimeField(auto_now_add=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolution = models.CharField(_("décision"), max_length=1000, blank=True)
    outcome = models.CharField(
        _("issue"), max_length=10, choices=DisputeOutcome.choices, blank=True
    )
    history = HistoricalRecords(get_user=history_user)

    class Meta:
        verbose_name = _("litige")
        verbose_name_plural = _("litiges")
        ordering = ["-opened_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["engagement"],
                condition=models.Q(resolved_at__isnull=True),
                name="dispute_one_open",
            )
        ]

    def __str__(self) -> str:
        return self.reason[:60]


class DisputeRefund(models.Model):
    """The client refunded when a dispute is resolved (once per dispute): ``amount`` taken
    from the payments held, the held consultant's, platform's and ESS fund's shares reversed
    in proportion (``*_part``, the split's rounding rule); what is left of the consultant's
    held share is paid out to it. The money goes back by a payout (purpose
    ``consulting_refund``)."""

    engagement = models.ForeignKey(Engagement, on_delete=models.PROTECT, related_name="refunds")
    dispute = models.OneToOneField(Dispute, on_delete=models.PROTECT, related_name="refund")
    amount = models.PositiveBigIntegerField(_("montant remboursé (F CFA)"))
    consultant_part = models.PositiveBigIntegerField(_("repris sur la part du consultant"))
    platform_part = models.PositiveBigIntegerField(_("repris sur la part de la plateforme"))
    ess_part = models.PositiveBigIntegerField(_("repris sur la part du fonds ESS"))
    phone = models.CharField(_("téléphone remboursé"), max_length=16)
    provider = models.CharField(_("opérateur"), max_length=16)
    payout = models.OneToOneField(
        "payments.Payout", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    idempotency_key = models.CharField(max_length=120, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    settled_at = models.DateTimeField(_("remboursement versé le"), null=True, blank=True)
    history = HistoricalRecords(get_user=history_user)

    class Meta:
        verbose_name = _("remboursement après litige")
        verbose_name_plural = _("remboursements après litige")
        ordering = ["engagement", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["engagement", "idempotency_key"],
                condition=~models.Q(idempotency_key=""),
                name="dispute_refund_key_once",
            )
        ]

    def __str__(self) -> str:
        return f"{self.engagement_id}: {self.amount} F CFA"


class AmendmentStatus(models.TextChoices):
    PENDING = "pending", _("en attente de l'autre partie")
    ACCEPTED = "accepted", _("acceptée")
    DECLINED = "declined", _("refusée")
    WITHDRAWN = "withdrawn", _("retirée")
    LAPSED = "lapsed", _("caduque")


class AmendmentSide(models.TextChoices):
    CLIENT = "client", _("le client")
    CONSULTANT = "consultant", _("le consultant")


class Amendment(models.Model):
    """A change of an engagement's amount and milestones, proposed by one party and
    accepted by the other, before any payment; the split stays the one frozen at signing.
    ``previous`` keeps the amount and milestones it replaced."""

    engagement = models.ForeignKey(Engagement, on_delete=models.PROTECT, related_name="amendments")
    side = models.CharField(_("proposée par"), max_length=10, choices=AmendmentSide.choices)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    amount = models.PositiveBigIntegerField(_("nouveau montant (F CFA)"))
    milestones = models.JSONField(_("nouvelles étapes"), default=list)
    reason = models.CharField(_("motif"), max_length=1000, blank=True)
    previous = models.JSONField(default=dict, blank=True)
    status = models.CharField(
        _("statut"), max_length=10, choices=AmendmentStatus.choices,
        default=AmendmentStatus.PENDING,
    )  # fmt: skip
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords(get_user=history_user)

    class Meta:
        verbose_name = _("avenant")
        verbose_name_plural = _("avenants")
        ordering = ["engagement", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["engagement"],
                condition=models.Q(status="pending"),
                name="amendment_one_pending",
            )
        ]

    def __str__(self) -> str:
        return f"{self.engagement_id}: {self.amount} F CFA"


class SupportKind(models.TextChoices):
    GRANT = "grant", _("subvention à un projet")
    TRAINING = "training", _("places de formation")


class EssSupport(models.Model):
    """What the ESS fund supports: a grant to a project of the project bank, or training
    seats for an organisation's members (public: the totals page lists them)."""

    kind = models.CharField(_("type"), max_length=10, choices=SupportKind.choices)
    organisation = models.ForeignKey(
        "network.Organisation", on_delete=models.PROTECT, related_name="ess_supports"
    )
    project = models.ForeignKey(
        "network.Project", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    seats = models.PositiveIntegerField(_("places"), null=True, blank=True)
    amount = models.PositiveBigIntegerField(_("montant (F CFA)"))
    on = models.DateField(_("décidé le"))
    description = models.CharField(_("objet"), max_length=300)
    payout = models.OneToOneField(
        "payments.Payout", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords(get_user=history_user)

    class Meta:
        verbose_name = _("soutien du fonds ESS")
        verbose_name_plural = _("soutiens du fonds ESS")
        ordering = ["-on", "-id"]

    def __str__(self) -> str:
        return self.description


class EssFund(models.Model):
    """The one ESS fund's row, locked while a support is decided (its balance is read from
    the platform's books: account 4675)."""

    name = models.CharField(_("nom"), max_length=100, default="Fonds ESS")

    class Meta:
        verbose_name = _("fonds ESS")
        verbose_name_plural = _("fonds ESS")

    def __str__(self) -> str:
        return self.name
