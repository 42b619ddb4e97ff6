"""Every write of the registry: cooperatives, persons, memberships, jobs, sectors.

Each function is keyword-only, atomic (``@service``), takes the acting user, checks
permission (:mod:`registry.rules`: ``NotFound`` when the object is outside the actor's
scope, ``Forbidden`` when the role may not write) and the law (:mod:`registry.ohada`:
``Conflict``), and writes nothing when a check fails.

Foreign keys may be given as objects or as their natural key: ``commune`` as an area
code, ``sector`` as a sector code, ``sponsor`` as a partner name (imports and the API use
codes, the HTML forms use objects).
"""

from __future__ import annotations

import datetime
import re

import phonenumbers
from django.conf import settings
from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import validate_email
from django.db import connection
from django.db.models import Count, Q
from django.utils.translation import gettext as _

from accounts.models import RoleAssignment
from accounts.scoping import scope_for
from core.errors import Conflict, Forbidden, NotFound, ValidationFailed
from core.services import service
from core.text import fold
from geo.changes import areas_touch
from geo.models import Area, AreaLevel
from registry import ohada
from registry import rules as perms
from registry.merge_hooks import person_communes_elsewhere, person_merge_hooks
from registry.models import (
    ContractType,
    Cooperative,
    DuplicateDismissal,
    EducationLevel,
    Employment,
    LegalForm,
    MemberRole,
    Membership,
    MembershipStatus,
    Partner,
    Person,
    Sector,
    Sex,
    Stage,
    StageTransition,
    ValueChainStage,
)

# --------------------------------------------------------------------------- helpers


def _require(allowed: bool, message: str = "Action non autorisée pour votre rôle.") -> None:
    if not allowed:
        raise Forbidden(message)


def _visible_cooperative(actor, coop: Cooperative) -> None:
    """NotFound when ``coop`` is outside the actor's scope (never reveal it exists)."""
    from registry.selectors import cooperative_scope_q

    if scope_for(actor).national:
        return
    if not Cooperative.objects.filter(cooperative_scope_q(actor), pk=coop.pk).exists():
        raise NotFound("Coopérative introuvable.")


def _visible_person(actor, person: Person) -> None:
    from registry.selectors import person_scope_q

    if scope_for(actor).national:
        return
    if not Person.objects.filter(person_scope_q(actor), pk=person.pk).exists():
        raise NotFound("Personne introuvable.")


def _required_text(value, field: str, label: str, max_length: int) -> str:
    value = " ".join(str(value or "").split())
    if not value:
        raise ValidationFailed(f"{label} est obligatoire.", code="required", field=field)
    if len(value) > max_length:
        raise ValidationFailed(
            f"{label} : {max_length} caractères au plus.", code="too_long", field=field
        )
    return value


def _choice(value, choices, field: str, label: str, *, blank: bool = False) -> str:
    value = "" if value is None else str(value).strip()
    if blank and value == "":
        return ""
    if value not in choices.values:
        allowed = ", ".join(choices.values)
        raise ValidationFailed(
            f"{label} invalide : « {value} » (valeurs possibles : {allowed}).",
            code="invalid_choice",
            field=field,
        )
    return value


def _date(value, field: str, label: str, *, required: bool = True) -> datetime.date | None:
    if value in (None, ""):
        if required:
            raise ValidationFailed(f"{label} est obligatoire.", code="required", field=field)
        return None
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    try:
        return datetime.date.fromisoformat(str(value).strip())
    except ValueError:
        raise ValidationFailed(
            f"{label} : date invalide (AAAA-MM-JJ attendu).", code="invalid_date", field=field
        ) from None


def _commune(value, *, required: bool = True) -> Area | None:
    if value in (None, ""):
        if required:
            raise ValidationFailed("La commune est obligatoire.", code="required", field="commune")
        return None
    area = value
    if not isinstance(value, Area):
        area = Area.objects.filter(code=str(value).strip()).first()
        if area is None:
            raise ValidationFailed(
                f"Commune inconnue : {value}.", code="unknown_commune", field="commune"
            )
    if area.level != AreaLevel.COMMUNE:
        raise ValidationFailed(
            f"« {area} » n'est pas une commune.", code="not_a_commune", field="commune"
        )
    return area


def _sector(value) -> Sector:
    if value in (None, ""):
        raise ValidationFailed("Le secteur est obligatoire.", code="required", field="sector")
    if isinstance(value, Sector):
        return value
    sector = Sector.objects.filter(code=str(value).strip()).first()
    if sector is None:
        raise ValidationFailed(f"Secteur inconnu : {value}.", code="unknown_sector", field="sector")
    return sector


def _sponsor(value) -> Partner | None:
    if value in (None, ""):
        return None
    if isinstance(value, Partner):
        return value
    partner = Partner.objects.filter(name=str(value).strip()).first()
    if partner is None:
        raise ValidationFailed(
            f"Partenaire inconnu : {value}.", code="unknown_partner", field="sponsor"
        )
    return partner


