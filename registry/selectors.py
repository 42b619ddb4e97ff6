"""Every read of the registry, scoped to the acting user through accounts.scoping.

Out of scope is the same as missing: ``*_get`` raise :class:`core.errors.NotFound`.
"""

from __future__ import annotations

import datetime
from collections.abc import Collection
from dataclasses import dataclass

import phonenumbers
from django.conf import settings
from django.db import connection
from django.db.models import (
    Case,
    CharField,
    Count,
    Exists,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from accounts.scoping import scope_for, scope_q
from core import dates
from core.errors import NotFound
from core.text import search_q
from geo.models import Area
from registry import ohada
from registry.models import (
    Cooperative,
    DuplicateDismissal,
    Employment,
    MemberRole,
    Membership,
    MembershipStatus,
    Partner,
    Person,
    Sector,
    Stage,
    StageTransition,
)
from registry.scope_text import has_search_keys, scope_words_q, search_keys_q

# --------------------------------------------------------------------------- scoping


def cooperative_scope_q(actor) -> Q:
    scope = scope_for(actor)
    q = scope_q(scope, area="commune", cooperative="id")
    if scope.person_ids and not scope.national:
        q |= Q(
            id__in=Membership.objects.filter(person_id__in=scope.person_ids).values(
                "cooperative_id"
            )
        )
    return q


def person_scope_q(actor, *, among: Collection[int] | None = None) -> Q:
    """The persons ``actor`` may see; with ``among`` (a few ids, at most a chunk of 900),
    the same persons among those ids, their memberships looked up by person (an index
    probe each) rather than every membership of the actor's area (a pull of changes
    checks 50 persons of a department's 6,000 members)."""
    scope = scope_for(actor)
    if scope.national:
        return Q()
    q = scope_q(scope, area="commune", person="id")
    if scope.area_paths or scope.cooperative_ids:
        if among is None:
            visible_coops = Cooperative.objects.filter(
                scope_q(scope, area="commune", cooperative="id")
            )
            members = Membership.objects.filter(cooperative__in=visible_coops)
        else:
            member = scope_q(scope, area="cooperative__commune", cooperative="cooperative")
            members = Membership.objects.filter(member, person_id__in=sorted(among))
        q |= Q(id__in=members.values("person_id"))
        # staff see the persons they entered themselves, before any membership
        q |= Q(created_by=actor)
    return q


# --------------------------------------------------------------------------- helpers


def _truthy(value) -> bool | None:
    if value in (None, ""):
        return None
    if isinstance(value, bool):
        return value
    return str(value).strip().lower() in {"1", "true", "yes", "oui", "on"}


def _area_path(code) -> str | None:
    """The path of the area ``code`` (any level), or None when unknown."""
    if isinstance(code, Area):
        return code.path
    return Area.objects.filter(code=str(code).strip()).values_list("path", flat=True).first()


STAGE_ORDER = Case(
    *[
        When(stage=s, then=Value(i))
        for i, s in enumerate(
            [
                Stage.SENSIBILISEE,
                Stage.EN_CONSTITUTION,
                Stage.IMMATRICULEE,
                Stage.EN_ACTIVITE,
                Stage.CONSOLIDEE,
                Stage.DISSOUTE,
            ]
        )
    ],
    output_field=IntegerField(),
)

COOPERATIVE_ORDERINGS = {
    "name": ["name", "id"],
    "-name": ["-name", "-id"],
    "created_at": ["created_at", "id"],
    "-created_at": ["-created_at", "-id"],
    "member_count": ["member_count", "name", "id"],
    "-member_count": ["-member_count", "name", "id"],
    "stage": ["stage_rank", "name", "id"],
    "-stage": ["-stage_rank", "name", "id"],
}

COOPERATIVE_FILTERS = (
    "q",
    "region",
    "department",
    "commune",
    "area",
    "sector",
    "stage",
    "legal_form",
    "value_chain_stage",
    "women_led",
    "ordering",
)


def women_led_q() -> Q:
    """A cooperative is *women-led* when its active president is a woman."""
    return Q(
        Exists(
            Membership.objects.filter(
                cooperative=OuterRef("pk"),
                status=MembershipStatus.ACTIVE,
                role=MemberRole.PRESIDENT,
                person__sex="F",
            )
        )
    )


# --------------------------------------------------------------------------- cooperatives


# COUNT(*), not of ``id``: the (cooperative, status) index answers it alone (an index-only
# scan), where counting ids read each membership's row: 6.5 ms a cooperative of 900
# members at the household scale, 0.1 ms now.
_active_member_count = (
    Membership.objects.filter(cooperative=OuterRef("pk"), status=MembershipStatus.ACTIVE)
    .order_by()
    .values("cooperative")
    .annotate(n=Count("*"))
    .values("n")
)


def cooperative_list(*, actor, filters: dict | None = None) -> QuerySet[Cooperative]:
    """Cooperatives the actor may see, with ``member_count`` (active members).

    ``filters`` keys (all optional, blank values ignored): ``q`` (name, registration
    number, commune; case and accents ignored), ``region``/``department``/``commune``/
    ``area`` (an area code: its whole subtree; unknown code: nothing), ``sector`` (code),
    ``stage``, ``legal_form``, ``value_chain_stage``, ``women_led`` (bool: see
    :func:`women_led_q`), ``ordering`` (one of :data:`COOPERATIVE_ORDERINGS`).
    """
    filters = {k: v for k, v in (filters or {}).items() if v not in (None, "")}
    qs = (
        Cooperative.objects.filter(cooperative_scope_q(actor))
        .select_related("commune__parent__parent", "sector", "sponsor")
        # A subquery per cooperative of the page, not a join of every membership before
        # the page is cut (national list: 1.1 s -> 30 ms at 160,000 memberships); the
        # paginator's count leaves it out.
        .annotate(member_count=Coalesce(Subquery(_active_member_count), 0))
    )
    if filters.get("q"):
        qs = qs.filter(search_q(filters["q"]))
    for key in ("region", "department", "commune", "area"):
        if key in filters:
            path = _area_path(filters[key])
            if path is None:
                return qs.none()
            qs = qs.filter(commune__path__startswith=path)
    if "sector" in filters:
        sector = filters["sector"]
        qs = (
            qs.filter(sector=sector)
            if isinstance(sector, Sector)
            else qs.filter(sector__code=sector)
        )
    for key in ("stage", "legal_form", "value_chain_stage"):
        if key in filters:
            qs = qs.filter(**{key: filters[key]})
    women_led = _truthy(filters.get("women_led"))
    if women_led is True:
        qs = qs.filter(women_led_q())
    elif women_led is False:
        qs = qs.exclude(women_led_q())
    ordering = COOPERATIVE_ORDERINGS.get(filters.get("ordering") or "name", ["name", "id"])
    if any("stage_rank" in o for o in ordering):
        qs = qs.annotate(stage_rank=STAGE_ORDER)
    return qs.order_by(*ordering)


def cooperative_get(*, actor, pk: int) -> Cooperative:
    try:
        return cooperative_list(actor=actor).get(pk=pk)
    except (Cooperative.DoesNotExist, ValueError, TypeError):
        raise NotFound(_("Coopérative introuvable.")) from None


def _visible(actor, cooperative: Cooperative) -> None:
    if not Cooperative.objects.filter(cooperative_scope_q(actor), pk=cooperative.pk).exists():
        raise NotFound(_("Coopérative introuvable."))


ROLE_ORDER = Case(
    *[
        When(role=r, then=Value(i))
        for i, r in enumerate(
            [
                MemberRole.PRESIDENT,
                MemberRole.VICE_PRESIDENT,
                MemberRole.SECRETAIRE,
                MemberRole.TRESORIER,
                MemberRole.SURVEILLANCE,
                MemberRole.MEMBRE,
            ]
        )
    ],
    output_field=IntegerField(),
)


def cooperative_members(
    *, actor, cooperative: Cooperative, status: str | None = None
) -> QuerySet[Membership]:
    """Memberships of one cooperative (active first, officers first, then by name)."""
    _visible(actor, cooperative)
    qs = Membership.objects.filter(cooperative=cooperative).select_related(
        "person", "person__commune"
    )
    if status:
        qs = qs.filter(status=status)
    return qs.annotate(
        role_rank=ROLE_ORDER,
        active_rank=Case(
            When(status=MembershipStatus.ACTIVE, then=Value(0)),
            default=Value(1),
            output_field=IntegerField(),
        ),
    ).order_by("active_rank", "role_rank", "person__last_name", "person__first_name", "id")


def cooperative_member_counts(*, actor, cooperative: Cooperative) -> dict[str, int]:
    """How many memberships a cooperative has (``total``, every status, as
    :func:`cooperative_members` lists them) and how many are active (``active``), in one
    query (the ``(cooperative, status)`` index; the actor's scope checked in it: nothing
    counted out of scope)."""
    visible = Cooperative.objects.filter(cooperative_scope_q(actor), pk=cooperative.pk)
    return Membership.objects.filter(cooperative=cooperative, cooperative__in=visible).aggregate(
        total=Count("id"),
        active=Count("id", filter=Q(status=MembershipStatus.ACTIVE)),
    )


def cooperative_jobs(*, actor, cooperative: Cooperative) -> QuerySet[Employment]:
    """Jobs of one cooperative, each annotated ``is_decent`` (see registry.jobs)."""
    from registry.jobs import decent_job_q

    _visible(actor, cooperative)
    rule = decent_job_q()
    decent = Case(When(rule, then=Value(True)), default=Value(False)) if rule else Value(True)
    return (
        Employment.objects.filter(cooperative=cooperative)
        .select_related("person")
        .annotate(is_decent=decent)
        .order_by("-started_on", "id")
    )


def cooperative_timeline(*, actor, cooperative: Cooperative) -> QuerySet[StageTransition]:
    """The dated lifecycle steps, oldest first."""
    _visible(actor, cooperative)
    return (
        StageTransition.objects.filter(cooperative=cooperative)
        .select_related("actor")
        .order_by("on", "id")
    )


def cooperative_history(*, actor, cooperative: Cooperative):
    """simple_history records of the cooperative itself, newest first (with the user)."""
    _visible(actor, cooperative)
    return (
        Cooperative.history.filter(id=cooperative.pk)
        .select_related("history_user")
        .order_by("-history_date", "-history_id")
    )


def cooperative_next_stages(cooperative: Cooperative) -> list[str]:
    """The stages the law lets this cooperative move to (for the stage form)."""
    country = cooperative.commune.country_code if cooperative.commune_id else None
    return ohada.allowed_next_stages(country, cooperative.stage)


def membership_list(*, actor) -> QuerySet[Membership]:
    return Membership.objects.filter(
        cooperative__in=Cooperative.objects.filter(cooperative_scope_q(actor))
    ).select_related("person", "cooperative")


def membership_get(*, actor, pk: int) -> Membership:
    try:
        return membership_list(actor=actor).get(pk=pk)
    except (Membership.DoesNotExist, ValueError, TypeError):
        raise NotFound(_("Adhésion introuvable.")) from None


def employment_get(*, actor, pk: int) -> Employment:
    try:
        return (
            Employment.objects.filter(
                cooperative__in=Cooperative.objects.filter(cooperative_scope_q(actor))
            )
            .select_related("person", "cooperative")
            .get(pk=pk)
        )
    except (Employment.DoesNotExist, ValueError, TypeError):
        raise NotFound(_("Emploi introuvable.")) from None


# --------------------------------------------------------------------------- persons


def is_active_member(cooperative: Cooperative, person: Person) -> bool:
    """Whether ``person`` is an active member of ``cooperative`` now (a fact the services
    of the apps above check; unscoped: the caller has already found both)."""
    return Membership.objects.filter(
        cooperative=cooperative, person=person, status=MembershipStatus.ACTIVE
    ).exists()


def age_on(person: Person, on: datetime.date) -> int | None:
    b = person.birth_date
    if b is None:
        return None
    return on.year - b.year - ((on.month, on.day) < (b.month, b.day))


def years_before(on: datetime.date, years: int) -> datetime.date:
    try:
        return on.replace(year=on.year - years)
    except ValueError:  # 29 February
        return on.replace(year=on.year - years, day=28)


def youth_band() -> tuple[int, int]:
    conf = settings.SUNUCOOP
    return int(conf.get("YOUTH_AGE_MIN", 15)), int(conf.get("YOUTH_AGE_MAX", 35))


def is_youth(person: Person, on: datetime.date) -> bool:
    """Aged YOUTH_AGE_MIN..YOUTH_AGE_MAX (inclusive, settings.SUNUCOOP) on ``on``."""
    age = age_on(person, on)
    low, high = youth_band()
    return age is not None and low <= age <= high


def youth_q(on: datetime.date, prefix: str = "") -> Q:
    """Database form of :func:`is_youth` (``prefix`` e.g. ``"person__"``)."""
    low, high = youth_band()
    latest = years_before(on, low)  # born on or before: at least `low` years old
    earliest = years_before(on, high + 1)  # born after: at most `high` years old
    return Q(**{f"{prefix}birth_date__lte": latest, f"{prefix}birth_date__gt": earliest})


def person_list_among(*, actor, ids: Collection[int]) -> QuerySet[Person]:
    """The persons of ``ids`` (a few: at most 900) that :func:`person_list` would give
    ``actor``, checked from the ids (see :func:`person_scope_q`)."""
    return Person.objects.filter(
        person_scope_q(actor, among=ids), id__in=sorted(ids), merged_into__isnull=True
    ).select_related("commune")


def person_list(*, actor, filters: dict | None = None) -> QuerySet[Person]:
    """Persons the actor may see (merged duplicates left out).

    ``filters``: ``q`` (names, phone, national ID; case and accents ignored),
    ``commune``/``area`` (an area code, its subtree), ``sex``, ``cooperative`` (id:
    active members), ``youth`` (bool, with ``as_of``, a date, default today).
    """
    filters = {k: v for k, v in (filters or {}).items() if v not in (None, "")}
    q = filters.get("q")
    qs = Person.objects.filter(merged_into__isnull=True).select_related("commune")
    # a search reads the scope from the stored scope text (see _search_q)
    qs = qs.filter(_search_q(actor, q) if q else person_scope_q(actor))
    for key in ("commune", "area"):
        if key in filters:
            path = _area_path(filters[key])
            if path is None:
                return qs.none()
            qs = qs.filter(commune__path__startswith=path)
    if "sex" in filters:
        qs = qs.filter(sex=filters["sex"])
    if "cooperative" in filters:
        qs = qs.filter(
            memberships__cooperative_id=filters["cooperative"],
            memberships__status=MembershipStatus.ACTIVE,
        )
    youth = _truthy(filters.get("youth"))
    if youth is not None:
        on = filters.get("as_of") or dates.today()
        qs = qs.filter(youth_q(on)) if youth else qs.exclude(youth_q(on))
    return qs


def _search_q(actor, q: str) -> Q:
    """The visible persons matching ``q``: its words in the search text, or its phone
    number, or its national ID.

    The scope is read from the stored scope text (:mod:`registry.scope_text`) and repeated
    in each branch, so that on PostgreSQL the words and the scope are conditions of one
    trigram index scan (migration 0009) and the exact numbers are B-tree lookups.
    """
    actor_scope, actor_id = scope_for(actor), getattr(actor, "pk", None)
    scope = scope_words_q(actor_scope, actor_id)
    exact = Q(national_id="".join(str(q).split()).upper())
    try:
        number = phonenumbers.parse(str(q), settings.SUNUCOOP.get("DEFAULT_PHONE_REGION"))
        if phonenumbers.is_valid_number(number):
            exact |= Q(
                phone=phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
            )
    except phonenumbers.NumberParseException:
        pass
    match = search_q(q)
    if has_search_keys(connection):
        keyed = search_keys_q(actor_scope, actor_id, q, match)
        if keyed is not None:  # the region's search keys: one index condition per region
            return keyed | (scope & exact)
    return (scope & match) | (scope & exact)


def person_get(*, actor, pk: int) -> Person:
    try:
        return person_list(actor=actor).get(pk=pk)
    except (Person.DoesNotExist, ValueError, TypeError):
        raise NotFound(_("Personne introuvable.")) from None


def person_memberships(*, actor, person: Person) -> QuerySet[Membership]:
    """The person's memberships in cooperatives the actor may see."""
    return membership_list(actor=actor).filter(person=person).order_by("-joined_on", "id")


def _duplicate_q(person: Person) -> Q | None:
    q = Q()
    if person.national_id:
        q |= Q(national_id=person.national_id)
    if person.identity_key:
        q |= Q(identity_key=person.identity_key)
    return q or None


def person_duplicates(*, actor, person: Person) -> QuerySet[Person]:
    """Likely duplicates of ``person`` the actor may see, each with ``duplicate_reason``
    (``national_id``: same national ID; ``identity``: same phone, birth date and name
    ignoring case, accents and word order)."""
    q = _duplicate_q(person)
    if q is None:
        return Person.objects.none()
    if person.national_id:
        reason = Case(
            When(national_id=person.national_id, then=Value("national_id")),
            default=Value("identity"),
            output_field=CharField(),
        )
    else:
        reason = Value("identity", output_field=CharField())
    return (
        person_list(actor=actor)
        .filter(q)
        .exclude(pk=person.pk)
        .exclude(pk__in=DuplicateDismissal.objects.filter(person_low=person).values("person_high"))
        .exclude(pk__in=DuplicateDismissal.objects.filter(person_high=person).values("person_low"))
        .annotate(duplicate_reason=reason)
        .order_by("id")
    )


def person_is_flagged(*, actor, person: Person) -> bool:
    return person_duplicates(actor=actor, person=person).exists()


@dataclass(frozen=True)
class DuplicatePair:
    keep: Person  # the older record, suggested to keep
    duplicate: Person
    reason: str  # "national_id" or "identity"


def duplicate_candidates_list(*, actor) -> list[DuplicatePair]:
    """Pairs of likely duplicates among the persons the actor may see (for merging)."""
    visible = person_list(actor=actor)
    ids = (
        visible.exclude(national_id__isnull=True)
        .exclude(national_id="")
        .values("national_id")
        .annotate(n=Count("id"))
        .filter(n__gt=1)
        .values_list("national_id", flat=True)
    )
    keys = (
        visible.exclude(identity_key="")
        .values("identity_key")
        .annotate(n=Count("id"))
        .filter(n__gt=1)
        .values_list("identity_key", flat=True)
    )
    national_ids, identity_keys = list(ids), list(keys)
    persons = list(
        visible.filter(Q(national_id__in=national_ids) | Q(identity_key__in=identity_keys))
        .select_related("commune")
        .order_by("id")
    )
    dismissed = set(
        DuplicateDismissal.objects.filter(person_low__in=[p.pk for p in persons]).values_list(
            "person_low_id", "person_high_id"
        )
    )
    pairs: list[DuplicatePair] = []
    seen: set[tuple[int, int]] = set()
    for attr, reason, values in (
        ("national_id", "national_id", set(national_ids)),
        ("identity_key", "identity", set(identity_keys)),
    ):
        groups: dict[str, list[Person]] = {}
        for p in persons:
            value = getattr(p, attr)
            if value in values:
                groups.setdefault(value, []).append(p)
        for group in groups.values():
            for j, other in enumerate(group[1:], start=1):
                # the oldest record of the group not dismissed as another person
                first = next((p for p in group[:j] if (p.pk, other.pk) not in dismissed), None)
                if first is not None and (first.pk, other.pk) not in seen:
                    seen.add((first.pk, other.pk))
                    pairs.append(DuplicatePair(first, other, reason))
    return pairs


# --------------------------------------------------------------------------- reference lists


def sector_list(*, include_inactive: bool = False) -> QuerySet[Sector]:
    qs = Sector.objects.all()
    if not include_inactive:
        qs = qs.filter(active=True)
    return qs.order_by("name")


def sector_get(*, code: str) -> Sector:
    try:
        return Sector.objects.get(code=code)
    except Sector.DoesNotExist:
        raise NotFound(_("Secteur introuvable.")) from None


def partner_list() -> QuerySet[Partner]:
    return Partner.objects.order_by("name")


def person_likely_duplicates(person: Person) -> QuerySet[Person]:
    """Every likely duplicate of ``person`` (same national ID or identity key), unscoped:
    for services that must refuse the same human twice (e.g. health enrolment)."""
    q = _duplicate_q(person)
    if q is None:
        return Person.objects.none()
    return Person.objects.filter(q, merged_into__isnull=True).exclude(pk=person.pk)
