"""Enrolment and contributions: the rules and the bad input (nothing written)."""

import datetime

import pytest

from core.errors import Conflict, Forbidden, ValidationFailed
from health import services
from health.models import Contribution, Household, HouseholdMember
from health.tests.factories import JAN_1, enrolled, family, national_user, scheme_of_example
from registry.tests.factories import PersonFactory

D = datetime.date


@pytest.fixture
def scheme(world):
    return scheme_of_example(national_user())


@pytest.mark.django_db
def test_an_officer_enrols_a_member_household_through_the_cooperative(world, scheme):
    household = enrolled(world.officer, scheme, world.coop_tc, 3)
    assert household.payer == "cooperative" and household.cooperative == world.coop_tc
    assert household.members.count() == 3


@pytest.mark.django_db
def test_an_officer_cannot_enrol_through_another_cooperative(world, scheme):
    with pytest.raises(Forbidden):
        enrolled(world.officer, scheme, world.coop_thies, 2)


@pytest.mark.django_db
def test_the_head_must_be_an_active_member_of_the_cooperative(world, scheme):
    outsider = PersonFactory(commune=world.koumpentoum)
    with pytest.raises(Conflict) as exc:
        services.household_enrol(
            actor=world.officer,
            scheme=scheme,
            head=outsider,
            cooperative=world.coop_tc,
            enrolled_on=JAN_1,
        )
    assert exc.value.code == "not_a_member"


@pytest.mark.django_db
def test_a_person_in_two_households_of_the_same_scheme_is_refused(world, scheme):
    household = enrolled(world.officer, scheme, world.coop_tc, 2)
    head, dependants = family(world.coop_tc, 2)
    spouse_of_first = household.members.get(relation="spouse").person
    with pytest.raises(Conflict) as exc:
        services.household_enrol(
            actor=world.officer,
            scheme=scheme,
            head=head,
            dependants=[(spouse_of_first, "spouse")],
            cooperative=world.coop_tc,
            enrolled_on=JAN_1,
        )
    assert exc.value.code == "already_covered"
    assert Household.objects.count() == 1 and HouseholdMember.objects.count() == 2


@pytest.mark.django_db
def test_the_registry_duplicate_check_applies(world, scheme):
    household = enrolled(world.officer, scheme, world.coop_tc, 2)
    spouse = household.members.get(relation="spouse").person
    spouse.national_id = "1234567890123"
    spouse.save()
    twin = PersonFactory(national_id="1234567890123", commune=world.koumpentoum)
    head, _d = family(world.coop_tc, 1)
    with pytest.raises(Conflict) as exc:
        services.household_enrol(
            actor=world.officer,
            scheme=scheme,
            head=head,
            dependants=[(twin, "spouse")],
            cooperative=world.coop_tc,
            enrolled_on=JAN_1,
        )
    assert exc.value.code == "already_covered"


@pytest.mark.django_db
def test_the_same_person_twice_in_one_household_is_refused(world, scheme):
    head, dependants = family(world.coop_tc, 2)
    with pytest.raises(ValidationFailed) as exc:
        services.household_enrol(
            actor=world.officer,
            scheme=scheme,
            head=head,
            dependants=[(head, "spouse")],
            cooperative=world.coop_tc,
            enrolled_on=JAN_1,
        )
    assert exc.value.code == "duplicate_person"


@pytest.mark.parametrize("amount", [0, -500, True, "100", 10**12])
@pytest.mark.django_db
def test_a_contribution_of_0_negative_or_absurd_is_refused(world, scheme, amount):
    household = enrolled(world.officer, scheme, world.coop_tc, 2)
    with pytest.raises(ValidationFailed) as exc:
        services.contribution_pay(
            actor=world.officer,
            household=household,
            amount=amount,
            paid_on=JAN_1,
            channel="cash",
        )
    assert exc.value.field == "amount"
    assert not Contribution.objects.exists()


@pytest.mark.parametrize("paid_on", [D(1899, 12, 31), D(2999, 1, 1)])
@pytest.mark.django_db
def test_a_contribution_date_out_of_range_is_refused(world, scheme, paid_on):
    household = enrolled(world.officer, scheme, world.coop_tc, 2)
    with pytest.raises(ValidationFailed) as exc:
        services.contribution_pay(
            actor=world.officer,
            household=household,
            amount=100,
            paid_on=paid_on,
            channel="cash",
        )
    assert exc.value.code == "date_out_of_range"


@pytest.mark.django_db
def test_the_same_idempotency_key_pays_once(world, scheme):
    household = enrolled(world.officer, scheme, world.coop_tc, 2)
    kwargs = dict(
        actor=world.officer,
        household=household,
        amount=7_200,
        paid_on=JAN_1,
        channel="cash",
        idempotency_key="k-1",
    )
    first = services.contribution_pay(**kwargs)
    assert services.contribution_pay(**kwargs) == first
    with pytest.raises(Conflict):
        services.contribution_pay(**{**kwargs, "amount": 7_300})
    household.refresh_from_db()
    assert household.months_paid == 2 and Contribution.objects.count() == 1


@pytest.mark.django_db
def test_a_member_pays_their_own_household_and_not_another(world, scheme):
    head = world.persons_tc[0]  # the world's member user
    own = services.household_enrol(
        actor=world.officer,
        scheme=scheme,
        head=head,
        cooperative=world.coop_tc,
        enrolled_on=JAN_1,
    )
    services.contribution_pay(
        actor=world.member, household=own, amount=3_050, paid_on=JAN_1, channel="mobile_money"
    )
    other = enrolled(world.officer, scheme, world.coop_tc, 2)
    with pytest.raises(Forbidden):
        services.contribution_pay(
            actor=world.member, household=other, amount=3_050, paid_on=JAN_1, channel="cash"
        )


@pytest.mark.django_db
def test_scheme_creation_is_national_and_bounded(world):
    with pytest.raises(Forbidden):
        scheme_of_example(world.agent_tc)
    national = national_user()
    with pytest.raises(ValidationFailed) as exc:
        services.scheme_create(
            actor=national, name="X\x00", country="SN", joining_fee=0, monthly_contribution=1
        )
    assert exc.value.code == "invalid_character"  # the shared NUL rule (core.limits)
    with pytest.raises(ValidationFailed) as exc:
        services.scheme_create(
            actor=national, name="X", country="ZZ", joining_fee=0, monthly_contribution=1
        )
    assert exc.value.code == "unknown_country"