def normalize_phone(raw, *, field: str = "phone") -> str:
    """E.164 through ``phonenumbers`` (region SN by default); "" stays ""."""
    raw = str(raw or "").strip()
    if not raw:
        return ""
    region = settings.SUNUCOOP.get("DEFAULT_PHONE_REGION", "SN")
    try:
        number = phonenumbers.parse(raw, region)
    except phonenumbers.NumberParseException:
        number = None
    if number is None or not phonenumbers.is_valid_number(number):
        raise ValidationFailed(
            f"Numéro de téléphone invalide : « {raw} ».", code="invalid_phone", field=field
        )
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


NATIONAL_ID_SEPARATORS = re.compile(r"[\s.\-/]")
NATIONAL_ID_SHAPE = re.compile(r"^[0-9A-Z]{5,20}$")


def normalize_national_id(raw) -> str | None:
    """Loose check (FACTS.md: the CNI CEDEAO format is not confirmed).

    Spaces, dots, dashes and slashes are dropped, letters upper-cased; what remains must
    be 5 to 20 letters or digits. No checksum, no length of 13 imposed.
    """
    if raw in (None, ""):
        return None
    value = NATIONAL_ID_SEPARATORS.sub("", str(raw)).upper()
    if not value:
        return None
    if not NATIONAL_ID_SHAPE.match(value):
        raise ValidationFailed(
            "Numéro de CNI invalide : 5 à 20 chiffres ou lettres attendus.",
            code="invalid_national_id",
            field="national_id",
        )
    return value


def _coordinate(value, field: str, limit: int):
    if value in (None, ""):
        return None
    from decimal import Decimal, InvalidOperation

    try:
        number = Decimal(str(value).replace(",", ".").strip()).quantize(Decimal("0.000001"))
    except InvalidOperation:
        raise ValidationFailed(
            "Coordonnée invalide.", code="invalid_coordinate", field=field
        ) from None
    if not -limit <= number <= limit:
        raise ValidationFailed(
            f"Coordonnée hors limites (±{limit}).", code="invalid_coordinate", field=field
        )
    return number


def _amount(value, field: str) -> int:
    """A whole, non-negative number of francs (XOF has no decimals)."""
    if isinstance(value, int) and not isinstance(value, bool):
        pay = value
    else:
        text = str(value if value is not None else "0").replace(" ", "").replace("\u202f", "")
        if not text.isdigit():
            raise ValidationFailed(
                "Montant invalide (nombre entier de F CFA).", code="invalid_amount", field=field
            )
        pay = int(text)
    if pay < 0:
        raise ValidationFailed(
            "Le montant ne peut être négatif.", code="invalid_amount", field=field
        )
    return pay


def _email(value) -> str:
    value = str(value or "").strip()
    if value:
        try:
            validate_email(value)
        except DjangoValidationError:
            raise ValidationFailed(
                "Adresse e-mail invalide.", code="invalid_email", field="email"
            ) from None
    return value


def _registration_number(value, *, exclude_pk=None) -> str | None:
    value = " ".join(str(value or "").split()) or None
    if value:
        clash = Cooperative.objects.filter(registration_number=value)
        if exclude_pk:
            clash = clash.exclude(pk=exclude_pk)
        if clash.exists():
            raise Conflict(
                f"Le numéro d'immatriculation {value} est déjà attribué.",
                code="duplicate_registration_number",
                field="registration_number",
            )
    return value


def _country(coop: Cooperative) -> str:
    return coop.commune.country_code if coop.commune_id else ohada.DEFAULT_COUNTRY


def _cooperative_search_text(coop: Cooperative) -> str:
    return fold(coop.name, coop.registration_number, coop.commune.name if coop.commune else "")[
        :400
    ]


def _active_counts(coop: Cooperative) -> tuple[int, int]:
    """(active members, active members holding a committee office)."""
    active = Membership.objects.filter(cooperative=coop, status=MembershipStatus.ACTIVE)
    return active.count(), active.filter(role__in=ohada.COMMITTEE_ROLES).count()


# --------------------------------------------------------------------------- sectors


@service(texts=(Sector,))
def sector_create(*, actor, code: str, name: str, active: bool = True) -> Sector:
    _require(perms.can_manage_sectors.test(actor))
    code = fold(_required_text(code, "code", "Le code", 40)).replace(" ", "-")
    name = _required_text(name, "name", "Le nom", 120)
    if Sector.objects.filter(code=code).exists():
        raise Conflict(f"Le secteur {code} existe déjà.", code="duplicate_sector", field="code")
    return Sector.objects.create(code=code, name=name, active=active)


