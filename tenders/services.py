"""Every write of the calls for tenders (docs/tenders.md). Times are parameters (``now``)
so that the deadline rule is tested at any instant; by default, the present."""

from __future__ import annotations

import datetime

from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.errors import Conflict, Forbidden, NotFound, ValidationFailed
from core.money import format_xof
from core.services import service
from core.text import fold
from network.countries import country_name, is_african
from network.models import Organisation, OrgStatus, Sector
from network.rules import network_scope
from tenders import rules, selectors
from tenders.documents import CleanFile
from tenders.errors import Code
from tenders.models import (
    BuyerKind,
    Criterion,
    Evaluator,
    Notice,
    Question,
    Score,
    Submission,
    Tender,
    TenderDocument,
)

MAX_CRITERIA = 10
MAX_DAYS_AHEAD = 365


def _required(value, field: str) -> str:
    value = str(value or "").strip()
    if not value:
        raise ValidationFailed(_("Ce champ est obligatoire."), code=Code.REQUIRED, field=field)
    return value


def _now(now) -> datetime.datetime:
    return now or timezone.now()


def check_criteria(criteria) -> list[tuple[str, int]]:
    """1 to 10 criteria, each named, weights whole percents summing to exactly 100."""
    rows = []
    for item in criteria or []:
        name, weight = (item.get("name"), item.get("weight")) if isinstance(item, dict) else item
        name = _required(name, "criteria")[:200]
        if isinstance(weight, bool) or not isinstance(weight, int) or not 1 <= weight <= 100:
            raise ValidationFailed(
                _("Chaque poids est un nombre entier de 1 à 100."),
                code=Code.INVALID,
                field="criteria",
            )
        rows.append((name, weight))
    if not 1 <= len(rows) <= MAX_CRITERIA:
        raise ValidationFailed(
            _("De 1 à %(n)s critères.") % {"n": MAX_CRITERIA}, code=Code.INVALID, field="criteria"
        )
    if sum(w for _n, w in rows) != 100:
        raise ValidationFailed(
            _("Les poids des critères doivent faire 100 %% (ils font %(total)s %%).")
            % {"total": sum(w for _n, w in rows)},
            code=Code.WEIGHTS_NOT_100,
            field="criteria",
        )
    return rows


@service(texts=(Tender,), amounts=("budget",))
def tender_publish(
    *,
    actor,
    buyer: Organisation,
    buyer_kind: str,
    title: str,
    description: str,
    country: str,
    sector: str,
    deadline: datetime.datetime,
    criteria,
    budget: int = 0,
    now=None,
) -> Tender:
    """The buyer's accounts (or an administrator, for the network) publish a call."""
    now = _now(now)
    if not rules.can_publish_for(actor, buyer):
        raise Forbidden(_("Seuls les comptes de l'acheteur publient ses appels d'offres."))
    buyer = Organisation.objects.get(pk=buyer.pk)
    if buyer.status != OrgStatus.APPROVED:
        raise Conflict(_("L'organisation n'est pas encore publiée."), code=Code.NOT_APPROVED)
    if buyer_kind not in BuyerKind.values:
        raise ValidationFailed(_("Valeur inconnue."), code=Code.INVALID_CHOICE, field="buyer_kind")
    if sector not in Sector.values:
        raise ValidationFailed(_("Valeur inconnue."), code=Code.INVALID_CHOICE, field="sector")
    country = str(country or "").upper()
    if not is_african(country):
        raise ValidationFailed(
            _("Un pays d'Afrique (code ISO 3166-1 à deux lettres)."),
            code=Code.INVALID_COUNTRY,
            field="country",
        )
    _check_deadline(deadline, now)
    rows = check_criteria(criteria)
    tender = Tender.objects.create(
        buyer=buyer,
        buyer_kind=buyer_kind,
        title=_required(title, "title"),
        description=_required(description, "description"),
        country=country,
        sector=sector,
        budget=budget,
        deadline=deadline,
        created_by=actor,
        search_text=fold(
            title, buyer.name, country_name(country, "fr"), country_name(country, "en")
        ),
    )
    Criterion.objects.bulk_create(
        [Criterion(tender=tender, name=n, weight=w, position=i) for i, (n, w) in enumerate(rows)]
    )
    return tender


