"""Every write of training and follow-up. Keyword-only, atomic, permission- and rule-checked."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from decimal import Decimal

from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from accounts.scoping import scope_for
from core.errors import Conflict, Forbidden, NotFound, ValidationFailed
from core.services import service
from core.text import fold
from geo.changes import areas_touch
from geo.models import AreaLevel
from registry.models import Membership, MembershipStatus, Stage
from registry.selectors import cooperative_scope_q, person_scope_q
from training.errors import Code
from training.models import (
    DIAGNOSTIC_AXES,
    SCORE_MAX,
    Attendance,
    Certification,
    Diagnostic,
    Module,
    Participant,
    Programme,
    Session,
    SessionKind,
    SupportPlan,
    Trainer,
    TrainerKind,
    Visit,
    VisitAction,
    VisitPhoto,
)
from training.rules import covers_area, is_national, is_staff, require_organiser

# --- permissions -------------------------------------------------------------------------


def _require_national(actor) -> None:
    if not is_national(actor):
        raise Forbidden(_("Seul le niveau national peut modifier ce référentiel."))


def _require_session_manager(actor, session_or_commune) -> None:
    commune = getattr(session_or_commune, "commune", session_or_commune)
    require_organiser(actor)
    if not covers_area(actor, commune):
        raise Forbidden(
            _("Cette commune est hors de votre zone d'intervention."),
            code=Code.OUT_OF_SCOPE,
            field="commune",
        )


def _require_follow_up(actor, cooperative) -> None:
    """Visits and plans: staff only, and only for a cooperative they see (else 404)."""
    if not is_staff(actor):
        raise Forbidden(_("Votre rôle ne permet pas d'enregistrer le suivi des coopératives."))
    from registry.models import Cooperative

    if not Cooperative.objects.filter(cooperative_scope_q(actor), pk=cooperative.pk).exists():
        raise NotFound(_("Coopérative introuvable."), field="cooperative")


# --- catalogue ---------------------------------------------------------------------------


def _module_check(*, code, programme, title, duration_days, audience, exclude_pk=None):
    if programme not in Programme.values:
        raise ValidationFailed(
            _("Programme inconnu."), code=Code.INVALID_PROGRAMME, field="programme"
        )
    if not (title or "").strip():
        raise ValidationFailed(_("L'intitulé est obligatoire."), code=Code.REQUIRED, field="title")
    if not (audience or "").strip():
        raise ValidationFailed(
            _("Le public est obligatoire."), code=Code.REQUIRED, field="audience"
        )
    if duration_days is None or duration_days < 1:
        raise ValidationFailed(
            _("La durée doit être d'au moins un jour."),
            code=Code.INVALID_DURATION,
            field="duration_days",
        )
    if Module.objects.filter(code=code).exclude(pk=exclude_pk).exists():
        raise Conflict(_("Ce code de module existe déjà."), code=Code.DUPLICATE, field="code")


@service(texts=(Module,))
def module_create(
    *,
    actor,
    code: str,
    programme: str,
    title: str,
    duration_days: int,
    audience: str,
    description: str = "",
    position: int = 0,
    active: bool = True,
) -> Module:
    _require_national(actor)
    _module_check(
        code=code,
        programme=programme,
        title=title,
        duration_days=duration_days,
        audience=audience,
    )
    return Module.objects.create(
        code=code,
        programme=programme,
        title=title.strip(),
        duration_days=duration_days,
        audience=audience.strip(),
        description=description,
        position=position,
        active=active,
    )


@service(texts=(Module,))
def module_update(
    *,
    actor,
    module: Module,
    programme: str,
    title: str,
    duration_days: int,
    audience: str,
    description: str = "",
    position: int = 0,
    active: bool = True,
) -> Module:
    _require_national(actor)
    _module_check(
        code=module.code,
        programme=programme,
        title=title,
        duration_days=duration_days,
        audience=audience,
        exclude_pk=module.pk,
    )
    module.programme = programme
    module.title = title.strip()
    module.duration_days = duration_days
    module.audience = audience.strip()
    module.description = description
    module.position = position
    module.active = active
    module.save()
    return module


# --- trainers ----------------------------------------------------------------------------


@service(texts=(Trainer,))
def trainer_create(
    *,
    actor,
    name: str = "",
    kind: str,
    organisation: str = "",
    user=None,
    person=None,
    phone: str = "",
) -> Trainer:
    """A trainer: a user (ministry agent), a person of the registry, or just a name."""
    _require_national(actor)
    if kind not in TrainerKind.values:
        raise ValidationFailed(
            _("Type de formateur inconnu."), code=Code.INVALID_KIND, field="kind"
        )
    if not (name or "").strip():
        name = (user and (user.get_full_name() or user.username)) or (person and str(person)) or ""
    if not name.strip():
        raise ValidationFailed(
            _("Indiquez le nom du formateur, un utilisateur ou une personne."),
            code=Code.REQUIRED,
            field="name",
        )
    if user is not None and Trainer.objects.filter(user=user).exists():
        raise Conflict(
            _("Cet utilisateur est déjà enregistré comme formateur."),
            code=Code.DUPLICATE,
            field="user",
        )
    return Trainer.objects.create(
        name=name.strip(),
        kind=kind,
        organisation=organisation.strip(),
        user=user,
        person=person,
        phone=phone.strip(),
        search_text=fold(name, organisation),
    )


@service(event_dates=("certified_on",))
def trainer_certify(
    *,
    actor,
    trainer: Trainer,
    module: Module,
    certified_on: datetime.date,
    tot_session: Session | None = None,
) -> Certification:
    """Certify a trainer for a module, usually at the end of a training of trainers."""
    _require_national(actor)
    if tot_session is not None:
        if tot_session.kind != SessionKind.TOT or tot_session.module_id != module.pk:
            raise ValidationFailed(
                _("La session indiquée n'est pas une formation de formateurs de ce module."),
                code=Code.TOT_SESSION_MISMATCH,
                field="tot_session",
            )
        if certified_on < tot_session.ends_on:
            raise ValidationFailed(
                _("La certification ne peut précéder la fin de la formation de formateurs."),
                code=Code.CERTIFIED_BEFORE_TOT_END,
                field="certified_on",
            )
    if Certification.objects.filter(trainer=trainer, module=module).exists():
        raise Conflict(
            _("Ce formateur est déjà certifié pour ce module."),
            code=Code.ALREADY_CERTIFIED,
            field="module",
        )
    return Certification.objects.create(
        trainer=trainer, module=module, certified_on=certified_on, tot_session=tot_session
    )


# --- sessions ----------------------------------------------------------------------------


def _check_trainers(module: Module, trainers: list[Trainer], on: datetime.date) -> None:
    if not trainers:
        raise ValidationFailed(
            _("Indiquez au moins un formateur."), code=Code.TRAINER_REQUIRED, field="trainers"
        )
    certified = set(
        Certification.objects.filter(
            module=module, trainer__in=trainers, certified_on__lte=on
        ).values_list("trainer_id", flat=True)
    )
    missing = [t for t in trainers if t.pk not in certified]
    if missing:
        raise Conflict(
            _("Formateur non certifié pour ce module : %(names)s.")
            % {"names": ", ".join(t.name for t in missing)},
            code=Code.TRAINER_NOT_CERTIFIED,
            field="trainers",
        )


@service(texts=(Session,), planned_dates=("starts_on", "ends_on"))
def session_create(
    *,
    actor,
    module: Module,
    commune,
    starts_on: datetime.date,
    ends_on: datetime.date,
    trainers: Iterable[Trainer],
    kind: str = SessionKind.REGULAR,
    venue: str = "",
    notes: str = "",
) -> Session:
    """Plan a session. Only trainers certified for the module (on its first day) may lead it."""
    trainers = list(dict.fromkeys(trainers))
    if commune.level != AreaLevel.COMMUNE:
        raise ValidationFailed(
            _("Une session a lieu dans une commune."), code=Code.COMMUNE_REQUIRED, field="commune"
        )
    _require_session_manager(actor, commune)
    if kind not in SessionKind.values:
        raise ValidationFailed(_("Type de session inconnu."), code=Code.INVALID_KIND, field="kind")
    if not module.active:
        raise ValidationFailed(
            _("Ce module n'est plus proposé."), code=Code.MODULE_INACTIVE, field="module"
        )
    if ends_on < starts_on:
        raise ValidationFailed(
            _("La date de fin précède la date de début."), code=Code.DATES_INVERTED, field="ends_on"
        )
    if (ends_on - starts_on).days > 30:
        raise ValidationFailed(
            _("Une session dure au plus 31 jours."), code=Code.SESSION_TOO_LONG, field="ends_on"
        )
    _check_trainers(module, trainers, starts_on)
    session = Session.objects.create(
        module=module,
        kind=kind,
        commune=commune,
        starts_on=starts_on,
        ends_on=ends_on,
        venue=venue.strip(),
        notes=notes,
        created_by=actor,
    )
    session.trainers.set(trainers)
    return session


def _active_memberships(person):
    return Membership.objects.filter(person=person, status=MembershipStatus.ACTIVE).order_by(
        "joined_on", "id"
    )


@service
def participant_enrol(*, actor, session: Session, person, cooperative=None) -> Participant:
    """Enrol a person; linked to the cooperative they are a member of (the first, or the one
    named)."""
    _require_session_manager(actor, session)
    from registry.models import Person

    if not Person.objects.filter(person_scope_q(actor), pk=person.pk).exists():
        raise NotFound(_("Personne introuvable."), field="person")
    memberships = _active_memberships(person)
    if cooperative is not None:
        if not memberships.filter(cooperative=cooperative).exists():
            raise ValidationFailed(
                _("Cette personne n'est pas membre de cette coopérative."),
                code=Code.NOT_A_MEMBER,
                field="cooperative",
            )
    else:
        first = memberships.select_related("cooperative").first()
        cooperative = first.cooperative if first else None
    if Participant.objects.filter(session=session, person=person).exists():
        raise Conflict(
            _("Cette personne est déjà inscrite à la session."),
            code=Code.ALREADY_ENROLLED,
            field="person",
        )
    return Participant.objects.create(session=session, person=person, cooperative=cooperative)


@service
def cooperative_members_enrol(*, actor, session: Session, cooperative) -> int:
    """Enrol every active member of a cooperative not yet enrolled; returns how many."""
    _require_session_manager(actor, session)
    _require_follow_up(actor, cooperative)
    enrolled = set(session.participants.values_list("person_id", flat=True))
    count = 0
    for m in Membership.objects.filter(
        cooperative=cooperative, status=MembershipStatus.ACTIVE
    ).select_related("person"):
        if m.person_id in enrolled:
            continue
        Participant.objects.create(session=session, person=m.person, cooperative=cooperative)
        count += 1
    return count


def _check_day(session: Session, day: datetime.date) -> None:
    if not (session.starts_on <= day <= session.ends_on):
        raise ValidationFailed(
            _("Le %(day)s est en dehors des dates de la session (%(start)s – %(end)s).")
            % {
                "day": day.strftime("%d/%m/%Y"),
                "start": session.starts_on.strftime("%d/%m/%Y"),
                "end": session.ends_on.strftime("%d/%m/%Y"),
            },
            code=Code.ATTENDANCE_OUT_OF_RANGE,
            field="day",
        )


def _refresh_completion(session: Session, participant_ids=None) -> None:
    """``completed`` = present on every day of the session."""
    days = len(session.days)
    participants = session.participants.all()
    if participant_ids is not None:
        participants = participants.filter(pk__in=participant_ids)
    present = {
        pid: n
        for pid, n in Attendance.objects.filter(
            participant__in=participants,
            present=True,
            day__range=(session.starts_on, session.ends_on),
        )
        .values_list("participant_id")
        .annotate(n=Count("id"))
    }
    done = [p.pk for p in participants if present.get(p.pk, 0) >= days]
    participants.filter(pk__in=done).exclude(completed=True).update(completed=True)
    participants.exclude(pk__in=done).exclude(completed=False).update(completed=False)
    areas_touch(
        [session.commune_id, *participants.values_list("cooperative__commune_id", flat=True)],
        on=session.starts_on,
    )


@service(event_dates=("day",))
def attendance_record(
    *, actor, session: Session, person, day: datetime.date, present: bool
) -> Attendance:
    """Record one person's presence (or absence) on one day of the session."""
    _require_session_manager(actor, session)
    _check_day(session, day)
    participant = Participant.objects.filter(session=session, person=person).first()
    if participant is None:
        raise ValidationFailed(
            _("Cette personne n'est pas inscrite à la session."),
            code=Code.NOT_ENROLLED,
            field="person",
        )
    attendance, created = Attendance.objects.get_or_create(
        participant=participant, day=day, defaults={"present": present}
    )
    if not created and attendance.present != present:
        attendance.present = present
        attendance.save(update_fields=["present"])
    _refresh_completion(session, [participant.pk])
    return attendance


