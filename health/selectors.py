"""Every read of the mutual health insurance a person triggers, scoped.

Who sees what (health data is sensitive):
- households and contributions: the national role; agents in their area (the
  cooperative's commune, or the head's); officers of the enrolling cooperative; the
  scheme's agents; the household's members.
- claims (individual rows): the scheme's agents, the provider's staff (their own claims),
  the beneficiary. The national role, agents and officers get counts (reports), not claims.
- medical details of a claim (diagnosis, services): the scheme's agents, the treating
  provider, the beneficiary; every read is logged (``MedicalRead``).
- a person's cover (card check): also a provider having a convention with the scheme,
  and only the cover (name, status, dates), nothing else.
"""

from __future__ import annotations

import datetime

from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from accounts.scoping import NOTHING, scope_for
from core.errors import NotFound
from core.text import search_q
from health import coverage
from health.models import (
    Claim,
    ClaimStatus,
    Contribution,
    Convention,
    FraudSignal,
    Household,
    HouseholdMember,
    MedicalRead,
    Provider,
    Relation,
    Scheme,
)
from health.rules import can_read_books, can_read_medical, health_scope


def _query_text(value, length: int = 100) -> str:
    """A search text from a query string: bounded, without NUL bytes (PostgreSQL refuses
    them)."""
    return str(value).replace("\x00", "")[:length]


def _has_any_role(actor) -> bool:
    hs = health_scope(actor)
    return not scope_for(actor).is_empty or bool(hs.scheme_ids or hs.provider_ids)


def scheme_list(*, actor, filters: dict | None = None) -> QuerySet[Scheme]:
    """Schemes are public terms: every signed-in user with a role sees them."""
    if not _has_any_role(actor):
        return Scheme.objects.none()
    qs = Scheme.objects.all()
    filters = filters or {}
    if filters.get("country"):
        qs = qs.filter(country=_query_text(filters["country"], 2).upper())
    if filters.get("q"):
        qs = qs.filter(name__icontains=_query_text(filters["q"]))
    return qs.order_by("name", "id")


def scheme_get(*, actor, pk) -> Scheme:
    try:
        return scheme_list(actor=actor).get(pk=pk)
    except (Scheme.DoesNotExist, ValueError, TypeError):
        raise NotFound(_("Mutuelle introuvable.")) from None


def household_q(actor) -> Q:
    scope, hs = scope_for(actor), health_scope(actor)
    if scope.national:
        return Q()
    q = NOTHING
    for path in sorted(scope.area_paths):
        q |= Q(cooperative__commune__path__startswith=path) | Q(
            cooperative__isnull=True, head__commune__path__startswith=path
        )
    if scope.cooperative_ids:
        q |= Q(cooperative__in=sorted(scope.cooperative_ids))
    if scope.person_ids:
        q |= Q(
            pk__in=HouseholdMember.objects.filter(person__in=sorted(scope.person_ids)).values(
                "household_id"
            )
        )
    if hs.scheme_ids:
        q |= Q(scheme__in=sorted(hs.scheme_ids))
    return q


def household_list(*, actor, filters: dict | None = None) -> QuerySet[Household]:
    filters = {k: v for k, v in (filters or {}).items() if v not in (None, "")}
    qs = Household.objects.filter(household_q(actor))
    if "scheme" in filters:
        qs = qs.filter(scheme_id=filters["scheme"])
    if "cooperative" in filters:
        qs = qs.filter(cooperative_id=filters["cooperative"])
    if filters.get("q"):
        qs = qs.filter(search_q(_query_text(filters["q"]), "head__search_text"))
    return qs.select_related("scheme", "head", "cooperative").order_by("-enrolled_on", "-id")


def household_arrears_list(
    *, actor, as_of: datetime.date, filters: dict | None = None
) -> QuerySet[Household]:
    """The households in arrears of contributions on ``as_of`` that the actor sees (the
    officers of their cooperative, the agents of its area, the national role, the
    scheme's agents, the household's members): cover run out, members still there;
    oldest arrears first. Each carries its current members (persons loaded) in
    ``current_members`` for :func:`health.arrears.arrears_of`."""
    from django.db.models import Exists, OuterRef, Prefetch
    from django.db.models.functions import Coalesce

    filters = {k: v for k, v in (filters or {}).items() if v not in (None, "")}
    current = HouseholdMember.objects.filter(left_on__isnull=True)
    qs = Household.objects.filter(
        household_q(actor),
        Q(covered_until__lt=as_of) | Q(covered_until__isnull=True),
        Exists(current.filter(household=OuterRef("pk"))),
        enrolled_on__lte=as_of,
    )
    for name in ("scheme", "cooperative"):
        if name in filters:
            qs = qs.filter(**{f"{name}_id": filters[name]})
    return (
        qs.select_related("scheme", "head", "cooperative")
        .prefetch_related(
            "scheme__age_bands",
            Prefetch(
                "members",
                queryset=current.select_related("person").order_by("id"),
                to_attr="current_members",
            ),
        )
        .order_by(Coalesce("covered_until", "enrolled_on").asc(), "id")
    )


