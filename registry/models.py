from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.audit import history_user


class LegalForm(models.TextChoices):
    SCOOPS = "SCOOPS", _("Société coopérative simplifiée (SCOOPS)")
    COOP_CA = "COOP-CA", _("Coopérative avec conseil d'administration (COOP-CA)")


class ValueChainStage(models.TextChoices):
    SOURCE = "source", _("boutique source")
    TECHNOLOGIQUE = "technologique", _("boutique technologique")
    PRODUCTION = "production", _("boutique de production")
    TEMOIN = "temoin", _("boutique témoin")


class Stage(models.TextChoices):
    SENSIBILISEE = "sensibilisee", _("sensibilisée")
    EN_CONSTITUTION = "en_constitution", _("en constitution")
    IMMATRICULEE = "immatriculee", _("immatriculée")
    EN_ACTIVITE = "en_activite", _("en activité")
    CONSOLIDEE = "consolidee", _("consolidée")
    DISSOUTE = "dissoute", _("dissoute")


class Sector(models.Model):
    """A managed list of activity sectors, editable by the national role."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("nom"), max_length=120)
    active = models.BooleanField(_("actif"), default=True)
    history = HistoricalRecords(get_user=history_user)

    class Meta:
        verbose_name = _("secteur")
        verbose_name_plural = _("secteurs")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Partner(models.Model):
    """A company or institution that sponsors cooperatives or sectors."""

    name = models.CharField(_("nom"), max_length=160, unique=True)
    kind = models.CharField(_("type"), max_length=40, blank=True)
    history = HistoricalRecords(get_user=history_user)

    class Meta:
        verbose_name = _("partenaire")
        verbose_name_plural = _("partenaires")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Cooperative(models.Model):
    name = models.CharField(_("nom"), max_length=200)
    legal_form = models.CharField(_("forme juridique"), max_length=8, choices=LegalForm.choices)
    registration_number = models.CharField(
        _("numéro d'immatriculation (RSC)"),
        max_length=60,
        null=True,
        blank=True,
    )
    commune = models.ForeignKey(
        "geo.Area",
        verbose_name=_("commune"),
        on_delete=models.PROTECT,
        related_name="cooperatives",
    )
    sector = models.ForeignKey(Sector, verbose_name=_("secteur"), on_delete=models.PROTECT)
    value_chain_stage = models.CharField(
        _("maillon de la chaîne de valeur"),
        max_length=16,
        choices=ValueChainStage.choices,
    )
    stage = models.CharField(
        _("étape"),
        max_length=16,
        choices=Stage.choices,
        default=Stage.SENSIBILISEE,
    )
    stage_changed_on = models.DateField(_("date de l'étape"), null=True, blank=True)
    founded_on = models.DateField(_("date de création"), null=True, blank=True)
    phone = models.CharField(_("téléphone"), max_length=20, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    address = models.CharField(_("adresse"), max_length=255, blank=True)
    latitude = models.DecimalField(
        _("latitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    longitude = models.DecimalField(
        _("longitude"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
    )
    sponsor = models.ForeignKey(
        Partner,
        verbose_name=_("parrain"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
    )
    search_text = models.CharField(max_length=400, editable=False, default="")
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    history = HistoricalRecords(get_user=history_user)

    class Meta:
        verbose_name = _("coopérative")
        verbose_name_plural = _("coopératives")
        ordering = ["name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["registration_number"],
                name="cooperative_registration_number_unique",
                condition=models.Q(registration_number__isnull=False),
            ),
        ]
        indexes = [
            models.Index(fields=["stage"]),
            models.Index(fields=["legal_form"]),
            models.Index(fields=["created_at"]),
        ]

    def __str__(self) -> str:
        return self.name


class StageTransition(models.Model):
    """A dated step of a cooperative along its lifecycle (append-only)."""

    cooperative = models.ForeignKey(
        Cooperative, on_delete=models.CASCADE, related_name="transitions"
    )
    from_stage = models.CharField(max_length=16, choices=Stage.choices, blank=True)
    to_stage = models.CharField(max_length=16, choices=Stage.choices)
    on = models.DateField(_("date"))
    note = models.CharField(_("note"), max_length=255, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("changement d'étape")
        verbose_name_plural = _("changements d'étape")
        ordering = ["on", "id"]

    def __str__(self) -> str:
        return f"{self.cooperative} → {self.to_stage} ({self.on})"


class Sex(models.TextChoices):
    F = "F", _("femme")
    M = "M", _("homme")


class EducationLevel(models.TextChoices):
    NONE = "aucun", _("aucun")
    KORANIC = "coranique", _("école coranique")
    PRIMARY = "primaire", _("primaire")
    SECONDARY = "secondaire", _("secondaire")
    HIGHER = "superieur", _("supérieur")
    LITERACY = "alphabetisation", _("alphabétisation fonctionnelle")


class Person(models.Model):
    first_name = models.CharField(_("prénom"), max_length=100)
    last_name = models.CharField(_("nom"), max_length=100)
    sex = models.CharField(_("sexe"), max_length=1, choices=Sex.choices)
    birth_date = models.DateField(_("date de naissance"), null=True, blank=True)
    phone = models.CharField(_("téléphone"), max_length=20, blank=True, db_index=True)
    national_id = models.CharField(
        _("numéro de CNI"),
        max_length=32,
        null=True,
        blank=True,
        db_index=True,
    )
    commune = models.ForeignKey(
        "geo.Area",
        verbose_name=_("commune"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="persons",
    )
    disability = models.BooleanField(_("situation de handicap"), default=False)
    education_level = models.CharField(
        _("niveau d'instruction"),
        max_length=16,
        choices=EducationLevel.choices,
        blank=True,
    )
    merged_into = models.ForeignKey(
        "self",
        verbose_name=_("fusionnée dans"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="merged_from",
    )
    search_text = models.CharField(max_length=300, editable=False, default="")
    identity_key = models.CharField(max_length=200, editable=False, default="", db_index=True)
    # who may see the person, as words (registry.scope_text): written by the services
    scope_text = models.TextField(editable=False, default="")
    created_at = models.DateTimeField(auto_now_add=True)
    # Whoever entered the person sees them, before any membership links them to a scope.
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    history = HistoricalRecords(get_user=history_user, excluded_fields=["scope_text"])

    class Meta:
        verbose_name = _("personne")
        verbose_name_plural = _("personnes")
        ordering = ["last_name", "first_name", "id"]

    def __str__(self) -> str:
        return f"{self.first_name} {self.last_name}"


class DuplicateDismissal(models.Model):
    """Two person records checked and found to be two different people ("not a duplicate"):
    the pair is no longer proposed for merging. ``person_low`` has the smaller id."""

    person_low = models.ForeignKey(
        Person, verbose_name=_("personne"), on_delete=models.PROTECT, related_name="+"
    )
    person_high = models.ForeignKey(
        Person, verbose_name=_("autre personne"), on_delete=models.PROTECT, related_name="+"
    )
    reason = models.CharField(_("motif"), max_length=255)
    dismissed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("écarté par"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    dismissed_at = models.DateTimeField(_("écarté le"), auto_now_add=True)
    history = HistoricalRecords(get_user=history_user)

    class Meta:
        verbose_name = _("doublon écarté")
        verbose_name_plural = _("doublons écartés")
        constraints = [
            models.UniqueConstraint(
                fields=["person_low", "person_high"], name="duplicate_dismissed_once"
            ),
            models.CheckConstraint(
                name="duplicate_dismissal_ordered",
                condition=models.Q(person_low__lt=models.F("person_high")),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person_low_id} ≠ {self.person_high_id}"


class MemberRole(models.TextChoices):
    PRESIDENT = "president", _("président(e)")
    VICE_PRESIDENT = "vice_president", _("vice-président(e)")
    SECRETAIRE = "secretaire", _("secrétaire")
    TRESORIER = "tresorier", _("trésorier(ère)")
    MEMBRE = "membre", _("membre")
    SURVEILLANCE = "surveillance", _("commission de surveillance")


class MembershipStatus(models.TextChoices):
    ACTIVE = "active", _("actif")
    SUSPENDED = "suspended", _("suspendu")
    LEFT = "left", _("sorti")


class Membership(models.Model):
    cooperative = models.ForeignKey(
        Cooperative, on_delete=models.PROTECT, related_name="memberships"
    )
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="memberships")
    joined_on = models.DateField(_("date d'adhésion"))
    left_on = models.DateField(_("date de sortie"), null=True, blank=True)
    role = models.CharField(
        _("rôle"), max_length=16, choices=MemberRole.choices, default=MemberRole.MEMBRE
    )
    status = models.CharField(
        _("statut"),
        max_length=12,
        choices=MembershipStatus.choices,
        default=MembershipStatus.ACTIVE,
    )
    history = HistoricalRecords(get_user=history_user)

    class Meta:
        verbose_name = _("adhésion")
        verbose_name_plural = _("adhésions")
        ordering = ["cooperative", "person"]
        constraints = [
            models.UniqueConstraint(
                fields=["cooperative", "person"],
                name="membership_one_active_per_person",
                condition=models.Q(status="active"),
            ),
        ]
        indexes = [models.Index(fields=["cooperative", "status"])]

    def __str__(self) -> str:
        return f"{self.person} · {self.cooperative}"


class ContractType(models.TextChoices):
    CDI = "cdi", _("contrat écrit à durée indéterminée")
    CDD = "cdd", _("contrat écrit à durée déterminée")
    SEASONAL = "saisonnier", _("saisonnier (écrit)")
    VERBAL = "verbal", _("accord verbal")
    NONE = "aucun", _("sans contrat")


class Employment(models.Model):
    """A job held in a cooperative (feeds the decent-jobs target)."""

    cooperative = models.ForeignKey(Cooperative, on_delete=models.PROTECT, related_name="jobs")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="jobs")
    job_title = models.CharField(_("poste"), max_length=120)
    contract_type = models.CharField(
        _("type de contrat"), max_length=12, choices=ContractType.choices
    )
    started_on = models.DateField(_("début"))
    ended_on = models.DateField(_("fin"), null=True, blank=True)
    monthly_pay = models.PositiveBigIntegerField(_("salaire mensuel (F CFA)"), default=0)
    social_security = models.BooleanField(_("immatriculé(e) à la sécurité sociale"), default=False)
    history = HistoricalRecords(get_user=history_user)

    class Meta:
        verbose_name = _("emploi")
        verbose_name_plural = _("emplois")
        ordering = ["-started_on", "id"]

    def __str__(self) -> str:
        return f"{self.job_title} · {self.person}"


class CorrectionChannel(models.TextChoices):
    IN_PERSON = "in_person", _("en personne")
    PHONE = "phone", _("par téléphone")
    LETTER = "letter", _("par courrier")
    EMAIL = "email", _("par courriel")
    SMS = "sms", _("par SMS")


class CorrectionRequester(models.TextChoices):
    SELF = "self", _("la personne elle-même")
    REPRESENTATIVE = "representative", _("son représentant")


class CorrectionStatus(models.TextChoices):
    OPEN = "open", _("ouverte")
    ACCEPTED = "accepted", _("acceptée")
    REFUSED = "refused", _("refusée")


class CorrectionRequest(models.Model):
    """A person's request to correct their personal data (law 2008-12, issue 14 point 5),
    received by an agent or an officer and recorded here; accepting it applies the change
    through ``registry.services.person_update`` (docs/personal-data.md)."""

    person = models.ForeignKey(
        Person,
        verbose_name=_("personne"),
        on_delete=models.PROTECT,
        related_name="correction_requests",
    )
    asked_by = models.CharField(
        _("demandée par"),
        max_length=16,
        choices=CorrectionRequester.choices,
        default=CorrectionRequester.SELF,
    )
    representative_name = models.CharField(_("nom du représentant"), max_length=200, blank=True)
    channel = models.CharField(_("canal"), max_length=16, choices=CorrectionChannel.choices)
    received_on = models.DateField(_("reçue le"))
    # {"field": "requested value"}: the person's fields, as text (a commune by its code,
    # a date as AAAA-MM-JJ, the handicap as true/false).
    changes = models.JSONField(_("modifications demandées"), default=dict, blank=True)
    details = models.TextField(_("précisions"), blank=True)
    status = models.CharField(
        _("statut"),
        max_length=12,
        choices=CorrectionStatus.choices,
        default=CorrectionStatus.OPEN,
        db_index=True,
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("enregistrée par"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("enregistrée le"), auto_now_add=True)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("traitée par"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    handled_at = models.DateTimeField(_("traitée le"), null=True, blank=True)
    decision_reason = models.TextField(_("motif de la décision"), blank=True)
    # {"field": {"old": ..., "new": ...}}: what accepting it changed on the person.
    applied = models.JSONField(_("modifications appliquées"), default=dict, blank=True)
    history = HistoricalRecords(get_user=history_user)

    class Meta:
        verbose_name = _("demande de rectification")
        verbose_name_plural = _("demandes de rectification")
        ordering = ["-received_on", "-id"]
        constraints = [
            models.CheckConstraint(
                name="correction_request_status_valid",
                condition=models.Q(status__in=["open", "accepted", "refused"]),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} · {self.received_on:%d/%m/%Y}"