def _check_score(score, field):
    if score is not None and not (0 <= score <= 20):
        raise ValidationFailed(
            _("La note doit être comprise entre 0 et 20."),
            code=Code.SCORE_OUT_OF_RANGE,
            field=field,
        )


@service
def attendance_sheet_record(
    *,
    actor,
    session: Session,
    presence: dict[int, set[datetime.date]],
    scores: dict[int, int | None] | None = None,
) -> int:
    """Enter a whole paper sheet back: for every participant and every day of the session,
    present if the day is in ``presence[participant_id]``, else absent. Returns rows written."""
    _require_session_manager(actor, session)
    participants = {p.pk: p for p in session.participants.all()}
    unknown = set(presence) - set(participants) | set(scores or {}) - set(participants)
    if unknown:
        raise ValidationFailed(
            _("Participant inconnu dans cette session."), code=Code.NOT_ENROLLED, field="person"
        )
    for days in presence.values():
        for day in days:
            _check_day(session, day)
    for pid, score in (scores or {}).items():
        _check_score(score, f"score_{pid}")
    existing = {
        (a.participant_id, a.day): a
        for a in Attendance.objects.filter(participant__session=session)
    }
    written = 0
    for pid in participants:
        for day in session.days:
            present = day in presence.get(pid, set())
            row = existing.get((pid, day))
            if row is None:
                Attendance.objects.create(participant_id=pid, day=day, present=present)
                written += 1
            elif row.present != present:
                row.present = present
                row.save(update_fields=["present"])
                written += 1
    for pid, score in (scores or {}).items():
        p = participants[pid]
        if p.evaluation_score != score:
            p.evaluation_score = score
            p.save(update_fields=["evaluation_score"])
    _refresh_completion(session)
    return written


