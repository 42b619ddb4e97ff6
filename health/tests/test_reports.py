"""Reports: counts through the reader's scope, recovery, loss ratio, the indicators."""

import datetime

import pytest

from health import services
from health.reports import health_report
from health.tests.factories import (
    enrolled,
    mutual_agent,
    national_user,
    provider_with_convention,
    scheme_of_example,
)

D = datetime.date


@pytest.mark.django_db
def test_the_worked_example_household_counts_and_recovers(world, api_client):
    national = national_user()
    scheme = scheme_of_example(national)
    agent = mutual_agent(national, scheme)
    provider, staff = provider_with_convention(national, scheme)
    household = enrolled(world.officer, scheme, world.coop_tc, 4, on=D(2026, 1, 1))
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
    services.claim_valuate(actor=agent, claim=services.claim_check(actor=agent, claim=claim))
    report = health_report(actor=national, as_of=D(2026, 2, 15))
    assert report.covered == 4 and sum(report.by_sex.values()) == 4
    assert report.by_cooperative == {world.coop_tc.name: 4}
    # due by 15/02: 4 joining fees and two months (January, February) of 2,200 F
    assert (report.due, report.collected) == (10_000 + 4_400, 16_600)
    assert report.claims_paid == 1_600 and report.cost_per_member == 400
    waiting = health_report(actor=national, as_of=D(2026, 1, 15))
    assert waiting.covered == 0  # in the waiting period
    assert health_report(actor=world.agent_th, as_of=D(2026, 2, 15)).covered == 0
    r = api_client(world.agent_tc).get("/api/v1/health/reports?as_of=2026-02-15&area=SN-TC")
    body = r.json()
    assert body["covered"] == 4 and body["recovery"] == "1.1528"
    codes = {i["code"]: i["value"] for i in body["indicators"]}
    assert codes == {"health_covered_persons": 4, "health_contribution_recovery": "1.1528"}
    assert "diagnos" not in r.content.decode().lower()
    bad = api_client(world.agent_tc).get("/api/v1/health/reports?as_of=2999-01-01")
    assert (bad.status_code, bad.json()["field"]) == (400, "as_of")
