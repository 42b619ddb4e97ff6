"""Loan product pages: list (every role, a lender's staff see their own), creation form
(national and lender staff; 403 for the others), usury refusal as a form error."""

import html

import pytest
from django.urls import reverse

from credit.models import LoanProduct
from credit.tests.factories import LenderFactory, lender_staff, product

pytestmark = pytest.mark.django_db


def text(response) -> str:
    return html.unescape(response.content.decode())


GOOD = {
    "name": "AGR Koumpentoum",
    "interest_method": "declining",
    "amortization": "annuity",
    "annual_rate": "18",
    "day_count": "30/360",
    "term_months": "12",
    "frequency": "monthly",
    "grace_periods": "0",
    "fee_rate": "2",
    "fee_fixed": "",
    "penalty_rate": "12",
    "arrears_tolerance": "500",
    "allocation_order": "penalty,fee,interest,principal",
    "min_principal": "100000",
    "max_principal": "5000000",
}


def test_lender_creates_a_product_with_every_field(client, world):
    client.force_login(world.lender)
    url = reverse("credit:product_create")
    page = client.get(url)
    assert page.status_code == 200
    body = text(page)
    for label in [
        "Taux annuel",
        "Base de calcul",
        "Différé sur le capital",
        "Frais fixes",
        "pénalité",
        "Tolérance",
        "Ordre d'imputation",
        "saisonnier",
    ]:
        assert label in body, label
    data = {
        **GOOD,
        "lender": world.lender_obj.pk,
        "grace_on_interest": "on",
        "grace_periods": "2",
        "fee_fixed": "5000",
        "day_count": "actual/365",
        "allocation_order": "fee,penalty,interest,principal",
        "min_principal": "1000000",
        "annual_rate": "16,5",
    }
    r = client.post(url, data)
    assert r.status_code == 302, r.context["form"].errors
    p = LoanProduct.objects.get(name="AGR Koumpentoum")
    assert p.lender == world.lender_obj and p.created_by == world.lender
    assert str(p.annual_rate.normalize()) == "16.5" and p.day_count == "actual/365"
    assert p.grace_periods == 2 and p.grace_on_interest and p.fee_fixed == 5000
    assert p.allocation_order == "fee,penalty,interest,principal"
    assert p.arrears_tolerance == 500 and p.max_principal == 5_000_000
    listing = text(client.get(reverse("credit:product_list")))
    assert "AGR Koumpentoum" in listing


def test_seasonal_product_months(client, world):
    client.force_login(world.lender)
    url = reverse("credit:product_create")
    r = client.post(url, {**GOOD, "repayment_months": ["11", "12", "1"]})
    assert r.status_code == 302
    assert LoanProduct.objects.get(name="AGR Koumpentoum").repayment_months == [1, 11, 12]
    # seasonal and weekly: refused by the service, shown on the months field
    r = client.post(
        url, {**GOOD, "name": "Hebdo", "frequency": "weekly", "repayment_months": ["11"]}
    )
    assert r.status_code == 400
    assert "mensuelle" in r.context["form"].errors["repayment_months"][0]


def test_usury_refusal_is_a_clear_form_error(client, world):
    client.force_login(world.lender)
    r = client.post(reverse("credit:product_create"), {**GOOD, "annual_rate": "30"})
    assert r.status_code == 400
    error = r.context["form"].errors["annual_rate"][0]
    assert "taux de l'usure de 24 %" in error and "Taux effectif global" in error
    assert r.context["form"]["annual_rate"].value() == "30"  # what was typed stays
    assert not LoanProduct.objects.filter(name="AGR Koumpentoum").exists()
    # 20 % with no fee is under the cap
    r = client.post(reverse("credit:product_create"), {**GOOD, "annual_rate": "20", "fee_rate": ""})
    assert r.status_code == 302


@pytest.mark.parametrize(
    "field,value,message",
    [
        ("term_months", "0", None),
        ("annual_rate", "abc", None),
        ("grace_periods", "12", "au moins une échéance"),
        ("max_principal", "50000", "inférieur au minimum"),
        ("name", "", None),
    ],
)
def test_bad_inputs_stay_on_the_form(client, world, field, value, message):
    client.force_login(world.lender)
    r = client.post(reverse("credit:product_create"), {**GOOD, field: value})
    assert r.status_code == 400
    errors = r.context["form"].errors
    assert field in errors
    if message:
        assert message in errors[field][0]
    assert not LoanProduct.objects.exists()


def test_duplicate_name_refused(client, world):
    client.force_login(world.lender)
    assert client.post(reverse("credit:product_create"), GOOD).status_code == 302
    r = client.post(reverse("credit:product_create"), GOOD)
    assert r.status_code == 400 and "déjà un produit" in r.context["form"].errors["name"][0]


def test_national_chooses_the_lender(client, world):
    other = LenderFactory(name="Fonds du programme")
    client.force_login(world.national)
    url = reverse("credit:product_create")
    r = client.post(url, GOOD)  # no lender: the national role must choose
    assert r.status_code == 400 and "lender" in r.context["form"].errors
    assert client.post(url, {**GOOD, "lender": other.pk}).status_code == 302
    assert LoanProduct.objects.get().lender == other


def test_lender_cannot_create_for_another_lender(client, world):
    other = LenderFactory(name="Autre")
    client.force_login(world.lender)
    r = client.post(reverse("credit:product_create"), {**GOOD, "lender": other.pk})
    assert r.status_code == 302  # the hidden field is ignored: their own lender
    assert LoanProduct.objects.get().lender == world.lender_obj


@pytest.mark.parametrize("role", ["agent_tc", "officer", "member", "nobody"])
def test_other_roles_may_not_create(client, world, role):
    client.force_login(getattr(world, role))
    url = reverse("credit:product_create")
    assert client.get(url).status_code == 403
    assert client.post(url, {**GOOD, "lender": world.lender_obj.pk}).status_code == 403
    assert not LoanProduct.objects.exists()


def test_list_is_scoped_and_its_queries_constant(client, world, django_assert_num_queries):
    mine = product(world.lender, world.lender_obj)
    other = LenderFactory()
    theirs = product(lender_staff(other), other)
    client.force_login(world.lender)
    r = client.get(reverse("credit:product_list"))
    assert [p.pk for p in r.context["page"].object_list] == [mine.pk]
    assert "Nouveau produit" in text(r)
    client.force_login(world.agent_tc)  # products are the lenders' public offer
    r = client.get(reverse("credit:product_list"))
    assert {p.pk for p in r.context["page"].object_list} == {mine.pk, theirs.pk}
    assert "Nouveau produit" not in text(r)
    client.force_login(world.lender)
    client.get(reverse("credit:product_list"))
    with django_assert_num_queries(QUERIES := _count(client)):
        client.get(reverse("credit:product_list"))
    for _ in range(5):
        product(world.lender, world.lender_obj)
    with django_assert_num_queries(QUERIES):
        r = client.get(reverse("credit:product_list"))
    assert len(r.context["page"].object_list) == 6


def _count(client) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        client.get(reverse("credit:product_list"))
    return len(ctx.captured_queries)


def test_anonymous_is_sent_to_login(client):
    r = client.get(reverse("credit:product_create"))
    assert r.status_code == 302 and "connexion" in r["Location"]