@service(texts=(Sector,))
def sector_update(*, actor, sector: Sector, **fields) -> Sector:
    _require(perms.can_manage_sectors.test(actor))
    unknown = set(fields) - {"name", "active"}
    if unknown:
        raise ValidationFailed(
            f"Champ non modifiable : {sorted(unknown)[0]}.",
            code="not_editable",
            field=sorted(unknown)[0],
        )
    if "name" in fields:
        sector.name = _required_text(fields["name"], "name", "Le nom", 120)
    if "active" in fields:
        sector.active = bool(fields["active"])
    sector.save()
    return sector


@service(texts=(Partner,))
def partner_create(*, actor, name: str, kind: str = "") -> Partner:
    """A sponsoring company or institution (national role)."""
    _require(perms.can_manage_sectors.test(actor))
    name = _required_text(name, "name", "Le nom", 160)
    if Partner.objects.filter(name=name).exists():
        raise Conflict(f"Le partenaire {name} existe déjà.", code="duplicate_partner", field="name")
    return Partner.objects.create(name=name, kind=" ".join(str(kind or "").split())[:40])


# --------------------------------------------------------------------------- cooperatives


@service(texts=(Cooperative,), event_dates=("founded_on", "on"))
def cooperative_register(
    *,
    actor,
    name: str,
    legal_form: str,
    commune,
    sector,
    value_chain_stage: str,
    founded_on=None,
    registration_number=None,
    phone: str = "",
    email: str = "",
    address: str = "",
    latitude=None,
    longitude=None,
    sponsor=None,
    on: datetime.date | None = None,
) -> Cooperative:
    """A new cooperative at stage ``sensibilisee``, its first transition recorded.

    ``on`` dates that first transition (default: ``founded_on``, else today).
    """
    _require(perms.can_register_cooperative.test(actor))
    coop = Cooperative(
        name=_required_text(name, "name", "Le nom", 200),
        legal_form=_choice(legal_form, LegalForm, "legal_form", "Forme juridique"),
        commune=_commune(commune),
        sector=_sector(sector),
        value_chain_stage=_choice(
            value_chain_stage, ValueChainStage, "value_chain_stage", "Maillon"
        ),
        founded_on=_date(founded_on, "founded_on", "La date de création", required=False),
        registration_number=_registration_number(registration_number),
        phone=normalize_phone(phone),
        email=_email(email),
        address=" ".join(str(address or "").split())[:255],
        latitude=_coordinate(latitude, "latitude", 90),
        longitude=_coordinate(longitude, "longitude", 180),
        sponsor=_sponsor(sponsor),
        stage=Stage.SENSIBILISEE,
        created_by=actor if getattr(actor, "pk", None) else None,
    )
    scope = scope_for(actor)
    if not scope.national and not any(coop.commune.path.startswith(p) for p in scope.area_paths):
        raise Forbidden(
            "Cette commune est hors de votre zone.", code="out_of_scope", field="commune"
        )
    on = on or coop.founded_on or datetime.date.today()
    coop.stage_changed_on = on
    coop.search_text = _cooperative_search_text(coop)
    coop.save()
    StageTransition.objects.create(
        cooperative=coop,
        from_stage="",
        to_stage=Stage.SENSIBILISEE,
        on=on,
        actor=actor if getattr(actor, "pk", None) else None,
    )
    areas_touch([coop.commune_id])
    return coop


COOPERATIVE_EDITABLE = {
    "name",
    "legal_form",
    "registration_number",
    "commune",
    "sector",
    "value_chain_stage",
    "founded_on",
    "phone",
    "email",
    "address",
    "latitude",
    "longitude",
    "sponsor",
}


@service(texts=(Cooperative,), event_dates=("founded_on",))
def cooperative_update(*, actor, cooperative: Cooperative, **fields) -> Cooperative:
    """Change the given fields (not the stage: see :func:`cooperative_stage_change`)."""
    coop = Cooperative.objects.select_for_update().select_related("commune").get(pk=cooperative.pk)
    _visible_cooperative(actor, coop)
    _require(perms.can_edit_cooperative.test(actor, coop))
    unknown = set(fields) - COOPERATIVE_EDITABLE
    if unknown:
        field = sorted(unknown)[0]
        raise ValidationFailed(
            f"Champ non modifiable ici : {field}.", code="not_editable", field=field
        )
    cleaners = {
        "name": lambda v: _required_text(v, "name", "Le nom", 200),
        "legal_form": lambda v: _choice(v, LegalForm, "legal_form", "Forme juridique"),
        "registration_number": lambda v: _registration_number(v, exclude_pk=coop.pk),
        "commune": _commune,
        "sector": _sector,
        "value_chain_stage": lambda v: _choice(v, ValueChainStage, "value_chain_stage", "Maillon"),
        "founded_on": lambda v: _date(v, "founded_on", "La date de création", required=False),
        "phone": normalize_phone,
        "email": _email,
        "address": lambda v: " ".join(str(v or "").split())[:255],
        "latitude": lambda v: _coordinate(v, "latitude", 90),
        "longitude": lambda v: _coordinate(v, "longitude", 180),
        "sponsor": _sponsor,
    }
    areas_touch([coop.commune_id])  # the old commune, if it moves
    for field, value in fields.items():
        setattr(coop, field, cleaners[field](value))
    if "commune" in fields:
        _require(
            perms.can_edit_cooperative.test(actor, coop),
            "Cette commune est hors de votre zone.",
        )
    if "legal_form" in fields and coop.stage in ohada.law_for(_country(coop)).registered_stages:
        active, committee = _active_counts(coop)
        rules = ohada.form_rules(_country(coop), coop.legal_form)
        if active < rules.min_members:
            raise Conflict(
                f"Une {rules.label} doit compter au moins {rules.min_members} membres actifs "
                f"à l'étape actuelle ({active} actuellement).",
                code="ohada_min_members",
                field="legal_form",
            )
        ohada.check_committee(
            country=_country(coop),
            legal_form=coop.legal_form,
            active_members=active,
            committee_size=committee,
        )
    coop.search_text = _cooperative_search_text(coop)
    coop.save()
    areas_touch([coop.commune_id])
    return coop


