"""The seal: before the deadline each submitter sees only its own offer and nobody else
sees any (the buyer, the administrators, moderators, evaluators, outsiders, visitors), in
the selector, on the pages and in the API; after it the buyer sees all."""

import pytest
from django.contrib.auth.models import AnonymousUser

from tenders import selectors, services
from tenders.tests.conftest import close, publish, submit

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "outsider", "buyer_user", "admin", "mod", "evaluator", "user_a", "user_b"]


def actor_of(cast, role):
    return AnonymousUser() if role == "anonymous" else getattr(cast, role)


@pytest.fixture
def offers(cast):
    tender = publish(cast)
    services.evaluator_appoint(actor=cast.buyer_user, tender=tender, username="tn-eval")
    return tender, submit(cast, tender, "a"), submit(cast, tender, "b", price=9_000_000)


BEFORE = {"user_a": {"a"}, "user_b": {"b"}}  # everyone else: nothing
AFTER = {"user_a": {"a"}, "user_b": {"b"}, "buyer_user": {"a", "b"}, "admin": {"a", "b"}}


@pytest.mark.parametrize("role", ROLES)
def test_before_the_deadline_each_role_sees_only_its_own_offer(cast, offers, role):
    tender, a, b = offers
    seen = set(selectors.submission_list(actor=actor_of(cast, role), tender=tender))
    assert seen == {o for k, o in (("a", a), ("b", b)) if k in BEFORE.get(role, set())}


@pytest.mark.parametrize("role", ROLES)
def test_after_the_deadline_the_buyer_sees_all(cast, offers, role):
    tender, a, b = offers
    close(tender)
    seen = set(selectors.submission_list(actor=actor_of(cast, role), tender=tender))
    assert seen == {o for k, o in (("a", a), ("b", b)) if k in AFTER.get(role, set())}


def test_a_declared_evaluator_sees_all_after_the_deadline_only(cast, offers):
    tender, a, b = offers
    close(tender)
    assert not selectors.submission_list(actor=cast.evaluator, tender=tender).exists()
    services.evaluator_declare(actor=cast.evaluator, tender=tender, no_conflict=True)
    assert set(selectors.submission_list(actor=cast.evaluator, tender=tender)) == {a, b}


@pytest.mark.parametrize("role", ROLES)
def test_the_pages_keep_the_seal(cast, offers, client, role):
    tender, a, b = offers
    if role != "anonymous":
        client.force_login(actor_of(cast, role))
    page = client.get(f"/reseau/appels-d-offres/{tender.pk}/")
    assert page.status_code == 200
    text = page.content.decode()
    mine = BEFORE.get(role, set())
    for key, offer in (("a", a), ("b", b)):
        assert (offer.organisation.name in text) == (key in mine), (role, key)
    evaluation = client.get(f"/reseau/appels-d-offres/{tender.pk}/evaluation/")
    if role in ("buyer_user", "admin", "evaluator"):
        assert evaluation.status_code == 200
        assert a.organisation.name not in evaluation.content.decode()
        assert b.organisation.name not in evaluation.content.decode()
    else:
        assert evaluation.status_code in (302, 404)


@pytest.mark.parametrize("role", [r for r in ROLES if r != "anonymous"])
def test_the_api_keeps_the_seal(cast, offers, api_client, role):
    tender, a, b = offers
    response = api_client(actor_of(cast, role)).get(
        f"/api/v1/network/tenders/{tender.pk}/submissions"
    )
    assert response.status_code == 200
    ids = {row["id"] for row in response.json()["items"]}
    assert ids == {o.pk for k, o in (("a", a), ("b", b)) if k in BEFORE.get(role, set())}


def test_the_api_shows_all_to_the_buyer_after_the_deadline(cast, offers, api_client):
    tender, a, b = offers
    close(tender)
    response = api_client(cast.buyer_user).get(f"/api/v1/network/tenders/{tender.pk}/submissions")
    assert {row["id"] for row in response.json()["items"]} == {a.pk, b.pk}
    assert {row["price"] for row in response.json()["items"]} == {12_000_000, 9_000_000}


def test_an_anonymous_api_read_of_the_offers_needs_a_token(cast, offers, client):
    tender, _a, _b = offers
    assert client.get(f"/api/v1/network/tenders/{tender.pk}/submissions").status_code == 401


def test_an_offer_file_is_sealed_too(cast, client):
    from tenders.documents import clean_bytes

    tender = publish(cast)
    offer = services.submission_submit(
        actor=cast.user_a, tender=tender, organisation=cast.org_a, summary="Offre", price=1_000,
        file=clean_bytes("offre.pdf", b"%PDF-1.4 offre scellee"),
    )  # fmt: skip
    url = f"/reseau/appels-d-offres/offres/{offer.pk}/fichier/"
    for user, status in ((cast.buyer_user, 404), (cast.admin, 404), (cast.user_b, 404)):
        client.force_login(user)
        assert client.get(url).status_code == status
    client.force_login(cast.user_a)
    assert client.get(url).content == b"%PDF-1.4 offre scellee"
    close(tender)
    client.force_login(cast.buyer_user)
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Disposition"].startswith("attachment")
