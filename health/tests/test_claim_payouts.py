"""Valuated claims paid by phone through payments' payout purpose ``health_claim``:
who may request and approve (maker-checker), the claim paid and posted once on success,
left payable on failure or refusal (Wave sandbox)."""

import datetime

import pytest

from core.errors import Conflict, Forbidden, NotFound
from health import services
from health.models import ClaimStatus, Provider
from health.tests.factories import (
    enrolled,
    mutual_agent,
    national_user,
    provider_with_convention,
    scheme_of_example,
)
from ledger.models import HolderEntry
from payments import services as payments
from payments.models import Payout

D = datetime.date
GOOD, FAILING = "+221775550101", "+221775550000"  # the sandbox fails numbers ending 0000

pytestmark = pytest.mark.django_db


@pytest.fixture
def wave(sandboxes, settings):
    sandbox = sandboxes["wave"].sandbox
    for key, value in sandbox.settings_for(sandbox.url).items():
        setattr(settings, key, value)
    settings.PAYMENTS_PAYOUT_APPROVAL_THRESHOLD = 100_000
    return sandbox


def valuated(world, scheme, agent, provider, staff, *, hosp_days=0):
    household = enrolled(world.officer, scheme, world.coop_tc, 4, on=D(2026, 1, 1))
    services.contribution_pay(
        actor=world.officer,
        household=household,
        amount=16_600,
        paid_on=D(2026, 1, 1),
        channel="cash",
    )
    lines = [{"code": "CONS"}] + ([{"code": "HOSP", "quantity": hosp_days}] if hosp_days else [])
    claim = services.claim_enter(
        actor=staff,
        household=household,
        beneficiary=household.head,
        provider=provider,
        service_on=D(2026, 2, 15),
        lines=lines,
    )
    services.claim_check(actor=agent, claim=claim)
    return services.claim_valuate(actor=agent, claim=claim)


@pytest.fixture
def mutual(world, wave):
    national = national_user()
    scheme = scheme_of_example(national)
    agent = mutual_agent(national, scheme)
    provider, staff = provider_with_convention(national, scheme)
    Provider.objects.filter(pk=provider.pk).update(phone=GOOD)
    provider.refresh_from_db()
    claim = valuated(world, scheme, agent, provider, staff)
    return scheme, agent, provider, staff, claim, world, national


def paid_entries(claim):
    return HolderEntry.objects.filter(source="health_claim_paid", source_ref=str(claim.pk))


def test_the_agent_pays_a_claim_by_phone_it_is_paid_and_posted_once(mutual, wave):
    scheme, agent, provider, staff, claim, world, national = mutual
    payout = services.claim_payout_request(actor=agent, claim=claim)
    assert payout.status == "succeeded" and payout.kind == "claim"
    assert payout.amount == claim.covered_amount and payout.name == provider.name
    assert (payout.purpose, payout.target_id) == ("health_claim", claim.pk)
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.PAID and claim.paid_channel == "mobile_money"
    assert claim.payout_id == payout.pk
    assert paid_entries(claim).count() == 1
    services.claim_payout_settled(payout=payout)  # told twice: nothing more
    assert paid_entries(claim).count() == 1
    lines = {ln.account.code: (ln.debit, ln.credit) for ln in paid_entries(claim)[0].lines.all()}
    assert lines == {"401": (claim.covered_amount, 0), "552": (0, claim.covered_amount)}
    paid = [p for p in wave.payouts.values() if p["client_reference"] == payout.reference]
    assert len(paid) == 1
    # the operator's fee (1 % at the sandbox) is the mutual's expense: 631 / 552, once
    assert payout.fee == claim.covered_amount // 100 > 0
    fees = HolderEntry.objects.filter(source="health_payout_fee", source_ref=str(payout.pk))
    assert fees.count() == 1
    lines = {ln.account.code: (ln.debit, ln.credit) for ln in fees[0].lines.all()}
    assert lines == {"631": (payout.fee, 0), "552": (0, payout.fee)}
    with pytest.raises(Conflict):
        services.claim_payout_request(actor=agent, claim=claim)  # paid: nothing more to pay