def _check_deadline(deadline, now) -> None:
    if not isinstance(deadline, datetime.datetime) or timezone.is_naive(deadline):
        raise ValidationFailed(_("Date et heure invalides."), code=Code.INVALID, field="deadline")
    if deadline <= now:
        raise ValidationFailed(
            _("La date limite doit être dans le futur."), code=Code.DEADLINE_PAST, field="deadline"
        )
    if deadline > now + datetime.timedelta(days=MAX_DAYS_AHEAD):
        raise ValidationFailed(
            _("La date limite est à plus d'un an."), code=Code.OUT_OF_RANGE, field="deadline"
        )


def _buyer_before_deadline(actor, tender: Tender, now) -> Tender:
    tender = Tender.objects.select_for_update().get(pk=tender.pk)
    if not rules.is_buyer(actor, tender):
        raise Forbidden(_("Seuls les comptes de l'acheteur modifient cet appel d'offres."))
    if not selectors.is_sealed(tender, now):
        raise Conflict(_("La date limite est passée."), code=Code.DEADLINE_PASSED)
    return tender


@service(texts=((TenderDocument, {"title": "title"}),))
def tender_document_add(
    *, actor, tender: Tender, title: str, file: CleanFile, now=None
) -> TenderDocument:
    """The buyer adds a document to the call (before the deadline), public at once."""
    tender = _buyer_before_deadline(actor, tender, _now(now))
    if tender.documents.count() >= 20:
        raise Conflict(_("Au plus 20 documents par appel."), code=Code.TOO_MANY)
    return TenderDocument.objects.create(
        tender=tender,
        title=_required(title, "title"),
        filename=file.filename,
        content_type=file.content_type,
        size=file.size,
        data=file.data,
    )


@service(texts=((Question, {"body": "body"}),))
def question_ask(*, actor, tender: Tender, body: str, now=None) -> Question:
    """A signed-in user asks before the deadline; the answer will be public."""
    if not getattr(actor, "is_authenticated", False):
        raise Forbidden(_("Connectez-vous pour poser une question."))
    if not selectors.is_sealed(tender, _now(now)):
        raise Conflict(_("La date limite est passée."), code=Code.DEADLINE_PASSED)
    if Question.objects.filter(tender=tender, asked_by=actor).count() >= 20:
        raise Conflict(_("Au plus 20 questions par personne."), code=Code.TOO_MANY)
    return Question.objects.create(tender=tender, asked_by=actor, body=_required(body, "body"))


@service(texts=((Question, {"answer": "answer"}),))
def question_answer(*, actor, question: Question, answer: str, now=None) -> Question:
    """The buyer answers (before the deadline); the question and its answer are published
    to everyone."""
    _buyer_before_deadline(actor, question.tender, _now(now))
    question = Question.objects.select_for_update().get(pk=question.pk)
    question.answer = _required(answer, "answer")
    question.answered_by, question.answered_at = actor, timezone.now()
    question.save()
    return question


# --------------------------------------------------------------------------- offers


@service(texts=(Submission,), amounts=("price",))
def submission_submit(
    *,
    actor,
    tender: Tender,
    organisation: Organisation,
    summary: str,
    price: int,
    file: CleanFile | None = None,
    now=None,
) -> Submission:
    """An organisation's accounts submit (or replace) its offer, before the deadline only."""
    now = _now(now)
    tender = Tender.objects.select_for_update().get(pk=tender.pk)
    if not rules.can_act_for(actor, organisation):
        raise Forbidden(_("Seuls les comptes de l'organisation déposent son offre."))
    if not selectors.is_sealed(tender, now):
        raise Conflict(
            _("La date limite de dépôt est passée : offre refusée."), code=Code.DEADLINE_PASSED
        )
    organisation = Organisation.objects.get(pk=organisation.pk)
    if organisation.status != OrgStatus.APPROVED:
        raise Conflict(_("L'organisation n'est pas encore publiée."), code=Code.NOT_APPROVED)
    if organisation.pk == tender.buyer_id:
        raise Conflict(_("L'acheteur ne répond pas à son propre appel."), code=Code.OWN_TENDER)
    if price < 1:
        raise ValidationFailed(_("Indiquez un prix."), code=Code.OUT_OF_RANGE, field="price")
    offer = Submission.objects.filter(tender=tender, organisation=organisation).first()
    offer = offer or Submission(tender=tender, organisation=organisation)
    offer.submitted_by, offer.submitted_at = actor, now
    offer.summary, offer.price = _required(summary, "summary"), price
    if file is not None:
        offer.filename, offer.content_type = file.filename, file.content_type
        offer.size, offer.data = file.size, file.data
    offer.save()
    return offer


