"""The health pages: thin over the services, scoped, paginated, query counts bounded."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from health import services
from health.models import Household, MedicalRead
from health.tests.factories import (
    enrolled,
    family,
    mutual_agent,
    national_user,
    provider_with_convention,
    scheme_of_example,
)

D = datetime.date


@pytest.fixture
def setup(world):
    national = national_user()
    scheme = scheme_of_example(national)
    agent = mutual_agent(national, scheme)
    provider, staff = provider_with_convention(national, scheme)
    return national, scheme, agent, provider, staff, world


@pytest.mark.django_db
def test_the_index_lists_households_in_scope_with_bounded_queries(setup, client):
    national, scheme, agent, provider, staff, world = setup
    client.force_login(world.officer)
    enrolled(world.officer, scheme, world.coop_tc, 2)
    with CaptureQueriesContext(connection) as few:
        assert client.get(reverse("health:index")).status_code == 200
    for _i in range(5):
        enrolled(world.officer, scheme, world.coop_tc, 2)
    with CaptureQueriesContext(connection) as many:
        r = client.get(reverse("health:index"))
    assert len(many.captured_queries) == len(few.captured_queries)
    assert r.content.decode().count("/sante/menages/") >= 12
    client.force_login(world.agent_th)
    assert "/sante/menages/1/" not in client.get(reverse("health:index")).content.decode()


@pytest.mark.django_db
def test_an_officer_enrols_and_records_a_payment_through_the_pages(setup, client):
    national, scheme, agent, provider, staff, world = setup
    head, dependants = family(world.coop_tc, 3, created_by=world.officer)
    client.force_login(world.officer)
    data = {
        "scheme": scheme.pk,
        "cooperative": world.coop_tc.pk,
        "head": head.pk,
        "enrolled_on": "2026-01-01",
        "person_0": dependants[0][0].pk,
        "relation_0": "spouse",
        "person_1": dependants[1][0].pk,
        "relation_1": "child",
    }
    r = client.post(reverse("health:household_enrol"), data)
    household = Household.objects.get()
    assert r.status_code == 302 and household.members.count() == 3
    url = reverse("health:household_detail", args=[household.pk])
    r = client.post(url, {"amount": "12450", "paid_on": "2026-01-01", "channel": "cash"})
    assert r.status_code == 302
    household.refresh_from_db()
    assert household.covered_until == D(2026, 3, 31)  # 7,500 + 3 × 1,650
    r = client.post(url, {"amount": "0", "paid_on": "2026-01-01", "channel": "cash"})
    assert r.status_code == 200 and "errorlist" in r.content.decode()
    r = client.post(reverse("health:household_enrol"), data)  # the same persons again
    assert r.status_code == 200 and "déjà couvert" in r.content.decode()


@pytest.mark.django_db
def test_a_provider_enters_a_claim_and_the_agent_pays_it(setup, client):
    national, scheme, agent, provider, staff, world = setup
    household = enrolled(world.officer, scheme, world.coop_tc, 2)
    services.contribution_pay(
        actor=world.officer,
        household=household,
        amount=50_000,
        paid_on=D(2026, 1, 1),
        channel="cash",
    )
    client.force_login(staff)
    r = client.post(
        reverse("health:claim_enter", args=[household.pk]),
        {
            "beneficiary": household.head_id,
            "provider": provider.pk,
            "service_on": "2026-03-02",
            "code": "CONS",
            "quantity": "1",
            "diagnosis": "Paludisme",
        },
    )
    assert r.status_code == 302, r.content
    claim = household.claims.get()
    assert (
        "Paludisme" in client.get(reverse("health:claim_detail", args=[claim.pk])).content.decode()
    )
    assert MedicalRead.objects.filter(user=staff, via="page").count() == 1
    client.force_login(world.officer)
    assert client.get(reverse("health:claim_detail", args=[claim.pk])).status_code == 404
    client.force_login(agent)
    for action in ("check", "valuate"):
        client.post(reverse("health:claim_step", args=[claim.pk, action]))
    client.post(reverse("health:claim_step", args=[claim.pk, "pay"]), {"paid_on": "2026-03-05"})
    claim.refresh_from_db()
    assert claim.status == "paid" and claim.covered_amount == 1_600


@pytest.mark.django_db
def test_the_claim_list_has_bounded_queries(setup, client):
    national, scheme, agent, provider, staff, world = setup
    household = enrolled(world.officer, scheme, world.coop_tc, 2)
    services.contribution_pay(
        actor=world.officer,
        household=household,
        amount=80_000,
        paid_on=D(2026, 1, 1),
        channel="cash",
    )

    def claim(day):
        services.claim_enter(
            actor=staff,
            household=household,
            beneficiary=household.head,
            provider=provider,
            service_on=D(2026, 3, day),
            lines=[{"code": "CONS"}],
        )

    claim(2)
    client.force_login(agent)
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("health:claim_list"))
    for day in range(3, 9):
        claim(day)
    with CaptureQueriesContext(connection) as many:
        r = client.get(reverse("health:claim_list"))
    assert len(many.captured_queries) == len(few.captured_queries)
    assert r.content.decode().count("/sante/demandes/") >= 7


@pytest.mark.django_db
def test_the_report_page_shows_counts_in_scope(setup, client):
    national, scheme, agent, provider, staff, world = setup
    household = enrolled(world.officer, scheme, world.coop_tc, 2)
    services.contribution_pay(
        actor=world.officer,
        household=household,
        amount=50_000,
        paid_on=D(2026, 1, 1),
        channel="cash",
    )
    client.force_login(world.agent_tc)
    body = client.get(reverse("health:report")).content.decode()
    assert world.coop_tc.name in body and "Personnes couvertes" in body
    client.force_login(world.agent_th)
    assert world.coop_tc.name not in client.get(reverse("health:report")).content.decode()
