"""The seal through the API, for EVERY role: the programme's (national, regional and
departmental agents, officer, lender, member, a signed-in nobody), the network's
(administrator, moderator, the buyer, a named evaluator, an outsider, each submitter) and
the anonymous visitor. Before the deadline a submitter sees only its own offer and
everyone else none, on every operation that could show one (the offers, the results, a
score, an award); after it the buyer and a declared evaluator see all."""

import pytest
from django.test import Client

from tenders import services
from tenders.tests.conftest import close, publish, submit

pytestmark = pytest.mark.django_db

PROGRAMME = ["national", "agent_tc", "agent_mbour", "officer", "lender", "member", "nobody"]
NETWORK = ["admin", "mod", "buyer_user", "evaluator", "outsider", "user_a", "user_b"]
ROLES = PROGRAMME + NETWORK + ["anonymous"]
OWN = {"user_a": {"a"}, "user_b": {"b"}}
BUYER = {"buyer_user", "admin"}  # the buyer's account and the network's administrators


@pytest.fixture
def sealed(cast, world):
    tender = publish(cast)
    services.evaluator_appoint(actor=cast.buyer_user, tender=tender, username="tn-eval")
    offers = {"a": submit(cast, tender, "a"), "b": submit(cast, tender, "b", price=9_000_000)}
    return tender, offers


def client_of(cast, world, api_client, role):
    if role == "anonymous":
        return Client()
    user = getattr(world, role) if role in PROGRAMME else getattr(cast, role)
    return api_client(user)


def leaks(response, offers, allowed) -> set:
    """The offers whose organisation, summary or price shows in the answer."""
    text = response.content.decode()
    shown = set()
    for key, offer in offers.items():
        if key not in allowed and (
            offer.organisation.name in text or offer.summary in text or str(offer.price) in text
        ):
            shown.add(key)
    return shown


@pytest.mark.parametrize("role", ROLES)
def test_before_the_deadline_every_role_sees_only_its_own_offer(
    cast, world, api_client, sealed, role
):
    tender, offers = sealed
    api = client_of(cast, world, api_client, role)
    base = f"/api/v1/network/tenders/{tender.pk}"
    mine = OWN.get(role, set())

    listed = api.get(f"{base}/submissions")
    if role == "anonymous":
        assert listed.status_code == 401
    else:
        assert listed.status_code == 200, listed.content
        ids = {row["id"] for row in listed.json()["items"]}
        assert ids == {offers[k].pk for k in mine}
    assert not leaks(listed, offers, mine)

    results = api.get(f"{base}/results")
    expected = 401 if role == "anonymous" else (200 if role in BUYER | {"evaluator"} else 404)
    assert results.status_code == expected, (role, results.content)
    if expected == 200:
        assert results.json() == []
    assert not leaks(results, offers, set())

    for key, offer in offers.items():
        scored = api.post(
            f"{base}/submissions/{offer.pk}/scores",
            {"scores": [{"criterion": c.pk, "score": 5} for c in tender.criteria.all()]},
            content_type="application/json",
        )
        if role == "anonymous":
            assert scored.status_code == 401
        elif role == "evaluator":
            assert (scored.status_code, scored.json()["code"]) == (409, "not_yet")
        else:
            assert scored.status_code == 404, (role, key, scored.content)
        awarded = api.post(
            f"{base}/award",
            {"submission": offer.pk, "reasons": "Trop tôt"},
            content_type="application/json",
        )
        if role == "anonymous":
            assert awarded.status_code == 401
        elif role in BUYER:
            assert (awarded.status_code, awarded.json()["code"]) == (409, "not_yet")
        elif role == "evaluator":
            assert awarded.status_code == 403
        else:
            assert awarded.status_code == 404, (role, key, awarded.content)
        assert not leaks(scored, offers, set()) and not leaks(awarded, offers, set())
    assert not tender.evaluators.get().scores.exists()
    tender.refresh_from_db()
    assert tender.award_id is None

    public = api.get(base)
    assert public.status_code == 200 and not leaks(public, offers, set())


@pytest.mark.parametrize("role", ROLES)
def test_after_the_deadline_the_buyer_and_a_declared_evaluator_see_all(
    cast, world, api_client, sealed, role
):
    tender, offers = sealed
    close(tender)
    services.evaluator_declare(actor=cast.evaluator, tender=tender, no_conflict=True)
    api = client_of(cast, world, api_client, role)
    listed = api.get(f"/api/v1/network/tenders/{tender.pk}/submissions")
    if role == "anonymous":
        assert listed.status_code == 401
        return
    everything = {"a", "b"} if role in BUYER | {"evaluator"} else OWN.get(role, set())
    assert {row["id"] for row in listed.json()["items"]} == {offers[k].pk for k in everything}
    assert not leaks(listed, offers, everything)
