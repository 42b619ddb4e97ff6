"""A cooperative's households in arrears of contributions (issue 22 point 3): what each
owes and since when, oldest first, through the reader's scope, paginated, empty state."""

import datetime

import pytest
from django.urls import reverse

from accounts.testing import assert_sees_exactly
from health import selectors, services
from health.arrears import arrears_of
from health.tests.factories import enrolled, mutual_agent, national_user, scheme_of_example

D = datetime.date
TODAY = D(2026, 5, 10)
pytestmark = pytest.mark.django_db


@pytest.fixture
def books(world, today_is):
    today_is(TODAY)
    scheme = scheme_of_example(national_user())
    agent = mutual_agent(world.national, scheme)
    pay = dict(actor=agent, channel="cash")
    late = enrolled(agent, scheme, world.coop_tc, 4, on=D(2026, 1, 1))
    services.contribution_pay(household=late, amount=16_600, paid_on=D(2026, 1, 1), **pay)
    never = enrolled(agent, scheme, world.coop_tc, 2, on=D(2026, 3, 1))
    services.contribution_pay(household=never, amount=3_000, paid_on=D(2026, 3, 1), **pay)
    on_time = enrolled(agent, scheme, world.coop_tc, 2, on=D(2026, 1, 1))
    services.contribution_pay(
        household=on_time, amount=5_000 + 12 * 1_100, paid_on=D(2026, 1, 1), **pay
    )
    mbour = enrolled(agent, scheme, world.coop_mbour, 2, on=D(2026, 1, 1))
    for household in (late, never, on_time):
        household.refresh_from_db()
    return scheme, agent, late, never, on_time, mbour


def owed(agent, household):
    listed = selectors.household_arrears_list(actor=agent, as_of=TODAY).get(pk=household.pk)
    return arrears_of(listed, listed.current_members, TODAY)


def test_what_each_household_owes_and_since_when(books):
    scheme, agent, late, never, on_time, mbour = books
    # covered to 31/03: April and May begun, two months of 2,200
    a = owed(agent, late)
    assert (a.since, a.months, a.fees, a.credit, a.owed) == (D(2026, 4, 1), 2, 0, 0, 4_400)
    # 3,000 paid: one joining fee of 2,500, 500 of credit; one fee, March to May still due
    a = owed(agent, never)
    assert (a.since, a.months, a.fees, a.credit, a.owed) == (D(2026, 3, 1), 3, 2_500, 500, 5_300)
    a = owed(agent, mbour)  # nothing paid since enrolment
    assert (a.since, a.owed) == (D(2026, 1, 1), 5_000 + 5 * 1_100)
    assert arrears_of(on_time, list(on_time.members.all()), TODAY) is None
    # oldest arrears first; up to date households are not listed
    listed = selectors.household_arrears_list(actor=agent, as_of=TODAY)
    assert list(listed) == [mbour, never, late]
    # the day cover ends is not arrears yet; the day after is
    assert arrears_of(late, list(late.members.all()), D(2026, 3, 31)) is None
    assert arrears_of(late, list(late.members.all()), D(2026, 4, 1)).owed == 2_200


def test_the_arrears_are_scoped_to_the_reader(books, world):
    scheme, agent, late, never, on_time, mbour = books
    sel = selectors.household_arrears_list
    assert_sees_exactly(sel, world.officer, [late, never], as_of=TODAY)
    assert_sees_exactly(sel, world.agent_tc, [late, never], as_of=TODAY)
    assert_sees_exactly(sel, world.agent_mbour, [mbour], as_of=TODAY)
    assert_sees_exactly(sel, world.national, [late, never, mbour], as_of=TODAY)
    assert_sees_exactly(sel, agent, [late, never, mbour], as_of=TODAY)
    other_scheme_agent = mutual_agent(world.national, scheme_of_example(world.national, name="B"))
    for user in (world.lender, world.nobody, other_scheme_agent):
        assert_sees_exactly(sel, user, [], as_of=TODAY)
    filtered = {"cooperative": world.coop_mbour.pk}
    assert_sees_exactly(sel, world.national, [mbour], as_of=TODAY, filters=filtered)
    assert_sees_exactly(sel, world.officer, [], as_of=TODAY, filters=filtered)


def link(household) -> str:
    return f'href="/sante/menages/{household.pk}/"'


def test_the_arrears_page_paginated_with_its_empty_state(
    books, world, client, monkeypatch, django_assert_max_num_queries
):
    scheme, agent, late, never, on_time, mbour = books
    url = reverse("health:arrears")
    client.force_login(world.officer)
    with django_assert_max_num_queries(20):
        body = client.get(url).content.decode().replace("\u202f", " ")
    assert "2 ménages en arriérés" in body
    assert "5 300" in body and "01/03/2026" in body and "4 400" in body and "01/04/2026" in body
    assert link(mbour) not in body and link(on_time) not in body and link(late) in body
    monkeypatch.setattr("health.views.PAGE_SIZE", 1)
    first = client.get(url).content.decode()
    second = client.get(url, {"page": 2}).content.decode()
    assert link(never) in first and link(late) not in first
    assert link(late) in second and "Page 2 sur 2" in second
    client.force_login(world.national)
    only_mbour = client.get(url, {"cooperative": world.coop_mbour.pk}).content.decode()
    assert link(mbour) in only_mbour and link(late) not in only_mbour
    for hostile, status in (("²", 200), ("-1", 200), ("9" * 30, 400)):  # never a 500
        assert client.get(url, {"cooperative": hostile, "scheme": hostile}).status_code == status
    client.force_login(world.nobody)
    assert "Aucun ménage en arriérés" in client.get(url).content.decode()
    client.force_login(world.officer)
    assert (
        "Aucun ménage en arriérés pour ce filtre"
        in client.get(url, {"cooperative": world.coop_mbour.pk}).content.decode()
    )
