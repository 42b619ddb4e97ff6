"""The API's fixed points (docs/api.md, "Mutual health insurance"), scope and privacy."""

import datetime

import pytest

from health import services
from health.models import MedicalRead
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


def post(client, path, body, **headers):
    return client.post(f"/api/v1{path}", body, content_type="application/json", headers=headers)


@pytest.mark.django_db
def test_schemes_create_and_list(setup, api_client):
    national, scheme, agent, provider, staff, world = setup
    body = {
        "name": "Mutuelle de Ségou",
        "country": "ML",
        "joining_fee": 1_000,
        "monthly_contribution": 500,
        "waiting_days": 60,
        "child_age_limit": 18,
        "annual_ceiling": 300_000,
    }
    r = post(api_client(national), "/health/schemes", body)
    assert r.status_code == 201, r.content
    assert {k: r.json()[k] for k in body} == body
    assert (
        post(api_client(world.officer), "/health/schemes", body | {"name": "Y"}).status_code == 403
    )
    r = api_client(world.officer).get("/api/v1/health/schemes")
    assert r.json()["count"] == 2
    assert api_client(world.nobody).get("/api/v1/health/schemes").json()["count"] == 0


@pytest.mark.django_db
def test_the_worked_example_through_the_api(setup, api_client):
    national, scheme, agent, provider, staff, world = setup
    head, dependants = family(world.coop_tc, 4, created_by=world.officer)
    officer = api_client(world.officer)
    r = post(
        officer,
        "/health/households",
        {
            "scheme": scheme.pk,
            "head": head.pk,
            "members": [{"person": p.pk, "relation": rel} for p, rel in dependants],
            "cooperative": world.coop_tc.pk,
            "enrolled_on": "2026-01-01",
        },
    )
    assert r.status_code == 201, r.content
    household = r.json()
    assert household["head"] == head.pk and len(household["members"]) == 4
    assert household["cooperative"] == world.coop_tc.pk
    path = f"/health/households/{household['id']}/contributions"
    body = {"amount": 16_600, "paid_on": "2026-01-01", "channel": "cash"}
    r = post(officer, path, body, **{"Idempotency-Key": "abc"})
    assert r.status_code == 201, r.content
    assert (r.json()["covered_until"], r.json()["credit"]) == ("2026-03-31", 0)
    again = post(officer, path, body, **{"Idempotency-Key": "abc"})
    assert again.json()["id"] == r.json()["id"]
    provider_client = api_client(staff)
    claim = {
        "beneficiary": head.pk,
        "household": household["id"],
        "provider": provider.pk,
        "amount": 2_000,
        "benefit": "consultation",
        "diagnosis": "Paludisme simple",
    }
    r = post(provider_client, "/health/claims", claim | {"service_on": "2026-01-15"})
    assert (r.status_code, r.json()["code"]) == (409, "waiting_period")
    r = post(provider_client, "/health/claims", claim | {"service_on": "2026-02-15"})
    assert r.status_code == 201 and r.json()["status"] == "entered"
    r = post(provider_client, "/health/claims", claim | {"service_on": "2026-04-15"})
    assert (r.status_code, r.json()["code"]) == (409, "not_covered")


@pytest.mark.django_db
def test_claims_are_seen_by_the_mutual_the_provider_and_the_beneficiary_only(setup, api_client):
    national, scheme, agent, provider, staff, world = setup
    household = enrolled(world.officer, scheme, world.coop_tc, 2)
    services.contribution_pay(
        actor=world.officer,
        household=household,
        amount=50_000,
        paid_on=D(2026, 1, 1),
        channel="cash",
    )
    claim = services.claim_enter(
        actor=staff,
        household=household,
        beneficiary=household.head,
        provider=provider,
        service_on=D(2026, 3, 1),
        lines=[{"code": "CONS"}],
        diagnosis="Paludisme",
    )
    for user, count in [
        (agent, 1),
        (staff, 1),
        (national, 0),
        (world.agent_tc, 0),
        (world.officer, 0),
        (world.nobody, 0),
    ]:
        assert api_client(user).get("/api/v1/health/claims").json()["count"] == count, user
    r = api_client(world.officer).get(f"/api/v1/health/claims/{claim.pk}")
    assert r.status_code == 404 and "Paludisme" not in r.content.decode()
    r = api_client(agent).get(f"/api/v1/health/claims/{claim.pk}")
    assert r.json()["diagnosis"] == "Paludisme" and r.json()["lines"][0]["code"] == "CONS"
    assert MedicalRead.objects.filter(claim=claim, user=agent, via="api").count() == 1
    # the provider's desk sees the cover, not the household's payments
    r = api_client(staff).get(
        f"/api/v1/health/cover?person={household.head_id}&scheme={scheme.pk}&on=2026-03-01"
    )
    assert r.json()["status"] == "active"
    r = api_client(staff).get(f"/api/v1/health/households/{household.pk}/contributions")
    assert r.status_code == 404
    # the mutual's agent takes it to the end
    client = api_client(agent)
    for step in ("check", "valuate"):
        assert post(client, f"/health/claims/{claim.pk}/{step}", {}).status_code == 200
    r = post(client, f"/health/claims/{claim.pk}/pay", {"paid_on": "2026-03-05"})
    assert r.json()["status"] == "paid" and r.json()["covered_amount"] == 1_600
    r = post(api_client(staff), f"/health/claims/{claim.pk}/reject", {"reason": "x"})
    assert r.status_code == 403