@service(texts=(Participant,))
def participant_score(*, actor, participant: Participant, score: int | None) -> Participant:
    _require_session_manager(actor, participant.session)
    _check_score(score, "evaluation_score")
    participant.evaluation_score = score
    participant.save(update_fields=["evaluation_score"])
    return participant


# --- follow-up ---------------------------------------------------------------------------


def _clean_actions(actions, visited_on) -> list[dict]:
    cleaned = []
    for i, a in enumerate(actions or []):
        description = (a.get("description") or "").strip()
        owner = (a.get("owner") or "").strip()
        due_on = a.get("due_on")
        if not description:
            raise ValidationFailed(
                _("Décrivez l'action."), code=Code.REQUIRED, field=f"actions.{i}.description"
            )
        if not owner:
            raise ValidationFailed(
                _("Indiquez le responsable de l'action."),
                code=Code.REQUIRED,
                field=f"actions.{i}.owner",
            )
        if due_on is None:
            raise ValidationFailed(
                _("Indiquez l'échéance de l'action."),
                code=Code.REQUIRED,
                field=f"actions.{i}.due_on",
            )
        if due_on < visited_on:
            raise ValidationFailed(
                _("L'échéance d'une action ne peut précéder la visite."),
                code=Code.ACTION_DUE_BEFORE_VISIT,
                field=f"actions.{i}.due_on",
            )
        cleaned.append({"description": description, "owner": owner, "due_on": due_on})
    return cleaned


