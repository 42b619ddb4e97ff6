"""Every read of the calls for tenders. The calls, their documents and answered questions
are public; the OFFERS are sealed until the deadline, here and nowhere else: before it an
organisation's accounts see only their organisation's offer, and nobody else sees any
(not the buyer, not the network's administrators, not the evaluators)."""

from __future__ import annotations

import datetime

from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from core.errors import Conflict, Forbidden, NotFound
from core.text import search_q
from network.models import OrgStatus
from network.rules import network_scope
from tenders import rules
from tenders.errors import Code
from tenders.models import Evaluator, Notice, Question, Score, Submission, Tender, TenderDocument

STATUS_LABELS = {
    "open": _lazy("ouvert aux offres"),
    "evaluation": _lazy("en évaluation"),
    "awarded": _lazy("attribué"),
}


def tender_status(tender: Tender, now: datetime.datetime | None = None) -> str:
    """``open`` until the deadline, then ``evaluation``, then ``awarded``."""
    if tender.award_id is not None:
        return "awarded"
    return "open" if (now or timezone.now()) < tender.deadline else "evaluation"


def is_sealed(tender: Tender, now: datetime.datetime | None = None) -> bool:
    return (now or timezone.now()) < tender.deadline


# --------------------------------------------------------------------------- calls


def tender_list(
    *, actor=None, q: str = "", country: str = "", status: str = "", now=None
) -> QuerySet[Tender]:
    """Every call of an approved buyer (public), with the buyer's own for its accounts."""
    now = now or timezone.now()
    scope = network_scope(actor)
    visible = Q(buyer__status=OrgStatus.APPROVED)
    if scope.admin:
        visible = Q()
    else:
        visible |= Q(buyer_id__in=sorted(scope.organisation_ids))
    qs = Tender.objects.filter(visible).select_related("buyer")
    if q:
        qs = qs.filter(search_q(q))
    if country:
        qs = qs.filter(country=country.upper()[:2])
    if status == "open":
        qs = qs.filter(deadline__gt=now)
    elif status == "evaluation":
        qs = qs.filter(deadline__lte=now, award__isnull=True)
    elif status == "awarded":
        qs = qs.filter(award__isnull=False)
    return qs.order_by("-deadline", "-id")


def tender_get(*, actor=None, pk: int) -> Tender:
    tender = tender_list(actor=actor).filter(pk=pk).first()
    if tender is None:
        raise NotFound(_("Appel d'offres introuvable."))
    return tender


def document_get(*, actor=None, tender: Tender, pk: int) -> TenderDocument:
    doc = TenderDocument.objects.filter(tender=tender, pk=pk).first()
    if doc is None:
        raise NotFound(_("Document introuvable."))
    return doc


def question_list(*, actor=None, tender: Tender) -> QuerySet[Question]:
    """Answered questions for everyone; the buyer also sees those waiting, an asker their
    own."""
    qs = Question.objects.filter(tender=tender)
    if rules.is_buyer(actor, tender):
        return qs.order_by("created_at", "id")
    mine = Q(asked_by=actor) if getattr(actor, "is_authenticated", False) else Q(pk__in=[])
    return qs.filter(Q(answered_at__isnull=False) | mine).order_by("created_at", "id")


def question_get(*, actor, pk: int) -> Question:
    """A question, with the visibility of its tender's questions list, checked here: its
    tender must be one the actor sees (``tender_list``: a call of a buyer not published
    is its buyer's and the administrators' only), then the question one the list shows."""
    question = (
        Question.objects.select_related("tender")
        .filter(pk=pk, tender__in=tender_list(actor=actor))
        .first()
    )
    if (
        question is None
        or not question_list(actor=actor, tender=question.tender).filter(pk=pk).exists()
    ):
        raise NotFound(_("Question introuvable."))
    return question


# --------------------------------------------------------------------------- offers (sealed)


def evaluator_get(*, actor, tender: Tender) -> Evaluator | None:
    if not getattr(actor, "is_authenticated", False):
        return None
    return Evaluator.objects.filter(tender=tender, user=actor).first()


def can_read_all_offers(actor, tender: Tender, now=None) -> bool:
    """After the deadline only: the buyer's accounts, the network's administrators and the
    evaluators who declared no conflict of interest."""
    if is_sealed(tender, now):
        return False
    if rules.is_buyer(actor, tender):
        return True
    evaluator = evaluator_get(actor=actor, tender=tender)
    return evaluator is not None and evaluator.declared_at is not None


def submission_list(*, actor, tender: Tender, now=None) -> QuerySet[Submission]:
    """THE seal. Before the deadline: the actor's organisations' own offer only (the buyer
    and everyone else: none). After it: all of them for the buyer, the administrators and
    the declared evaluators; still only their own for the submitters."""
    qs = Submission.objects.filter(tender=tender).select_related("organisation")
    if can_read_all_offers(actor, tender, now):
        return qs.order_by("submitted_at", "id")
    own = sorted(network_scope(actor).organisation_ids)
    return qs.filter(organisation_id__in=own).order_by("submitted_at", "id")


