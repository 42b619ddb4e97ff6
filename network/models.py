"""The African ESS network's public portal (docs/network.md): organisations of any African
country (the directory), their projects (the project bank), crowdfunding campaigns with
pledges paid by phone (payments app, purpose ``pledge``), match funds (Goteo's rule), and
the platform's own double-entry books of that money."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.audit import history_user


class Kind(models.TextChoices):
    COOPERATIVE = "cooperative", _("coopérative")
    MUTUELLE = "mutuelle", _("mutuelle")
    ASSOCIATION = "association", _("association")
    GIE = "gie", _("groupement d'intérêt économique (GIE)")
    SOCIAL_ENTERPRISE = "entreprise_sociale", _("entreprise sociale")
    NETWORK = "reseau", _("réseau")


class Sector(models.TextChoices):
    AGRICULTURE = "agriculture", _("agriculture")
    LIVESTOCK = "elevage", _("élevage")
    FISHING = "peche", _("pêche")
    PROCESSING = "transformation", _("transformation")
    CRAFTS = "artisanat", _("artisanat")
    TRADE = "commerce", _("commerce équitable")
    HEALTH = "sante", _("santé")
    EDUCATION = "education", _("éducation")
    WATER = "eau", _("eau et assainissement")
    INSURANCE = "assurance", _("assurance et mutualité")
    FINANCE = "finance", _("finance solidaire")
    ENERGY = "energie", _("énergie")
    ENVIRONMENT = "environnement", _("environnement")
    HOUSING = "habitat", _("habitat")
    DIGITAL = "numerique", _("numérique")
    CULTURE = "culture", _("culture")


class OrgStatus(models.TextChoices):
    PENDING = "pending", _("en attente de modération")
    APPROVED = "approved", _("publiée")
    CHANGES = "changes_requested", _("modifications demandées")
    REFUSED = "refused", _("refusée")


class StaffRole(models.TextChoices):
    ADMIN = "admin", _("administrateur du réseau")
    MODERATOR = "moderator", _("modérateur (un pays)")


class NetworkStaff(models.Model):
    """A user of the network's own roles, separate from the programme's: the network's
    administrators (everything) and moderators (the organisations of one country)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="network_roles"
    )
    role = models.CharField(_("rôle"), max_length=12, choices=StaffRole.choices)
    country = models.CharField(_("pays"), max_length=2, blank=True)
    history = HistoricalRecords(get_user=history_user)

    class Meta:
        verbose_name = _("rôle du réseau")
        verbose_name_plural = _("rôles du réseau")
        constraints = [
            models.UniqueConstraint(fields=["user", "role", "country"], name="network_staff_once"),
            models.CheckConstraint(
                name="network_moderator_has_country",
                condition=models.Q(role="admin", country="")
                | (models.Q(role="moderator") & ~models.Q(country="")),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.get_role_display()} {self.country}".strip()


class Organisation(models.Model):
    """An ESS organisation of the directory. Public once a moderator approves it; it may
    raise money once a moderator has checked its documents (``verified_at``)."""

    name = models.CharField(_("nom"), max_length=200)
    slug = models.SlugField(_("adresse"), max_length=80, unique=True)
    kind = models.CharField(_("type"), max_length=20, choices=Kind.choices)
    country = models.CharField(_("pays"), max_length=2, db_index=True)
    region = models.CharField(_("région"), max_length=100, blank=True)
    city = models.CharField(_("ville"), max_length=100)
    description = models.TextField(_("présentation (Markdown)"), max_length=5000, blank=True)
    website = models.URLField(_("site web"), max_length=200, blank=True)
    email = models.EmailField(_("e-mail de contact"), max_length=200, blank=True)
    phone = models.CharField(_("téléphone de contact"), max_length=16, blank=True)
    status = models.CharField(
        _("statut"), max_length=20, choices=OrgStatus.choices, default=OrgStatus.PENDING
    )
    moderation_reason = models.CharField(_("motif de la décision"), max_length=500, blank=True)
    moderated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    moderated_at = models.DateTimeField(_("modérée le"), null=True, blank=True)
    contact_verified_at = models.DateTimeField(_("contact vérifié le"), null=True, blank=True)
    verification_hash = models.CharField(max_length=64, blank=True, db_index=True)
    verification_attempts = models.PositiveSmallIntegerField(default=0, editable=False)
    verification_sent_at = models.DateTimeField(null=True, blank=True, editable=False)
    verification_sends = models.PositiveSmallIntegerField(default=1, editable=False)
    verified_at = models.DateTimeField(
        _("documents vérifiés le (peut collecter)"), null=True, blank=True
    )
    payout_phone = models.CharField(_("téléphone de versement"), max_length=16, blank=True)
    payout_provider = models.CharField(_("opérateur de versement"), max_length=16, blank=True)
    cooperative = models.OneToOneField(
        "registry.Cooperative",
        verbose_name=_("coopérative CPS"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="network_organisation",
    )
    search_text = models.TextField(editable=False, default="")
    created_at = models.DateTimeField(_("inscrite le"), auto_now_add=True)
    updated_at = models.DateTimeField(_("modifiée le"), auto_now=True)
    history = HistoricalRecords(
        get_user=history_user,
        excluded_fields=[
            "verification_hash",
            "verification_attempts",
            "verification_sent_at",
            "verification_sends",
        ],
    )

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["name", "id"]
        indexes = [
            models.Index(fields=["status", "country", "kind"], name="netorg_status_country"),
            models.Index(fields=["status", "name"], name="netorg_status_name"),
            # a country's page in name order reads its 20 rows, not the table (issue 20, 11)
            models.Index(
                fields=["status", "country", "name", "id"], name="netorg_status_country_name"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class FileKind(models.TextChoices):
    LOGO = "logo", _("logo")
    STATUTES = "statuts", _("statuts")
    REGISTRATION = "immatriculation", _("acte d'immatriculation ou récépissé")
    REPORT = "rapport", _("rapport d'activité ou comptes")
    OTHER = "autre", _("autre pièce")


class OrganisationFile(models.Model):
    """The organisation's logo (public; one) and the documents a moderator checks before
    it may raise money (private to its users and the moderators): stored in the database,
    checked by their first bytes and size (core.files) before they are written."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="files")
    kind = models.CharField(_("pièce"), max_length=16, choices=FileKind.choices)
    filename = models.CharField(_("fichier"), max_length=120)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField(_("taille (octets)"))
    data = models.BinaryField()
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("déposé le"), auto_now_add=True)
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    checked_at = models.DateTimeField(_("vérifié le"), null=True, blank=True)
    history = HistoricalRecords(get_user=history_user, excluded_fields=["data"])

    class Meta:
        verbose_name = _("pièce d'une organisation")
        verbose_name_plural = _("pièces des organisations")
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation"], condition=models.Q(kind="logo"), name="netfile_one_logo"
            )
        ]

    def __str__(self) -> str:
        return f"{self.organisation_id} · {self.filename}"


class OrganisationSector(models.Model):
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="sector_rows"
    )
    sector = models.CharField(_("secteur"), max_length=20, choices=Sector.choices)

    class Meta:
        verbose_name = _("secteur d'une organisation")
        verbose_name_plural = _("secteurs des organisations")
        constraints = [
            models.UniqueConstraint(fields=["organisation", "sector"], name="netorg_sector_once")
        ]
        indexes = [models.Index(fields=["sector", "organisation"], name="netorg_sector_idx")]

    def __str__(self) -> str:
        return self.sector


class OrganisationMember(models.Model):
    """A user acting for an organisation (several per organisation, one owner)."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="members")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="network_memberships"
    )
    is_owner = models.BooleanField(_("propriétaire"), default=False)
    history = HistoricalRecords(get_user=history_user)

    class Meta:
        verbose_name = _("compte d'organisation")
        verbose_name_plural = _("comptes d'organisation")
        constraints = [
            models.UniqueConstraint(fields=["organisation", "user"], name="netmember_once"),
            models.UniqueConstraint(
                fields=["organisation"],
                condition=models.Q(is_owner=True),
                name="netmember_one_owner",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.organisation}"


class Stage(models.TextChoices):
    IDEA = "idee", _("idée")
    STARTING = "demarrage", _("démarrage")
    RUNNING = "en_cours", _("en activité")
    SCALING = "extension", _("extension")


class Project(models.Model):
    """A project of the project bank, presented by an approved organisation."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="projects"
    )
    title = models.CharField(_("titre"), max_length=200)
    slug = models.SlugField(_("adresse"), max_length=80, unique=True)
    summary = models.CharField(_("résumé"), max_length=500)
    description = models.TextField(_("description (Markdown)"), max_length=10000, blank=True)
    country = models.CharField(_("pays"), max_length=2, db_index=True)
    sector = models.CharField(_("secteur"), max_length=20, choices=Sector.choices)
    stage = models.CharField(_("étape"), max_length=12, choices=Stage.choices)
    budget = models.PositiveBigIntegerField(_("budget (F CFA)"))
    needs_money = models.PositiveBigIntegerField(_("besoin de financement (F CFA)"), default=0)
    needs_skills = models.CharField(_("compétences recherchées"), max_length=500, blank=True)
    needs_equipment = models.CharField(_("équipements recherchés"), max_length=500, blank=True)
    search_text = models.TextField(editable=False, default="")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("créé le"), auto_now_add=True)
    history = HistoricalRecords(get_user=history_user)

    class Meta:
        verbose_name = _("projet")
        verbose_name_plural = _("projets")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["country", "sector"], name="netproject_country")]

    def __str__(self) -> str:
        return self.title


class ProjectFollow(models.Model):
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="follows")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("suivi de projet")
        verbose_name_plural = _("suivis de projets")
        constraints = [models.UniqueConstraint(fields=["project", "user"], name="netfollow_once")]

    def __str__(self) -> str:
        return f"{self.user_id} → {self.project_id}"


class ProjectMessage(models.Model):
    """A partner's message to the organisation, through the portal (stored, then notified)."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="messages")
    sender = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    body = models.TextField(_("message"), max_length=3000)
    created_at = models.DateTimeField(_("envoyé le"), auto_now_add=True)
    notified_at = models.DateTimeField(_("notifié le"), null=True, blank=True)

    class Meta:
        verbose_name = _("message à une organisation")
        verbose_name_plural = _("messages aux organisations")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.sender_id} → {self.project_id}"


class Mode(models.TextChoices):
    ALL_OR_NOTHING = "all_or_nothing", _("tout ou rien")
    KEEP_IT_ALL = "keep_it_all", _("tout est gardé")


class CampaignState(models.TextChoices):
    OPEN = "open", _("ouverte")
    SUCCEEDED = "succeeded", _("réussie")
    FAILED = "failed", _("échouée")
    SUSPENDED = "suspended", _("suspendue")


class Campaign(models.Model):
    """A crowdfunding campaign on a project. ``state`` is what closing decided; the public
    ``status`` (draft, live, succeeded, failed, suspended) adds the dates (selectors)."""

    project = models.ForeignKey(Project, on_delete=models.PROTECT, related_name="campaigns")
    goal = models.PositiveBigIntegerField(_("objectif (F CFA)"))
    starts_on = models.DateField(_("début"))
    ends_on = models.DateField(_("fin"))
    mode = models.CharField(_("mode"), max_length=16, choices=Mode.choices)
    state = models.CharField(
        _("état"), max_length=12, choices=CampaignState.choices, default=CampaignState.OPEN
    )
    commission_percent = models.DecimalField(
        _("commission de la plateforme (%)"), max_digits=5, decimal_places=2
    )
    closed_on = models.DateField(_("clôturée le"), null=True, blank=True)
    state_reason = models.CharField(_("motif"), max_length=300, blank=True)
    settlement = models.OneToOneField(
        "payments.Payout", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("créée le"), auto_now_add=True)
    history = HistoricalRecords(get_user=history_user)

    class Meta:
        verbose_name = _("campagne de financement participatif")
        verbose_name_plural = _("campagnes de financement participatif")
        ordering = ["ends_on", "id"]
        indexes = [models.Index(fields=["state", "ends_on"], name="netcampaign_state_end")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__gte=models.F("starts_on")), name="campaign_dates"
            )
        ]

    def __str__(self) -> str:
        return f"{self.project} ({self.goal} F CFA)"


class CampaignUpdate(models.Model):
    """News of a campaign for its backers."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="updates")
    title = models.CharField(_("titre"), max_length=200)
    body = models.TextField(_("texte (Markdown)"), max_length=5000)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("publiée le"), auto_now_add=True)

    class Meta:
        verbose_name = _("nouvelle de campagne")
        verbose_name_plural = _("nouvelles de campagne")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.title


class PledgeStatus(models.TextChoices):
    PENDING = "pending", _("en attente du paiement")
    PAID = "paid", _("payée")
    FAILED = "failed", _("non payée")
    REFUNDING = "refunding", _("remboursement demandé")
    REFUNDED = "refunded", _("remboursée")
    MOVED = "moved", _("reportée sur une autre campagne")


class Pledge(models.Model):
    """A donor's pledge; it counts once its payment (payments app) succeeded."""

    campaign = models.ForeignKey(Campaign, on_delete=models.PROTECT, related_name="pledges")
    amount = models.PositiveBigIntegerField(_("montant (F CFA)"))
    donor_name = models.CharField(_("nom du donateur"), max_length=100)
    donor_phone = models.CharField(_("téléphone du donateur"), max_length=16)
    provider = models.CharField(_("opérateur"), max_length=16)
    status = models.CharField(
        _("statut"), max_length=12, choices=PledgeStatus.choices, default=PledgeStatus.PENDING
    )
    token = models.CharField(max_length=32, unique=True)
    intent = models.ForeignKey(
        "payments.PaymentIntent", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    paid_at = models.DateTimeField(_("payée le"), null=True, blank=True)
    refund = models.OneToOneField(
        "payments.Payout", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # The donor's choice, for an all-or-nothing campaign that fails: the pledge moves to
    # this campaign instead of being refunded (services.pledge_move_choose).
    move_to = models.ForeignKey(
        "Campaign",
        verbose_name=_("à reporter sur la campagne"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # On the pledge a move created: the failed campaign's pledge it came from (once).
    moved_from = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="moved_to_pledge"
    )
    created_at = models.DateTimeField(_("promise le"), auto_now_add=True)
    history = HistoricalRecords(get_user=history_user)

    class Meta:
        verbose_name = _("promesse de don")
        verbose_name_plural = _("promesses de don")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["campaign", "status"], name="netpledge_campaign_status")]

    def __str__(self) -> str:
        return f"{self.donor_name} · {self.amount} F CFA"


class MatchFund(models.Model):
    """A sponsor's fund that multiplies donations on chosen campaigns (API.md's rule)."""

    sponsor = models.CharField(_("financeur"), max_length=200)
    budget = models.PositiveBigIntegerField(_("budget (F CFA)"))
    factor = models.DecimalField(_("multiplicateur"), max_digits=6, decimal_places=2)
    max_per_pledge = models.PositiveBigIntegerField(_("plafond par don (F CFA)"))
    max_per_project = models.PositiveBigIntegerField(_("plafond par campagne (F CFA)"))
    campaigns = models.ManyToManyField(Campaign, related_name="match_funds", blank=True)
    managers = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="network_match_funds", blank=True
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("ouvert le"), auto_now_add=True)
    # the sum of its committed matches, kept by services._match and _release_matches under
    # this row's lock (the budget cap read in O(1), not summed under the lock)
    committed = models.PositiveBigIntegerField(_("engagé (F CFA)"), default=0, editable=False)
    history = HistoricalRecords(get_user=history_user, m2m_fields=[], excluded_fields=["committed"])

    class Meta:
        verbose_name = _("fonds de doublement")
        verbose_name_plural = _("fonds de doublement")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.sponsor


class MatchStatus(models.TextChoices):
    COMMITTED = "committed", _("engagé")
    RELEASED = "released", _("rendu au fonds")


class MatchTally(models.Model):
    """What a fund has committed on one campaign (the sum of its committed matches there):
    the per-project cap read in O(1). Written only under the fund's row lock
    (services._match, services._release_matches), so the fund's lock guards both counters."""

    fund = models.ForeignKey(MatchFund, on_delete=models.CASCADE, related_name="tallies")
    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="+")
    committed = models.PositiveBigIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["fund", "campaign"], name="netmatchtally_once")
        ]

    def __str__(self) -> str:
        return f"{self.fund_id}/{self.campaign_id}: {self.committed} F CFA"