def _clean_diagnostic(diagnostic) -> dict | None:
    if not diagnostic:
        return None
    cleaned = {}
    for axis in DIAGNOSTIC_AXES:
        value = diagnostic.get(axis)
        if value is None:
            raise ValidationFailed(
                _("Notez chaque axe du diagnostic (0 à 4)."),
                code=Code.REQUIRED,
                field=f"diagnostic.{axis}",
            )
        if not (0 <= int(value) <= SCORE_MAX):
            raise ValidationFailed(
                _("Une note de diagnostic va de 0 à 4."),
                code=Code.SCORE_OUT_OF_RANGE,
                field=f"diagnostic.{axis}",
            )
        cleaned[axis] = int(value)
    return cleaned


# A visit's photo, compressed on the phone: at most this many bytes, JPEG or WebP only.
PHOTO_MAX_BYTES = 300_000
PHOTO_TYPES = {b"\xff\xd8\xff": "image/jpeg", b"RIFF": "image/webp"}


def _clean_position(position) -> dict:
    """``{"lat", "lon", "accuracy"}`` (degrees, metres) as the visit's columns."""
    if not position:
        return {}
    try:
        lat, lon = Decimal(str(position["lat"])), Decimal(str(position["lon"]))
        accuracy = position.get("accuracy")
        accuracy = None if accuracy is None else round(float(accuracy))
        valid = -90 <= lat <= 90 and -180 <= lon <= 180
        valid = valid and (accuracy is None or 0 <= accuracy <= 100_000)
    except (KeyError, TypeError, ValueError, ArithmeticError, AttributeError):
        valid = False
    if not valid:
        raise ValidationFailed(
            _("Position GPS invalide."), code=Code.INVALID_POSITION, field="position"
        )
    q = Decimal("0.00001")
    return {
        "latitude": lat.quantize(q),
        "longitude": lon.quantize(q),
        "position_accuracy": accuracy,
    }


