"""The mutual's own books in the ledger (holder books): contributions, months earned,
claims valuated and paid; balanced and posted once."""

import datetime

import pytest
from django.core.management import call_command
from django.db.models import Sum

from core.errors import ValidationFailed
from health import postings, services
from health.models import ContributionMonth
from health.tests.factories import (
    enrolled,
    mutual_agent,
    national_user,
    provider_with_convention,
    scheme_of_example,
)
from ledger.models import HolderEntry, HolderLine
from ledger.selectors import holder_book_find, holder_trial_balance
from ledger.services import holder_entry_post

D = datetime.date


@pytest.fixture
def mutual(world):
    national = national_user()
    scheme = scheme_of_example(national)
    agent = mutual_agent(national, scheme)
    provider, staff = provider_with_convention(national, scheme)
    household = enrolled(world.officer, scheme, world.coop_tc, 4, on=D(2026, 1, 1))
    return scheme, agent, provider, staff, household, world


def balances(scheme, **kw) -> dict[str, int]:
    book = holder_book_find(holder=postings.HOLDER, holder_id=scheme.pk)
    rows = holder_trial_balance(book=book, **kw)
    return {r["account"]: r["balance"] for r in rows if r["balance"]}


def assert_balanced(scheme):
    lines = HolderLine.objects.filter(book__holder_id=scheme.pk, book__holder=postings.HOLDER)
    totals = lines.aggregate(d=Sum("debit"), c=Sum("credit"))
    assert totals["d"] == totals["c"]
    for entry in HolderEntry.objects.filter(book__holder_id=scheme.pk):
        assert sum(x.debit for x in entry.lines.all()) == sum(x.credit for x in entry.lines.all())


@pytest.mark.django_db
def test_worked_example_payment_in_the_books_months_earned_as_they_begin(mutual):
    scheme, agent, provider, staff, household, world = mutual
    services.contribution_pay(
        actor=world.officer,
        household=household,
        amount=16_600,
        paid_on=D(2026, 1, 1),
        channel="cash",
    )
    # 10,000 joining fees; January (begun) earned; February and March wait in 477
    assert balances(scheme) == {"5711": 16_600, "7582": -10_000, "7581": -2_200, "477": -4_400}
    assert ContributionMonth.objects.filter(scheme=scheme).count() == 2
    assert services.contributions_earn(scheme=scheme, as_of=D(2026, 1, 31)) == 0
    assert services.contributions_earn(scheme=scheme, as_of=D(2026, 2, 1)) == 2_200
    assert services.contributions_earn(scheme=scheme, as_of=D(2026, 2, 1)) == 0  # once
    assert balances(scheme)["477"] == -2_200
    call_command("health_books", "--as-of", "2026-03-15")
    call_command("health_books", "--as-of", "2026-03-16")  # a second run earns nothing more
    assert balances(scheme) == {"5711": 16_600, "7582": -10_000, "7581": -6_600}
    # earned by month: the trial balance of February alone
    assert balances(scheme, date_from=D(2026, 2, 1), date_to=D(2026, 2, 28)) == {
        "477": 2_200,
        "7581": -2_200,
    }
    assert_balanced(scheme)


@pytest.mark.django_db
def test_credit_left_and_used_goes_through_419(mutual):
    scheme, agent, provider, staff, household, world = mutual
    pay = dict(actor=world.officer, household=household, channel="mobile_money")
    services.contribution_pay(amount=11_000, paid_on=D(2026, 1, 1), **pay)  # fees + 1,000
    assert balances(scheme) == {"552": 11_000, "7582": -10_000, "419": -1_000}
    services.contribution_pay(amount=3_400, paid_on=D(2026, 1, 5), **pay)  # 4,400 = 2 months
    assert balances(scheme) == {
        "552": 14_400,
        "7582": -10_000,
        "7581": -2_200,
        "477": -2_200,
    }
    assert_balanced(scheme)


@pytest.mark.django_db
def test_a_payment_retried_with_its_key_posts_once(mutual):
    scheme, agent, provider, staff, household, world = mutual
    for _ in range(2):
        services.contribution_pay(
            actor=world.officer,
            household=household,
            amount=16_600,
            paid_on=D(2026, 1, 1),
            channel="ristourne",
            idempotency_key="k-1",
        )
    assert HolderEntry.objects.filter(source="health_contribution").count() == 1
    assert balances(scheme)["471"] == 16_600


