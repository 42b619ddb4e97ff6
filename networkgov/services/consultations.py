"""Consultations of the network's members: a question on a project of the project bank
or a proposal, options and/or free comments, open between two dates; one answer per
member organisation in good standing."""

from __future__ import annotations

import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core import dates
from core.errors import Conflict, Forbidden, ValidationFailed
from core.services import service
from network.models import Organisation
from networkgov import rules, selectors
from networkgov.errors import Code
from networkgov.models import Consultation, ConsultationAnswer
from networkgov.services.assemblies import standing_label

MAX_OPTIONS, MAX_OPTION_LENGTH, MAX_DAYS = 10, 200, 180


def _clean_options(options) -> list[str]:
    cleaned = []
    for option in options or []:
        option = str(option or "").strip()
        if not option:
            continue
        if len(option) > MAX_OPTION_LENGTH or "\x00" in option:
            raise ValidationFailed(
                _("Une réponse proposée fait au plus %(n)d caractères.") % {"n": MAX_OPTION_LENGTH},
                code=Code.INVALID,
                field="options",
            )
        if option not in cleaned:
            cleaned.append(option)
    if len(cleaned) > MAX_OPTIONS or len(cleaned) == 1:
        raise ValidationFailed(
            _("De 2 à %(n)d réponses proposées (ou aucune : commentaires libres).")
            % {"n": MAX_OPTIONS},
            code=Code.INVALID,
            field="options",
        )
    return cleaned


@service(texts=(Consultation,), planned_dates=("opens_on", "closes_on"))
def consultation_open(
    *,
    actor,
    title: str,
    question: str,
    opens_on: datetime.date,
    closes_on: datetime.date,
    options=(),
    allow_comments: bool = True,
    anonymous_comments: bool = True,
    project=None,
    today=None,
) -> Consultation:
    """An administrator asks the members' opinion (a project of the bank, or a proposal)."""
    if not rules.is_admin(actor):
        raise Forbidden(_("Réservé aux administrateurs du réseau."))
    today = today or dates.today()
    options = _clean_options(options)
    if not options and not allow_comments:
        raise ValidationFailed(
            _("Proposez des réponses ou acceptez les commentaires libres."),
            code=Code.REQUIRED,
            field="options",
        )
    if opens_on is None or opens_on < today:
        raise ValidationFailed(
            _("L'ouverture est aujourd'hui ou plus tard."), code=Code.INVALID, field="opens_on"
        )
    if closes_on is None or not opens_on <= closes_on <= opens_on + datetime.timedelta(MAX_DAYS):
        raise ValidationFailed(
            _("La clôture suit l'ouverture, au plus %(n)d jours après.") % {"n": MAX_DAYS},
            code=Code.INVALID,
            field="closes_on",
        )
    title, question = str(title or "").strip(), str(question or "").strip()
    for value, field in ((title, "title"), (question, "question")):
        if not value:
            raise ValidationFailed(_("Ce champ est obligatoire."), code=Code.REQUIRED, field=field)
    return Consultation.objects.create(
        title=title,
        question=question,
        project=project,
        options=options,
        allow_comments=bool(allow_comments),
        anonymous_comments=bool(anonymous_comments),
        opens_on=opens_on,
        closes_on=closes_on,
        created_by=actor,
    )


def _check_answer(consultation: Consultation, option: str, comment: str) -> None:
    if consultation.options and option not in consultation.options:
        raise ValidationFailed(
            _("Choisissez une des réponses proposées."), code=Code.INVALID_CHOICE, field="option"
        )
    if not consultation.options and not comment:
        raise ValidationFailed(_("Écrivez votre avis."), code=Code.REQUIRED, field="comment")
    if comment and not consultation.allow_comments:
        raise ValidationFailed(
            _("Cette consultation n'accepte pas de commentaire."),
            code=Code.INVALID,
            field="comment",
        )


@service(texts=(ConsultationAnswer,))
def consultation_answer(
    *,
    actor,
    consultation: Consultation,
    organisation: Organisation,
    option: str = "",
    comment: str = "",
    today=None,
) -> ConsultationAnswer:
    """An account of a member organisation in good standing answers, once for its
    organisation, while the consultation is open."""
    if not rules.acts_for(actor, organisation.pk):
        raise Forbidden(_("Vous ne répondez que pour votre organisation."))
    consultation = Consultation.objects.select_for_update().get(pk=consultation.pk)
    today = today or dates.today()
    if not selectors.consultation_is_open(consultation, today):
        raise Conflict(
            _("La consultation n'est pas ouverte (du %(a)s au %(b)s).")
            % {
                "a": consultation.opens_on.strftime("%d/%m/%Y"),
                "b": consultation.closes_on.strftime("%d/%m/%Y"),
            },
            code=Code.NOT_OPEN,
        )
    standing = selectors.standing_of(organisation.pk, today)
    if not standing.good:
        raise Conflict(
            _("Seules les organisations membres à jour répondent (« %(name)s » : %(status)s).")
            % {"name": organisation.name, "status": standing_label(standing.status)},
            code=Code.NOT_IN_GOOD_STANDING,
        )
    option, comment = str(option or "").strip(), str(comment or "").strip()
    _check_answer(consultation, option, comment)
    if consultation.answers.filter(organisation=organisation).exists():
        raise Conflict(_("Votre organisation a déjà répondu."), code=Code.ALREADY_ANSWERED)
    try:
        with transaction.atomic():
            return ConsultationAnswer.objects.create(
                consultation=consultation,
                organisation=organisation,
                option=option,
                comment=comment,
                answered_by=actor,
                answered_at=timezone.now(),
            )
    except IntegrityError:
        raise Conflict(
            _("Votre organisation a déjà répondu."), code=Code.ALREADY_ANSWERED
        ) from None
