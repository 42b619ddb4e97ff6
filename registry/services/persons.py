"""Persons: creation, changes, merging two records of one person, dismissing a likely
duplicate."""

from __future__ import annotations

from django.utils.translation import gettext as _

from accounts.models import RoleAssignment
from core.errors import Conflict, NotFound, ValidationFailed
from core.services import model_update, service
from core.text import fold
from geo.changes import areas_touch
from registry import cleaners as clean
from registry import rules as perms
from registry import scope_text
from registry.errors import Code
from registry.merge_hooks import person_communes_elsewhere, person_merge_hooks
from registry.models import (
    DuplicateDismissal,
    EducationLevel,
    Employment,
    MemberRole,
    Membership,
    MembershipStatus,
    Person,
    Sex,
)
from registry.services.checks import (
    actor_user,
    check_commune_in_reach,
    require,
    visible_person,
)


def identity_key(phone: str, birth_date, first_name: str, last_name: str) -> str:
    """Same phone + birth date + name ignoring case, accents and word order; "" if unknown."""
    if not phone or not birth_date:
        return ""
    name = " ".join(sorted(fold(first_name, last_name).split()))
    return f"{phone}|{birth_date.isoformat()}|{name}"[:200]


def person_search_text(person: Person) -> str:
    local = person.phone[4:] if person.phone.startswith("+221") else ""
    return fold(
        person.first_name, person.last_name, person.phone.lstrip("+"), local, person.national_id
    )[:300]


def _refresh_keys(person: Person) -> None:
    person.search_text = person_search_text(person)
    person.identity_key = identity_key(
        person.phone, person.birth_date, person.first_name, person.last_name
    )


PERSON_CLEANERS = {
    "first_name": lambda v: clean.required_text(v, "first_name", _("Le prénom"), 100),
    "last_name": lambda v: clean.required_text(v, "last_name", _("Le nom"), 100),
    "sex": lambda v: clean.choice(v, Sex, "sex", _("Sexe")),
    "birth_date": clean.birth_date,
    "phone": clean.normalize_phone,
    "national_id": clean.normalize_national_id,
    "commune": lambda v: clean.commune(v, required=False),
    "disability": bool,
    "education_level": lambda v: clean.choice(
        v, EducationLevel, "education_level", _("Niveau d'instruction"), blank=True
    ),
}


@service(texts=(Person,), event_dates=("birth_date",))
def person_create(
    *,
    actor,
    first_name: str,
    last_name: str,
    sex: str,
    birth_date=None,
    phone: str = "",
    national_id=None,
    commune=None,
    disability: bool = False,
    education_level: str = "",
) -> Person:
    """A new person. Likely duplicates are NOT refused: ask ``person_duplicates``."""
    require(perms.can_create_person.test(actor))
    values = {
        "first_name": first_name,
        "last_name": last_name,
        "sex": sex,
        "birth_date": birth_date,
        "phone": phone,
        "national_id": national_id,
        "commune": commune,
        "disability": disability,
        "education_level": education_level,
    }
    person = Person(**{k: PERSON_CLEANERS[k](v) for k, v in values.items()})
    person.created_by = actor_user(actor)
    check_commune_in_reach(actor, person.commune)
    _refresh_keys(person)
    person.save()
    scope_text.rebuild([person.pk])
    return person


@service(texts=(Person,), event_dates=("birth_date",))
def person_update(*, actor, person: Person, **fields) -> Person:
    person = (
        Person.objects.select_for_update(of=("self",)).select_related("commune").get(pk=person.pk)
    )
    visible_person(actor, person)
    require(perms.can_edit_person.test(actor, person))
    if person.merged_into_id:
        raise Conflict(
            _("Cette personne a été fusionnée : modifiez la fiche conservée."),
            code=Code.PERSON_MERGED,
        )
    old_commune_id = person.commune_id
    model_update(person, fields, allowed=PERSON_CLEANERS, cleaners=PERSON_CLEANERS)
    if person.commune_id != old_commune_id:
        check_commune_in_reach(actor, person.commune)
    _refresh_keys(person)
    person.save()
    if person.commune_id != old_commune_id:
        scope_text.rebuild([person.pk])
    if {"sex", "birth_date"} & set(fields):
        areas_touch(person_communes(person))
    return person


def person_communes(*persons: Person) -> list[int]:
    """The communes whose figures count these persons: their cooperatives' (memberships,
    jobs) and those the apps above the registry report through their merge hooks
    (training sessions, ...: monitoring, geo.changes)."""
    ids = [p.pk for p in persons]
    return [
        *Membership.objects.filter(person_id__in=ids).values_list(
            "cooperative__commune_id", flat=True
        ),
        *Employment.objects.filter(person_id__in=ids).values_list(
            "cooperative__commune_id", flat=True
        ),
        *person_communes_elsewhere(ids),
    ]


MERGE_FILL_FIELDS = ["birth_date", "phone", "national_id", "commune", "education_level"]


