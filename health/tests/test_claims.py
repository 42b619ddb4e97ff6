"""Claims: entered -> checked -> valuated -> paid / rejected; ceilings; fraud signals."""

import datetime

import pytest

from core.errors import Conflict, Forbidden, ValidationFailed
from health import services
from health.models import Claim, ClaimStatus, FraudSignal, SignalKind
from health.tests.factories import (
    enrolled,
    mutual_agent,
    national_user,
    provider_with_convention,
    scheme_of_example,
)
from registry.tests.factories import PersonFactory

D = datetime.date
MARCH_2 = D(2026, 3, 2)


@pytest.fixture
def covered(world):
    national = national_user()
    scheme = scheme_of_example(national)
    agent = mutual_agent(national, scheme)
    provider, staff = provider_with_convention(national, scheme)
    household = enrolled(world.officer, scheme, world.coop_tc, 4, on=D(2026, 1, 1))
    services.contribution_pay(
        actor=world.officer,
        household=household,
        amount=10_000 + 12 * 2_200,
        paid_on=D(2026, 1, 1),
        channel="cash",
    )
    household.refresh_from_db()
    return scheme, agent, provider, staff, household, world


def enter(staff, household, provider, person=None, on=MARCH_2, lines=None, **kw):
    return services.claim_enter(
        actor=staff,
        household=household,
        beneficiary=person or household.head,
        provider=provider,
        service_on=on,
        lines=lines or [{"code": "CONS"}],
        **kw,
    )


@pytest.mark.django_db
def test_a_claim_goes_entered_checked_valuated_paid_with_the_copayment(covered):
    scheme, agent, provider, staff, household, _w = covered
    claim = enter(
        staff, household, provider, lines=[{"code": "CONS"}, {"code": "HOSP", "quantity": 2}]
    )
    assert claim.amount == 2_000 + 20_000
    claim = services.claim_check(actor=agent, claim=claim)
    assert claim.status == ClaimStatus.CHECKED
    claim = services.claim_valuate(actor=agent, claim=claim)
    # consultation: 20 % copayment (400); hospitalisation: 10 % (2,000)
    assert (claim.covered_amount, claim.copayment) == (1_600 + 18_000, 400 + 2_000)
    assert claim.partial_reason == ""
    claim = services.claim_pay(actor=agent, claim=claim, paid_on=D(2026, 3, 10))
    assert claim.status == ClaimStatus.PAID
    with pytest.raises(Conflict) as exc:
        services.claim_pay(actor=agent, claim=claim, paid_on=D(2026, 3, 10))
    assert exc.value.code == "invalid_status"


@pytest.mark.django_db
def test_a_ceiling_reached_gives_a_partial_amount_with_its_reason(covered):
    scheme, agent, provider, staff, household, _w = covered
    services.benefit_set(
        actor=agent,
        scheme=scheme,
        kind="hospitalisation",
        copayment_percent=10,
        ceiling_person=25_000,
    )

    def through(claim):
        claim = services.claim_check(actor=agent, claim=claim)
        return services.claim_valuate(actor=agent, claim=claim)

    first = through(enter(staff, household, provider, lines=[{"code": "HOSP", "quantity": 2}]))
    assert first.covered_amount == 18_000
    second = through(
        enter(staff, household, provider, on=D(2026, 3, 5), lines=[{"code": "HOSP", "quantity": 2}])
    )
    assert second.covered_amount == 7_000  # 25,000 - 18,000 left under the ceiling
    assert second.copayment == 13_000
    assert "plafond" in second.partial_reason
    other = household.members.exclude(person=household.head).first().person
    third = through(enter(staff, household, provider, person=other, lines=[{"code": "HOSP"}]))
    assert third.covered_amount == 9_000  # another person: their own ceiling


@pytest.mark.django_db
def test_a_rejected_claim_keeps_its_reason_and_cannot_be_valuated(covered):
    scheme, agent, provider, staff, household, _w = covered
    claim = enter(staff, household, provider)
    with pytest.raises(ValidationFailed):
        services.claim_reject(actor=agent, claim=claim, reason="  ")
    claim = services.claim_reject(actor=agent, claim=claim, reason="Acte non justifié")
    assert claim.status == ClaimStatus.REJECTED
    with pytest.raises(Conflict):
        services.claim_check(actor=agent, claim=claim)


@pytest.mark.django_db
def test_the_provider_may_enter_but_not_valuate(covered):
    scheme, agent, provider, staff, household, world = covered
    claim = enter(staff, household, provider)
    with pytest.raises(Forbidden):
        services.claim_check(actor=staff, claim=claim)
    with pytest.raises(Forbidden):
        enter(world.officer, household, provider)


@pytest.mark.django_db
def test_the_same_service_twice_in_a_day_is_entered_but_flagged(covered):
    scheme, agent, provider, staff, household, _w = covered
    first = enter(staff, household, provider)
    assert not first.flagged
    second = enter(staff, household, provider)
    assert second.flagged
    signal = FraudSignal.objects.get()
    assert (signal.kind, signal.claim_id) == (SignalKind.SAME_SERVICE_SAME_DAY, second.pk)


@pytest.mark.django_db
def test_a_person_outside_the_household_is_refused_and_signalled(covered):
    scheme, agent, provider, staff, household, _w = covered
    stranger = PersonFactory()
    with pytest.raises(Conflict) as exc:
        enter(staff, household, provider, person=stranger)
    assert exc.value.code == "not_in_household"
    assert not Claim.objects.exists()
    assert FraudSignal.objects.get().kind == SignalKind.OUTSIDE_HOUSEHOLD


@pytest.mark.django_db
def test_a_service_not_in_the_benefits_is_refused(covered):
    scheme, agent, provider, staff, household, _w = covered
    with pytest.raises(ValidationFailed) as exc:
        enter(staff, household, provider, lines=[{"benefit": "maternity", "amount": 5_000}])
    assert exc.value.code == "not_in_benefits"
    with pytest.raises(ValidationFailed) as exc:
        enter(staff, household, provider, lines=[{"code": "NOPE"}])
    assert exc.value.code == "unknown_service"
    assert not Claim.objects.exists()


@pytest.mark.django_db
def test_a_claim_before_enrolment_is_not_covered(covered):
    scheme, agent, provider, staff, household, _w = covered
    with pytest.raises(Conflict) as exc:
        enter(staff, household, provider, on=D(2025, 12, 20))
    assert exc.value.code == "not_covered"


@pytest.mark.django_db
def test_a_child_reaching_the_age_limit_is_no_longer_covered(covered):
    scheme, agent, provider, staff, household, world = covered
    child = household.members.filter(relation="child").first().person
    child.birth_date = D(2008, 2, 1)  # 18 on 01/02/2026
    child.save()
    with pytest.raises(Conflict) as exc:
        enter(staff, household, provider, person=child, on=D(2026, 3, 2))
    assert exc.value.code == "not_covered" and "âge limite" in str(exc.value.message)
    assert [m.person for m in services.children_aged_out(as_of=D(2026, 3, 2))] == [child]