class Match(models.Model):
    """The fund's own contribution linked to one pledge (one per donor phone per campaign
    and fund)."""

    fund = models.ForeignKey(MatchFund, on_delete=models.PROTECT, related_name="matches")
    campaign = models.ForeignKey(Campaign, on_delete=models.PROTECT, related_name="matches")
    pledge = models.ForeignKey(Pledge, on_delete=models.PROTECT, related_name="matches")
    donor_phone = models.CharField(max_length=16)
    amount = models.PositiveBigIntegerField(_("montant (F CFA)"))
    status = models.CharField(
        max_length=12, choices=MatchStatus.choices, default=MatchStatus.COMMITTED
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("doublement")
        verbose_name_plural = _("doublements")
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(
                fields=["fund", "campaign", "donor_phone"], name="netmatch_one_per_phone"
            )
        ]

    def __str__(self) -> str:
        return f"{self.fund_id}: {self.amount} F CFA"


class BookEntry(models.Model):
    """An entry of the platform's own double-entry books (append-only; docs/network.md)."""

    on = models.DateField(_("date"))
    label = models.CharField(_("libellé"), max_length=200)
    source = models.CharField(max_length=40)
    source_ref = models.CharField(max_length=60)
    campaign = models.ForeignKey(
        Campaign, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    fund = models.ForeignKey(
        MatchFund, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("écriture du réseau")
        verbose_name_plural = _("écritures du réseau")
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["source", "source_ref"], name="netbook_once")
        ]

    def __str__(self) -> str:
        return f"{self.on} {self.label}"


