"""Correction requests: a person asks to correct their personal data (Senegal's law
2008-12, issue 14 point 5; docs/personal-data.md).

The person asks an agent or an officer (in person, by phone, by letter...); the agent
records the request (:func:`correction_request_create`): who asked, by which channel,
when, which fields with which values, and any free text. Whoever may edit the person then
decides (:func:`correction_request_decide`): accepting applies the change through
``registry.services.person_update`` (every rule of a person applies: dates, phone, CNI,
commune in reach, history), refusing needs a reason. Every request stays recorded with
who handled it, when and why.
"""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.errors import Conflict, Forbidden, NotFound, ValidationFailed
from core.services import service
from registry import rules as perms
from registry.errors import Code
from registry.models import (
    CorrectionChannel,
    CorrectionRequest,
    CorrectionRequester,
    CorrectionStatus,
    Person,
)
from registry.selectors import person_get

# The person's fields a request may ask to correct (those ``person_update`` accepts).
CORRECTABLE_FIELDS = (
    "first_name",
    "last_name",
    "sex",
    "birth_date",
    "phone",
    "national_id",
    "commune",
    "disability",
    "education_level",
)
VALUE_MAX = 200  # a requested value, as text
OUTCOMES = (CorrectionStatus.ACCEPTED, CorrectionStatus.REFUSED)


class _DryRun(Exception):
    """Raised to roll back the trial of a request's changes."""


def field_label(name: str) -> str:
    return str(Person._meta.get_field(name).verbose_name)


def person_value(person: Person, name: str):
    """The person's current value of ``name`` as a request writes it (text, or a boolean
    for ``disability``): a commune by its code, a date as AAAA-MM-JJ, "" when empty."""
    if name == "commune":
        return person.commune.code if person.commune_id else ""
    value = getattr(person, name)
    if name == "disability":
        return bool(value)
    if isinstance(value, datetime.date):
        return value.isoformat()
    return value or ""


def _as_bool(value, field: str) -> bool:
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in ("true", "1", "oui", "yes"):
        return True
    if text in ("false", "0", "non", "no"):
        return False
    raise ValidationFailed(
        _("Valeur invalide : oui ou non attendu."), code=Code.INVALID_CHOICE, field=field
    )


def clean_changes(person: Person, changes) -> dict:
    """The requested changes, keyed by the person's field names, values as text (a boolean
    for ``disability``); values equal to the current ones are dropped."""
    if not isinstance(changes, dict):
        raise ValidationFailed(_("Modifications invalides."), code=Code.INVALID, field="changes")
    cleaned = {}
    for name, value in changes.items():
        if name not in CORRECTABLE_FIELDS:
            raise ValidationFailed(
                _("Champ non modifiable par une demande : %(field)s.") % {"field": name},
                code=Code.NOT_EDITABLE,
                field=name,
            )
        if name == "disability":
            value = _as_bool(value, name)
        else:
            value = "" if value is None else str(value).strip()
            if len(value) > VALUE_MAX:
                raise ValidationFailed(
                    _("Texte trop long : %(length)s caractères pour %(max)s au plus.")
                    % {"length": len(value), "max": VALUE_MAX},
                    code=Code.TOO_LONG,
                    field=name,
                )
        if value != person_value(person, name):
            cleaned[name] = value
    return cleaned


def _try_changes(actor, person: Person, changes: dict) -> None:
    """Run the change through ``person_update`` and roll it back: a value the registry
    would refuse (a date in the future, a phone number that is not one, a commune out of
    reach...) is refused when the request is recorded, on its field."""
    from registry.services import person_update

    if not changes:
        return
    try:
        with transaction.atomic():
            person_update(actor=actor, person=person, **changes)
            raise _DryRun
    except _DryRun:
        pass


def _handled_person(actor, person_pk: int) -> Person:
    """The person, visible to ``actor`` (404 otherwise) and editable by them (403)."""
    person = person_get(actor=actor, pk=person_pk)
    if not perms.can_handle_corrections.test(actor, person):
        raise Forbidden(_("Action non autorisée pour votre rôle."))
    if person.merged_into_id:
        raise Conflict(
            _("Cette personne a été fusionnée : enregistrez la demande sur la fiche conservée."),
            code=Code.PERSON_MERGED,
        )
    return person


