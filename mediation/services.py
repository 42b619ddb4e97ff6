"""Every write of mediation (docs/mediation.md)."""

from __future__ import annotations

import datetime

from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.translation import gettext as _

from core.errors import Conflict, Forbidden, NotFound, ValidationFailed
from core.services import service
from mediation import rules
from mediation.errors import Code
from mediation.models import Case, Category, Entry, EntryKind, Mediator, Outcome, Status
from network.models import Organisation, OrgStatus
from network.rules import network_scope


def _required(value, field: str) -> str:
    value = str(value or "").strip()
    if not value:
        raise ValidationFailed(_("Ce champ est obligatoire."), code=Code.REQUIRED, field=field)
    return value


@service(texts=((Mediator, {"languages": "languages"}),))
def mediator_add(*, actor, username: str, languages: str = "") -> Mediator:
    """An administrator puts an account on the network's list of mediators."""
    if not rules.is_mediation_admin(actor):
        raise Forbidden(_("Seuls les administrateurs du réseau tiennent la liste."))
    user = get_user_model().objects.filter(username=str(username or "")[:150]).first()
    if user is None or not user.is_active:
        raise ValidationFailed(_("Compte introuvable."), code=Code.NOT_FOUND, field="username")
    mediator, _created = Mediator.objects.update_or_create(
        user=user, defaults={"languages": str(languages).strip(), "active": True, "added_by": actor}
    )
    return mediator


@service(texts=(Case,))
def case_file(
    *,
    actor,
    complainant: Organisation,
    respondent: Organisation | None,
    category: str,
    subject: str,
    description: str,
    now=None,
) -> Case:
    """A member organisation's account files a dispute with another member, or with the
    platform (``respondent=None``)."""
    if complainant.pk not in network_scope(actor).organisation_ids:
        raise Forbidden(_("Seuls les comptes de l'organisation déposent en son nom."))
    complainant = Organisation.objects.get(pk=complainant.pk)
    if complainant.status != OrgStatus.APPROVED:
        raise Conflict(_("L'organisation n'est pas encore membre publiée."), code=Code.NOT_APPROVED)
    if respondent is not None and respondent.pk == complainant.pk:
        raise ValidationFailed(
            _("Une organisation ne saisit pas la médiation contre elle-même."),
            code=Code.INVALID,
            field="respondent",
        )
    if category not in Category.values:
        raise ValidationFailed(_("Valeur inconnue."), code=Code.INVALID_CHOICE, field="category")
    open_cases = Case.objects.filter(complainant=complainant).exclude(status=Status.CLOSED)
    if open_cases.count() >= 10:
        raise Conflict(_("Au plus 10 médiations ouvertes par organisation."), code=Code.TOO_MANY)
    return Case.objects.create(
        complainant=complainant,
        respondent=respondent,
        against_platform=respondent is None,
        category=category,
        subject=_required(subject, "subject"),
        description=_required(description, "description"),
        filed_by=actor,
        filed_at=now or timezone.now(),
    )


def mediator_is_party(mediator: Mediator, case: Case) -> bool:
    """The mediator's account acts for a party, filed the case, or (a dispute with the
    platform) is one of the network's administrators."""
    return rules.is_party(mediator.user, case)


@service
def mediator_appoint(*, actor, case: Case, mediator: Mediator, now=None) -> Case:
    """An administrator appoints a mediator from the list to a filed dispute; a mediator
    who is a party is refused (409 ``mediator_is_party``)."""
    if not rules.is_mediation_admin(actor):
        raise Forbidden(_("Seuls les administrateurs du réseau désignent le médiateur."))
    case = Case.objects.select_for_update().get(pk=case.pk)
    if case.status == Status.CLOSED:
        raise Conflict(_("La médiation est close."), code=Code.CLOSED)
    if not mediator.active:
        raise ValidationFailed(
            _("Ce médiateur n'est plus sur la liste."), code=Code.INVALID, field="mediator"
        )
    if mediator_is_party(mediator, case):
        raise Conflict(
            _("Ce médiateur est partie au différend : désignez-en un autre."),
            code=Code.MEDIATOR_IS_PARTY,
            field="mediator",
        )
    case.mediator, case.appointed_at = mediator, now or timezone.now()
    case.status = Status.MEDIATION
    case.save()
    return case


@service(texts=((Entry, {"body": "body", "place": "place"}),), planned_dates=("meeting_at",))
def entry_add(
    *,
    actor,
    case: Case,
    body: str,
    meeting_at: datetime.datetime | None = None,
    place: str = "",
) -> Entry:
    """A party or the mediator writes in the file; only the mediator sets a meeting."""
    case = Case.objects.select_related("mediator").get(pk=case.pk)  # its state now
    if not rules.may_read_file(actor, case):
        raise NotFound(_("Médiation introuvable."))
    if case.status == Status.CLOSED:
        raise Conflict(_("La médiation est close."), code=Code.CLOSED)
    kind = EntryKind.MESSAGE
    if meeting_at is not None:
        if not rules.is_case_mediator(actor, case):
            raise Forbidden(_("Seul le médiateur fixe les réunions."))
        kind = EntryKind.MEETING
    return Entry.objects.create(
        case=case,
        author=actor,
        kind=kind,
        body=_required(body, "body"),
        meeting_at=meeting_at,
        place=str(place or "").strip(),
    )


@service(texts=((Case, {"summary": "outcome_summary"}),))
def case_close(*, actor, case: Case, outcome: str, summary: str, now=None) -> Case:
    """The mediator closes the case with its outcome and a summary (for the parties)."""
    case = Case.objects.select_for_update().get(pk=case.pk)
    if not rules.is_case_mediator(actor, case):
        if rules.may_read_file(actor, case):
            raise Forbidden(_("Seul le médiateur clôt la médiation."))
        raise NotFound(_("Médiation introuvable."))
    if case.status == Status.CLOSED:
        raise Conflict(_("La médiation est déjà close."), code=Code.CLOSED)
    if outcome not in Outcome.values:
        raise ValidationFailed(_("Valeur inconnue."), code=Code.INVALID_CHOICE, field="outcome")
    case.outcome, case.outcome_summary = outcome, _required(summary, "summary")
    case.status, case.closed_at = Status.CLOSED, now or timezone.now()
    case.save()
    return case