def _photo_type(photo: bytes | None) -> str | None:
    """The photo's type, read from its first bytes (never from what the client says)."""
    if photo is None:
        return None
    kind = next((t for magic, t in PHOTO_TYPES.items() if photo.startswith(magic)), None)
    if kind == "image/webp" and photo[8:12] != b"WEBP":
        kind = None
    if kind is None or len(photo) > PHOTO_MAX_BYTES:
        raise ValidationFailed(
            _("La photo doit être une image JPEG ou WebP d'au plus %(n)s Ko.")
            % {"n": PHOTO_MAX_BYTES // 1000},
            code=Code.INVALID_PHOTO,
            field="photo",
        )
    return kind


@service(texts=(Visit,), event_dates=("visited_on",))
def visit_record(
    *,
    actor,
    cooperative,
    visited_on: datetime.date,
    purpose: str,
    findings: str = "",
    actions: list[dict] | None = None,
    diagnostic: dict | None = None,
    position: dict | None = None,
    photo: bytes | None = None,
) -> Visit:
    """Record a field visit, the actions agreed and, optionally, the diagnostic grid, the
    visitor's GPS ``position`` (``{"lat", "lon", "accuracy"}``) and a ``photo`` (JPEG or
    WebP bytes, compressed on the phone)."""
    _require_follow_up(actor, cooperative)
    if not (purpose or "").strip():
        raise ValidationFailed(
            _("Indiquez l'objet de la visite."), code=Code.REQUIRED, field="purpose"
        )
    cleaned_actions = _clean_actions(actions, visited_on)
    cleaned_diagnostic = _clean_diagnostic(diagnostic)
    where = _clean_position(position)
    photo_type = _photo_type(photo)
    visit = Visit.objects.create(
        cooperative=cooperative,
        visited_on=visited_on,
        purpose=purpose.strip(),
        findings=findings.strip(),
        visitor=actor,
        **where,
    )
    for a in cleaned_actions:
        VisitAction.objects.create(visit=visit, cooperative=cooperative, **a)
    if cleaned_diagnostic:
        Diagnostic.objects.create(visit=visit, cooperative=cooperative, **cleaned_diagnostic)
    if photo_type:
        VisitPhoto.objects.create(visit=visit, content_type=photo_type, data=photo)
    areas_touch([cooperative.commune_id], on=visited_on)
    return visit


@service(event_dates=("done_on",))
def visit_action_complete(*, actor, action: VisitAction, done_on: datetime.date) -> VisitAction:
    """Mark an action done. Staff in scope, or the cooperative's own officer."""
    scope = scope_for(actor)
    if action.cooperative_id not in scope.cooperative_ids:
        _require_follow_up(actor, action.cooperative)
    if action.done_on:
        raise Conflict(_("Cette action est déjà réalisée."), code=Code.ALREADY_DONE)
    if done_on < action.visit.visited_on:
        raise ValidationFailed(
            _("Une action ne peut être réalisée avant la visite."),
            code=Code.DONE_BEFORE_VISIT,
            field="done_on",
        )
    action.done_on = done_on
    action.save(update_fields=["done_on"])
    return action


@service(texts=(SupportPlan,), planned_dates=("review_on",))
def support_plan_save(
    *,
    actor,
    cooperative,
    objectives: str,
    planned_support: str = "",
    target_stage: str = "",
    review_on: datetime.date | None = None,
) -> SupportPlan:
    """Create or update the cooperative's support plan."""
    _require_follow_up(actor, cooperative)
    if not (objectives or "").strip():
        raise ValidationFailed(
            _("Indiquez les objectifs du plan."), code=Code.REQUIRED, field="objectives"
        )
    if target_stage and target_stage not in Stage.values:
        raise ValidationFailed(_("Étape inconnue."), code=Code.INVALID_STAGE, field="target_stage")
    plan, _created = SupportPlan.objects.update_or_create(
        cooperative=cooperative,
        defaults={
            "objectives": objectives.strip(),
            "planned_support": planned_support.strip(),
            "target_stage": target_stage,
            "review_on": review_on,
            "updated_by": actor,
        },
    )
    return plan


# --- person merge (registry.merge_hooks) -------------------------------------------------


@service
def participants_merge_person(*, keep, duplicate, actor, reason: str) -> None:
    """Move the duplicate's training to ``keep`` (hook of :func:`registry.services.
    person_merge`). Both enrolled in one session: one participant line stays (``keep``'s),
    each day's attendance merged (present if either record was present), the evaluation
    score and cooperative kept or else taken from the duplicate; completion recomputed."""
    kept = {
        p.session_id: p
        for p in Participant.objects.select_for_update()
        .filter(person=keep)
        .select_related("session")
    }
    for part in Participant.objects.select_for_update().filter(person=duplicate):
        other = kept.get(part.session_id)
        if other is None:
            part.person = keep
            part._change_reason = reason
            part.save()
            continue
        days = {a.day: a for a in Attendance.objects.select_for_update().filter(participant=other)}
        for att in Attendance.objects.select_for_update().filter(participant=part):
            mine = days.get(att.day)
            att._change_reason = reason
            if mine is None:
                att.participant = other
                att.save()
                continue
            if att.present and not mine.present:
                mine.present = True
                mine._change_reason = reason
                mine.save()
            att.delete()
        if other.evaluation_score is None:
            other.evaluation_score = part.evaluation_score
        other.cooperative_id = other.cooperative_id or part.cooperative_id
        other._change_reason = reason
        other.save()
        part._change_reason = reason
        part.delete()
        _refresh_completion(other.session, [other.pk])
    for trainer in Trainer.objects.select_for_update().filter(person=duplicate):
        trainer.person = keep
        trainer._change_reason = reason
        trainer.save()


def participant_communes(person_ids: list[int]) -> list[int]:
    """The communes of the sessions these persons attended (monitoring counts them there)."""
    return list(
        Participant.objects.filter(person_id__in=person_ids).values_list(
            "session__commune_id", flat=True
        )
    )
