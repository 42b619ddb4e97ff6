"""Every write of the network's shared knowledge (docs/knowledge.md)."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _

from core.errors import Conflict, Forbidden, NotFound, ValidationFailed
from core.services import service
from core.text import fold
from knowledge import rules
from knowledge.errors import Code
from knowledge.models import (
    Answer,
    Item,
    Kind,
    Language,
    Question,
    Status,
    Theme,
    Version,
    Visibility,
)
from network.countries import is_african
from network.models import Organisation, OrgStatus, Sector
from network.rules import network_scope

MAX_PENDING_ITEMS = 20  # per organisation, waiting for moderation
MAX_QUESTIONS_PER_DAY = 10  # per organisation


def _required(value, field: str) -> str:
    value = str(value or "").strip()
    if not value:
        raise ValidationFailed(_("Ce champ est obligatoire."), code=Code.REQUIRED, field=field)
    return value


def _choice(value, choices, field: str) -> str:
    if value not in choices.values:
        raise ValidationFailed(_("Valeur inconnue."), code=Code.INVALID_CHOICE, field=field)
    return value


def _country(value, field: str, *, blank: bool = False) -> str:
    value = str(value or "").strip().upper()
    if blank and not value:
        return ""
    if not is_african(value):
        raise ValidationFailed(
            _("Choisissez un pays d'Afrique."), code=Code.NOT_AFRICAN, field=field
        )
    return value


def _acting_for(actor, organisation: Organisation) -> Organisation:
    """The organisation the actor writes for: one of its own, approved."""
    if organisation.pk not in network_scope(actor).organisation_ids:
        raise Forbidden(_("Seuls les comptes de l'organisation écrivent en son nom."))
    organisation = Organisation.objects.get(pk=organisation.pk)
    if organisation.status != OrgStatus.APPROVED:
        raise Conflict(_("L'organisation n'est pas encore membre publiée."), code=Code.NOT_APPROVED)
    return organisation


def refresh_search_text(item: Item) -> None:
    """The item's folded text: every version's title, summary and body (accents ignored)."""
    parts = item.versions.values_list("title", "summary", "body")
    item.search_text = fold(*(text for row in parts for text in row))
    Item.objects.filter(pk=item.pk).update(search_text=item.search_text)


def _write_version(*, actor, item: Item, language: str, title, summary, body) -> Version:
    version, _created = Version.objects.update_or_create(
        item=item,
        language=_choice(language, Language, "language"),
        defaults={
            "title": _required(title, "title"),
            "summary": _required(summary, "summary"),
            "body": _required(body, "body"),
            "updated_by": actor,
        },
    )
    refresh_search_text(item)
    return version


@service(texts=(Item, Version))
def item_propose(
    *,
    actor,
    organisation: Organisation,
    kind: str,
    country: str,
    sector: str,
    theme: str,
    language: str,
    title: str,
    summary: str,
    body: str,
    now=None,
) -> Item:
    """An approved organisation's account proposes an item in one language; it waits for
    a moderator of its country (or of the country it is about)."""
    organisation = _acting_for(actor, organisation)
    pending = Item.objects.filter(organisation=organisation, status=Status.PENDING)
    if pending.count() >= MAX_PENDING_ITEMS:
        raise Conflict(
            _("Au plus %(n)d fiches en attente de modération par organisation.")
            % {"n": MAX_PENDING_ITEMS},
            code=Code.TOO_MANY,
        )
    item = Item.objects.create(
        organisation=organisation,
        kind=_choice(kind, Kind, "kind"),
        country=_country(country, "country"),
        sector=_choice(sector, Sector, "sector"),
        theme=_choice(theme, Theme, "theme"),
        original_language=_choice(language, Language, "language"),
        created_by=actor,
        created_at=now or timezone.now(),
    )
    _write_version(
        actor=actor, item=item, language=language, title=title, summary=summary, body=body
    )
    return item


@service(texts=(Version,))
def version_save(*, actor, item: Item, language: str, title: str, summary: str, body: str):
    """The author organisation's accounts add a language version or correct one. A hidden
    item stays hidden; a published one shows the change at once (moderators may hide it)."""
    item = Item.objects.select_related("organisation").get(pk=item.pk)
    if not rules.is_author(actor, item):
        if item.status == Status.PUBLISHED or rules.can_moderate_item(actor, item):
            raise Forbidden(_("Seule l'organisation autrice modifie ses fiches."))
        raise NotFound(_("Fiche introuvable."))
    _acting_for(actor, item.organisation)
    if item.status == Status.HIDDEN:
        raise Conflict(_("Fiche retirée par la modération."), code=Code.HIDDEN)
    return _write_version(
        actor=actor, item=item, language=language, title=title, summary=summary, body=body
    )


@service(texts=((Item, {"reason": "moderation_reason"}),))
def item_moderate(*, actor, item: Item, decision: str, reason: str = "", now=None) -> Item:
    """A moderator of the item's country (or of its organisation's) publishes or hides it;
    hiding needs a reason (shown to the authors)."""
    item = Item.objects.select_for_update().select_related("organisation").get(pk=item.pk)
    if not rules.can_moderate_item(actor, item):
        if item.status == Status.PUBLISHED:
            raise Forbidden(_("Seuls les modérateurs de ce pays décident."))
        raise NotFound(_("Fiche introuvable."))
    targets = {"publish": Status.PUBLISHED, "hide": Status.HIDDEN}
    status = targets.get(decision)
    if status is None:
        raise ValidationFailed(_("Valeur inconnue."), code=Code.INVALID_CHOICE, field="decision")
    reason = str(reason or "").strip()
    if status == Status.HIDDEN:
        reason = _required(reason, "reason")
    item.status, item.moderation_reason = status, reason
    item.moderated_by, item.moderated_at = actor, now or timezone.now()
    item.save()
    return item


@service(texts=(Question,))
def question_ask(
    *,
    actor,
    organisation: Organisation,
    title: str,
    body: str,
    sector: str,
    theme: str,
    to_country: str = "",
    now=None,
) -> Question:
    """An approved organisation's account asks the network (or one country's members)."""
    organisation = _acting_for(actor, organisation)
    now = now or timezone.now()
    since = now - timezone.timedelta(days=1)
    if (
        Question.objects.filter(organisation=organisation, created_at__gte=since).count()
        >= MAX_QUESTIONS_PER_DAY
    ):
        raise Conflict(
            _("Au plus %(n)d questions par jour et par organisation.")
            % {"n": MAX_QUESTIONS_PER_DAY},
            code=Code.TOO_MANY,
        )
    title, body = _required(title, "title"), _required(body, "body")
    return Question.objects.create(
        organisation=organisation,
        country=organisation.country,
        to_country=_country(to_country, "to_country", blank=True),
        sector=_choice(sector, Sector, "sector"),
        theme=_choice(theme, Theme, "theme"),
        title=title,
        body=body,
        created_by=actor,
        created_at=now,
        search_text=fold(title, body),
    )


@service(texts=(Answer,))
def answer_post(
    *, actor, question: Question, organisation: Organisation, body: str, now=None
) -> Answer:
    """An approved organisation's account answers a visible question; the answer carries
    its organisation's country (an exchange between countries when it differs)."""
    question = Question.objects.get(pk=question.pk)
    if question.status != Visibility.VISIBLE:
        raise NotFound(_("Question introuvable."))
    organisation = _acting_for(actor, organisation)
    return Answer.objects.create(
        question=question,
        organisation=organisation,
        country=organisation.country,
        body=_required(body, "body"),
        created_by=actor,
        created_at=now or timezone.now(),
    )


@service(texts=((Question, {"reason": "moderation_reason"}),))
def post_moderate(*, actor, post: Question | Answer, decision: str, reason: str = ""):
    """A moderator of the post's country (or an administrator) hides a question or an
    answer (with a reason) or shows it again."""
    post = type(post).objects.select_for_update().get(pk=post.pk)
    if not rules.can_moderate_post(actor, post):
        raise Forbidden(_("Seuls les modérateurs de ce pays décident."))
    targets = {"show": Visibility.VISIBLE, "hide": Visibility.HIDDEN}
    status = targets.get(decision)
    if status is None:
        raise ValidationFailed(_("Valeur inconnue."), code=Code.INVALID_CHOICE, field="decision")
    reason = str(reason or "").strip()
    post.moderation_reason = _required(reason, "reason") if status == Visibility.HIDDEN else ""
    post.status = status
    post.save()
    return post