def household_get(*, actor, pk) -> Household:
    try:
        return household_list(actor=actor).get(pk=pk)
    except (Household.DoesNotExist, ValueError, TypeError):
        raise NotFound(_("Ménage introuvable.")) from None


def household_members(household: Household, *, current_only: bool = True):
    qs = household.members.select_related("person").order_by("id")
    return qs.filter(left_on__isnull=True) if current_only else qs


def household_member_get(household: Household, person_id) -> HouseholdMember:
    """A current member of a household already in the reader's scope; 404 otherwise."""
    try:
        return household_members(household).get(person_id=person_id)
    except (HouseholdMember.DoesNotExist, ValueError, TypeError):
        raise NotFound(_("Bénéficiaire introuvable dans ce ménage.")) from None


def member_photos(person_ids) -> dict[int, str]:
    """The card photos of these persons (a household's members, already in scope), as
    ``data:`` URIs by person id."""
    from health.models import PersonPhoto
    from health.photos import photo_data_uri

    return {
        p.person_id: photo_data_uri(p)
        for p in PersonPhoto.objects.filter(person_id__in=sorted(set(person_ids)))
    }


def member_cover(member: HouseholdMember, on: datetime.date) -> coverage.PersonCover:
    household, scheme = member.household, member.household.scheme
    return coverage.person_cover(
        on=on,
        enrolled_on=household.enrolled_on,
        joined_on=member.joined_on,
        left_on=member.left_on,
        covered_until=household.covered_until,
        waiting_days=scheme.waiting_days,
        is_child=member.relation == Relation.CHILD,
        birth_date=member.person.birth_date,
        child_age_limit=scheme.child_age_limit,
    )


def contribution_list(*, actor, household: Household) -> QuerySet[Contribution]:
    household = household_get(actor=actor, pk=household.pk)
    return household.payments.order_by("-paid_on", "-id")


def claim_q(actor) -> Q:
    scope, hs = scope_for(actor), health_scope(actor)
    q = NOTHING
    if hs.scheme_ids:
        q |= Q(scheme__in=sorted(hs.scheme_ids))
    if hs.provider_ids:
        q |= Q(provider__in=sorted(hs.provider_ids))
    if scope.person_ids:
        q |= Q(beneficiary__in=sorted(scope.person_ids))
    return q


def claim_list(*, actor, filters: dict | None = None) -> QuerySet[Claim]:
    filters = {k: v for k, v in (filters or {}).items() if v not in (None, "")}
    qs = Claim.objects.filter(claim_q(actor))
    if filters.get("status") in ClaimStatus.values:
        qs = qs.filter(status=filters["status"])
    for name in ("scheme", "provider", "household", "beneficiary"):
        if name in filters:
            qs = qs.filter(**{f"{name}_id": filters[name]})
    if filters.get("flagged"):
        qs = qs.filter(flagged=True)
    return qs.select_related("beneficiary", "provider", "household", "scheme").order_by(
        "-service_on", "-id"
    )


def claim_get(*, actor, pk) -> Claim:
    try:
        return claim_list(actor=actor).get(pk=pk)
    except (Claim.DoesNotExist, ValueError, TypeError):
        raise NotFound(_("Demande introuvable.")) from None


def claim_medical_details(*, actor, claim: Claim, via: str) -> dict:
    """The diagnosis and services of a claim, for those who may read them; the read is
    logged (who, when, through which page or endpoint)."""
    if not can_read_medical(actor, claim):
        raise NotFound(_("Demande introuvable."))
    MedicalRead.objects.create(claim=claim, user=actor, via=via[:20])
    return {"diagnosis": claim.diagnosis, "lines": list(claim.lines.order_by("id"))}


def provider_list(*, actor) -> QuerySet[Provider]:
    """Providers having a convention with a scheme the actor works with (all for national
    and agents; a provider's staff see their own)."""
    scope, hs = scope_for(actor), health_scope(actor)
    if scope.national or scope.area_paths or scope.cooperative_ids:
        return Provider.objects.order_by("name")
    q = Q(pk__in=sorted(hs.provider_ids)) | Q(conventions__scheme__in=sorted(hs.scheme_ids))
    return Provider.objects.filter(q).distinct().order_by("name")


def provider_get(*, actor, pk) -> Provider:
    try:
        return provider_list(actor=actor).get(pk=pk)
    except (Provider.DoesNotExist, ValueError, TypeError):
        raise NotFound(_("Prestataire introuvable.")) from None