def submission_get(*, actor, pk: int, now=None) -> Submission:
    offer = Submission.objects.select_related("tender").filter(pk=pk).first()
    if (
        offer is None
        or not submission_list(actor=actor, tender=offer.tender, now=now).filter(pk=pk).exists()
    ):
        raise NotFound(_("Offre introuvable."))
    return offer


def evaluation_tender_get(*, actor, pk: int) -> Tender:
    """A call's evaluation exists for the buyer's accounts (and the network's
    administrators) and for its named evaluators; for anyone else it is 404, as an offer."""
    tender = tender_get(actor=actor, pk=pk)
    if not rules.is_buyer(actor, tender) and evaluator_get(actor=actor, tender=tender) is None:
        raise NotFound(_("Appel d'offres introuvable."))
    return tender


def evaluator_list(*, actor, tender: Tender) -> QuerySet[Evaluator]:
    """The named evaluators, for the buyer's accounts and the evaluators themselves."""
    qs = Evaluator.objects.filter(tender=tender).select_related("user")
    if rules.is_buyer(actor, tender) or evaluator_get(actor=actor, tender=tender) is not None:
        return qs.order_by("id")
    return qs.none()


def scoring_offer_get(*, actor, tender: Tender, pk: int, now=None) -> Submission:
    """The offer a named evaluator is about to score. The refusals come before any offer
    is looked up, so that none reveals whether an offer exists: 404 for whoever is not a
    named evaluator, 409 ``not_yet`` before the deadline, 403 ``not_declared`` until the
    evaluator declared no conflict of interest; then the offer through the seal."""
    evaluator = evaluator_get(actor=actor, tender=tender)
    if evaluator is None:
        raise NotFound(_("Offre introuvable."))
    if is_sealed(tender, now):
        raise Conflict(_("L'évaluation commence à la date limite."), code=Code.NOT_YET)
    if evaluator.declared_at is None:
        raise Forbidden(
            _("Déclarez d'abord l'absence de conflit d'intérêts."), code=Code.NOT_DECLARED
        )
    offer = submission_list(actor=actor, tender=tender, now=now).filter(pk=pk).first()
    if offer is None:
        raise NotFound(_("Offre introuvable."))
    return offer


def award_offer_get(*, actor, tender: Tender, pk: int, now=None) -> Submission:
    """The offer the buyer names in an award: 403 for anyone else, 409 ``not_yet`` while
    the offers are sealed (whatever the id: no offer's existence is revealed)."""
    if not rules.is_buyer(actor, tender):
        raise Forbidden(_("Seuls les comptes de l'acheteur attribuent le marché."))
    if is_sealed(tender, now):
        raise Conflict(_("La date limite n'est pas passée."), code=Code.NOT_YET)
    offer = submission_list(actor=actor, tender=tender, now=now).filter(pk=pk).first()
    if offer is None:
        raise NotFound(_("Offre introuvable."))
    return offer


def tender_results(*, actor, tender: Tender, now=None) -> list[dict]:
    """Each visible offer with its weighted score out of 100, averaged over the
    evaluators who scored it on every criterion (``None`` until one did), best first."""
    offers = list(submission_list(actor=actor, tender=tender, now=now))
    if not offers or not can_read_all_offers(actor, tender, now):
        return [{"offer": o, "score": None, "evaluators": 0} for o in offers]
    weights = dict(tender.criteria.values_list("pk", "weight"))
    totals: dict[tuple[int, int], list] = {}
    rows = Score.objects.filter(submission__tender=tender, evaluator__declared_at__isnull=False)
    for sub_id, ev_id, crit_id, score in rows.values_list(
        "submission_id", "evaluator_id", "criterion_id", "score"
    ):
        totals.setdefault((sub_id, ev_id), []).append(weights.get(crit_id, 0) * score)
    complete = {k: sum(v) / 10 for k, v in totals.items() if len(v) == len(weights)}
    results = []
    for offer in offers:
        mine = [v for (sub, _ev), v in complete.items() if sub == offer.pk]
        score = round(sum(mine) / len(mine), 2) if mine else None
        results.append({"offer": offer, "score": score, "evaluators": len(mine)})
    results.sort(key=lambda r: (r["score"] is None, -(r["score"] or 0), r["offer"].pk))
    return results


def my_scores(*, evaluator: Evaluator) -> dict[tuple[int, int], Score]:
    return {(s.submission_id, s.criterion_id): s for s in evaluator.scores.all()}


def notice_list(*, actor) -> QuerySet[Notice]:
    """The award notices of the actor's organisations."""
    ids = sorted(network_scope(actor).organisation_ids)
    return Notice.objects.filter(organisation_id__in=ids).select_related("tender", "organisation")


def my_submitting_organisations(*, actor):
    """The approved organisations the actor may submit for."""
    from network.selectors import my_organisations

    return my_organisations(actor=actor).filter(status=OrgStatus.APPROVED)