def test_a_failed_payout_leaves_the_claim_payable(mutual):
    scheme, agent, provider, staff, claim, world, national = mutual
    payout = services.claim_payout_request(actor=agent, claim=claim, phone=FAILING)
    assert payout.status == "failed"
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.VALUATED and not paid_entries(claim).exists()
    again = services.claim_payout_request(actor=agent, claim=claim)  # payable again
    assert again.status == "succeeded"
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.PAID and paid_entries(claim).count() == 1


def test_the_member_may_be_paid_instead_of_the_provider(mutual):
    scheme, agent, provider, staff, claim, world, national = mutual
    payout = services.claim_payout_request(actor=agent, claim=claim, to="member", phone=GOOD)
    assert payout.name == str(claim.beneficiary)[:100] and payout.status == "succeeded"


def test_only_the_scheme_agents_request_a_claim_payout(mutual):
    scheme, agent, provider, staff, claim, world, national = mutual
    other_scheme = scheme_of_example(national, name="Autre mutuelle")
    other_agent = mutual_agent(national, other_scheme)
    with pytest.raises(Forbidden):
        services.claim_payout_request(actor=staff, claim=claim)  # the provider
    for outsider in (other_agent, world.officer, national):
        with pytest.raises((NotFound, Forbidden)):
            services.claim_payout_request(actor=outsider, claim=claim)
    # nor through payments directly, with or without the purpose
    with pytest.raises((NotFound, Forbidden)):
        payments.payout_request(
            kind="claim",
            purpose="health_claim",
            target_id=claim.pk,
            provider="wave",
            amount=100,
            phone=GOOD,
            name="x",
            reason="x",
            actor=other_agent,
        )
    with pytest.raises(Forbidden):
        payments.payout_request(
            kind="claim",
            provider="wave",
            amount=100,
            phone=GOOD,
            name="x",
            reason="x",
            actor=national,
        )
    assert not Payout.objects.filter(kind="claim").exists()


def test_above_the_threshold_another_agent_approves(mutual, world):
    scheme, agent, provider, staff, _claim, world, national = mutual
    big = valuated(world, scheme, agent, provider, staff, hosp_days=15)
    assert big.covered_amount > 100_000
    payout = services.claim_payout_request(actor=agent, claim=big)
    assert payout.status == "awaiting_approval"
    with pytest.raises(Conflict) as err:
        services.claim_pay(actor=agent, claim=big, paid_on=D(2026, 2, 20))
    assert err.value.code == "payout_pending"
    with pytest.raises(Forbidden):
        services.claim_payout_approve(actor=agent, claim=big)  # the maker never checks
    other_scheme = scheme_of_example(national, name="Autre mutuelle")
    with pytest.raises(Forbidden):
        services.claim_payout_approve(actor=mutual_agent(national, other_scheme), claim=big)
    checker = mutual_agent(national, scheme)
    payout = services.claim_payout_approve(actor=checker, claim=big)
    assert payout.status == "succeeded" and payout.approved_by == checker
    big.refresh_from_db()
    assert big.status == ClaimStatus.PAID and paid_entries(big).count() == 1


def test_a_refused_payout_leaves_the_claim_payable(mutual, world):
    scheme, agent, provider, staff, _claim, world, national = mutual
    big = valuated(world, scheme, agent, provider, staff, hosp_days=15)
    services.claim_payout_request(actor=agent, claim=big)
    payout = services.claim_payout_approve(
        actor=mutual_agent(national, scheme), claim=big, approve=False
    )
    assert payout.status == "rejected"
    big.refresh_from_db()
    assert big.status == ClaimStatus.VALUATED and not paid_entries(big).exists()
    services.claim_pay(actor=agent, claim=big, paid_on=D(2026, 2, 20), channel="bank")
    big.refresh_from_db()
    assert big.status == ClaimStatus.PAID


def test_the_payout_through_the_api(mutual, api_client):
    scheme, agent, provider, staff, claim, world, national = mutual
    url = f"/api/v1/health/claims/{claim.pk}/payout"
    body = {"provider": "wave", "to": "provider"}
    answer = api_client(staff).post(url, body, content_type="application/json")
    assert answer.status_code == 403
    answer = api_client(agent).post(url, body, content_type="application/json")
    assert answer.status_code == 200, answer.content
    assert answer.json()["status"] == "succeeded" and answer.json()["claim"] == claim.pk
    again = api_client(agent).post(url, body, content_type="application/json")
    assert again.status_code == 409
