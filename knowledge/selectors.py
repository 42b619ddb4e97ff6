"""Every read of the network's shared knowledge. Published items and visible questions
and answers are public; an organisation's accounts also see its own pending or hidden
items; a moderator sees those of the countries it moderates (the queue)."""

from __future__ import annotations

from django.db.models import Count, F, Prefetch, Q, QuerySet
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from core.errors import NotFound
from core.text import search_q
from knowledge import rules
from knowledge.models import Answer, Item, Question, Status, Version, Visibility
from network.countries import country_name
from network.rules import network_scope


def _item_visible_q(actor) -> Q:
    scope = network_scope(actor)
    q = Q(status=Status.PUBLISHED) | Q(organisation_id__in=sorted(scope.organisation_ids))
    if scope.admin:
        return Q()
    countries = sorted(scope.countries)
    if countries:
        q |= Q(country__in=countries) | Q(organisation__country__in=countries)
    return q


def item_list(
    *,
    actor=None,
    q: str = "",
    country: str = "",
    sector: str = "",
    theme: str = "",
    kind: str = "",
    language: str = "",
    published_only: bool = True,
) -> QuerySet[Item]:
    """The library: published items (``published_only=False``: also the actor's own and
    those it moderates), filtered by tags and by words (accents and case ignored)."""
    qs = Item.objects.filter(
        Q(status=Status.PUBLISHED) if published_only else _item_visible_q(actor)
    )
    filters = {"country": country, "sector": sector, "theme": theme, "kind": kind}
    qs = qs.filter(**{k: v for k, v in filters.items() if v})
    if language:
        qs = qs.filter(versions__language=language)
    if q:
        qs = qs.filter(search_q(q))
    return (
        qs.select_related("organisation")
        .prefetch_related(Prefetch("versions", queryset=Version.objects.order_by("language")))
        .order_by("-created_at", "-id")
    )


def item_get(*, actor, pk: int) -> Item:
    item = (
        Item.objects.filter(_item_visible_q(actor), pk=pk)
        .select_related("organisation")
        .prefetch_related("versions")
        .first()
    )
    if item is None:
        raise NotFound(_("Fiche introuvable."))
    return item


def version_for(item: Item, language: str | None = None) -> Version | None:
    """The version in ``language`` (else the reader's language, else the original)."""
    versions = {v.language: v for v in item.versions.all()}
    for code in (language, (get_language() or "fr")[:2], item.original_language):
        if code in versions:
            return versions[code]
    return next(iter(versions.values()), None)


def moderation_queue(*, actor) -> QuerySet[Item]:
    """Pending items of the countries the actor moderates (every country for admins)."""
    if not rules.is_moderator(actor):
        return Item.objects.none()
    return item_list(actor=actor, published_only=False).filter(status=Status.PENDING)


def my_items(*, actor) -> QuerySet[Item]:
    ids = sorted(network_scope(actor).organisation_ids)
    return item_list(actor=actor, published_only=False).filter(organisation_id__in=ids)


# --------------------------------------------------------------------------- questions


def question_list(
    *, actor=None, q: str = "", country: str = "", theme: str = "", sector: str = ""
) -> QuerySet[Question]:
    """Visible questions, with their count of visible answers and of answering countries
    other than the asker's. ``country``: asked from, or addressed to, that country."""
    qs = Question.objects.filter(status=Visibility.VISIBLE)
    if country:
        qs = qs.filter(Q(country=country) | Q(to_country=country))
    qs = qs.filter(**{k: v for k, v in {"theme": theme, "sector": sector}.items() if v})
    if q:
        qs = qs.filter(search_q(q))
    visible = Q(answers__status=Visibility.VISIBLE)
    return (
        qs.select_related("organisation")
        .annotate(
            n_answers=Count("answers", filter=visible),
            n_countries=Count(
                "answers__country",
                filter=visible & ~Q(answers__country=F("country")),
                distinct=True,
            ),
        )
        .order_by("-created_at", "-id")
    )


def question_get(*, actor, pk: int) -> Question:
    question = Question.objects.filter(pk=pk).select_related("organisation").first()
    if question is None or (
        question.status != Visibility.VISIBLE and not rules.can_moderate_post(actor, question)
    ):
        raise NotFound(_("Question introuvable."))
    return question


def answer_list(*, actor, question: Question) -> list[Answer]:
    """Visible answers; a moderator of an answer's country also sees it hidden."""
    answers = question.answers.select_related("organisation").order_by("created_at", "id")
    return [
        a for a in answers if a.status == Visibility.VISIBLE or rules.can_moderate_post(actor, a)
    ]


def answer_get(*, actor, pk: int) -> Answer:
    answer = Answer.objects.filter(pk=pk).select_related("question").first()
    if answer is None or not (
        answer.status == Visibility.VISIBLE or rules.can_moderate_post(actor, answer)
    ):
        raise NotFound(_("Réponse introuvable."))
    return answer


def exchanges(*, limit: int = 20) -> list[dict]:
    """Public figure: visible answers given by one country's members to another
    country's visible questions, counted per (answering country, asking country)."""
    rows = (
        Answer.objects.filter(status=Visibility.VISIBLE, question__status=Visibility.VISIBLE)
        .exclude(country=F("question__country"))
        .values("country", "question__country")
        .annotate(n=Count("id"))
        .order_by("-n", "country", "question__country")[:limit]
    )
    return [
        {
            "from": r["country"],
            "to": r["question__country"],
            "answers": r["n"],
            "from_name": country_name(r["country"]),
            "to_name": country_name(r["question__country"]),
        }
        for r in rows
    ]