# --------------------------------------------------------------------------- evaluation


@service
def evaluator_appoint(*, actor, tender: Tender, username: str, now=None) -> Evaluator:
    """The buyer names an evaluator (any account, by its identifier) until the award."""
    tender = Tender.objects.select_for_update().get(pk=tender.pk)
    if not rules.is_buyer(actor, tender):
        raise Forbidden(_("Seuls les comptes de l'acheteur nomment les évaluateurs."))
    if tender.award_id is not None:
        raise Conflict(_("L'appel d'offres est déjà attribué."), code=Code.ALREADY_AWARDED)
    user = get_user_model().objects.filter(username=str(username or "")[:150]).first()
    if user is None or not user.is_active:
        raise ValidationFailed(_("Compte introuvable."), code=Code.NOT_FOUND, field="username")
    evaluator, _created = Evaluator.objects.get_or_create(
        tender=tender, user=user, defaults={"appointed_by": actor}
    )
    return evaluator


@service(texts=((Evaluator, {"declaration": "declaration"}),))
def evaluator_declare(
    *, actor, tender: Tender, no_conflict: bool, declaration: str = "", now=None
) -> Evaluator:
    """After the deadline, a named evaluator declares (against the submitters' names) that
    they have no conflict of interest; an account of a submitting organisation cannot."""
    now = _now(now)
    evaluator = Evaluator.objects.select_for_update().filter(tender=tender, user=actor).first()
    if evaluator is None:
        raise NotFound(_("Vous n'êtes pas évaluateur de cet appel d'offres."))
    if selectors.is_sealed(tender, now):
        raise Conflict(_("L'évaluation commence à la date limite."), code=Code.NOT_YET)
    if no_conflict is not True:
        raise ValidationFailed(
            _("Cochez la déclaration d'absence de conflit d'intérêts."),
            code=Code.REQUIRED,
            field="no_conflict",
        )
    _check_no_conflict(actor, tender)
    evaluator.declared_at = evaluator.declared_at or now
    evaluator.declaration = str(declaration or "").strip() or _(
        "Je déclare n'avoir aucun conflit d'intérêts avec les soumissionnaires."
    )
    evaluator.save()
    return evaluator


@service
def scores_record(*, actor, submission: Submission, scores, now=None) -> list[Score]:
    """A declared evaluator scores one offer: ``{criterion_id: 0..10}`` (or the
    ``(criterion_id, score)`` pairs as sent: a criterion twice is refused, ``invalid``)
    for every criterion of the grid, after the deadline and until the award. Every value is checked
    before anything is written; an evaluator acting for a submitting organisation is
    refused (``conflict_of_interest``), even one who declared before joining it."""
    now = _now(now)
    tender = Tender.objects.select_for_update().get(pk=submission.tender_id)
    evaluator = Evaluator.objects.filter(tender=tender, user=actor).first()
    if evaluator is None or evaluator.declared_at is None:
        raise Forbidden(
            _("Déclarez d'abord l'absence de conflit d'intérêts."), code=Code.NOT_DECLARED
        )
    if selectors.is_sealed(tender, now):
        raise Conflict(_("L'évaluation commence à la date limite."), code=Code.NOT_YET)
    if tender.award_id is not None:
        raise Conflict(_("L'appel d'offres est déjà attribué."), code=Code.ALREADY_AWARDED)
    _check_no_conflict(actor, tender)
    criteria = {c.pk: c for c in tender.criteria.all()}
    values = _check_scores(scores, criteria)
    saved = []
    for crit_id, value in values.items():
        row, _created = Score.objects.update_or_create(
            evaluator=evaluator,
            submission=submission,
            criterion=criteria[crit_id],
            defaults={"score": value},
        )
        saved.append(row)
    return saved


def _check_no_conflict(actor, tender: Tender) -> None:
    own = network_scope(actor).organisation_ids
    if Submission.objects.filter(tender=tender, organisation_id__in=sorted(own)).exists():
        raise Conflict(
            _("Vous agissez pour une organisation qui a déposé une offre : conflit d'intérêts."),
            code=Code.CONFLICT_OF_INTEREST,
        )