@service(
    texts=(
        (StageTransition, {"note": "note"}),
        (Cooperative, {"registration_number": "registration_number"}),
    ),
    event_dates=("on",),
)
def cooperative_stage_change(
    *,
    actor,
    cooperative: Cooperative,
    stage: str,
    on,
    note: str = "",
    registration_number=None,
) -> Cooperative:
    """Move along the lifecycle (rules in :mod:`registry.ohada`); records the transition.

    ``registration_number`` may be given at the same time (typically with
    ``immatriculee``).
    """
    coop = Cooperative.objects.select_for_update().select_related("commune").get(pk=cooperative.pk)
    _visible_cooperative(actor, coop)
    _require(perms.can_change_stage.test(actor, coop))
    stage = _choice(stage, Stage, "stage", "Étape")
    on = _date(on, "on", "La date")
    if coop.stage_changed_on and on < coop.stage_changed_on:
        raise ValidationFailed(
            f"La date ne peut précéder celle de l'étape actuelle "
            f"({coop.stage_changed_on:%d/%m/%Y}).",
            code="stage_date",
            field="on",
        )
    if registration_number not in (None, ""):
        coop.registration_number = _registration_number(registration_number, exclude_pk=coop.pk)
    active, committee = _active_counts(coop)
    ohada.check_stage_change(
        country=_country(coop),
        legal_form=coop.legal_form,
        current=coop.stage,
        target=stage,
        active_members=active,
        committee_size=committee,
        registration_number=coop.registration_number,
    )
    StageTransition.objects.create(
        cooperative=coop,
        from_stage=coop.stage,
        to_stage=stage,
        on=on,
        note=" ".join(str(note or "").split())[:255],
        actor=actor if getattr(actor, "pk", None) else None,
    )
    coop.stage = stage
    coop.stage_changed_on = on
    coop.search_text = _cooperative_search_text(coop)
    coop.save()
    areas_touch([coop.commune_id])
    return coop


# --------------------------------------------------------------------------- persons


def identity_key(phone: str, birth_date, first_name: str, last_name: str) -> str:
    """Same phone + birth date + name ignoring case, accents and word order; "" if unknown."""
    if not phone or not birth_date:
        return ""
    name = " ".join(sorted(fold(first_name, last_name).split()))
    return f"{phone}|{birth_date.isoformat()}|{name}"[:200]


def _person_search_text(person: Person) -> str:
    local = person.phone[4:] if person.phone.startswith("+221") else ""
    return fold(
        person.first_name, person.last_name, person.phone.lstrip("+"), local, person.national_id
    )[:300]


def _person_refresh_keys(person: Person) -> None:
    person.search_text = _person_search_text(person)
    person.identity_key = identity_key(
        person.phone, person.birth_date, person.first_name, person.last_name
    )


PERSON_CLEANERS = {
    "first_name": lambda v: _required_text(v, "first_name", "Le prénom", 100),
    "last_name": lambda v: _required_text(v, "last_name", "Le nom", 100),
    "sex": lambda v: _choice(v, Sex, "sex", "Sexe"),
    "birth_date": lambda v: _birth_date(v),
    "phone": normalize_phone,
    "national_id": normalize_national_id,
    "commune": lambda v: _commune(v, required=False),
    "disability": bool,
    "education_level": lambda v: _choice(
        v, EducationLevel, "education_level", "Niveau d'instruction", blank=True
    ),
}


def _birth_date(value):
    d = _date(value, "birth_date", "La date de naissance", required=False)
    if d is not None and (d > datetime.date.today() or d.year < 1900):
        raise ValidationFailed(
            "Date de naissance impossible.", code="invalid_birth_date", field="birth_date"
        )
    return d


