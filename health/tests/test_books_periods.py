"""The mutual's books kept: months locked (nothing posted into them: 409 period_locked,
nothing written), the year closed (result into 131/139), the result to the reserve, the
payments recorded before the books posted back once, the page of the scheme's agents."""

import datetime
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.urls import reverse
from hypothesis import given, settings
from hypothesis import strategies as st

from core.errors import Conflict, Forbidden, ValidationFailed
from health import postings, services
from health.models import Contribution, ContributionMonth
from health.tests.factories import (
    enrolled,
    mutual_agent,
    national_user,
    provider_with_convention,
    scheme_of_example,
)
from ledger.models import HolderEntry, HolderFiscalYear, HolderPeriodLock
from ledger.selectors import holder_book_find, holder_trial_balance
from ledger.services import holder_allocation_lines, holder_entry_post

D = datetime.date
pytestmark = pytest.mark.django_db


@pytest.fixture
def mutual(world, today_is):
    today_is(D(2026, 3, 1))
    national = national_user()
    scheme = scheme_of_example(national)
    agent = mutual_agent(national, scheme)
    provider, staff = provider_with_convention(national, scheme)
    household = enrolled(world.officer, scheme, world.coop_tc, 4, on=D(2026, 1, 1))
    return scheme, agent, provider, staff, household, world, national


def balances(scheme, **kw) -> dict[str, int]:
    book = holder_book_find(holder=postings.HOLDER, holder_id=scheme.pk)
    return {
        r["account"]: r["balance"] for r in holder_trial_balance(book=book, **kw) if r["balance"]
    }


def pay(world, household, amount, on, **kw):
    return services.contribution_pay(
        actor=world.officer, household=household, amount=amount, paid_on=on, channel="cash", **kw
    )


def test_a_payment_into_a_locked_month_is_refused_409_and_nothing_is_written(mutual, api_client):
    scheme, agent, provider, staff, household, world, national = mutual
    pay(world, household, 16_600, D(2026, 1, 1))
    for who in (world.officer, national, staff):
        with pytest.raises(Forbidden):
            services.scheme_period_lock(actor=who, scheme=scheme, year=2026, month=2)
    services.scheme_period_lock(actor=agent, scheme=scheme, year=2026, month=2)
    before = (Contribution.objects.count(), HolderEntry.objects.count())
    with pytest.raises(Conflict) as err:
        pay(world, household, 2_200, D(2026, 2, 10))
    assert err.value.code == "period_locked" and "02/2026" in str(err.value.message)
    answer = api_client(world.officer).post(
        f"/api/v1/health/households/{household.pk}/contributions",
        {"amount": 2_200, "paid_on": "2026-02-10", "channel": "cash"},
        content_type="application/json",
    )
    assert answer.status_code == 409 and answer.json()["code"] == "period_locked"
    household.refresh_from_db()
    assert (household.months_paid, household.credit) == (3, 0)
    assert (Contribution.objects.count(), HolderEntry.objects.count()) == before
    pay(world, household, 2_200, D(2026, 1, 31))  # an open month still takes it
    services.scheme_period_unlock(actor=agent, scheme=scheme, year=2026, month=2)
    pay(world, household, 2_200, D(2026, 2, 10))
    household.refresh_from_db()
    assert household.months_paid == 5


