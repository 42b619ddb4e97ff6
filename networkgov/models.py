"""The African ESS network's own governance (docs/networkgov.md): membership of the
directory's organisations with yearly dues paid by phone, the network's assemblies with
one vote per member organisation in good standing, and consultations of the members."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.audit import history_user
from governance.models import AssemblyKind, AssemblyStatus
from network.models import Kind


class Size(models.TextChoices):
    SMALL = "small", _("petite (moins de 50 membres)")
    MEDIUM = "medium", _("moyenne (50 à 499 membres)")
    LARGE = "large", _("grande (500 membres et plus)")


class DuesTariff(models.Model):
    """The yearly dues of an organisation by kind and size, set by the network's
    administrators (whole F CFA); a membership freezes the amount when it is opened."""

    kind = models.CharField(_("type d'organisation"), max_length=20, choices=Kind.choices)
    size = models.CharField(_("taille"), max_length=6, choices=Size.choices)
    amount = models.PositiveIntegerField(_("cotisation annuelle (F CFA)"))
    history = HistoricalRecords(get_user=history_user)

    class Meta:
        verbose_name = _("barème de cotisation")
        verbose_name_plural = _("barème des cotisations")
        ordering = ["kind", "size"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "size"], name="netgov_tariff_once"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} · {self.size} · {self.amount}"


class Membership(models.Model):
    """An organisation's membership of the network for one calendar year."""

    organisation = models.ForeignKey(
        "network.Organisation", on_delete=models.PROTECT, related_name="network_memberships"
    )
    year = models.PositiveSmallIntegerField(_("année"))
    size = models.CharField(_("taille"), max_length=6, choices=Size.choices)
    dues = models.PositiveIntegerField(_("cotisation (F CFA)"))
    paid = models.PositiveIntegerField(_("payé (F CFA)"), default=0)
    joined_on = models.DateField(_("adhésion le"))
    due_on = models.DateField(_("à payer avant le"))
    paid_on = models.DateField(_("soldée le"), null=True, blank=True)
    reminded_on = models.DateField(_("rappel envoyé le"), null=True, blank=True)
    history = HistoricalRecords(get_user=history_user)

    class Meta:
        verbose_name = _("adhésion au réseau")
        verbose_name_plural = _("adhésions au réseau")
        ordering = ["-year", "organisation__name"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "year"], name="netgov_member_once"),
            models.CheckConstraint(
                name="netgov_paid_within_dues", condition=models.Q(paid__lte=models.F("dues"))
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} · {self.year}"

    @property
    def remaining(self) -> int:
        return max(self.dues - self.paid, 0)


class NetworkAssembly(models.Model):
    """An assembly of the network's member organisations, convened by its administrators.
    Votes are cast on the day (and until it is closed); quorum and majority are the
    statutes' at convening, frozen on the row."""

    title = models.CharField(_("intitulé"), max_length=200)
    kind = models.CharField(_("type"), max_length=14, choices=AssemblyKind.choices)  # governance's
    held_on = models.DateField(_("date de l'assemblée"))
    notice_sent_on = models.DateField(_("convocation envoyée le"))
    place = models.CharField(_("lieu (ou « en ligne »)"), max_length=200)
    agenda = models.TextField(_("ordre du jour"), max_length=5000)
    quorum_required = models.CharField(_("quorum"), max_length=5)
    majority_required = models.CharField(_("majorité"), max_length=5)
    status = models.CharField(
        _("statut"), max_length=10, choices=AssemblyStatus.choices, default=AssemblyStatus.CONVENED
    )
    members_count = models.PositiveIntegerField(_("membres à jour"), null=True, blank=True)
    voters_count = models.PositiveIntegerField(_("membres votants"), null=True, blank=True)
    quorum_reached = models.BooleanField(_("quorum atteint"), null=True, blank=True)
    chaired_by = models.CharField(_("président(e) de séance"), max_length=150, blank=True)
    secretary = models.CharField(_("secrétaire de séance"), max_length=150, blank=True)
    convened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    closed_at = models.DateTimeField(_("close le"), null=True, blank=True)
    history = HistoricalRecords(get_user=history_user)

    class Meta:
        verbose_name = _("assemblée du réseau")
        verbose_name_plural = _("assemblées du réseau")
        ordering = ["-held_on", "-id"]

    def __str__(self) -> str:
        return self.title