@pytest.mark.django_db
def test_a_claim_valuated_then_paid_posts_each_step_once(mutual):
    scheme, agent, provider, staff, household, world = mutual
    services.contribution_pay(
        actor=world.officer,
        household=household,
        amount=16_600,
        paid_on=D(2026, 1, 1),
        channel="cash",
    )
    claim = services.claim_enter(
        actor=staff,
        household=household,
        beneficiary=household.head,
        provider=provider,
        service_on=D(2026, 2, 15),
        lines=[{"code": "CONS"}],
    )
    claim = services.claim_check(actor=agent, claim=claim)
    claim = services.claim_valuate(actor=agent, claim=claim)
    assert claim.covered_amount > 0
    assert balances(scheme)["6588"] == claim.covered_amount
    assert balances(scheme)["401"] == -claim.covered_amount
    claim = services.claim_pay(actor=agent, claim=claim, paid_on=D(2026, 2, 20), channel="bank")
    assert "401" not in balances(scheme)
    assert balances(scheme)["521"] == -claim.covered_amount
    postings.claim_paid(claim, actor=agent)  # a retry posts nothing
    postings.claim_valuated(claim, on=D(2026, 2, 20), actor=agent)
    assert HolderEntry.objects.filter(source__startswith="health_claim").count() == 2
    assert_balanced(scheme)


@pytest.mark.django_db
def test_an_unbalanced_or_unknown_account_entry_is_refused(mutual):
    scheme = mutual[0]
    book = postings.book_for(scheme)
    post = dict(actor=None, book=book, on=D(2026, 1, 1), label="x", source="t", source_ref="1")
    with pytest.raises(ValidationFailed) as err:
        holder_entry_post(lines=[("5711", 100, 0), ("7581", 0, 90)], **post)
    assert err.value.code == "unbalanced"
    with pytest.raises(ValidationFailed) as err:
        holder_entry_post(lines=[("9999", 100, 0), ("7581", 0, 100)], **post)
    assert err.value.code == "unknown_account"
    assert holder_entry_post(lines=[("5711", 100, 0), ("7581", 0, 100)], **post) is not None
    assert holder_entry_post(lines=[("5711", 100, 0), ("7581", 0, 100)], **post) is None
    assert HolderEntry.objects.filter(book=book).count() == 1


@pytest.mark.django_db
def test_the_books_are_read_by_the_mutual_and_the_national_role_only(mutual, client, api_client):
    from django.urls import reverse

    from health.models import Scheme

    scheme, agent, provider, staff, household, world = mutual
    services.contribution_pay(
        actor=world.officer,
        household=household,
        amount=16_600,
        paid_on=D(2026, 1, 1),
        channel="cash",
    )
    other = Scheme.objects.create(
        name="Autre mutuelle", country="SN", joining_fee=1, monthly_contribution=1
    )
    url = reverse("health:scheme_books", args=[scheme.pk])
    query = {"date_from": "2026-01-01", "date_to": "2026-12-31"}
    client.force_login(agent)
    page = client.get(url, query)
    assert page.status_code == 200
    body = page.content.decode()
    assert "7582" in body and "Droits d" in body and "16\u202f600" in body
    assert client.get(reverse("health:scheme_books", args=[other.pk])).status_code == 403
    for user, status in ((world.national, 200), (staff, 403), (world.officer, 403)):
        client.force_login(user)
        assert client.get(url, query).status_code == status
    api = api_client(agent)
    rows = api.get(f"/api/v1/health/schemes/{scheme.pk}/trial-balance?from=2026-01-01").json()
    assert {r["account"]: r["balance"] for r in rows}["5711"] == 16_600
    entries = api.get(f"/api/v1/health/schemes/{scheme.pk}/journal-entries").json()
    assert entries["count"] == 1 and len(entries["items"][0]["lines"]) == 4
    assert api.get(f"/api/v1/health/schemes/{other.pk}/trial-balance").status_code == 403
    assert (
        api_client(staff).get(f"/api/v1/health/schemes/{scheme.pk}/journal-entries").status_code
        == 403
    )
