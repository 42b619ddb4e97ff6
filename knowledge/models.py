"""Knowledge shared between the network's countries (docs/knowledge.md): a library of
practices, case studies and tools tagged by country, sector and theme, each in one or
more languages (one version per language); questions asked by one country's members and
answered by other countries' members. Public reading; members of approved organisations
write; the moderators of the country (and the network's administrators) moderate."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.audit import history_user
from network.models import Sector


class Kind(models.TextChoices):
    PRACTICE = "practice", _("bonne pratique")
    CASE_STUDY = "case_study", _("étude de cas")
    TOOL = "tool", _("outil")


class Theme(models.TextChoices):
    SOCIAL_PROTECTION = "social_protection", _("protection sociale et assurance maladie")
    FINANCE = "finance", _("financement, épargne et crédit")
    GOVERNANCE = "governance", _("gouvernance et vie démocratique")
    MARKETS = "markets", _("accès aux marchés et filières")
    SKILLS = "skills", _("formation et compétences")
    WOMEN_YOUTH = "women_youth", _("femmes et jeunes")
    CLIMATE = "climate", _("environnement et climat")
    POLICY = "policy", _("politiques publiques et droit de l'ESS")


class Language(models.TextChoices):
    FR = "fr", "français"
    EN = "en", "English"
    PT = "pt", "português"
    AR = "ar", "العربية"
    SW = "sw", "Kiswahili"
    WO = "wo", "wolof"
    BM = "bm", "bamanankan"


class Status(models.TextChoices):
    PENDING = "pending", _("en attente de modération")
    PUBLISHED = "published", _("publiée")
    HIDDEN = "hidden", _("retirée par la modération")


class Item(models.Model):
    """A library item, written by an approved organisation; public once published."""

    organisation = models.ForeignKey(
        "network.Organisation", on_delete=models.PROTECT, related_name="knowledge_items"
    )
    kind = models.CharField(_("type"), max_length=12, choices=Kind.choices)
    country = models.CharField(_("pays concerné"), max_length=2, db_index=True)
    sector = models.CharField(_("secteur"), max_length=20, choices=Sector.choices)
    theme = models.CharField(_("thème"), max_length=20, choices=Theme.choices)
    original_language = models.CharField(
        _("langue d'origine"), max_length=2, choices=Language.choices
    )
    status = models.CharField(
        _("statut"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    moderation_reason = models.CharField(_("motif de la décision"), max_length=500, blank=True)
    moderated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    moderated_at = models.DateTimeField(_("modérée le"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("proposée le"))
    search_text = models.TextField(editable=False, default="")
    history = HistoricalRecords(get_user=history_user)

    class Meta:
        verbose_name = _("fiche de savoir")
        verbose_name_plural = _("fiches de savoir")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["status", "country"], name="knowledge_status_country")]

    def __str__(self) -> str:
        return f"S-{self.pk}"


class Version(models.Model):
    """The item in one language (title, summary, Markdown body)."""

    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="versions")
    language = models.CharField(_("langue"), max_length=2, choices=Language.choices)
    title = models.CharField(_("titre"), max_length=200)
    summary = models.CharField(_("résumé"), max_length=500)
    body = models.TextField(_("texte (Markdown)"), max_length=20000)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    updated_at = models.DateTimeField(_("modifiée le"), auto_now=True)
    history = HistoricalRecords(get_user=history_user)

    class Meta:
        verbose_name = _("version linguistique")
        verbose_name_plural = _("versions linguistiques")
        ordering = ["language"]
        constraints = [
            models.UniqueConstraint(fields=["item", "language"], name="knowledge_version_once")
        ]

    def __str__(self) -> str:
        return f"{self.item} · {self.language}"


class Visibility(models.TextChoices):
    VISIBLE = "visible", _("visible")
    HIDDEN = "hidden", _("masquée par la modération")


class Question(models.Model):
    """A question asked by an organisation's members (its country is the organisation's),
    addressed to every country or to one (``to_country``)."""

    organisation = models.ForeignKey(
        "network.Organisation", on_delete=models.PROTECT, related_name="knowledge_questions"
    )
    country = models.CharField(_("pays de la question"), max_length=2, db_index=True)
    to_country = models.CharField(_("adressée à"), max_length=2, blank=True)
    sector = models.CharField(_("secteur"), max_length=20, choices=Sector.choices)
    theme = models.CharField(_("thème"), max_length=20, choices=Theme.choices)
    title = models.CharField(_("question"), max_length=200)
    body = models.TextField(_("précisions"), max_length=5000)
    status = models.CharField(
        _("visibilité"), max_length=8, choices=Visibility.choices, default=Visibility.VISIBLE
    )
    moderation_reason = models.CharField(_("motif de la décision"), max_length=500, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("posée le"))
    search_text = models.TextField(editable=False, default="")
    history = HistoricalRecords(get_user=history_user)

    class Meta:
        verbose_name = _("question entre pays")
        verbose_name_plural = _("questions entre pays")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"Q-{self.pk}"


class Answer(models.Model):
    """An answer, by an organisation's member; ``country`` is the answering
    organisation's, so that an exchange between two countries is counted."""

    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="answers")
    organisation = models.ForeignKey(
        "network.Organisation", on_delete=models.PROTECT, related_name="knowledge_answers"
    )
    country = models.CharField(_("pays de la réponse"), max_length=2)
    body = models.TextField(_("réponse"), max_length=5000)
    status = models.CharField(
        _("visibilité"), max_length=8, choices=Visibility.choices, default=Visibility.VISIBLE
    )
    moderation_reason = models.CharField(_("motif de la décision"), max_length=500, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("répondue le"))
    history = HistoricalRecords(get_user=history_user)

    class Meta:
        verbose_name = _("réponse")
        verbose_name_plural = _("réponses")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.question} · R-{self.pk}"