def _check_commune_in_reach(actor, commune) -> None:
    """A person is registered (or moved) only where the actor works: an agent in their
    area, an officer in the department of their cooperative (issue 14, point 5), the
    national level anywhere. No commune: allowed (the person stays visible to whoever
    entered them)."""
    if commune is None:
        return
    scope = scope_for(actor)
    if scope.national or any(commune.path.startswith(p) for p in scope.area_paths):
        return
    if scope.cooperative_ids:
        departments = Cooperative.objects.filter(pk__in=scope.cooperative_ids).values_list(
            "commune__parent__path", "commune__path"
        )
        if any(commune.path.startswith(d or c) for d, c in departments):
            return
    raise Forbidden("Cette commune est hors de votre zone.", code="out_of_scope", field="commune")


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
    _require(perms.can_create_person.test(actor))
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
    person.created_by = actor if getattr(actor, "pk", None) else None
    _check_commune_in_reach(actor, person.commune)
    _person_refresh_keys(person)
    person.save()
    return person


@service(texts=(Person,), event_dates=("birth_date",))
def person_update(*, actor, person: Person, **fields) -> Person:
    person = (
        Person.objects.select_for_update(of=("self",)).select_related("commune").get(pk=person.pk)
    )
    _visible_person(actor, person)
    _require(perms.can_edit_person.test(actor, person))
    if person.merged_into_id:
        raise Conflict(
            "Cette personne a été fusionnée : modifiez la fiche conservée.",
            code="person_merged",
        )
    unknown = set(fields) - set(PERSON_CLEANERS)
    if unknown:
        field = sorted(unknown)[0]
        raise ValidationFailed(f"Champ non modifiable : {field}.", code="not_editable", field=field)
    old_commune_id = person.commune_id
    for field, value in fields.items():
        setattr(person, field, PERSON_CLEANERS[field](value))
    if person.commune_id != old_commune_id:
        _check_commune_in_reach(actor, person.commune)
    _person_refresh_keys(person)
    person.save()
    if {"sex", "birth_date"} & set(fields):
        areas_touch(_person_communes(person))
    return person


def _person_communes(*persons: Person) -> list[int]:
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
            "Une personne ne peut être fusionnée avec elle-même.", code="merge_self"
        )
    locked = {
        p.pk: p
        for p in Person.objects.select_for_update(of=("self",))
        .select_related("commune")
        .filter(pk__in=[keep.pk, duplicate.pk])
        .order_by("pk")  # one locking order: two merges of one pair never deadlock
    }
    if len(locked) != 2:
        raise NotFound("Personne introuvable.")
    keep, duplicate = locked[keep.pk], locked[duplicate.pk]
    for p in (keep, duplicate):
        _visible_person(actor, p)
        _require(perms.can_merge_persons.test(actor, p))
        if p.merged_into_id:
            raise Conflict(f"{p} a déjà été fusionnée.", code="person_merged")
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
    communes_before = _person_communes(keep, duplicate)
    for field in MERGE_FILL_FIELDS:
        if getattr(keep, field) in (None, "") and getattr(duplicate, field) not in (None, ""):
            setattr(keep, field, getattr(duplicate, field))
    keep.disability = keep.disability or duplicate.disability
    _person_refresh_keys(keep)
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
    areas_touch([*communes_before, *_person_communes(keep)])
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
            _("Choisissez deux fiches différentes."), code="dismiss_self", field="other"
        )
    person, other = _lock_pair(actor, person, other)
    if "\x00" in str(reason or ""):
        raise ValidationFailed(_("Caractère nul refusé."), code="nul_byte", field="reason")
    reason = _required_text(reason, "reason", _("Le motif"), DISMISSAL_REASON_MAX)
    low, high = _pair(person, other)
    if DuplicateDismissal.objects.filter(person_low_id=low, person_high_id=high).exists():
        raise Conflict(
            _("Ces deux fiches sont déjà marquées comme deux personnes différentes."),
            code="already_dismissed",
        )
    return DuplicateDismissal.objects.create(
        person_low_id=low, person_high_id=high, reason=reason, dismissed_by=actor
    )


# --------------------------------------------------------------------------- memberships


def _check_office(coop: Cooperative, role: str, *, active_after: int, exclude_pk=None) -> None:
    """One active president; the management committee's size (registry.ohada).

    Other offices may have several holders (a deputy secretary or treasurer is a second
    ``secretaire`` or ``tresorier``), within the committee's legal size.
    """
    if role not in ohada.COMMITTEE_ROLES:
        return
    holders = Membership.objects.filter(cooperative=coop, status=MembershipStatus.ACTIVE)
    if exclude_pk:
        holders = holders.exclude(pk=exclude_pk)
    counts = holders.aggregate(
        presidents=Count("id", filter=Q(role=MemberRole.PRESIDENT)),
        committee=Count("id", filter=Q(role__in=ohada.COMMITTEE_ROLES)),
    )
    check_office_counts(coop, role, active_after=active_after, **counts)


