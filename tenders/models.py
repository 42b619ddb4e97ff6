"""Calls for tenders of the African ESS network (docs/tenders.md): a buyer (the network, a
partner, a ministry: an organisation of the directory) publishes a call for studies with
documents, public questions and answers, a grid of criteria and a deadline; organisations
submit offers that stay SEALED until the deadline; then named evaluators who declared no
conflict of interest score them on the grid; the buyer awards with reasons and every
submitter is notified."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.audit import history_user
from network.models import Sector


class BuyerKind(models.TextChoices):
    NETWORK = "network", _("le réseau")
    PARTNER = "partner", _("un partenaire")
    MINISTRY = "ministry", _("un ministère")


class Tender(models.Model):
    """A call for tenders. Its public ``status`` (open, evaluation, awarded) follows from
    the deadline and the award (selectors.tender_status)."""

    buyer = models.ForeignKey(
        "network.Organisation", on_delete=models.PROTECT, related_name="tenders"
    )
    buyer_kind = models.CharField(_("acheteur"), max_length=10, choices=BuyerKind.choices)
    title = models.CharField(_("titre"), max_length=200)
    description = models.TextField(_("description (Markdown)"), max_length=10000)
    country = models.CharField(_("pays"), max_length=2, db_index=True)
    sector = models.CharField(_("secteur"), max_length=20, choices=Sector.choices)
    budget = models.PositiveBigIntegerField(_("budget indicatif (F CFA)"), default=0)
    deadline = models.DateTimeField(_("date limite de dépôt"))
    award = models.OneToOneField(
        "Submission", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    award_reasons = models.TextField(_("motifs de l'attribution"), max_length=3000, blank=True)
    awarded_at = models.DateTimeField(_("attribué le"), null=True, blank=True)
    search_text = models.TextField(editable=False, default="")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("publié le"), auto_now_add=True)
    history = HistoricalRecords(get_user=history_user)

    class Meta:
        verbose_name = _("appel d'offres")
        verbose_name_plural = _("appels d'offres")
        ordering = ["-deadline", "-id"]

    def __str__(self) -> str:
        return self.title


class Criterion(models.Model):
    """A line of the evaluation grid; the weights of a tender sum to 100."""

    tender = models.ForeignKey(Tender, on_delete=models.CASCADE, related_name="criteria")
    name = models.CharField(_("critère"), max_length=200)
    weight = models.PositiveSmallIntegerField(_("poids (%)"))
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("critère d'évaluation")
        verbose_name_plural = _("critères d'évaluation")
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return f"{self.name} ({self.weight} %)"


class TenderDocument(models.Model):
    """A document of the call (terms of reference...), public; stored in the database."""

    tender = models.ForeignKey(Tender, on_delete=models.CASCADE, related_name="documents")
    title = models.CharField(_("titre"), max_length=200)
    filename = models.CharField(_("fichier"), max_length=120)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField(_("taille (octets)"))
    data = models.BinaryField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("document d'appel d'offres")
        verbose_name_plural = _("documents d'appels d'offres")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.title


class Question(models.Model):
    """A question asked before the deadline; its answer is published to everyone (the
    asker's name is not)."""

    tender = models.ForeignKey(Tender, on_delete=models.CASCADE, related_name="questions")
    asked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    body = models.TextField(_("question"), max_length=2000)
    answer = models.TextField(_("réponse"), max_length=4000, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    answered_at = models.DateTimeField(_("répondue le"), null=True, blank=True)
    created_at = models.DateTimeField(_("posée le"), auto_now_add=True)
    history = HistoricalRecords(get_user=history_user)

    class Meta:
        verbose_name = _("question sur un appel d'offres")
        verbose_name_plural = _("questions sur les appels d'offres")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return self.body[:60]


class Submission(models.Model):
    """An organisation's offer: one per organisation and tender, replaceable until the
    deadline; sealed until then (selectors.submission_list)."""

    tender = models.ForeignKey(Tender, on_delete=models.PROTECT, related_name="submissions")
    organisation = models.ForeignKey(
        "network.Organisation", on_delete=models.PROTECT, related_name="tender_submissions"
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    summary = models.TextField(_("offre technique (résumé)"), max_length=5000)
    price = models.PositiveBigIntegerField(_("prix proposé (F CFA)"))
    filename = models.CharField(_("fichier"), max_length=120, blank=True)
    content_type = models.CharField(max_length=100, blank=True)
    size = models.PositiveIntegerField(default=0)
    data = models.BinaryField(default=b"")
    submitted_at = models.DateTimeField(_("déposée le"))
    history = HistoricalRecords(get_user=history_user, excluded_fields=["data"])

    class Meta:
        verbose_name = _("offre")
        verbose_name_plural = _("offres")
        ordering = ["submitted_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["tender", "organisation"], name="tender_offer_once")
        ]

    def __str__(self) -> str:
        return f"{self.organisation} · {self.tender}"


class Evaluator(models.Model):
    """A named evaluator. They see and score the offers only once they declared, after the
    deadline, that they have no conflict of interest with any submitter."""

    tender = models.ForeignKey(Tender, on_delete=models.CASCADE, related_name="evaluators")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="tender_evaluations"
    )
    appointed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    declared_at = models.DateTimeField(_("absence de conflit déclarée le"), null=True, blank=True)
    declaration = models.CharField(_("déclaration"), max_length=500, blank=True)
    history = HistoricalRecords(get_user=history_user)

    class Meta:
        verbose_name = _("évaluateur")
        verbose_name_plural = _("évaluateurs")
        constraints = [
            models.UniqueConstraint(fields=["tender", "user"], name="tender_evaluator_once")
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.tender}"


class Score(models.Model):
    """One evaluator's score (0 to 10) of one offer on one criterion."""

    evaluator = models.ForeignKey(Evaluator, on_delete=models.CASCADE, related_name="scores")
    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey(Criterion, on_delete=models.CASCADE, related_name="scores")
    score = models.PositiveSmallIntegerField(_("note (0 à 10)"))
    comment = models.CharField(_("commentaire"), max_length=500, blank=True)
    history = HistoricalRecords(get_user=history_user)

    class Meta:
        verbose_name = _("note")
        verbose_name_plural = _("notes")
        constraints = [
            models.UniqueConstraint(
                fields=["evaluator", "submission", "criterion"], name="tender_score_once"
            ),
            models.CheckConstraint(condition=models.Q(score__lte=10), name="tender_score_max"),
        ]

    def __str__(self) -> str:
        return f"{self.criterion_id}: {self.score}"


class Notice(models.Model):
    """An in-app notice to a submitting organisation (the award's outcome), also e-mailed."""

    tender = models.ForeignKey(Tender, on_delete=models.CASCADE, related_name="notices")
    organisation = models.ForeignKey(
        "network.Organisation", on_delete=models.CASCADE, related_name="tender_notices"
    )
    won = models.BooleanField(_("offre retenue"))
    body = models.TextField(_("avis"), max_length=4000)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("avis d'attribution")
        verbose_name_plural = _("avis d'attribution")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["tender", "organisation"], name="tender_notice_once")
        ]

    def __str__(self) -> str:
        return f"{self.organisation} · {self.tender}"