def _lock_pair(actor, keep: Person, duplicate: Person) -> tuple[Person, Person]:
    if keep.pk == duplicate.pk:
        raise ValidationFailed(
            _("Une personne ne peut être fusionnée avec elle-même."), code=Code.MERGE_SELF
        )
    locked = {
        p.pk: p
        for p in Person.objects.select_for_update(of=("self",))
        .select_related("commune")
        .filter(pk__in=[keep.pk, duplicate.pk])
        .order_by("pk")  # one locking order: two merges of one pair never deadlock
    }
    if len(locked) != 2:
        raise NotFound(_("Personne introuvable."))
    keep, duplicate = locked[keep.pk], locked[duplicate.pk]
    for p in (keep, duplicate):
        visible_person(actor, p)
        require(perms.can_merge_persons.test(actor, p))
        if p.merged_into_id:
            raise Conflict(
                _("%(person)s a déjà été fusionnée.") % {"person": p}, code=Code.PERSON_MERGED
            )
    return keep, duplicate


def _merge_memberships(keep: Person, duplicate: Person, reason: str) -> None:
    """Memberships move; when both are active members of one cooperative, ``keep``'s stays
    (earliest join date, the office if only the duplicate held one) and the duplicate's is
    closed on its join date."""
    kept_active = {
        m.cooperative_id: m
        for m in Membership.objects.select_for_update().filter(
            person=keep, status=MembershipStatus.ACTIVE
        )
    }
    for m in Membership.objects.select_for_update().filter(person=duplicate):
        other = kept_active.get(m.cooperative_id)
        if m.status == MembershipStatus.ACTIVE and other is not None:
            other.joined_on = min(other.joined_on, m.joined_on)
            if other.role == MemberRole.MEMBRE and m.role != MemberRole.MEMBRE:
                other.role = m.role
            m.status = MembershipStatus.LEFT
            m.left_on = m.joined_on
            m.role = MemberRole.MEMBRE
            other._change_reason = reason
            other.save()
        m.person = keep
        m._change_reason = reason
        m.save()
    for job in Employment.objects.select_for_update().filter(person=duplicate):
        job.person = keep
        job._change_reason = reason
        job.save()


def _merge_logins(keep: Person, duplicate: Person, reason: str) -> None:
    """A member's login follows the person (accounts sits below the registry)."""
    for assignment in RoleAssignment.objects.select_for_update().filter(person=duplicate):
        assignment.person = keep
        assignment._change_reason = reason
        assignment.save()


@service
def person_merge(*, actor, keep: Person, duplicate: Person) -> Person:
    """Fold ``duplicate`` into ``keep``: everything that belongs to the duplicate moves to
    ``keep`` (memberships, jobs, member logins here; training, loans, shares, books,
    governance and the records of later apps through their hooks,
    :mod:`registry.merge_hooks`), blanks of ``keep`` are filled from ``duplicate``, which
    stays as a tombstone marked ``merged_into`` (never deleted, so every history row
    stays). One transaction: a hook that refuses leaves nothing written.
    """
    keep, duplicate = _lock_pair(actor, keep, duplicate)
    communes_before = person_communes(keep, duplicate)
    for field in MERGE_FILL_FIELDS:
        if getattr(keep, field) in (None, "") and getattr(duplicate, field) not in (None, ""):
            setattr(keep, field, getattr(duplicate, field))
    keep.disability = keep.disability or duplicate.disability
    _refresh_keys(keep)
    keep._change_reason = f"fusion de la personne {duplicate.pk}"
    keep.save()
    reason = f"fusion de la personne {duplicate.pk} dans {keep.pk}"
    _merge_memberships(keep, duplicate, reason)
    _merge_logins(keep, duplicate, reason)
    for hook in person_merge_hooks():
        hook.move(keep=keep, duplicate=duplicate, actor=actor, reason=reason)
    duplicate.merged_into = keep
    duplicate._change_reason = f"fusionnée dans {keep.pk}"
    duplicate.save()
    scope_text.rebuild([keep.pk, duplicate.pk])  # last: the saves above write the column
    areas_touch([*communes_before, *person_communes(keep)])
    return keep


DISMISSAL_REASON_MAX = 255


def _pair(a: Person, b: Person) -> tuple[int, int]:
    return (a.pk, b.pk) if a.pk < b.pk else (b.pk, a.pk)


@service
def duplicate_dismiss(*, actor, person: Person, other: Person, reason: str) -> DuplicateDismissal:
    """Record that ``person`` and ``other`` are two different people: the pair is no longer
    proposed as likely duplicates (page, API ``likely_duplicates``). Who may merge them may
    dismiss them; the reason (what was checked) is required."""
    if person.pk == other.pk:
        raise ValidationFailed(
            _("Choisissez deux fiches différentes."), code=Code.DISMISS_SELF, field="other"
        )
    person, other = _lock_pair(actor, person, other)
    if "\x00" in str(reason or ""):
        raise ValidationFailed(_("Caractère nul refusé."), code=Code.NUL_BYTE, field="reason")
    reason = clean.required_text(reason, "reason", _("Le motif"), DISMISSAL_REASON_MAX)
    low, high = _pair(person, other)
    if DuplicateDismissal.objects.filter(person_low_id=low, person_high_id=high).exists():
        raise Conflict(
            _("Ces deux fiches sont déjà marquées comme deux personnes différentes."),
            code=Code.ALREADY_DISMISSED,
        )
    return DuplicateDismissal.objects.create(
        person_low_id=low, person_high_id=high, reason=reason, dismissed_by=actor
    )