def test_year_end_clears_income_and_claims_into_the_result_then_half_to_the_reserve(
    mutual, today_is
):
    scheme, agent, provider, staff, household, world, national = mutual
    pay(world, household, 16_600, D(2026, 1, 1))
    claim = services.claim_enter(
        actor=staff,
        household=household,
        beneficiary=household.head,
        provider=provider,
        service_on=D(2026, 2, 15),
        lines=[{"code": "CONS"}],
    )
    services.claim_check(actor=agent, claim=claim)
    claim = services.claim_valuate(actor=agent, claim=claim)  # on 01/03/2026
    assert claim.covered_amount == 1_600  # 2,000 less 20 %
    today_is(D(2027, 1, 20))
    with pytest.raises(Forbidden):
        services.scheme_year_close(actor=national, scheme=scheme, year=2026)
    with pytest.raises(Conflict) as err:
        services.scheme_year_close(actor=agent, scheme=scheme, year=2027)
    assert err.value.code == "year_not_over"
    fiscal = services.scheme_year_close(actor=agent, scheme=scheme, year=2026)
    # 10,000 joining fees + three months of 2,200, less 1,600 of care
    assert fiscal.result == 15_000
    assert balances(scheme) == {"5711": 16_600, "401": -1_600, "131": -15_000}
    assert HolderPeriodLock.objects.filter(book=fiscal.book, year=2026).count() == 12
    with pytest.raises(Conflict) as err:
        pay(world, household, 2_200, D(2026, 12, 1))
    assert err.value.code == "period_locked"
    for step, code in (
        (services.scheme_year_close, "already_closed"),
        (lambda **kw: services.scheme_period_unlock(month=5, **kw), "year_closed"),
    ):
        with pytest.raises(Conflict) as err:
            step(actor=agent, scheme=scheme, year=2026)
        assert err.value.code == code
    allocate = dict(actor=agent, scheme=scheme, year=2026)
    with pytest.raises(ValidationFailed) as err:
        services.scheme_result_allocate(on=D(2026, 12, 31), reserve_rate=Decimal("0.5"), **allocate)
    assert err.value.code == "allocation_before_year_end"
    with pytest.raises(ValidationFailed) as err:
        services.scheme_result_allocate(on=D(2027, 1, 15), reserve_rate=Decimal("1.5"), **allocate)
    assert err.value.code == "invalid_rate"
    fiscal = services.scheme_result_allocate(
        on=D(2027, 1, 15), reserve_rate=Decimal("0.5"), **allocate
    )
    assert (fiscal.reserves, fiscal.carried_forward) == (7_500, 7_500)
    assert balances(scheme) == {"5711": 16_600, "401": -1_600, "111": -7_500, "121": -7_500}
    with pytest.raises(Conflict) as err:
        services.scheme_result_allocate(on=D(2027, 1, 16), reserve_rate=Decimal(1), **allocate)
    assert err.value.code == "already_allocated"


def test_an_earlier_year_left_open_blocks_the_closing(mutual, today_is):
    scheme, agent, *_rest = mutual
    book = postings.book_for(scheme)
    holder_entry_post(
        actor=agent,
        book=book,
        on=D(2025, 12, 31),
        label="Solde d'ouverture",
        source="test",
        source_ref="1",
        lines=[("5711", 500, 0), ("7581", 0, 500)],
    )
    today_is(D(2027, 1, 20))
    with pytest.raises(Conflict) as err:
        services.scheme_year_close(actor=agent, scheme=scheme, year=2026)
    assert err.value.code == "previous_year_open"
    assert services.scheme_year_close(actor=agent, scheme=scheme, year=2025).result == 500
    assert services.scheme_year_close(actor=agent, scheme=scheme, year=2026).result == 0
    with pytest.raises(Conflict) as err:  # nothing to allocate
        services.scheme_result_allocate(
            actor=agent, scheme=scheme, year=2026, on=D(2027, 1, 2), reserve_rate=Decimal(1)
        )
    assert err.value.code == "no_surplus"


def test_a_deficit_is_absorbed_by_the_reserve_then_carried_forward():
    lines = holder_allocation_lines(-5_000, Decimal(1), 3_000)
    assert lines == [("111", 3_000, 0), ("1291", 2_000, 0), ("139", 0, 5_000)]
    assert holder_allocation_lines(-5_000, Decimal(1), 0)[1] == ("1291", 5_000, 0)
    # a surplus's reserve share is rounded up (a minimum), the rest carried forward
    assert holder_allocation_lines(1_001, Decimal("0.2"), 0) == [
        ("131", 1_001, 0),
        ("111", 0, 201),
        ("121", 0, 800),
    ]


