"""Issue 22, point 7: the health indicators on the dashboard (health_covered_persons,
health_households_covered, health_contribution_recovery, health_loss_ratio) per area,
stored in the rollups and equal to a computation from scratch, fresh after a payment, with
the households behind them; scoped (an agent of another region sees nothing of these)."""

import datetime

import pytest
from django.urls import reverse

from geo.models import Area
from health import services
from health.tests.factories import (
    enrolled,
    mutual_agent,
    national_user,
    provider_with_convention,
    scheme_of_example,
)
from monitoring.indicators import BY_CODE, Context
from monitoring.selectors import indicator_values

pytestmark = pytest.mark.django_db
D = datetime.date
ON = D(2026, 3, 15)
CODES = [
    "health_covered_persons",
    "health_households_covered",
    "health_contribution_recovery",
    "health_loss_ratio",
]


def stored(actor, area="SN", as_of=ON):
    rows = indicator_values(
        actor=actor, area=Area.objects.get(code=area), year=2026, as_of=as_of, codes=CODES
    )
    return {r["code"]: r["value"] for r in rows}


def scratch(actor, area="SN", as_of=ON):
    ctx = Context(actor=actor, area=Area.objects.get(code=area), year=2026, as_of=as_of)
    cache: dict = {}
    return {code: BY_CODE[code].compute(ctx, cache) for code in CODES}


@pytest.fixture
def health(world):
    """The worked example's household (four, 16,600 F: to 31/03) in Koumpentoum, one of
    two unpaid in Mbour, and a claim of 15/02 valuated (2,000 F, 20 % copayment)."""
    national = national_user()
    scheme = scheme_of_example(national)
    agent = mutual_agent(national, scheme)
    provider, staff = provider_with_convention(national, scheme)
    paid = enrolled(world.officer, scheme, world.coop_tc, 4)
    services.contribution_pay(
        actor=world.officer, household=paid, amount=16_600, paid_on=D(2026, 1, 1), channel="cash"
    )
    unpaid = enrolled(agent, scheme, world.coop_mbour, 2)
    claim = services.claim_enter(
        actor=staff,
        household=paid,
        beneficiary=paid.head,
        provider=provider,
        service_on=D(2026, 2, 15),
        lines=[{"code": "CONS", "quantity": 1}],
    )
    services.claim_check(actor=agent, claim=claim)
    services.claim_valuate(actor=agent, claim=claim)
    return paid, unpaid, agent


def test_values_stored_equal_scratch_and_follow_a_payment(world, health):
    paid, unpaid, agent = health
    national = world.national
    # Due by 15/03: 4 × 2,500 + 3 months × 2,200 (Koumpentoum); 2 × 2,500 + 3 × 1,100
    # (Mbour) = 16,600 + 8,300; collected 16,600; claims 1,600 (2,000 less 20 %).
    expected = {
        "health_covered_persons": 4,
        "health_households_covered": 1,
        "health_contribution_recovery": pytest.approx(16_600 / 24_900, abs=1e-4),
        "health_loss_ratio": pytest.approx(1_600 / 16_600, abs=1e-4),
    }
    for values in (stored(national), scratch(national)):
        assert {
            k: float(v) if "ratio" in k or "recovery" in k else v for k, v in values.items()
        } == expected
    assert stored(national, "SN-TC")["health_covered_persons"] == 4
    assert stored(national, "SN-TH")["health_covered_persons"] == 0  # Mbour: nothing paid
    assert stored(world.agent_tc, "SN-TC") == scratch(world.agent_tc, "SN-TC")

    services.contribution_pay(
        actor=agent, household=unpaid, amount=8_300, paid_on=D(2026, 1, 5), channel="cash"
    )
    after = stored(national, as_of=ON)
    assert after["health_covered_persons"] == 6 and after["health_households_covered"] == 2
    assert after == scratch(national)
    assert float(after["health_contribution_recovery"]) == 1.0


def test_the_dashboard_shows_them_with_the_households_behind(world, health, client):
    paid, unpaid, agent = health
    client.force_login(world.national)
    page = client.get(reverse("monitoring:dashboard"), {"area": "SN", "year": 2026})
    assert page.status_code == 200
    text = page.content.decode()
    assert "Personnes couvertes par une mutuelle de santé" in text
    assert "Taux de recouvrement des cotisations santé" in text
    records = client.get(
        reverse("monitoring:records", args=["health_covered_persons"]),
        {"area": "SN-TC", "year": 2026},
    ).content.decode()
    assert str(paid.head) in records and str(unpaid.head) not in records
    client.force_login(world.agent_mbour)
    records = client.get(
        reverse("monitoring:records", args=["health_covered_persons"]),
        {"area": world.mbour.parent.code, "year": 2026},  # the agent's department
    ).content.decode()
    assert str(unpaid.head) in records and str(paid.head) not in records
