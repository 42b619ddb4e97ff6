"""Issue 14, point 5 (privacy): a lender naming a borrower it may not see gets 404 and
nothing is written (no name back, no junk application), in the API and the web form; the
borrowers it may name are those of its zone of intervention and its own borrowers."""

import datetime

import pytest
from django.urls import reverse

from accounts.services import role_assign
from accounts.tests.factories import UserFactory
from credit.models import Lender, Loan
from credit.services import loan_apply
from credit.tests.factories import product
from geo.models import Area

ON = datetime.date(2026, 1, 5)


@pytest.fixture
def zoned(world):
    """A lender whose zone of intervention is the Tambacounda region (side A)."""
    lender = Lender.objects.create(
        name="MEC de Tambacounda", kind="mec", area=Area.objects.get(code="SN-TC")
    )
    staff = UserFactory(username="mec-tc")
    role_assign(user=staff, role="lender", lender=lender)
    return world, lender, staff, product(world.national, lender)


def post_loan(client, body):
    return client.post("/api/v1/loans", body, content_type="application/json")


def body(prod, **borrower):
    return {"product": prod.pk, "principal": 100_000, "applied_on": ON.isoformat(), **borrower}


def test_api_person_outside_the_lenders_zone_is_404_without_name_and_nothing_written(
    zoned, api_client
):
    world, _lender, staff, prod = zoned
    client = api_client(staff)
    outsider = world.persons_mbour[0]
    response = post_loan(client, body(prod, borrower_person=outsider.pk))
    assert response.status_code == 404
    assert response.json()["code"] == "not_found" and response.json()["field"] == "borrower_person"
    text = response.content.decode()
    assert outsider.last_name not in text and outsider.first_name not in text
    assert Loan.objects.count() == 0
    for missing in [10**9, 2**63 + 1, -3]:
        response = post_loan(client, body(prod, borrower_person=missing))
        assert response.status_code in (404, 400) and Loan.objects.count() == 0
    outside_coop = post_loan(client, body(prod, borrower_cooperative=world.coop_mbour.pk))
    assert outside_coop.status_code == 404
    assert world.coop_mbour.name not in outside_coop.content.decode()
    assert Loan.objects.count() == 0


def test_api_person_inside_the_zone_is_accepted(zoned, api_client):
    world, _lender, staff, prod = zoned
    client = api_client(staff)
    inside = world.persons_tc[0]
    response = post_loan(client, body(prod, borrower_person=inside.pk))
    assert response.status_code == 201, response.json()
    assert response.json()["borrower_name"] == f"{inside.first_name} {inside.last_name}"
    response = post_loan(client, body(prod, borrower_cooperative=world.coop_tc.pk))
    assert response.status_code == 201
    assert Loan.objects.count() == 2


def test_own_borrowers_stay_nameable_outside_the_zone(zoned, api_client):
    """A borrower the lender already lends to (national entered it) may be named again."""
    world, _lender, staff, prod = zoned
    outsider = world.persons_mbour[0]
    loan_apply(
        actor=world.national,
        product=prod,
        principal=100_000,
        applied_on=ON,
        borrower_person=outsider,
    )
    response = post_loan(api_client(staff), body(prod, borrower_person=outsider.pk))
    assert response.status_code == 201


def test_the_service_refuses_too(zoned):
    from core.errors import NotFound

    world, _lender, staff, prod = zoned
    with pytest.raises(NotFound) as info:
        loan_apply(
            actor=staff,
            product=prod,
            principal=100_000,
            applied_on=ON,
            borrower_person=world.persons_thies[0],
        )
    assert info.value.field == "borrower_person"
    assert Loan.objects.count() == 0


def test_web_form_says_not_found_and_writes_nothing(zoned, client):
    world, _lender, staff, prod = zoned
    client.force_login(staff)
    outsider = world.persons_mbour[0]
    data = {
        "product": prod.pk,
        "principal": "100000",
        "applied_on": "05/01/2026",
        "borrower_person": outsider.pk,
        "save": "1",
    }
    response = client.post(reverse("credit:loan_apply"), data)
    assert response.status_code == 400  # the form again, with its error
    html = response.content.decode()
    assert "Personne introuvable" in html
    assert outsider.last_name not in html
    assert Loan.objects.count() == 0
    data["borrower_person"] = world.persons_tc[0].pk
    response = client.post(reverse("credit:loan_apply"), data)
    assert response.status_code == 302 and Loan.objects.count() == 1