def check_office_counts(
    coop: Cooperative, role: str, *, active_after: int, presidents: int, committee: int
) -> None:
    """The office rules of :func:`_check_office` on counts already known (imports and
    bulk admissions count a whole file): ``presidents`` and ``committee`` are the other
    active holders."""
    if role not in ohada.COMMITTEE_ROLES:
        return
    if role == MemberRole.PRESIDENT and presidents:
        raise Conflict(
            "Cette coopérative a déjà un(e) président(e) actif(ve).",
            code="role_taken",
            field="role",
        )
    ohada.check_committee(
        country=_country(coop),
        legal_form=coop.legal_form,
        active_members=active_after,
        committee_size=committee + 1,
    )


def check_admission(coop: Cooperative, person: Person, *, merged: bool, member: bool) -> None:
    """The rules of admitting ``person`` to ``coop``, on facts already read: ``merged``
    (the person was folded into another), ``member`` (already an active member)."""
    if merged:
        raise Conflict(
            "Cette personne a été fusionnée : choisissez la fiche conservée.",
            code="person_merged",
            field="person",
        )
    if coop.stage == Stage.DISSOUTE:
        raise Conflict(
            "Une coopérative dissoute n'admet plus de membres.",
            code="cooperative_dissolved",
        )
    if member:
        raise Conflict(
            f"{person} est déjà membre actif de cette coopérative.",
            code="already_member",
            field="person",
        )


def office_tally(tally: dict, role: str, sign: int = 1) -> None:
    """Count a member with ``role`` in (``sign`` 1) or out (-1) of a cooperative's tally
    ``{"active", "presidents", "committee"}``."""
    tally["active"] += sign
    tally["presidents"] += sign * (role == MemberRole.PRESIDENT)
    tally["committee"] += sign * (role in ohada.COMMITTEE_ROLES)


@service(texts=(Membership,), event_dates=("joined_on",))
def member_admit(
    *, actor, cooperative: Cooperative, person: Person, joined_on, role: str = "membre"
) -> Membership:
    coop = Cooperative.objects.select_for_update().select_related("commune").get(pk=cooperative.pk)
    _visible_cooperative(actor, coop)
    _require(perms.can_manage_members.test(actor, coop))
    role = _choice(role, MemberRole, "role", "Rôle")
    joined_on = _date(joined_on, "joined_on", "La date d'adhésion")
    merged = Person.objects.filter(pk=person.pk, merged_into__isnull=False).exists()
    counts = Membership.objects.filter(cooperative=coop, status=MembershipStatus.ACTIVE).aggregate(
        active=Count("id"), mine=Count("id", filter=Q(person=person))
    )
    check_admission(coop, person, merged=merged, member=bool(counts["mine"]))
    _check_office(coop, role, active_after=counts["active"] + 1)
    areas_touch([coop.commune_id], on=joined_on)
    return Membership.objects.create(
        cooperative=coop, person=person, joined_on=joined_on, role=role
    )


@service(event_dates=("left_on",))
def member_leave(*, actor, membership: Membership, left_on) -> Membership:
    m = (
        Membership.objects.select_for_update()
        .select_related("cooperative__commune")
        .get(pk=membership.pk)
    )
    _visible_cooperative(actor, m.cooperative)
    _require(perms.can_manage_members.test(actor, m.cooperative))
    left_on = _date(left_on, "left_on", "La date de sortie")
    if m.status == MembershipStatus.LEFT:
        raise Conflict("Ce membre est déjà sorti.", code="already_left")
    if left_on < m.joined_on:
        raise ValidationFailed(
            "La date de sortie précède la date d'adhésion.",
            code="left_before_joined",
            field="left_on",
        )
    m.status = MembershipStatus.LEFT
    m.left_on = left_on
    m.save()
    areas_touch([m.cooperative.commune_id], on=left_on)
    return m


@service
def member_role_change(*, actor, membership: Membership, role: str) -> Membership:
    m = (
        Membership.objects.select_for_update()
        .select_related("cooperative__commune")
        .get(pk=membership.pk)
    )
    coop = (
        Cooperative.objects.select_for_update().select_related("commune").get(pk=m.cooperative_id)
    )
    _visible_cooperative(actor, coop)
    _require(perms.can_manage_members.test(actor, coop))
    role = _choice(role, MemberRole, "role", "Rôle")
    if m.status != MembershipStatus.ACTIVE:
        raise Conflict("Seul un membre actif peut recevoir un rôle.", code="membership_inactive")
    if role == m.role:
        return m
    active_count = Membership.objects.filter(
        cooperative=coop, status=MembershipStatus.ACTIVE
    ).count()
    _check_office(coop, role, active_after=active_count, exclude_pk=m.pk)
    m.role = role
    m.save()
    return m


# --------------------------------------------------------------------------- jobs


