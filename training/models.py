"""Training (ILO Think.COOP / Start.COOP / My.COOP) and personal follow-up of cooperatives.

Writes go through ``training.services``; reads through ``training.selectors``.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.audit import history_user
from registry.models import Stage


class Programme(models.TextChoices):
    """The ILO tools, in the order a cooperative goes through them."""

    THINK = "think", _("Think.COOP (sensibilisation)")
    START = "start", _("Start.COOP (création)")
    MY = "my", _("My.COOP / Manage.COOP (gestion)")


PROGRAMME_ORDER = [Programme.THINK, Programme.START, Programme.MY]


class Module(models.Model):
    """One module of the catalogue (seeded by a data migration, edited by the national role)."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    programme = models.CharField(_("programme"), max_length=8, choices=Programme.choices)
    title = models.CharField(_("intitulé"), max_length=160)
    description = models.TextField(_("description"), blank=True)
    position = models.PositiveSmallIntegerField(_("ordre"), default=0)
    duration_days = models.PositiveSmallIntegerField(_("durée (jours)"))
    audience = models.CharField(_("public"), max_length=200)
    active = models.BooleanField(_("actif"), default=True)
    history = HistoricalRecords(get_user=history_user)

    class Meta:
        verbose_name = _("module de formation")
        verbose_name_plural = _("modules de formation")
        ordering = ["programme", "position", "id"]
        constraints = [
            models.CheckConstraint(
                name="module_duration_positive", condition=models.Q(duration_days__gte=1)
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_programme_display().split(' ')[0]} · {self.title}"


class TrainerKind(models.TextChoices):
    AGENT = "agent", _("agent du ministère")
    PARTNER = "partner", _("partenaire")


class Trainer(models.Model):
    """A person who may lead sessions: a ministry agent (often a user) or a partner's trainer."""

    name = models.CharField(_("nom"), max_length=160)
    kind = models.CharField(_("type"), max_length=8, choices=TrainerKind.choices)
    organisation = models.CharField(_("organisation"), max_length=160, blank=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("utilisateur"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="trainer",
    )
    person = models.ForeignKey(
        "registry.Person",
        verbose_name=_("personne"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="trainer_profiles",
    )
    phone = models.CharField(_("téléphone"), max_length=20, blank=True)
    active = models.BooleanField(_("actif"), default=True)
    search_text = models.CharField(max_length=400, editable=False, default="")
    history = HistoricalRecords(get_user=history_user)

    class Meta:
        verbose_name = _("formateur")
        verbose_name_plural = _("formateurs")
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return self.name


class SessionKind(models.TextChoices):
    REGULAR = "regular", _("session de formation")
    TOT = "tot", _("formation de formateurs")


class Session(models.Model):
    module = models.ForeignKey(
        Module, verbose_name=_("module"), on_delete=models.PROTECT, related_name="sessions"
    )
    kind = models.CharField(
        _("type"), max_length=8, choices=SessionKind.choices, default=SessionKind.REGULAR
    )
    commune = models.ForeignKey(
        "geo.Area",
        verbose_name=_("commune"),
        on_delete=models.PROTECT,
        related_name="training_sessions",
    )
    venue = models.CharField(_("lieu"), max_length=200, blank=True)
    starts_on = models.DateField(_("début"))
    ends_on = models.DateField(_("fin"))
    trainers = models.ManyToManyField(
        Trainer, verbose_name=_("formateurs"), related_name="sessions", blank=True
    )
    notes = models.TextField(_("notes"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords(get_user=history_user, m2m_fields=[trainers])

    class Meta:
        verbose_name = _("session de formation")
        verbose_name_plural = _("sessions de formation")
        ordering = ["-starts_on", "-id"]
        constraints = [
            models.CheckConstraint(
                name="session_ends_after_start",
                condition=models.Q(ends_on__gte=models.F("starts_on")),
            ),
        ]
        indexes = [models.Index(fields=["starts_on"])]

    def __str__(self) -> str:
        return f"{self.module.title} · {self.commune.name} · {self.starts_on:%d/%m/%Y}"

    @property
    def days(self) -> list:
        import datetime

        n = (self.ends_on - self.starts_on).days + 1
        return [self.starts_on + datetime.timedelta(days=i) for i in range(n)]


class Participant(models.Model):
    """A person enrolled in a session; ``cooperative`` is the one they were a member of then.

    ``completed`` (present every day of the session) is derived by the attendance services.
    """

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="participants")
    person = models.ForeignKey(
        "registry.Person",
        verbose_name=_("personne"),
        on_delete=models.PROTECT,
        related_name="training_participations",
    )
    cooperative = models.ForeignKey(
        "registry.Cooperative",
        verbose_name=_("coopérative"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="training_participations",
    )
    completed = models.BooleanField(_("formation achevée"), default=False, editable=False)
    evaluation_score = models.PositiveSmallIntegerField(
        _("note d'évaluation (sur 20)"), null=True, blank=True
    )
    history = HistoricalRecords(get_user=history_user)

    class Meta:
        verbose_name = _("participant(e)")
        verbose_name_plural = _("participant(e)s")
        ordering = ["person__last_name", "person__first_name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["session", "person"], name="participant_once"),
            models.CheckConstraint(
                name="participant_score_0_20",
                condition=models.Q(evaluation_score__isnull=True)
                | models.Q(evaluation_score__lte=20),
            ),
        ]
        indexes = [models.Index(fields=["cooperative", "completed"])]

    def __str__(self) -> str:
        return f"{self.person} · {self.session}"


class Attendance(models.Model):
    participant = models.ForeignKey(
        Participant, on_delete=models.CASCADE, related_name="attendances"
    )
    day = models.DateField(_("jour"))
    present = models.BooleanField(_("présent(e)"))
    history = HistoricalRecords(get_user=history_user)

    class Meta:
        verbose_name = _("présence")
        verbose_name_plural = _("présences")
        ordering = ["day", "id"]
        constraints = [
            models.UniqueConstraint(fields=["participant", "day"], name="attendance_once_a_day"),
        ]

    def __str__(self) -> str:
        return f"{self.participant.person} · {self.day:%d/%m/%Y}"


class Certification(models.Model):
    """A trainer certified to lead a module, usually at the end of a training of trainers."""

    trainer = models.ForeignKey(Trainer, on_delete=models.PROTECT, related_name="certifications")
    module = models.ForeignKey(Module, on_delete=models.PROTECT, related_name="certifications")
    certified_on = models.DateField(_("certifié(e) le"))
    tot_session = models.ForeignKey(
        Session,
        verbose_name=_("formation de formateurs"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="certifications",
    )
    history = HistoricalRecords(get_user=history_user)

    class Meta:
        verbose_name = _("certification de formateur")
        verbose_name_plural = _("certifications de formateurs")
        ordering = ["trainer", "module"]
        constraints = [
            models.UniqueConstraint(fields=["trainer", "module"], name="certification_once"),
        ]

    def __str__(self) -> str:
        return f"{self.trainer} · {self.module}"


class Visit(models.Model):
    """A field visit to a cooperative."""

    cooperative = models.ForeignKey(
        "registry.Cooperative",
        verbose_name=_("coopérative"),
        on_delete=models.PROTECT,
        related_name="visits",
    )
    visited_on = models.DateField(_("date de la visite"))
    purpose = models.CharField(_("objet"), max_length=200)
    findings = models.TextField(_("constats"), blank=True)
    visitor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("visiteur"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # Where the visitor stood, from the phone's GPS (the field app, docs/offline.md).
    latitude = models.DecimalField(
        _("latitude"), max_digits=8, decimal_places=5, null=True, blank=True
    )
    longitude = models.DecimalField(
        _("longitude"), max_digits=8, decimal_places=5, null=True, blank=True
    )
    position_accuracy = models.PositiveIntegerField(
        _("précision de la position (m)"), null=True, blank=True
    )
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords(get_user=history_user)

    class Meta:
        verbose_name = _("visite de terrain")
        verbose_name_plural = _("visites de terrain")
        ordering = ["-visited_on", "-id"]
        indexes = [models.Index(fields=["cooperative", "visited_on"])]

    def __str__(self) -> str:
        return f"{self.cooperative} · {self.visited_on:%d/%m/%Y}"


class VisitPhoto(models.Model):
    """The photo taken at a visit, compressed on the phone (JPEG or WebP, a few hundred KB),
    kept in the database and served only to who may see the visit
    (``training:visit_photo``). Written once with its visit, never edited."""

    visit = models.OneToOneField(Visit, on_delete=models.CASCADE, related_name="photo")
    content_type = models.CharField(_("type"), max_length=20)
    data = models.BinaryField(_("image"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("photo de visite")
        verbose_name_plural = _("photos de visite")

    def __str__(self) -> str:
        return f"{self.visit} · {self.content_type}"


class VisitAction(models.Model):
    """An action agreed at a visit, with who does it and by when."""

    visit = models.ForeignKey(Visit, on_delete=models.CASCADE, related_name="actions")
    cooperative = models.ForeignKey(
        "registry.Cooperative", on_delete=models.PROTECT, related_name="visit_actions"
    )
    description = models.CharField(_("action"), max_length=255)
    owner = models.CharField(_("responsable"), max_length=120)
    due_on = models.DateField(_("échéance"))
    done_on = models.DateField(_("réalisée le"), null=True, blank=True)
    history = HistoricalRecords(get_user=history_user)

    class Meta:
        verbose_name = _("action de suivi")
        verbose_name_plural = _("actions de suivi")
        ordering = ["due_on", "id"]
        indexes = [models.Index(fields=["done_on", "due_on"])]

    def __str__(self) -> str:
        return self.description

    def status(self, as_of) -> str:
        if self.done_on:
            return "done"
        return "overdue" if self.due_on < as_of else "open"


DIAGNOSTIC_AXES = ["governance", "bookkeeping", "production", "market", "finance"]
SCORE_MAX = 4


def _score(label):
    return models.PositiveSmallIntegerField(label)


class Diagnostic(models.Model):
    """The diagnostic grid scored at a visit: each axis 0 (absent) to 4 (solid)."""

    visit = models.OneToOneField(Visit, on_delete=models.CASCADE, related_name="diagnostic")
    cooperative = models.ForeignKey(
        "registry.Cooperative", on_delete=models.PROTECT, related_name="diagnostics"
    )
    governance = _score(_("gouvernance"))
    bookkeeping = _score(_("tenue des comptes"))
    production = _score(_("production"))
    market = _score(_("accès au marché"))
    finance = _score(_("finances"))
    history = HistoricalRecords(get_user=history_user)

    class Meta:
        verbose_name = _("diagnostic")
        verbose_name_plural = _("diagnostics")
        ordering = ["-visit__visited_on", "-id"]
        constraints = [
            models.CheckConstraint(
                name=f"diagnostic_{axis}_0_4", condition=models.Q(**{f"{axis}__lte": SCORE_MAX})
            )
            for axis in DIAGNOSTIC_AXES
        ]

    def __str__(self) -> str:
        return f"{self.visit}"

    @property
    def total(self) -> int:
        return sum(getattr(self, a) for a in DIAGNOSTIC_AXES)


class SupportPlan(models.Model):
    """The personal support plan of one cooperative, from creation to consolidation."""

    cooperative = models.OneToOneField(
        "registry.Cooperative",
        verbose_name=_("coopérative"),
        on_delete=models.PROTECT,
        related_name="support_plan",
    )
    objectives = models.TextField(_("objectifs"))
    planned_support = models.TextField(_("appuis prévus"), blank=True)
    target_stage = models.CharField(
        _("étape visée"), max_length=16, choices=Stage.choices, blank=True
    )
    review_on = models.DateField(_("prochaine revue"), null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    history = HistoricalRecords(get_user=history_user)

    class Meta:
        verbose_name = _("plan d'accompagnement")
        verbose_name_plural = _("plans d'accompagnement")

    def __str__(self) -> str:
        return f"{self.cooperative}"