def _score_pairs(scores) -> list[tuple]:
    """``{criterion_id: score}`` or ``[(criterion_id, score), ...]`` as pairs; a
    criterion given twice is refused (what the page and the API may send)."""
    if isinstance(scores, dict):
        return list(scores.items())
    try:
        pairs = [tuple(pair) for pair in scores]
    except TypeError:
        pairs = None
    if pairs is None or any(len(pair) != 2 for pair in pairs):
        raise ValidationFailed(_("Notez chaque critère."), code=Code.REQUIRED, field="scores")
    named = [crit_id for crit_id, _value in pairs]
    if len(set(named)) != len(named):
        raise ValidationFailed(_("Un critère noté deux fois."), code=Code.INVALID, field="scores")
    return pairs


def _check_scores(scores, criteria: dict) -> dict[int, int]:
    """One whole score from 0 to 10 for each criterion of the grid, none other, none
    twice."""
    pairs = _score_pairs(scores)
    unknown = [k for k, _value in pairs if k not in criteria]
    if unknown:
        raise ValidationFailed(
            _("Ce critère n'est pas dans la grille de cet appel d'offres."),
            code=Code.NOT_IN_GRID,
            field="scores",
        )
    if {k for k, _value in pairs} != set(criteria):
        raise ValidationFailed(_("Notez chaque critère."), code=Code.REQUIRED, field="scores")
    for crit_id, value in pairs:
        if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 10:
            raise ValidationFailed(
                _("Une note de 0 à 10."), code=Code.OUT_OF_RANGE, field=f"score_{crit_id}"
            )
    return dict(pairs)


@service(texts=((Tender, {"reasons": "award_reasons"}),))
def tender_award(*, actor, tender: Tender, submission: Submission, reasons: str, now=None):
    """The buyer awards, after the deadline, with reasons, once at least one declared
    evaluator scored every offer; every submitter gets a notice (in-app and e-mail)."""
    now = _now(now)
    tender = Tender.objects.select_for_update().get(pk=tender.pk)
    if not rules.is_buyer(actor, tender):
        raise Forbidden(_("Seuls les comptes de l'acheteur attribuent le marché."))
    if selectors.is_sealed(tender, now):
        raise Conflict(_("La date limite n'est pas passée."), code=Code.NOT_YET)
    if tender.award_id is not None:
        raise Conflict(_("L'appel d'offres est déjà attribué."), code=Code.ALREADY_AWARDED)
    if submission.tender_id != tender.pk:
        raise NotFound(_("Offre introuvable."))
    reasons = _required(reasons, "reasons")
    _check_evaluated(tender)
    tender.award, tender.award_reasons, tender.awarded_at = submission, reasons, now
    tender.save()
    _notify_submitters(tender, submission)
    return tender


def _check_evaluated(tender: Tender) -> None:
    offers = tender.submissions.count()
    needed = offers * tender.criteria.count()
    for evaluator in tender.evaluators.filter(declared_at__isnull=False):
        if needed and evaluator.scores.count() >= needed:
            return
    raise Conflict(
        _("Aucun évaluateur déclaré n'a encore noté toutes les offres sur toute la grille."),
        code=Code.NOT_EVALUATED,
    )


def _notify_submitters(tender: Tender, winner: Submission) -> None:
    notices = []
    for offer in tender.submissions.select_related("organisation"):
        won = offer.pk == winner.pk
        values = {"title": tender.title, "winner": winner.organisation.name}
        values["price"] = format_xof(winner.price)
        body = (
            _("Votre offre pour « %(title)s » est retenue (%(price)s).") % values
            if won
            else _("Votre offre pour « %(title)s » n'est pas retenue ; le marché est attribué à "
                   "%(winner)s (%(price)s).") % values
        )  # fmt: skip
        body += "\n" + _("Motifs : %(reasons)s") % {"reasons": tender.award_reasons}
        notices.append(Notice(tender=tender, organisation=offer.organisation, won=won, body=body))
    Notice.objects.bulk_create(notices)
    for notice in notices:
        transaction.on_commit(lambda n=notice: _mail(n))


def _mail(notice: Notice) -> None:
    org = notice.organisation
    emails = [org.email] if org.email else []
    emails += [m.user.email for m in org.members.select_related("user") if m.user.email]
    if emails:
        send_mail(
            _("Résultat de l'appel d'offres : %(title)s") % {"title": notice.tender.title},
            notice.body,
            None,
            sorted(set(emails)),
            fail_silently=True,
        )