@settings(max_examples=30, deadline=None)
@given(
    result=st.integers(-(10**9), 10**9).filter(bool),
    rate=st.decimals(0, 1, places=4),
    reserves=st.integers(0, 10**9),
)
def test_an_allocation_always_balances_and_clears_the_result(result, rate, reserves):
    lines = holder_allocation_lines(result, rate, reserves)
    assert sum(d for _a, d, _c in lines) == sum(c for _a, _d, c in lines) == abs(result)
    assert all(d >= 0 and c >= 0 for _a, d, c in lines)
    reserve = next(c - d for a, d, c in lines if a == "111")
    if result > 0:
        assert result * rate <= reserve <= result
    else:
        assert -reserve == min(-result, reserves)


def test_payments_recorded_before_the_books_are_posted_back_once(mutual, monkeypatch):
    scheme, agent, provider, staff, household, world, national = mutual
    with monkeypatch.context() as m:
        m.setattr(services, "_contribution_post", lambda *a, **kw: None)  # books not there
        pay(world, household, 11_000, D(2026, 1, 1))  # fees + 1,000 of credit
        pay(world, household, 3_400, D(2026, 1, 5))  # with the credit: January, February
    other = enrolled(world.officer, scheme, world.coop_tc, 2, on=D(2026, 1, 1))
    pay(world, other, 5_000 + 1_100, D(2026, 1, 10))  # posted as it happens
    assert HolderEntry.objects.filter(source="health_contribution").count() == 1
    call_command("health_books", "--as-of", "2026-02-15")
    assert balances(scheme) == {
        "5711": 20_500,
        "7582": -15_000,
        "7581": -5_500,  # January (both households) and February, earned on 01/02
    }
    entries = HolderEntry.objects.filter(source="health_contribution")
    assert entries.count() == 3 and {e.date for e in entries} == {
        D(2026, 1, 1),
        D(2026, 1, 5),
        D(2026, 1, 10),
    }
    earned = HolderEntry.objects.get(source="health_earned", source_ref__startswith="backfill:")
    assert earned.date == D(2026, 2, 1)
    assert ContributionMonth.objects.get(scheme=scheme).earned_on == D(2026, 2, 1)
    count = HolderEntry.objects.count()
    call_command("health_books", "--as-of", "2026-02-16")
    assert HolderEntry.objects.count() == count  # once per payment


def test_the_year_page_for_the_scheme_agents_the_national_role_reads(mutual, client, today_is):
    scheme, agent, provider, staff, household, world, national = mutual
    pay(world, household, 16_600, D(2026, 1, 1))
    url = reverse("health:scheme_year", args=[scheme.pk, 2026])
    client.force_login(agent)
    body = client.get(url).content.decode()
    assert "Verrouiller" in body and "Exercice 2026" in body
    assert client.post(url, {"action": "lock", "month": "1"}).status_code == 302
    assert HolderPeriodLock.objects.filter(year=2026, month=1).exists()
    for month in ("13", "²", "x" * 5_000):  # refused with a message, never a 500
        assert client.post(url, {"action": "lock", "month": month}).status_code == 302
    assert HolderPeriodLock.objects.count() == 1
    client.force_login(national)
    body = client.get(url).content.decode()
    assert "verrouillée" in body and "Verrouiller" not in body
    assert client.post(url, {"action": "lock", "month": "2"}).status_code == 403
    for user, status in ((world.officer, 403), (staff, 403), (world.nobody, 404)):
        client.force_login(user)
        assert client.get(url).status_code == status
    today_is(D(2027, 2, 1))
    client.force_login(agent)
    client.post(url, {"action": "close", "confirm": "1"})
    assert HolderFiscalYear.objects.get(year=2026).result == 16_600
    form = client.get(url).content.decode()
    assert "Affecter et comptabiliser" in form
    wrong = client.post(
        url, {"action": "allocate", "on": "2026-12-01", "reserve_percent": "100", "confirm": "on"}
    )
    assert wrong.status_code == 200
    assert "après la fin de l&#x27;exercice" in wrong.content.decode()
    assert HolderFiscalYear.objects.get(year=2026).allocation_entry_id is None
    done = client.post(
        url, {"action": "allocate", "on": "2027-01-31", "reserve_percent": "100", "confirm": "on"}
    )
    assert done.status_code == 302
    assert balances(scheme)["111"] == -16_600
    assert "16\u202f600" in client.get(url).content.decode()