class NetworkResolution(models.Model):
    assembly = models.ForeignKey(
        NetworkAssembly, on_delete=models.PROTECT, related_name="resolutions"
    )
    number = models.PositiveSmallIntegerField(_("numéro"))
    title = models.CharField(_("intitulé"), max_length=200)
    text = models.TextField(_("texte"), max_length=5000, blank=True)
    votes_for = models.PositiveIntegerField(_("pour"), null=True, blank=True)
    votes_against = models.PositiveIntegerField(_("contre"), null=True, blank=True)
    abstentions = models.PositiveIntegerField(_("abstentions"), null=True, blank=True)
    passed = models.BooleanField(_("adoptée"), null=True, blank=True)
    history = HistoricalRecords(get_user=history_user)

    class Meta:
        verbose_name = _("résolution du réseau")
        verbose_name_plural = _("résolutions du réseau")
        ordering = ["assembly", "number"]
        constraints = [
            models.UniqueConstraint(fields=["assembly", "number"], name="netgov_resolution_number"),
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.title}"


class Choice(models.TextChoices):
    FOR = "for", _("pour")
    AGAINST = "against", _("contre")
    ABSTAIN = "abstain", _("abstention")


class NetworkVote(models.Model):
    """One member organisation's vote on a resolution (cast by its owner or its delegate)."""

    resolution = models.ForeignKey(
        NetworkResolution, on_delete=models.PROTECT, related_name="votes"
    )
    organisation = models.ForeignKey(
        "network.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    choice = models.CharField(_("vote"), max_length=8, choices=Choice.choices)
    cast_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    cast_at = models.DateTimeField(_("voté le"))
    history = HistoricalRecords(get_user=history_user)

    class Meta:
        verbose_name = _("vote d'une organisation")
        verbose_name_plural = _("votes des organisations")
        constraints = [
            models.UniqueConstraint(fields=["resolution", "organisation"], name="netgov_vote_once"),
        ]

    def __str__(self) -> str:
        return f"{self.resolution} · {self.organisation} · {self.choice}"


class Delegate(models.Model):
    """The user an organisation's owner delegates to vote for it at one assembly."""

    assembly = models.ForeignKey(NetworkAssembly, on_delete=models.PROTECT, related_name="+")
    organisation = models.ForeignKey(
        "network.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    history = HistoricalRecords(get_user=history_user)

    class Meta:
        verbose_name = _("délégué(e) au vote")
        verbose_name_plural = _("délégué(e)s au vote")
        constraints = [
            models.UniqueConstraint(
                fields=["assembly", "organisation"], name="netgov_delegate_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.assembly} · {self.organisation} · {self.user}"


class Consultation(models.Model):
    """The network asks its members' opinion on a project of the project bank or a
    proposal; results are published once it closes."""

    title = models.CharField(_("intitulé"), max_length=200)
    question = models.TextField(_("question"), max_length=2000)
    project = models.ForeignKey(
        "network.Project",
        verbose_name=_("projet de la banque de projets"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    options = models.JSONField(_("réponses proposées"), default=list, blank=True)
    allow_comments = models.BooleanField(_("commentaires libres"), default=True)
    anonymous_comments = models.BooleanField(_("commentaires publiés sans noms"), default=True)
    opens_on = models.DateField(_("ouverte le"))
    closes_on = models.DateField(_("close le"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    history = HistoricalRecords(get_user=history_user)

    class Meta:
        verbose_name = _("consultation des membres")
        verbose_name_plural = _("consultations des membres")
        ordering = ["-opens_on", "-id"]
        constraints = [
            models.CheckConstraint(
                name="netgov_consultation_dates",
                condition=models.Q(closes_on__gte=models.F("opens_on")),
            ),
        ]

    def __str__(self) -> str:
        return self.title


class ConsultationAnswer(models.Model):
    consultation = models.ForeignKey(Consultation, on_delete=models.PROTECT, related_name="answers")
    organisation = models.ForeignKey(
        "network.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    option = models.CharField(_("réponse"), max_length=200, blank=True)
    comment = models.TextField(_("commentaire"), max_length=2000, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    answered_at = models.DateTimeField(_("répondu le"))
    history = HistoricalRecords(get_user=history_user)

    class Meta:
        verbose_name = _("réponse à une consultation")
        verbose_name_plural = _("réponses aux consultations")
        constraints = [
            models.UniqueConstraint(
                fields=["consultation", "organisation"], name="netgov_answer_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.consultation} · {self.organisation}"