def cover_check(*, actor, person_id, scheme: Scheme, on: datetime.date):
    """A person's cover in a scheme on a day, for a provider's desk or the card check.

    Visible to those who see the household, and to a provider under convention with the
    scheme (the cover only). Returns (member, cover)."""
    members = HouseholdMember.objects.filter(
        scheme=scheme, person_id=person_id, left_on__isnull=True
    ).select_related("household__scheme", "person")
    hs = health_scope(actor)
    provider_ok = Convention.objects.filter(
        scheme=scheme, provider__in=sorted(hs.provider_ids), active=True
    ).exists()
    if not provider_ok:
        members = members.filter(household__in=Household.objects.filter(household_q(actor)))
    member = members.first()
    if member is None:
        raise NotFound(_("Aucune couverture trouvée pour cette personne."))
    return member, member_cover(member, on)


def fraud_signal_list(*, actor) -> QuerySet[FraudSignal]:
    return (
        FraudSignal.objects.filter(scheme__in=sorted(health_scope(actor).scheme_ids))
        .select_related("person", "provider", "claim")
        .order_by("-created_at")
    )


def person_for_enrolment(*, actor, pk, scheme: Scheme):
    """A registry person the actor may enrol: one they see in the registry, or any person
    for the scheme's own agents (they enrol directly)."""
    from registry.models import Person
    from registry.selectors import person_get

    if scheme.pk in health_scope(actor).scheme_ids:
        try:
            return Person.objects.get(pk=pk, merged_into__isnull=True)
        except (Person.DoesNotExist, ValueError, TypeError):
            raise NotFound(_("Personne introuvable."), field="members") from None
    return person_get(actor=actor, pk=pk)


def household_for_claim(*, actor, pk) -> Household:
    """The household a claim is entered for: one the actor sees, or, for a provider's
    staff, a household of a scheme their provider has a convention with."""
    try:
        return household_get(actor=actor, pk=pk)
    except NotFound:
        pass
    schemes = Convention.objects.filter(
        provider__in=sorted(health_scope(actor).provider_ids), active=True
    ).values("scheme_id")
    try:
        return Household.objects.select_related("scheme").get(pk=pk, scheme__in=schemes)
    except (Household.DoesNotExist, ValueError, TypeError):
        raise NotFound(_("Ménage introuvable."), field="household") from None


def beneficiary_for_claim(*, household: Household, pk):
    """The person named as beneficiary (the household's member, or a stranger the service
    refuses and signals); 404 when no such person exists."""
    from registry.models import Person

    try:
        return Person.objects.get(pk=pk)
    except (Person.DoesNotExist, ValueError, TypeError):
        raise NotFound(_("Personne introuvable."), field="beneficiary") from None


def tariff_list(*, scheme: Scheme, provider: Provider):
    """The services a provider may claim for a scheme (its active convention's tariffs)."""
    from health.models import Tariff

    return Tariff.objects.filter(
        convention__scheme=scheme, convention__provider=provider, convention__active=True
    ).order_by("code")


def claim_providers(*, actor, scheme: Scheme) -> QuerySet[Provider]:
    """Providers the actor may enter claims for, under convention with ``scheme``."""
    hs = health_scope(actor)
    qs = Provider.objects.filter(conventions__scheme=scheme, conventions__active=True)
    if scheme.pk not in hs.scheme_ids:
        qs = qs.filter(pk__in=sorted(hs.provider_ids))
    return qs.distinct().order_by("name")


def fhir_export(*, actor, scheme: Scheme, on: datetime.date) -> dict:
    """The scheme's enrolments and claims as FHIR R4 (national role and the scheme's
    agents: the feed of the national UHC system). Others: 403."""
    from core.errors import Forbidden
    from health import fhir

    if not (scope_for(actor).national or scheme.pk in health_scope(actor).scheme_ids):
        raise Forbidden(_("Seuls le ministère et la mutuelle exportent ses données."))
    members = (
        HouseholdMember.objects.filter(scheme=scheme)
        .select_related("person", "household__cooperative")
        .order_by("id")
    )
    claims = (
        Claim.objects.filter(scheme=scheme)
        .select_related("provider", "scheme")
        .prefetch_related("lines")
        .order_by("id")
    )
    return fhir.bundle(scheme=scheme, members=members, claims=claims, on=on)


def staff_roles(actor) -> frozenset[str]:
    """The health roles of a user that are not accounts roles (for the menu): ``mutual``
    (an agent of a scheme), ``provider`` (staff of a health provider)."""
    hs = health_scope(actor)
    return frozenset(
        role for role, ids in (("mutual", hs.scheme_ids), ("provider", hs.provider_ids)) if ids
    )