def _choice(value, choices, field: str):
    if value not in choices.values:
        raise ValidationFailed(
            _("Valeur invalide : %(value)s.") % {"value": value},
            code=Code.INVALID_CHOICE,
            field=field,
        )
    return value


@service(texts=(CorrectionRequest,), event_dates=("received_on",))
def correction_request_create(
    *,
    actor,
    person: Person,
    received_on: datetime.date,
    channel: str,
    changes: dict,
    details: str = "",
    asked_by: str = CorrectionRequester.SELF,
    representative_name: str = "",
) -> CorrectionRequest:
    """Record a person's request to correct their data (status open)."""
    person = _handled_person(actor, person.pk)
    if received_on is None:
        raise ValidationFailed(
            _("La date est obligatoire."), code=Code.REQUIRED, field="received_on"
        )
    _choice(channel, CorrectionChannel, "channel")
    _choice(asked_by, CorrectionRequester, "asked_by")
    representative_name = (representative_name or "").strip()
    if asked_by == CorrectionRequester.REPRESENTATIVE and not representative_name:
        raise ValidationFailed(
            _("Indiquez le nom du représentant."), code=Code.REQUIRED, field="representative_name"
        )
    changes = clean_changes(person, changes)
    details = (details or "").strip()
    if not changes and not details:
        raise ValidationFailed(
            _("Indiquez au moins une donnée à corriger ou une précision."),
            code=Code.REQUIRED,
            field="changes",
        )
    _try_changes(actor, person, changes)
    return CorrectionRequest.objects.create(
        person=person,
        received_on=received_on,
        channel=channel,
        asked_by=asked_by,
        representative_name=representative_name,
        changes=changes,
        details=details,
        recorded_by=actor if getattr(actor, "pk", None) else None,
    )


def _apply(actor, correction: CorrectionRequest) -> dict:
    """Apply the request's changes to the person; return ``{field: {"old", "new"}}``."""
    from registry.services import person_update

    person = Person.objects.select_related("commune").get(pk=correction.person_id)
    before = {name: person_value(person, name) for name in correction.changes}
    person = person_update(actor=actor, person=person, **correction.changes)
    person.refresh_from_db()
    applied = {}
    for name, old in before.items():
        new = person_value(person, name)
        if new != old:
            applied[name] = {"old": old, "new": new}
    record = person.history.order_by("-history_id").first()
    if applied and record is not None:
        record.history_change_reason = _("Demande de rectification n° %(pk)s") % {
            "pk": correction.pk
        }
        record.save(update_fields=["history_change_reason"])
    return applied


@service(texts=((CorrectionRequest, {"reason": "decision_reason"}),))
def correction_request_decide(
    *, actor, correction: CorrectionRequest, outcome: str, reason: str = ""
) -> CorrectionRequest:
    """Accept (the changes are applied to the person) or refuse (a reason is required)
    an open request; a request is decided once (409 ``already_decided``)."""
    try:
        correction = CorrectionRequest.objects.select_for_update().get(pk=correction.pk)
    except CorrectionRequest.DoesNotExist:
        raise NotFound(_("Demande introuvable.")) from None
    _handled_person(actor, correction.person_id)
    if correction.status != CorrectionStatus.OPEN:
        raise Conflict(_("Cette demande a déjà été traitée."), code=Code.ALREADY_DECIDED)
    if outcome not in OUTCOMES:
        raise ValidationFailed(
            _("Décision invalide : acceptée ou refusée."), code=Code.INVALID_CHOICE, field="outcome"
        )
    reason = (reason or "").strip()
    if outcome == CorrectionStatus.REFUSED and not reason:
        raise ValidationFailed(
            _("Le motif du refus est obligatoire."), code=Code.REQUIRED, field="reason"
        )
    if outcome == CorrectionStatus.ACCEPTED:
        correction.applied = _apply(actor, correction)
    correction.status = outcome
    correction.decision_reason = reason
    correction.handled_by = actor if getattr(actor, "pk", None) else None
    correction.handled_at = timezone.now()
    correction.save()
    return correction


def corrections_merge_person(*, keep: Person, duplicate: Person, actor, reason: str) -> None:
    """Person merge hook: the duplicate's requests move to the kept person."""
    for correction in CorrectionRequest.objects.filter(person=duplicate):
        correction.person = keep
        correction._change_reason = reason
        correction.save(update_fields=["person"])