@service(
    texts=(Employment,),
    event_dates=("started_on",),
    planned_dates=("ended_on",),
    amounts=("monthly_pay",),
)
def employment_record(
    *,
    actor,
    cooperative: Cooperative,
    person: Person,
    job_title: str,
    contract_type: str,
    started_on,
    ended_on=None,
    monthly_pay: int = 0,
    social_security: bool = False,
) -> Employment:
    coop = Cooperative.objects.select_related("commune").get(pk=cooperative.pk)
    _visible_cooperative(actor, coop)
    _require(perms.can_manage_jobs.test(actor, coop))
    person = Person.objects.get(pk=person.pk)
    if person.merged_into_id:
        raise Conflict(
            "Cette personne a été fusionnée : choisissez la fiche conservée.",
            code="person_merged",
            field="person",
        )
    started_on = _date(started_on, "started_on", "La date de début")
    ended_on = _date(ended_on, "ended_on", "La date de fin", required=False)
    if ended_on and ended_on < started_on:
        raise ValidationFailed(
            "La fin précède le début.", code="ended_before_started", field="ended_on"
        )
    pay = _amount(monthly_pay, "monthly_pay")
    areas_touch([coop.commune_id], on=started_on)
    return Employment.objects.create(
        cooperative=coop,
        person=person,
        job_title=_required_text(job_title, "job_title", "Le poste", 120),
        contract_type=_choice(contract_type, ContractType, "contract_type", "Type de contrat"),
        started_on=started_on,
        ended_on=ended_on,
        monthly_pay=pay,
        social_security=bool(social_security),
    )


@service(planned_dates=("ended_on",))
def employment_end(*, actor, employment: Employment, ended_on) -> Employment:
    job = (
        Employment.objects.select_for_update()
        .select_related("cooperative__commune")
        .get(pk=employment.pk)
    )
    _visible_cooperative(actor, job.cooperative)
    _require(perms.can_manage_jobs.test(actor, job.cooperative))
    ended_on = _date(ended_on, "ended_on", "La date de fin")
    if job.ended_on is not None:
        raise Conflict("Cet emploi est déjà terminé.", code="already_ended")
    if ended_on < job.started_on:
        raise ValidationFailed(
            "La fin précède le début.", code="ended_before_started", field="ended_on"
        )
    job.ended_on = ended_on
    job.save()
    areas_touch([job.cooperative.commune_id], on=ended_on)
    return job


# --------------------------------------------------------------------------- memberships in bulk


@service
def members_admit_bulk(*, actor, rows) -> list[Membership]:
    """:func:`member_admit` for many rows at once (imports), with the same rules in a few
    queries whatever the number of rows.

    ``rows``: dicts with ``cooperative``, ``person``, ``joined_on``, ``role`` (default
    ``membre``) and optionally ``left_on`` (the member then leaves on that date, as
    :func:`member_leave` would). Rows are checked in order, each seeing the earlier rows of
    the batch as admitted (one president, the committee's size, already a member). The
    first violation raises the error ``member_admit`` (or ``member_leave``) would have
    raised for that row, with ``row`` set to its index in ``rows``; nothing is written.
    Writes the memberships and their history rows in bulk, and marks each commune once,
    from the earliest date of its rows.
    """
    from django.utils import timezone
    from simple_history.utils import bulk_update_with_history

    from registry.selectors import cooperative_scope_q

    rows = list(rows)
    if not rows:
        return []
    coop_ids = sorted({r["cooperative"].pk for r in rows})
    person_ids = sorted({r["person"].pk for r in rows})
    # IN lists by chunks (a file may hold more rows than a query may take parameters).
    coops = {
        c.pk: c
        for chunk in _chunks(coop_ids)
        for c in Cooperative.objects.select_for_update()
        .select_related("commune")
        .filter(pk__in=chunk)
        .order_by("pk")
    }
    national = scope_for(actor).national
    visible = {
        pk
        for chunk in _chunks(coop_ids)
        for pk in (
            chunk
            if national
            else Cooperative.objects.filter(cooperative_scope_q(actor), pk__in=chunk).values_list(
                "pk", flat=True
            )
        )
    }
    merged = {
        pk
        for chunk in _chunks(person_ids)
        for pk in Person.objects.filter(pk__in=chunk, merged_into__isnull=False).values_list(
            "pk", flat=True
        )
    }
    active = Membership.objects.filter(status=MembershipStatus.ACTIVE).order_by()
    # The counts only matter to the offices: cooperatives with an office in the batch.
    office_coops = sorted(
        {r["cooperative"].pk for r in rows if r.get("role") in ohada.COMMITTEE_ROLES}
    )
    counts = {
        c["cooperative_id"]: c
        for chunk in _chunks(office_coops)
        for c in active.filter(cooperative_id__in=chunk)
        .values("cooperative_id")
        .annotate(
            active=Count("id"),
            presidents=Count("id", filter=Q(role=MemberRole.PRESIDENT)),
            committee=Count("id", filter=Q(role__in=ohada.COMMITTEE_ROLES)),
        )
    }
    members = {
        pair
        for chunk in _chunks(person_ids)
        for pair in active.filter(person_id__in=chunk).values_list("cooperative_id", "person_id")
        if pair[0] in coops
    }
    allowed: dict[int, bool] = {}
    roles = set(MemberRole.values)
    objs, leaving, first_day = [], [], {}
    for index, row in enumerate(rows):
        try:
            coop, person = coops.get(row["cooperative"].pk), row["person"]
            if coop is None or coop.pk not in visible:
                raise NotFound("Coopérative introuvable.")
            if coop.pk not in allowed:
                allowed[coop.pk] = perms.can_manage_members.test(actor, coop)
            _require(allowed[coop.pk])
            role = row.get("role", MemberRole.MEMBRE)
            if role not in roles:
                role = _choice(role, MemberRole, "role", "Rôle")
            joined_on = _date(row.get("joined_on"), "joined_on", "La date d'adhésion")
            check_admission(
                coop,
                person,
                merged=person.pk in merged,
                member=(coop.pk, person.pk) in members,
            )
            state = counts.setdefault(coop.pk, {"active": 0, "presidents": 0, "committee": 0})
            check_office_counts(
                coop,
                role,
                active_after=state["active"] + 1,
                presidents=state["presidents"],
                committee=state["committee"],
            )
            left_on = _date(row.get("left_on"), "left_on", "La date de sortie", required=False)
            if left_on and left_on < joined_on:
                raise ValidationFailed(
                    "La date de sortie précède la date d'adhésion.",
                    code="left_before_joined",
                    field="left_on",
                )
        except (Conflict, Forbidden, NotFound, ValidationFailed) as exc:
            exc.row = index
            raise
        membership = Membership(cooperative=coop, person=person, joined_on=joined_on, role=role)
        objs.append(membership)
        if left_on:
            leaving.append((membership, left_on))
        else:
            members.add((coop.pk, person.pk))
            office_tally(state, role)
        day = first_day.get(coop.commune_id)
        first_day[coop.commune_id] = joined_on if day is None else min(day, joined_on)
    user, now = (actor if getattr(actor, "pk", None) else None), timezone.now()
    objs = Membership.objects.bulk_create(objs)
    _history_created(Membership, objs, user=user, on=now)
    if leaving:
        for membership, left_on in leaving:
            membership.status, membership.left_on = MembershipStatus.LEFT, left_on
        bulk_update_with_history(
            [m for m, _left in leaving],
            Membership,
            ["status", "left_on"],
            default_user=user,
            default_date=now,
        )
    by_day: dict = {}
    for commune_id, day in first_day.items():
        by_day.setdefault(day, []).append(commune_id)
    for day, commune_ids in sorted(by_day.items()):
        areas_touch(commune_ids, on=day)
    return objs


