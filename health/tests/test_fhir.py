"""The FHIR R4 export: Patient, Coverage, Claim, for the national UHC system."""

import datetime

import pytest

from health import services
from health.tests.factories import (
    enrolled,
    mutual_agent,
    national_user,
    provider_with_convention,
    scheme_of_example,
)

D = datetime.date


@pytest.mark.django_db
def test_the_export_holds_patients_coverages_and_claims_without_diagnosis(world, api_client):
    national = national_user()
    scheme = scheme_of_example(national)
    agent = mutual_agent(national, scheme)
    provider, staff = provider_with_convention(national, scheme)
    household = enrolled(world.officer, scheme, world.coop_tc, 3)
    services.contribution_pay(
        actor=world.officer,
        household=household,
        amount=16_600,
        paid_on=D(2026, 1, 1),
        channel="cash",
    )
    services.claim_enter(
        actor=staff,
        household=household,
        beneficiary=household.head,
        provider=provider,
        service_on=D(2026, 3, 2),
        lines=[{"code": "CONS"}],
        diagnosis="Tuberculose",
    )
    r = api_client(agent).get(f"/api/v1/health/schemes/{scheme.pk}/fhir?on=2026-03-02")
    assert r.status_code == 200
    bundle = r.json()
    assert bundle["resourceType"] == "Bundle" and bundle["type"] == "collection"
    kinds = [e["resource"]["resourceType"] for e in bundle["entry"]]
    assert kinds.count("Patient") == 3 and kinds.count("Coverage") == 3
    assert kinds.count("Claim") == 1
    coverage = next(
        e["resource"] for e in bundle["entry"] if e["resource"]["resourceType"] == "Coverage"
    )
    assert coverage["status"] == "active"
    assert coverage["period"]["end"] == "2026-05-31"  # 9,100 F buys 5 months of 1,650 F
    assert coverage["relationship"]["coding"][0]["code"] == "self"
    claim = next(e["resource"] for e in bundle["entry"] if e["resource"]["resourceType"] == "Claim")
    assert claim["total"] == {"value": 2_000, "currency": "XOF"}
    assert claim["patient"]["reference"] == f"Patient/person-{household.head_id}"
    assert "Tuberculose" not in r.content.decode()
    assert (
        api_client(world.officer).get(f"/api/v1/health/schemes/{scheme.pk}/fhir").status_code == 403
    )
    assert api_client(national).get(f"/api/v1/health/schemes/{scheme.pk}/fhir").status_code == 200