class BookLine(models.Model):
    entry = models.ForeignKey(BookEntry, on_delete=models.PROTECT, related_name="lines")
    account = models.CharField(_("compte"), max_length=10)
    debit = models.PositiveBigIntegerField(default=0)
    credit = models.PositiveBigIntegerField(default=0)

    class Meta:
        verbose_name = _("ligne d'écriture du réseau")
        verbose_name_plural = _("lignes d'écriture du réseau")
        indexes = [models.Index(fields=["account"], name="netbookline_account")]

    def __str__(self) -> str:
        return f"{self.account} {self.debit} / {self.credit}"


class ReportReason(models.TextChoices):
    FRAUD = "fraud", _("fraude ou escroquerie")
    SPAM = "spam", _("publicité ou contenu indésirable")
    OFFENSIVE = "offensive", _("contenu choquant ou haineux")
    IMPERSONATION = "impersonation", _("usurpation d'identité")
    OTHER = "other", _("autre")


class ReportStatus(models.TextChoices):
    OPEN = "open", _("à examiner")
    DISMISSED = "dismissed", _("classé sans suite")
    ACTED = "acted", _("mesure prise")


class AbuseReport(models.Model):
    """Anyone's report of abuse on a public page (an organisation, a project or a campaign),
    in the queue of the moderators of the organisation's country."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="abuse_reports"
    )
    project = models.ForeignKey(
        Project, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    campaign = models.ForeignKey(
        Campaign, null=True, blank=True, on_delete=models.CASCADE, related_name="abuse_reports"
    )
    reason = models.CharField(_("motif"), max_length=16, choices=ReportReason.choices)
    details = models.TextField(_("précisions"), max_length=2000, blank=True)
    contact = models.CharField(_("contact de la personne qui signale"), max_length=200, blank=True)
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    status = models.CharField(
        _("statut"), max_length=12, choices=ReportStatus.choices, default=ReportStatus.OPEN
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(_("traité le"), null=True, blank=True)
    decision_note = models.CharField(_("suite donnée"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("signalé le"), auto_now_add=True)
    history = HistoricalRecords(get_user=history_user)

    class Meta:
        verbose_name = _("signalement d'abus")
        verbose_name_plural = _("signalements d'abus")
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["status", "created_at"], name="netreport_status")]

    def __str__(self) -> str:
        return f"{self.organisation_id} · {self.reason}"