def _history_created(model, objs: list, *, user, on) -> None:
    """The "+" history rows of ``objs``, just bulk-created, as simple_history's
    ``bulk_create_with_history`` writes them (same fields; no change reason; ``user``, else
    the service's actor; ``on`` as history date), but copied by the database in one
    ``INSERT ... SELECT`` (a statement per chunk of ids where arrays cannot be passed)
    instead of a history object built, prepared and sent by Python for every row."""
    if not objs or not getattr(settings, "SIMPLE_HISTORY_ENABLED", True):
        return
    pks = [obj.pk for obj in objs]
    if None in pks:  # no ids returned by this database: let simple_history find them
        from simple_history.utils import bulk_create_with_history

        bulk_create_with_history(objs, model, default_user=user, default_date=on)
        return
    history = model.history.model
    if user is None:
        user = history.get_default_history_user(objs[0])
    meta, quote = history._meta, connection.ops.quote_name
    tracked = [meta.get_field(f.name).column for f in history.tracked_fields]
    extra = [
        meta.get_field(name).column
        for name in ("history_date", "history_change_reason", "history_type", "history_user")
    ]
    # Names from the models' meta, quoted; every value a parameter.
    into = f"INSERT INTO {quote(meta.db_table)} ({', '.join(map(quote, tracked + extra))}) "
    select = f"SELECT {', '.join(map(quote, tracked))}, %s, NULL, %s, %s "  # noqa: S608
    prefix = (
        into + select + f"FROM {quote(model._meta.db_table)} WHERE {quote(model._meta.pk.column)} "
    )
    order = f" ORDER BY {quote(model._meta.pk.column)}"
    params = [
        meta.get_field("history_date").get_db_prep_value(on, connection),
        "+",
        getattr(user, "pk", None),
    ]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":  # one array parameter, whatever the count
            cursor.execute(prefix + "= ANY(%s)" + order, [*params, pks])
            return
        size = max(1, (connection.features.max_query_params or 999) - len(params))
        for chunk in _chunks(pks, size):
            marks = ", ".join(["%s"] * len(chunk))
            cursor.execute(prefix + f"IN ({marks})" + order, [*params, *chunk])


def _chunks(values: list, size: int = 5000):
    for i in range(0, len(values), size):
        yield values[i : i + size]