@pytest.mark.django_db
def test_households_are_scoped(setup, api_client):
    national, scheme, agent, provider, staff, world = setup
    household = enrolled(world.officer, scheme, world.coop_tc, 2)
    for user, count in [
        (national, 1),
        (world.agent_tc, 1),
        (world.agent_th, 0),
        (world.officer, 1),
        (agent, 1),
        (staff, 0),
        (world.nobody, 0),
    ]:
        assert api_client(user).get("/api/v1/health/households").json()["count"] == count, user
    assert (
        api_client(world.agent_th).get(f"/api/v1/health/households/{household.pk}").status_code
        == 404
    )


@pytest.mark.parametrize(
    "body, field",
    [
        ({"amount": 0, "paid_on": "2026-01-01", "channel": "cash"}, "amount"),
        ({"amount": -5, "paid_on": "2026-01-01", "channel": "cash"}, "amount"),
        ({"amount": 10**30, "paid_on": "2026-01-01", "channel": "cash"}, "amount"),
        ({"amount": 100, "paid_on": "2999-01-01", "channel": "cash"}, "paid_on"),
        ({"amount": 100, "paid_on": "2026-01-01", "channel": "cash\x00"}, "channel"),
        ({"amount": 100, "paid_on": "2026-01-01", "channel": "bitcoin"}, "channel"),
    ],
)
@pytest.mark.django_db
def test_bad_contributions_are_400_with_the_field(setup, api_client, body, field):
    national, scheme, agent, provider, staff, world = setup
    household = enrolled(world.officer, scheme, world.coop_tc, 2)
    r = post(api_client(world.officer), f"/health/households/{household.pk}/contributions", body)
    assert r.status_code == 400, r.content
    assert r.json()["field"] == field
    assert not household.payments.exists()


@pytest.mark.django_db
def test_huge_ids_and_nul_bytes_never_fail(setup, api_client):
    national, *_rest = setup
    client = api_client(national)
    assert client.get(f"/api/v1/health/households/{10**20}").status_code in (400, 404)
    r = client.get("/api/v1/health/households?q=a%00b")  # refused at the door (core guard)
    assert (r.status_code, r.json()["code"]) == (400, "invalid_character")
    assert client.get(f"/api/v1/health/claims?scheme={10**20}").status_code == 400


@pytest.mark.django_db
def test_each_bad_input_of_point_9_answers_a_clear_message_and_writes_nothing(
    setup, api_client, today_is
):
    """Issue 22 point 9 through the API: a contribution of 0 or negative, a claim before
    enrolment, a person in two households of one scheme, a service not in the benefits."""
    from health.models import Claim, Contribution, Household, HouseholdMember
    from ledger.models import HolderEntry

    today_is(D(2026, 3, 1))
    national, scheme, agent, provider, staff, world = setup
    household = enrolled(world.officer, scheme, world.coop_tc, 2)
    services.contribution_pay(
        actor=world.officer,
        household=household,
        amount=5_000 + 3 * 1_100,
        paid_on=D(2026, 1, 1),
        channel="cash",
    )
    spouse = household.members.get(relation="spouse").person
    head, _dependants = family(world.coop_tc, 2)
    officer, provider_desk = api_client(world.officer), api_client(staff)
    claim = {"household": household.pk, "beneficiary": household.head_id, "provider": provider.pk}
    cases = [
        (
            officer,
            f"/health/households/{household.pk}/contributions",
            {"amount": 0, "paid_on": "2026-02-01", "channel": "cash"},
            400,
            "invalid_amount",
        ),
        (
            officer,
            f"/health/households/{household.pk}/contributions",
            {"amount": -500, "paid_on": "2026-02-01", "channel": "cash"},
            400,
            "amount_out_of_range",
        ),
        (
            provider_desk,
            "/health/claims",
            claim | {"service_on": "2025-12-20", "lines": [{"code": "CONS"}]},
            409,
            "not_covered",
        ),
        (
            api_client(agent),  # the scheme's agent enrols any registry person
            "/health/households",
            {
                "scheme": scheme.pk,
                "head": head.pk,
                "enrolled_on": "2026-01-01",
                "members": [{"person": spouse.pk, "relation": "spouse"}],
            },
            409,
            "already_covered",
        ),
        (
            provider_desk,
            "/health/claims",
            claim
            | {"service_on": "2026-02-15", "lines": [{"benefit": "maternity", "amount": 5_000}]},
            400,
            "not_in_benefits",
        ),
    ]
    models = (Contribution, Household, HouseholdMember, Claim, HolderEntry)
    before = [m.objects.count() for m in models]
    for client, path, body, status, code in cases:
        r = post(client, path, body)
        assert (r.status_code, r.json()["code"]) == (status, code), (path, r.content)
        message = r.json()["message"]
        assert len(message) > 15 and message[0].isupper(), message  # a sentence, in French
        assert "au plus" not in message  # a negative is not told about the upper limit
    assert [m.objects.count() for m in models] == before