def staff_home(*, actor, on: datetime.date) -> list[dict]:
    """One home panel per scheme a mutual agent runs and per provider a user works for:
    counts and the work waiting, within the actor's health scope (no diagnosis)."""
    from django.db.models import Count

    hs = health_scope(actor)
    panels = []
    for scheme in Scheme.objects.filter(pk__in=sorted(hs.scheme_ids)).order_by("name"):
        households = Household.objects.filter(scheme=scheme)
        by_status = dict(
            Claim.objects.filter(scheme=scheme)
            .values_list("status")
            .annotate(n=Count("id"))
            .values_list("status", "n")
        )
        panels.append(
            {
                "kind": "mutual",
                "scheme": scheme,
                "households": households.count(),
                "covered": households.filter(covered_until__gte=on).count(),
                "to_check": by_status.get(ClaimStatus.ENTERED, 0),
                "to_valuate": by_status.get(ClaimStatus.CHECKED, 0),
                "to_pay": by_status.get(ClaimStatus.VALUATED, 0),
                "flagged": Claim.objects.filter(
                    scheme=scheme, flagged=True, status=ClaimStatus.ENTERED
                ).count(),
            }
        )
    for provider in Provider.objects.filter(pk__in=sorted(hs.provider_ids)).order_by("name"):
        claims = Claim.objects.filter(provider=provider)
        panels.append(
            {
                "kind": "provider",
                "provider": provider,
                "schemes": list(
                    Scheme.objects.filter(
                        conventions__provider=provider, conventions__active=True
                    ).order_by("name")
                ),
                "open_claims": claims.exclude(
                    status__in=[ClaimStatus.PAID, ClaimStatus.REJECTED]
                ).count(),
                "paid_claims": claims.filter(status=ClaimStatus.PAID).count(),
            }
        )
    return panels


def card_check(*, actor, code: str, on: datetime.date) -> dict:
    """A member card's code checked: the signature (400 ``invalid_card``), then the
    person's cover on ``on`` through :func:`cover_check` (its scope: a provider under
    convention with the scheme, the scheme's agents, those who see the household; 404
    otherwise). Nothing medical."""
    from health.cards import card_read

    payload = card_read(code)
    try:
        scheme = Scheme.objects.get(pk=payload.scheme_id)
    except Scheme.DoesNotExist:
        raise NotFound(_("Aucune couverture trouvée pour cette personne.")) from None
    member, cover = cover_check(actor=actor, person_id=payload.person_id, scheme=scheme, on=on)
    return {
        "payload": payload,
        "member": member,
        "scheme": scheme,
        "cover": cover,
        "same_household": member.household_id == payload.household_id,
    }


def card_public_keys() -> dict:
    """The member cards' public keys (a JWK set): public data, the same for everyone."""
    from health.card_keys import jwks

    return jwks()


def scheme_books_get(*, actor, pk):
    """The scheme and its book in the ledger (None before its first entry): the national
    role and the scheme's agents; others who see the scheme 403, the rest 404."""
    from core.errors import Forbidden
    from health.postings import HOLDER
    from ledger.selectors import holder_book_find

    scheme = scheme_get(actor=actor, pk=pk)
    if not can_read_books(actor, scheme):
        raise Forbidden(_("Seuls la mutuelle et le ministère consultent ses comptes."))
    return scheme, holder_book_find(holder=HOLDER, holder_id=scheme.pk)


def scheme_trial_balance(*, actor, pk, date_from=None, date_to=None) -> list[dict]:
    from ledger.selectors import holder_trial_balance

    _scheme, book = scheme_books_get(actor=actor, pk=pk)
    return holder_trial_balance(book=book, date_from=date_from, date_to=date_to)


def scheme_entry_list(*, actor, pk, date_from=None, date_to=None):
    from ledger.selectors import holder_entry_list

    _scheme, book = scheme_books_get(actor=actor, pk=pk)
    return holder_entry_list(book=book, date_from=date_from, date_to=date_to)


def scheme_year_state(*, actor, pk, year: int) -> dict:
    """A year of the mutual's books: its locked months, its closing and allocation (the
    readers of the books); ``can_keep``: the actor locks, closes and allocates (its agents)."""
    from health.rules import can_keep_books
    from ledger.selectors import holder_year_state

    scheme, book = scheme_books_get(actor=actor, pk=pk)
    state = holder_year_state(book=book, year=year)
    return {**state, "scheme": scheme, "can_keep": can_keep_books(actor, scheme)}


def claim_payout_state(*, actor, claim: Claim) -> dict:
    """``payout_open``: a payout of the claim is under way (no other payment then);
    ``may_approve_payout``: it waits for ``actor``'s decision (never its requester's)."""
    from payments.rules import can_approve_payout

    payout = claim.payout
    status = payout.status if payout else ""
    return {
        "payout_open": status in ("awaiting_approval", "approved", "processing"),
        "may_approve_payout": status == "awaiting_approval" and can_approve_payout(actor, payout),
    }
