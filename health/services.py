"""Every write of the mutual health insurance: keyword-only, atomic, checked, audited."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.db.models import Sum
from django.utils.translation import gettext_lazy as _

from core import dates
from core.errors import Conflict, ValidationFailed
from core.services import service
from geo.changes import areas_touch
from health import coverage, postings, rules
from health.errors import Code
from health.models import (
    AgeBand,
    Benefit,
    BenefitKind,
    Channel,
    Claim,
    ClaimLine,
    ClaimStatus,
    Contribution,
    ContributionMonth,
    Convention,
    FraudSignal,
    HealthStaff,
    Household,
    HouseholdMember,
    Payer,
    PersonPhoto,
    Provider,
    Relation,
    Reminder,
    Scheme,
    SignalKind,
    StaffRole,
    Tariff,
)
from health.validation import (
    MAX_AMOUNT,
    check_event_date,
    clean_amount,
    clean_count,
    clean_country,
    clean_text,
)
from registry.models import Cooperative, Membership, MembershipStatus, Person
from registry.selectors import person_likely_duplicates

MAX_MEMBERS = 30  # persons in one household
MAX_LINES = 50  # services in one claim

# --- schemes, benefits, providers --------------------------------------------------------


@service(
    texts=(
        (Scheme, {"name": "name", "sector": "sector"}),
        (
            Scheme,
            {
                "waiting_days": "waiting_days",
                "child_age_limit": "child_age_limit",
                "reminder_days": "reminder_days",
            },
        ),
    ),
    amounts=("joining_fee", "monthly_contribution", "annual_ceiling"),
)
def scheme_create(
    *,
    actor,
    name: str,
    country: str,
    joining_fee: int,
    monthly_contribution: int,
    waiting_days: int = 0,
    child_age_limit: int = 18,
    annual_ceiling: int = 0,
    area=None,
    sector: str = "",
    reminder_days: int = 7,
) -> Scheme:
    """A new mutuelle de santé with its product terms (national role)."""
    rules.require(rules.can_create_scheme(actor))
    name = clean_text(name, field="name", max_length=160, required=True)
    if Scheme.objects.filter(name__iexact=name).exists():
        raise Conflict(
            _("Une mutuelle porte déjà ce nom."), code=Code.DUPLICATE_SCHEME, field="name"
        )
    return Scheme.objects.create(
        name=name,
        country=clean_country(country),
        area=area,
        sector=clean_text(sector, field="sector", max_length=80),
        joining_fee=clean_amount(joining_fee, field="joining_fee", minimum=0),
        monthly_contribution=clean_amount(monthly_contribution, field="monthly_contribution"),
        waiting_days=clean_count(waiting_days, field="waiting_days", maximum=365),
        child_age_limit=clean_count(child_age_limit, field="child_age_limit", maximum=30),
        annual_ceiling=clean_amount(annual_ceiling, field="annual_ceiling", minimum=0),
        reminder_days=clean_count(reminder_days, field="reminder_days", maximum=60),
    )


@service(texts=(AgeBand,), amounts=("monthly_contribution",))
def age_band_add(
    *, actor, scheme: Scheme, min_age: int, max_age: int, monthly_contribution: int
) -> AgeBand:
    """A monthly contribution by age band (optional; else the scheme's single amount)."""
    rules.require(rules.can_manage_scheme(actor, scheme))
    min_age = clean_count(min_age, field="min_age", maximum=150)
    max_age = clean_count(max_age, field="max_age", maximum=150)
    if max_age < min_age:
        raise ValidationFailed(
            _("L'âge maximum est inférieur à l'âge minimum."),
            code=Code.INVALID_BAND,
            field="max_age",
        )
    if scheme.age_bands.filter(min_age__lte=max_age, max_age__gte=min_age).exists():
        raise Conflict(
            _("Cette tranche chevauche une tranche existante."),
            code=Code.OVERLAPPING_BAND,
            field="min_age",
        )
    return AgeBand.objects.create(
        scheme=scheme,
        min_age=min_age,
        max_age=max_age,
        monthly_contribution=clean_amount(monthly_contribution, field="monthly_contribution"),
    )


@service(texts=(Benefit,), amounts=("ceiling_person", "ceiling_household"))
def benefit_set(
    *,
    actor,
    scheme: Scheme,
    kind: str,
    copayment_percent: int = 0,
    ceiling_person: int = 0,
    ceiling_household: int = 0,
) -> Benefit:
    """Cover a benefit (or change its terms): copayment rate and annual ceilings."""
    rules.require(rules.can_manage_scheme(actor, scheme))
    if kind not in BenefitKind.values:
        raise ValidationFailed(_("Prestation inconnue."), code=Code.UNKNOWN_BENEFIT, field="kind")
    benefit, _created = Benefit.objects.update_or_create(
        scheme=scheme,
        kind=kind,
        defaults={
            "copayment_percent": clean_count(
                copayment_percent, field="copayment_percent", maximum=100
            ),
            "ceiling_person": clean_amount(ceiling_person, field="ceiling_person", minimum=0),
            "ceiling_household": clean_amount(
                ceiling_household, field="ceiling_household", minimum=0
            ),
        },
    )
    return benefit


@service(texts=((Provider, {"name": "name", "kind": "kind"}),))
def provider_create(*, actor, name: str, kind: str = "", commune=None, phone: str = "") -> Provider:
    """A health provider (national role or any scheme's agent)."""
    rules.require(rules.can_create_scheme(actor) or bool(rules.health_scope(actor).scheme_ids))
    return Provider.objects.create(
        name=clean_text(name, field="name", max_length=160, required=True),
        kind=clean_text(kind, field="kind", max_length=40),
        commune=commune,
        phone=clean_text(phone, field="phone", max_length=20),
    )


@service(event_dates=("signed_on",))
def convention_sign(
    *, actor, scheme: Scheme, provider: Provider, signed_on: datetime.date
) -> Convention:
    rules.require(rules.can_manage_scheme(actor, scheme))
    check_event_date(signed_on, field="signed_on")
    if Convention.objects.filter(scheme=scheme, provider=provider).exists():
        raise Conflict(
            _("Une convention existe déjà avec ce prestataire."),
            code=Code.DUPLICATE_CONVENTION,
            field="provider",
        )
    return Convention.objects.create(scheme=scheme, provider=provider, signed_on=signed_on)


@service(texts=((Tariff, {"label": "label", "amount": "amount"}),), amounts=("amount",))
def tariff_set(
    *, actor, convention: Convention, code: str, label: str, benefit: str, amount: int
) -> Tariff:
    """A service at the convention's price; its benefit must be covered by the scheme."""
    rules.require(rules.can_manage_scheme(actor, convention.scheme))
    code = clean_text(code, field="code", max_length=20, required=True).upper()
    if not convention.scheme.benefits.filter(kind=benefit).exists():
        raise ValidationFailed(
            _("Cette prestation n'est pas couverte par la mutuelle."),
            code=Code.NOT_IN_BENEFITS,
            field="benefit",
        )
    tariff, _created = Tariff.objects.update_or_create(
        convention=convention,
        code=code,
        defaults={
            "label": clean_text(label, field="label", max_length=120, required=True),
            "benefit": benefit,
            "amount": clean_amount(amount, field="amount"),
        },
    )
    return tariff


@service
def staff_assign(*, actor, user, role: str, scheme=None, provider=None) -> HealthStaff:
    """Give a user a health role: agent of a mutual, or staff of a provider."""
    if role == StaffRole.MUTUAL_AGENT and scheme is not None:
        rules.require(rules.can_manage_scheme(actor, scheme))
        return HealthStaff.objects.get_or_create(user=user, role=role, scheme=scheme)[0]
    if role == StaffRole.PROVIDER and provider is not None:
        schemes = provider.conventions.values_list("scheme_id", flat=True)
        allowed = rules.can_create_scheme(actor) or any(
            rules.is_mutual_agent(actor, s) for s in schemes
        )
        rules.require(allowed)
        return HealthStaff.objects.get_or_create(user=user, role=role, provider=provider)[0]
    raise ValidationFailed(_("Rôle invalide."), code=Code.INVALID_ROLE, field="role")


# --- households ---------------------------------------------------------------------------


def _check_persons(scheme: Scheme, people: list[tuple[Person, str]]) -> None:
    """No one twice, no merged record, no likely duplicate already covered by the scheme."""
    ids = [p.pk for p, _r in people]
    if len(set(ids)) != len(ids):
        raise ValidationFailed(
            _("Une personne figure deux fois dans le ménage."),
            code=Code.DUPLICATE_PERSON,
            field="members",
        )
    if len(ids) > MAX_MEMBERS:
        raise ValidationFailed(
            _("Un ménage compte au plus %(n)s personnes.") % {"n": MAX_MEMBERS},
            code=Code.TOO_MANY_MEMBERS,
            field="members",
        )
    for person, relation in people:
        if relation not in Relation.values:
            raise ValidationFailed(_("Lien inconnu."), code=Code.INVALID_RELATION, field="relation")
        if person.merged_into_id:
            raise Conflict(
                _("%(p)s a été fusionnée dans une autre fiche.") % {"p": person},
                code=Code.MERGED_PERSON,
                field="members",
            )
        twins = {d.pk for d in person_likely_duplicates(person)}
        if twins & set(ids):
            raise Conflict(
                _("%(p)s semble figurer deux fois (doublon probable du registre).") % {"p": person},
                code=Code.DUPLICATE_PERSON,
                field="members",
            )
        covered = HouseholdMember.objects.filter(
            scheme=scheme, person_id__in={person.pk, *twins}, left_on__isnull=True
        )
        if covered.exists():
            raise Conflict(
                _("%(p)s est déjà couvert(e) dans un ménage de cette mutuelle.") % {"p": person},
                code=Code.ALREADY_COVERED,
                field="members",
            )


def _touch(household: Household, on: datetime.date | None = None) -> None:
    """Monitoring's freshness mark: the household's commune (its cooperative's, or its
    head's) changed from ``on`` (default: the enrolment, from which cover is counted)."""
    commune = household.cooperative.commune_id if household.cooperative_id else None
    areas_touch([commune or household.head.commune_id], on=on or household.enrolled_on)


@service(event_dates=("enrolled_on",))
def household_enrol(
    *,
    actor,
    scheme: Scheme,
    head: Person,
    dependants: list[tuple[Person, str]] = (),
    cooperative: Cooperative | None = None,
    payer: str | None = None,
    enrolled_on: datetime.date,
) -> Household:
    """Enrol a household (the head and dependants from the registry) in a scheme, through a
    cooperative (the head is one of its active members) or directly."""
    rules.require(rules.can_enrol(actor, scheme, cooperative))
    if not scheme.active:
        raise Conflict(_("Cette mutuelle n'enrôle plus."), code=Code.SCHEME_CLOSED, field="scheme")
    check_event_date(enrolled_on, field="enrolled_on")
    payer = payer or (Payer.COOPERATIVE if cooperative else Payer.MEMBER)
    if payer not in Payer.values or (payer == Payer.COOPERATIVE and cooperative is None):
        raise ValidationFailed(
            _("La coopérative ne peut payer que pour un ménage enrôlé par elle."),
            code=Code.INVALID_PAYER,
            field="payer",
        )
    if (
        cooperative is not None
        and not Membership.objects.filter(
            cooperative=cooperative, person=head, status=MembershipStatus.ACTIVE
        ).exists()
    ):
        raise Conflict(
            _("Le chef de ménage n'est pas membre actif de la coopérative."),
            code=Code.NOT_A_MEMBER,
            field="head",
        )
    people = [(head, Relation.HEAD), *[(p, r) for p, r in dependants]]
    if any(r == Relation.HEAD for _p, r in people[1:]):
        raise ValidationFailed(
            _("Le ménage n'a qu'un chef."), code=Code.INVALID_RELATION, field="relation"
        )
    _check_persons(scheme, people)
    household = Household.objects.create(
        scheme=scheme, head=head, cooperative=cooperative, payer=payer, enrolled_on=enrolled_on
    )
    HouseholdMember.objects.bulk_create(
        [
            HouseholdMember(
                household=household, scheme=scheme, person=p, relation=r, joined_on=enrolled_on
            )
            for p, r in people
        ]
    )
    _touch(household)
    return household


@service(event_dates=("joined_on",))
def household_member_add(
    *, actor, household: Household, person: Person, relation: str, joined_on: datetime.date
) -> HouseholdMember:
    """A new dependant: their joining fee is due with the next payment, their own waiting
    period runs from ``joined_on``."""
    rules.require(rules.can_enrol(actor, household.scheme, household.cooperative))
    check_event_date(joined_on, field="joined_on")
    if joined_on < household.enrolled_on:
        raise ValidationFailed(
            _("L'entrée précède l'adhésion du ménage."),
            code=Code.BEFORE_ENROLMENT,
            field="joined_on",
        )
    if relation == Relation.HEAD:
        raise ValidationFailed(
            _("Le ménage n'a qu'un chef."), code=Code.INVALID_RELATION, field="relation"
        )
    Household.objects.select_for_update().get(pk=household.pk)
    current = list(household.members.filter(left_on__isnull=True).select_related("person"))
    _check_persons(household.scheme, [(person, relation)])
    if len(current) + 1 > MAX_MEMBERS:
        raise ValidationFailed(
            _("Un ménage compte au plus %(n)s personnes.") % {"n": MAX_MEMBERS},
            code=Code.TOO_MANY_MEMBERS,
            field="members",
        )
    member = HouseholdMember.objects.create(
        household=household,
        scheme=household.scheme,
        person=person,
        relation=relation,
        joined_on=joined_on,
    )
    _touch(household)
    return member


@service(texts=((HouseholdMember, {"reason": "left_reason"}),), event_dates=("left_on",))
def household_member_leave(
    *, actor, member: HouseholdMember, left_on: datetime.date, reason: str = ""
) -> HouseholdMember:
    household = member.household
    rules.require(rules.can_enrol(actor, household.scheme, household.cooperative))
    if member.relation == Relation.HEAD:
        raise Conflict(
            _("Le chef de ménage ne peut pas quitter son ménage."), code=Code.HEAD_CANNOT_LEAVE
        )
    if member.left_on is not None:
        raise Conflict(_("Cette personne a déjà quitté le ménage."), code=Code.ALREADY_LEFT)
    member.left_on = left_on
    member.left_reason = clean_text(reason, field="reason", max_length=120)
    member.save(update_fields=["left_on", "left_reason"])
    return member


@service()
def person_photo_set(*, actor, household: Household, person: Person, upload) -> PersonPhoto:
    """Attach (or replace) the photo printed on a current member's cards: those who enrol
    the household; the image is checked and re-encoded (``health.photos``)."""
    from health.photos import photo_clean

    rules.require(rules.can_set_photo(actor, household))
    if not household.members.filter(person=person, left_on__isnull=True).exists():
        raise Conflict(
            _("Cette personne n'est pas bénéficiaire de ce ménage."),
            code=Code.NOT_IN_HOUSEHOLD,
            field="person",
        )
    clean = photo_clean(upload)
    photo, _created = PersonPhoto.objects.update_or_create(
        person=person,
        defaults={"data": clean.data, "width": clean.width, "height": clean.height},
    )
    return photo


def children_aged_out(*, as_of: datetime.date):
    """Children whose age reached their scheme's limit on or before ``as_of``, still in."""
    out = []
    rows = HouseholdMember.objects.filter(
        relation=Relation.CHILD, left_on__isnull=True, person__birth_date__isnull=False
    ).select_related("person", "household__scheme")
    for m in rows.iterator():
        limit = m.household.scheme.child_age_limit
        if coverage.age_on(m.person.birth_date, as_of) >= limit:
            out.append(m)
    return out


def child_leaving_day(member: HouseholdMember) -> datetime.date:
    birth = member.person.birth_date
    return coverage.add_months(birth, 12 * member.household.scheme.child_age_limit)


@service
def household_member_age_out(*, member: HouseholdMember, day: datetime.date) -> HouseholdMember:
    """A child reached the scheme's age limit: they leave the household's cover on ``day``
    (a system step of the daily SMS job; the head gets a notice)."""
    member = HouseholdMember.objects.select_for_update().get(pk=member.pk)
    if member.left_on is None:
        member.left_on = day
        member.left_reason = "âge limite"
        member._change_reason = "âge limite atteint"
        member.save(update_fields=["left_on", "left_reason"])
        _touch(member.household)
    return member


@service
def reminder_record(
    *, household: Household, person, kind: str, for_date: datetime.date, phone: str, message_id: str
) -> Reminder:
    """Record an SMS the messaging app sent to a household (once per kind and date)."""
    reminder, _created = Reminder.objects.get_or_create(
        household=household,
        person=person,
        kind=kind,
        for_date=for_date,
        defaults={"phone": phone, "message_id": message_id[:80]},
    )
    return reminder


# --- contributions ------------------------------------------------------------------------


def month_cost_function(household: Household, members: list[HouseholdMember]):
    """``cost(k)``: month ``k``'s contribution for the current members (age bands apply
    to each person's age on the month's first day; a child past the limit does not count)."""
    scheme = household.scheme
    bands = list(scheme.age_bands.all())

    def person_cost(member: HouseholdMember, start: datetime.date) -> int:
        age = coverage.age_on(member.person.birth_date, start)
        if member.relation == Relation.CHILD and age is not None and age >= scheme.child_age_limit:
            return 0
        for band in bands:
            if age is not None and band.min_age <= age <= band.max_age:
                return band.monthly_contribution
        return scheme.monthly_contribution

    def cost(k: int) -> int:
        start = coverage.add_months(household.enrolled_on, k)
        return sum(person_cost(m, start) for m in members)

    return cost


@service(
    texts=((Contribution, {"reference": "reference", "idempotency_key": "idempotency_key"}),),
    event_dates=("paid_on",),
    amounts=("amount",),
)
def contribution_pay(
    *,
    actor,
    household: Household,
    amount: int,
    paid_on: datetime.date,
    channel: str,
    idempotency_key: str = "",
    reference: str = "",
) -> Contribution:
    """Record a payment and apply the fixed rule (joining fees, whole months, credit).

    Who: the scheme's agents, the enrolling cooperative's officers, the household's
    members. The same ``idempotency_key`` returns the first payment when its content is
    the same.
    """
    members = household.members.filter(left_on__isnull=True).values_list("person_id", flat=True)
    rules.require(rules.can_pay(actor, household, list(members)))
    return _contribution_apply(
        actor=actor,
        household=household,
        amount=amount,
        paid_on=paid_on,
        channel=channel,
        idempotency_key=idempotency_key,
        reference=reference,
    )


@service(
    texts=((Contribution, {"reference": "reference"}),),
    event_dates=("paid_on",),
    amounts=("amount",),
)
def contribution_pay_confirmed(
    *, actor, household: Household, amount: int, paid_on: datetime.date, reference: str
) -> Contribution:
    """A mobile-money payment the provider confirmed (payments' ``contribution`` purpose):
    the money is in, so no role is checked again; the rule applies as for any payment,
    once per payment reference."""
    return _contribution_apply(
        actor=actor,
        household=household,
        amount=amount,
        paid_on=paid_on,
        channel=Channel.MOBILE,
        idempotency_key=f"payment:{reference}"[:80],
        reference=reference,
    )


def _contribution_apply(
    *, actor, household, amount, paid_on, channel, idempotency_key, reference
) -> Contribution:
    """The household row is locked for the whole computation: two payments at once queue."""
    amount = clean_amount(amount, field="amount")
    check_event_date(paid_on, field="paid_on")
    if channel not in Channel.values:
        raise ValidationFailed(
            _("Moyen de paiement inconnu."), code=Code.UNKNOWN_CHANNEL, field="channel"
        )
    key = clean_text(idempotency_key, field="idempotency_key", max_length=80)
    locked = Household.objects.select_for_update().select_related("scheme").get(pk=household.pk)
    members = list(locked.members.filter(left_on__isnull=True).select_related("person"))
    if key:
        first = Contribution.objects.filter(household=locked, idempotency_key=key).first()
        if first is not None:
            if (first.amount, first.paid_on, first.channel) != (amount, paid_on, channel):
                raise Conflict(
                    _("Cette clé d'idempotence a déjà servi pour un autre paiement."),
                    code=Code.IDEMPOTENCY_KEY_REUSED,
                )
            return first
    unpaid = [m for m in members if not m.joining_fee_paid]
    result = coverage.settle(
        amount=amount,
        credit=locked.credit,
        fees_due=[locked.scheme.joining_fee for _m in unpaid],
        months_paid=locked.months_paid,
        month_cost=month_cost_function(locked, members),
    )
    settled = [m.pk for m in unpaid[: result.fees_settled]]
    HouseholdMember.objects.filter(pk__in=settled).update(joining_fee_paid=True)
    bought = _months_bought(locked, members, result.months, paid_on)
    locked.months_paid += result.months
    locked.covered_until = coverage.covered_until(locked.enrolled_on, locked.months_paid)
    locked.credit = result.credit
    locked.save(update_fields=["months_paid", "covered_until", "credit"])
    _touch(locked)
    contribution = Contribution.objects.create(
        household=locked,
        cooperative=locked.cooperative,
        amount=amount,
        paid_on=paid_on,
        channel=channel,
        payer=locked.payer,
        joining_fees=result.fees_amount,
        months=result.months,
        months_amount=result.months_amount,
        credit_after=result.credit,
        covered_until_after=locked.covered_until,
        idempotency_key=key,
        reference=clean_text(reference, field="reference", max_length=80),
        created_by=actor if getattr(actor, "pk", None) else None,
    )
    _contribution_post(contribution, locked.scheme, bought, actor)
    return contribution


def _months_bought(household, members, months: int, paid_on) -> list[tuple[datetime.date, int]]:
    """(first day, cost) of each month a payment buys, before ``months_paid`` moves."""
    cost = month_cost_function(household, members)
    first = household.months_paid
    return [
        (coverage.add_months(household.enrolled_on, k), cost(k))
        for k in range(first, first + months)
    ]


def _contribution_post(contribution, scheme, bought, actor) -> None:
    """The payment in the mutual's books; months not yet begun wait in 477 until they do."""
    later = [
        ContributionMonth(contribution=contribution, scheme=scheme, starts_on=start, amount=amount)
        for start, amount in bought
        if start > contribution.paid_on and amount > 0
    ]
    ContributionMonth.objects.bulk_create(later)
    postings.contribution_received(
        contribution, scheme=scheme, deferred=sum(m.amount for m in later), actor=actor
    )


@service(event_dates=("as_of",))
def contributions_earn(*, actor=None, scheme: Scheme, as_of: datetime.date) -> int:
    """The months paid in advance that have begun by ``as_of`` move from 477 to 7581 in
    the mutual's books (one entry per run; each month once). Daily, by
    ``manage.py health_books``. Returns the amount moved."""
    months = list(
        ContributionMonth.objects.select_for_update()
        .filter(scheme=scheme, earned_on__isnull=True, starts_on__lte=as_of)
        .order_by("id")
    )
    amount = sum(m.amount for m in months)
    if not amount:
        return 0
    ref = f"{as_of.isoformat()}:{months[0].pk}-{months[-1].pk}"
    postings.months_earned(scheme, on=as_of, amount=amount, ref=ref, actor=actor)
    ContributionMonth.objects.filter(pk__in=[m.pk for m in months]).update(earned_on=as_of)
    return amount


def _unposted_contributions(scheme: Scheme, book):
    from django.db.models import CharField, Exists, OuterRef
    from django.db.models.functions import Cast

    from ledger.models import HolderEntry

    posted = HolderEntry.objects.filter(
        book=book,
        source="health_contribution",
        source_ref=Cast(OuterRef("pk"), output_field=CharField()),
    )
    return Contribution.objects.filter(household__scheme=scheme).filter(~Exists(posted))


def _backfill_months(contribution, months_before: int) -> list[tuple[datetime.date, int]]:
    """(first day, cost) of each month a past payment bought, at the members of its day;
    split evenly (the remainder on the first) when those no longer give its amount."""
    household, day = contribution.household, contribution.paid_on
    members = [
        m
        for m in household.members.select_related("person")
        if m.joined_on <= day and (m.left_on is None or m.left_on > day)
    ]
    cost = month_cost_function(household, members)
    ks = range(months_before, months_before + contribution.months)
    costs = [cost(k) for k in ks]
    if sum(costs) != contribution.months_amount and contribution.months:
        share, rest = divmod(contribution.months_amount, contribution.months)
        costs = [share + (rest if i == 0 else 0) for i in range(contribution.months)]
    return [
        (coverage.add_months(household.enrolled_on, k), c) for k, c in zip(ks, costs, strict=True)
    ]


@service(event_dates=("as_of",))
def contributions_backfill(*, actor=None, scheme: Scheme, as_of: datetime.date) -> int:
    """Post the payments recorded before the mutual's books existed, once each (a payment
    whose entry exists is skipped): the payment on its day as :func:`contribution_pay`
    posts it, then each month it paid in advance that began by ``as_of``, earned on its
    first day. Nightly, by ``manage.py health_books``. Returns how many were posted."""
    from ledger.models import HolderBook

    book = HolderBook.objects.select_for_update().get(pk=postings.book_for(scheme).pk)
    missing = set(_unposted_contributions(scheme, book).values_list("pk", flat=True))
    if not missing:
        return 0
    households = Contribution.objects.filter(pk__in=missing).values("household_id")
    past = (
        Contribution.objects.filter(household__in=households)
        .select_related("household__scheme")
        .order_by("household_id", "id")
    )
    months_before: dict[int, int] = {}
    for contribution in past:
        before = months_before.get(contribution.household_id, 0)
        months_before[contribution.household_id] = before + contribution.months
        if contribution.pk not in missing:
            continue
        _contribution_post(contribution, scheme, _backfill_months(contribution, before), actor)
        for month in contribution.deferred_months.filter(starts_on__lte=as_of):
            ref = f"backfill:{month.pk}"
            postings.months_earned(
                scheme, on=month.starts_on, amount=month.amount, ref=ref, actor=actor
            )
            ContributionMonth.objects.filter(pk=month.pk).update(earned_on=month.starts_on)
    return len(missing)


def amount_payable(household: Household) -> int:
    """The most one payment may bring (for mobile money): the joining fees still due and
    twelve months ahead for the current members."""
    members = list(household.members.filter(left_on__isnull=True).select_related("person"))
    fees = household.scheme.joining_fee * sum(1 for m in members if not m.joining_fee_paid)
    cost = month_cost_function(household, members)
    return fees + sum(cost(household.months_paid + k) for k in range(12))


# --- claims -------------------------------------------------------------------------------


def _member_of(household: Household, person: Person) -> HouseholdMember | None:
    return household.members.filter(person=person).select_related("person").order_by("-id").first()


def _check_cover(household: Household, member: HouseholdMember, on: datetime.date) -> None:
    """409 ``waiting_period`` or ``not_covered`` unless the person is covered on ``on``."""
    scheme = household.scheme
    cover = coverage.person_cover(
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
    day = cover.waiting_until.strftime("%d/%m/%Y")
    messages = {
        coverage.Status.WAITING: (
            "waiting_period",
            _("Délai de carence : les soins sont pris en charge à partir du %(d)s.") % {"d": day},
        ),
        coverage.Status.NOT_ENROLLED: (
            "not_covered",
            _("Les soins précèdent l'adhésion de cette personne."),
        ),
        coverage.Status.LEFT: ("not_covered", _("Cette personne a quitté le ménage.")),
        coverage.Status.AGED_OUT: (
            "not_covered",
            _("Cet enfant a atteint l'âge limite : il doit adhérer lui-même."),
        ),
        coverage.Status.LAPSED: (
            "not_covered",
            _("Couverture non payée à cette date (couvert jusqu'au %(d)s).")
            % {
                "d": household.covered_until.strftime("%d/%m/%Y")
                if household.covered_until
                else "—"
            },
        ),
    }
    if cover.status in messages:
        code, message = messages[cover.status]
        raise Conflict(message, code=code, field="service_on")


def _claim_lines(scheme: Scheme, provider: Provider, lines, amount, benefit) -> list[ClaimLine]:
    """The claim's services at the convention's tariffs (or one line of ``benefit``)."""
    convention = Convention.objects.filter(scheme=scheme, provider=provider, active=True).first()
    if convention is None:
        raise Conflict(
            _("Ce prestataire n'a pas de convention avec la mutuelle."),
            code=Code.NO_CONVENTION,
            field="provider",
        )
    covered = set(scheme.benefits.values_list("kind", flat=True))
    if not lines:
        if benefit is None or amount is None:
            raise ValidationFailed(
                _("Indiquez les actes, ou la prestation et le montant."),
                code=Code.REQUIRED,
                field="lines",
            )
        lines = [{"benefit": benefit, "amount": amount}]
    if len(lines) > MAX_LINES:
        raise ValidationFailed(_("Trop d'actes."), code=Code.TOO_MANY_LINES, field="lines")
    tariffs = {t.code: t for t in convention.tariffs.all()}
    built = []
    for raw in lines:
        quantity = clean_amount(raw.get("quantity", 1), field="quantity", maximum=100)
        code = clean_text(raw.get("code"), field="code", max_length=20).upper()
        if code:
            tariff = tariffs.get(code)
            if tariff is None:
                raise ValidationFailed(
                    _("Acte inconnu dans la convention : %(c)s.") % {"c": code},
                    code=Code.UNKNOWN_SERVICE,
                    field="lines",
                )
            kind, price = tariff.benefit, tariff.amount * quantity
        else:
            tariff, kind = None, raw.get("benefit")
            price = clean_amount(raw.get("amount"), field="amount") * quantity
        if kind not in covered:
            raise ValidationFailed(
                _("Cette prestation n'est pas couverte par la mutuelle."),
                code=Code.NOT_IN_BENEFITS,
                field="lines",
            )
        built.append(
            ClaimLine(tariff=tariff, code=code, benefit=kind, quantity=quantity, amount=price)
        )
    total = sum(line.amount for line in built)
    if total > MAX_AMOUNT:
        raise ValidationFailed(_("Montant trop élevé."), code=Code.AMOUNT_TOO_LARGE, field="amount")
    if amount is not None and lines and amount != total and any(ln.code for ln in built):
        raise ValidationFailed(
            _("Le montant (%(a)s) ne correspond pas aux tarifs (%(t)s).")
            % {"a": amount, "t": total},
            code=Code.AMOUNT_MISMATCH,
            field="amount",
        )
    return built


def _same_day_twins(beneficiary: Person, on: datetime.date, lines: list[ClaimLine]) -> list:
    earlier = ClaimLine.objects.filter(
        claim__beneficiary=beneficiary, claim__service_on=on
    ).exclude(claim__status=ClaimStatus.REJECTED)
    found = []
    for line in lines:
        same = earlier.filter(code=line.code) if line.code else earlier.filter(benefit=line.benefit)
        if same.exists():
            found.append(line.code or line.get_benefit_display())
    return found


@service(event_dates=("service_on",))
def fraud_signal_record(
    *, actor, kind: str, household, person, provider, service_on, claim=None, note: str = ""
) -> FraudSignal:
    return FraudSignal.objects.create(
        kind=kind,
        scheme_id=household.scheme_id,
        claim=claim,
        household=household,
        person=person,
        provider=provider,
        service_on=service_on,
        note=note[:200],
        created_by=actor if getattr(actor, "pk", None) else None,
    )


@service(
    texts=((Claim, {"diagnosis": "diagnosis"}),), event_dates=("service_on",), amounts=("amount",)
)
def _claim_enter(
    *, actor, household, beneficiary, provider, service_on, lines, amount, benefit, diagnosis
) -> Claim:
    household = Household.objects.select_related("scheme").get(pk=household.pk)  # fresh cover
    scheme = household.scheme
    rules.require(rules.can_enter_claim(actor, scheme, provider))
    check_event_date(service_on, field="service_on")
    diagnosis = clean_text(diagnosis, field="diagnosis", max_length=200)
    if amount is not None:
        amount = clean_amount(amount, field="amount")
    member = _member_of(household, beneficiary)
    if member is None:
        raise Conflict(
            _("Cette personne ne fait pas partie du ménage."),
            code=Code.NOT_IN_HOUSEHOLD,
            field="beneficiary",
        )
    built = _claim_lines(scheme, provider, lines, amount, benefit)
    _check_cover(household, member, service_on)
    twins = _same_day_twins(beneficiary, service_on, built)
    claim = Claim.objects.create(
        scheme=scheme,
        household=household,
        cooperative=household.cooperative,
        beneficiary=beneficiary,
        provider=provider,
        service_on=service_on,
        amount=sum(line.amount for line in built),
        diagnosis=diagnosis,
        flagged=bool(twins),
        created_by=actor if getattr(actor, "pk", None) else None,
    )
    for line in built:
        line.claim = claim
    ClaimLine.objects.bulk_create(built)
    if twins:
        fraud_signal_record(
            actor=actor,
            kind=SignalKind.SAME_SERVICE_SAME_DAY,
            household=household,
            person=beneficiary,
            provider=provider,
            service_on=service_on,
            claim=claim,
            note=", ".join(twins),
        )
    return claim


def claim_enter(
    *,
    actor,
    household: Household,
    beneficiary: Person,
    provider: Provider,
    service_on: datetime.date,
    lines: list[dict] | None = None,
    amount: int | None = None,
    benefit: str | None = None,
    diagnosis: str = "",
) -> Claim:
    """A provider (or the mutual's agent) enters a claim for a beneficiary of a household.

    Refused, nothing written: 409 ``waiting_period`` / ``not_covered`` (no cover on the
    day), 409 ``not_in_household`` (also kept as a fraud signal), 400 for a service the
    scheme does not cover or a tariff unknown. The same service for the same person on
    the same day is entered but flagged (fraud signal).
    """
    try:
        return _claim_enter(
            actor=actor,
            household=household,
            beneficiary=beneficiary,
            provider=provider,
            service_on=service_on,
            lines=lines,
            amount=amount,
            benefit=benefit,
            diagnosis=diagnosis,
        )
    except Conflict as exc:
        if exc.code == "not_in_household" and isinstance(service_on, datetime.date):
            fraud_signal_record(
                actor=actor,
                kind=SignalKind.OUTSIDE_HOUSEHOLD,
                household=household,
                person=beneficiary,
                provider=provider,
                service_on=service_on,
            )
        raise


def _locked_claim(claim: Claim, *statuses: str) -> Claim:
    locked = Claim.objects.select_for_update().get(pk=claim.pk)
    if locked.status not in statuses:
        raise Conflict(
            _("Cette demande est « %(s)s » : opération impossible.")
            % {"s": locked.get_status_display()},
            code=Code.INVALID_STATUS,
            field="status",
        )
    return locked


def _used_this_year(claim: Claim) -> tuple[dict, dict, int]:
    """What the mutual already paid this calendar year: for the person by benefit, for the
    household by benefit, for the person in all."""
    base = ClaimLine.objects.filter(
        claim__household_id=claim.household_id,
        claim__status__in=[ClaimStatus.VALUATED, ClaimStatus.PAID],
        claim__service_on__year=claim.service_on.year,
    ).exclude(claim_id=claim.pk)
    rows = base.values("benefit", "claim__beneficiary_id").annotate(s=Sum("covered")).order_by()
    person, household, person_all = {}, {}, 0
    for row in rows:
        household[row["benefit"]] = household.get(row["benefit"], 0) + row["s"]
        if row["claim__beneficiary_id"] == claim.beneficiary_id:
            person[row["benefit"]] = row["s"]
            person_all += row["s"]
    return person, household, person_all


def claim_valuation(claim: Claim) -> list[tuple[ClaimLine, object]]:
    """Each line with its value (copayment, ceilings already used this year)."""
    from health.valuation import valuate_line

    scheme = claim.scheme
    benefits = {b.kind: b for b in scheme.benefits.all()}
    person, household, person_all = _used_this_year(claim)
    out = []
    for line in claim.lines.all():
        benefit = benefits.get(line.benefit)
        if benefit is None:
            value = valuate_line(amount=line.amount, copayment_percent=100, rooms=[])
            out.append((line, value))
            continue
        rooms = [
            benefit.ceiling_person - person.get(line.benefit, 0)
            if benefit.ceiling_person
            else None,
            benefit.ceiling_household - household.get(line.benefit, 0)
            if benefit.ceiling_household
            else None,
            scheme.annual_ceiling - person_all if scheme.annual_ceiling else None,
        ]
        value = valuate_line(
            amount=line.amount, copayment_percent=benefit.copayment_percent, rooms=rooms
        )
        person[line.benefit] = person.get(line.benefit, 0) + value.covered
        household[line.benefit] = household.get(line.benefit, 0) + value.covered
        person_all += value.covered
        out.append((line, value))
    return out


@service
def claim_check(*, actor, claim: Claim) -> Claim:
    """The mutual's agent checks an entered claim: cover on the day again (a person may
    have left since), then it is ready for valuation."""
    rules.require(rules.can_process_claim(actor, claim))
    claim = _locked_claim(claim, ClaimStatus.ENTERED)
    member = _member_of(claim.household, claim.beneficiary)
    _check_cover(claim.household, member, claim.service_on)
    claim.status = ClaimStatus.CHECKED
    claim.save(update_fields=["status"])
    return claim


@service
def claim_valuate(*, actor, claim: Claim) -> Claim:
    """Fix what the mutual pays and what the member pays (copayment, ceilings); the
    household is locked so two valuations never both use the same ceiling room."""
    rules.require(rules.can_process_claim(actor, claim))
    Household.objects.select_for_update().get(pk=claim.household_id)
    claim = _locked_claim(claim, ClaimStatus.CHECKED)
    reasons = []
    for line, value in claim_valuation(claim):
        line.covered, line.copayment = value.covered, value.copayment
        line.reason = str(_("plafond annuel atteint")) if value.capped else ""
        line.save(update_fields=["covered", "copayment", "reason"])
        if value.capped:
            reasons.append(f"{line.code or line.get_benefit_display()} : {line.reason}")
    claim.covered_amount = sum(claim.lines.values_list("covered", flat=True))
    claim.copayment = claim.amount - claim.covered_amount
    claim.partial_reason = "; ".join(reasons)[:200]
    claim.status = ClaimStatus.VALUATED
    claim.save(update_fields=["covered_amount", "copayment", "partial_reason", "status"])
    postings.claim_valuated(claim, on=dates.today(), actor=actor)
    _touch(claim.household, claim.service_on)
    return claim


@service(texts=((Claim, {"reason": "rejection_reason"}),))
def claim_reject(*, actor, claim: Claim, reason: str) -> Claim:
    rules.require(rules.can_process_claim(actor, claim))
    reason = clean_text(reason, field="reason", max_length=200, required=True)
    claim = _locked_claim(claim, ClaimStatus.ENTERED, ClaimStatus.CHECKED)
    claim.status = ClaimStatus.REJECTED
    claim.rejection_reason = reason
    claim.save(update_fields=["status", "rejection_reason"])
    return claim


@service(event_dates=("paid_on",))
def claim_pay(*, actor, claim: Claim, paid_on: datetime.date, channel: str = "bank") -> Claim:
    """The mutual pays the provider the valuated amount."""
    rules.require(rules.can_process_claim(actor, claim))
    check_event_date(paid_on, field="paid_on")
    if channel not in (Channel.BANK, Channel.CASH, Channel.MOBILE):
        raise ValidationFailed(
            _("Moyen de paiement inconnu."), code=Code.UNKNOWN_CHANNEL, field="channel"
        )
    claim = _locked_claim(claim, ClaimStatus.VALUATED)
    _no_open_payout(claim)
    if paid_on < claim.service_on:
        raise ValidationFailed(
            _("Le paiement précède les soins."), code=Code.DATE_OUT_OF_RANGE, field="paid_on"
        )
    claim.status = ClaimStatus.PAID
    claim.paid_on = paid_on
    claim.paid_channel = channel
    claim.save(update_fields=["status", "paid_on", "paid_channel"])
    postings.claim_paid(claim, actor=actor)
    return claim


# --- claims paid by phone (payments' payout purpose ``health_claim``) -------------------

OPEN_PAYOUT = ("awaiting_approval", "approved", "processing")


def _no_open_payout(claim: Claim) -> None:
    if claim.payout_id and claim.payout.status in OPEN_PAYOUT:  # = selectors.claim_payout_state
        raise Conflict(
            _("Un versement par téléphone de cette demande est en cours."),
            code=Code.PAYOUT_PENDING,
        )


def _payee(claim: Claim, to: str, phone: str) -> tuple[str, str]:
    if to == "member":
        person = claim.beneficiary
        return phone or person.phone or claim.household.head.phone, str(person)[:100]
    if to != "provider":
        raise ValidationFailed(_("Bénéficiaire inconnu."), code=Code.UNKNOWN_PAYEE, field="to")
    return phone or claim.provider.phone, claim.provider.name[:100]


@service(atomic=False)
def claim_payout_request(
    *, actor, claim: Claim, provider: str = "wave", to: str = "provider", phone: str = ""
):
    """Pay a valuated claim by phone, to the provider (or to the member who paid the care):
    a payout of purpose ``health_claim`` for what the mutual pays. Up to the payments
    threshold it is sent at once; above, another agent of the scheme (or national staff)
    approves it. The claim becomes paid when the operator confirms (``claim_payout_settled``)."""
    from payments.models import PayoutStatus
    from payments.services import payout_request, payout_send

    rules.require(rules.can_process_claim(actor, claim))
    with transaction.atomic():
        claim = _locked_claim(claim, ClaimStatus.VALUATED)
        _no_open_payout(claim)
        if claim.covered_amount <= 0:
            raise Conflict(_("Rien à payer pour cette demande."), code=Code.NOTHING_TO_PAY)
        phone, name = _payee(claim, to, phone)
        payout = payout_request(
            kind="claim",
            purpose="health_claim",
            target_id=claim.pk,
            provider=provider,
            amount=claim.covered_amount,
            phone=phone,
            name=name,
            reason=str(_("Demande de remboursement n° %(n)s") % {"n": claim.pk}),
            actor=actor,
        )
        claim.payout = payout
        claim.save(update_fields=["payout"])
    if payout.status == PayoutStatus.APPROVED:
        payout = payout_send(payout=payout, actor=actor)
    return payout


@service(atomic=False)
def claim_payout_approve(*, actor, claim: Claim, approve: bool = True):
    """The second person's decision on a claim's payout above the threshold; approved, it
    is sent at once. Refused, the claim stays payable."""
    from payments.models import PayoutStatus
    from payments.rules import can_manage_payments
    from payments.services import payout_approve, payout_send

    rules.require(rules.can_process_claim(actor, claim) or can_manage_payments(actor))
    claim = Claim.objects.select_related("payout").get(pk=claim.pk)
    if claim.payout is None:
        raise Conflict(_("Aucun versement à approuver."), code=Code.NOT_AWAITING)
    payout = payout_approve(payout=claim.payout, actor=actor, approve=approve)
    if payout.status == PayoutStatus.APPROVED:
        payout = payout_send(payout=payout, actor=actor)
    return payout


@service
def claim_payout_settled(*, payout, actor=None) -> Claim | None:
    """The payout of a claim is final: succeeded, the claim is paid (on the day the operator
    confirmed, channel mobile money) and posted in the mutual's books, once; failed or
    refused, the claim stays valuated, payable again."""
    claim = Claim.objects.select_for_update().filter(pk=payout.target_id).first()
    if claim is None or claim.payout_id != payout.pk:
        return None
    if payout.status != "succeeded" or claim.status != ClaimStatus.VALUATED:
        return claim
    claim.status = ClaimStatus.PAID
    claim.paid_on = dates.today()
    claim.paid_channel = Channel.MOBILE
    claim.save(update_fields=["status", "paid_on", "paid_channel"])
    postings.claim_paid(claim, actor=actor)
    if payout.fee:
        postings.payout_fee(claim, payout, on=claim.paid_on, actor=actor)
    return claim


# --- the mutual's books: periods, year end, the result to reserves ----------------------


@service
def scheme_period_lock(*, actor, scheme: Scheme, year: int, month: int):
    """Lock a month of the mutual's books: nothing is posted into it afterwards (a payment,
    a claim dated in it: 409 ``period_locked``, nothing written)."""
    from ledger.services import holder_period_lock

    rules.require(rules.can_keep_books(actor, scheme))
    return holder_period_lock(actor=actor, book=postings.book_for(scheme), year=year, month=month)


@service
def scheme_period_unlock(*, actor, scheme: Scheme, year: int, month: int) -> None:
    from ledger.services import holder_period_unlock

    rules.require(rules.can_keep_books(actor, scheme))
    holder_period_unlock(actor=actor, book=postings.book_for(scheme), year=year, month=month)


@service
def scheme_year_close(*, actor, scheme: Scheme, year: int):
    """Close a year of the mutual's books: the months paid in advance that began by 31/12
    are earned first, then contributions and claims are cleared into the result (131/139)
    and the twelve months locked."""
    from ledger.services import holder_year_close

    rules.require(rules.can_keep_books(actor, scheme))
    book = postings.book_for(scheme)
    if datetime.date(year, 12, 31) < dates.today():
        contributions_earn(actor=actor, scheme=scheme, as_of=datetime.date(year, 12, 31))
    return holder_year_close(actor=actor, book=book, year=year)


@service(event_dates=("on",))
def scheme_result_allocate(*, actor, scheme: Scheme, year: int, on: datetime.date, reserve_rate):
    """The decision on a closed year's result: a surplus to the reserve at ``reserve_rate``
    (0..1, the rest carried forward), a deficit absorbed by the reserve (then carried
    forward)."""
    from ledger.services import holder_result_allocate

    rules.require(rules.can_keep_books(actor, scheme))
    return holder_result_allocate(
        actor=actor, book=postings.book_for(scheme), year=year, on=on, reserve_rate=reserve_rate
    )


def health_merge_person(*, keep, duplicate, actor, reason: str) -> None:
    """The duplicate's cover, claims and signals become ``keep``'s (hook of
    :func:`registry.services.person_merge`, inside its transaction).

    Both covered by one scheme: in the same household, the duplicate's line is closed (the
    household keeps one line for the person); in two households, refused (409
    ``merge_two_households``: one of them must leave first), nothing written."""
    kept = {
        m.scheme_id: m for m in HouseholdMember.objects.filter(person=keep, left_on__isnull=True)
    }
    for line in HouseholdMember.objects.select_for_update().filter(person=duplicate):
        other = kept.get(line.scheme_id) if line.left_on is None else None
        if other is not None and other.household_id != line.household_id:
            raise Conflict(
                _(
                    "Ces deux fiches sont couvertes par la même mutuelle dans deux ménages : "
                    "faites d'abord sortir l'une d'elles de son ménage."
                ),
                code=Code.MERGE_TWO_HOUSEHOLDS,
            )
        if other is not None:
            line.left_on = line.joined_on
            line.left_reason = reason[:120]
        line.person = keep
        line._change_reason = reason
        line.save()
    for household in Household.objects.select_for_update().filter(head=duplicate):
        household.head = keep
        household._change_reason = reason
        household.save(update_fields=["head"])
    for claim in Claim.objects.select_for_update().filter(beneficiary=duplicate):
        claim.beneficiary = keep
        claim._change_reason = reason
        claim.save(update_fields=["beneficiary"])
    FraudSignal.objects.filter(person=duplicate).update(person=keep)
    Reminder.objects.filter(person=duplicate).update(person=keep)
    _merge_photo(keep=keep, duplicate=duplicate)


def _merge_photo(*, keep, duplicate) -> None:
    """The duplicate's card photo becomes ``keep``'s when ``keep`` has none; else it goes."""
    photo = PersonPhoto.objects.filter(person=duplicate).first()
    if photo is None:
        return
    if PersonPhoto.objects.filter(person=keep).exists():
        photo.delete()
    else:
        photo.person = keep
        photo.save(update_fields=["person"])
