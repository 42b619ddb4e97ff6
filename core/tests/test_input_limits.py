"""Lengths, sizes, NUL and ids (core/limits.py, core/money.py, core/middleware.py;
docs/input-limits.md; issue 14 point 2): every text fits its column with a 400 naming the
field, NUL is refused, amounts have a maximum, ids out of range are 404, the same on
SQLite and PostgreSQL; what is stored can be exported and imported again."""

import json

import pytest
from django.test import Client
from hypothesis import given
from hypothesis import strategies as st

from accounts.services import api_token_issue
from capital.models import ShareOperation
from core import limits
from core.errors import ValidationFailed
from core.export import csv_bytes
from core.money import MAX_AMOUNT, check_amount
from credit.models import IdempotencyRecord, Repayment
from governance.models import Assembly
from registry.exports import person_export
from registry.imports import run_import
from registry.models import Person
from registry.services import person_create

pytestmark = pytest.mark.django_db


# --------------------------------------------------------------------------- the helpers


def test_text_within_its_column_passes_and_beyond_is_too_long():
    assert limits.check_values(Repayment, {"reference": "R" * 80, "other": "x" * 999})
    with pytest.raises(ValidationFailed) as caught:
        limits.check_values(Repayment, {"reference": "R" * 81})
    assert (caught.value.code, caught.value.field) == ("too_long", "reference")
    limits.check_instance(Assembly(agenda="x" * limits.TEXT_MAX))
    with pytest.raises(ValidationFailed) as caught:
        limits.check_instance(Assembly(agenda="x" * (limits.TEXT_MAX + 1)))
    assert (caught.value.code, caught.value.field) == ("too_long", "agenda")


def test_nul_is_refused_in_any_text():
    with pytest.raises(ValidationFailed) as caught:
        limits.check_values(Repayment, {"reference": "a\x00b"})
    assert (caught.value.code, caught.value.field) == ("invalid_character", "reference")
    with pytest.raises(ValidationFailed):
        limits.check_arguments({"values": {"address": "rue\x00"}})
    limits.check_arguments({"values": {"address": "rue 12"}})


@given(st.integers())
def test_integers_fit_their_column(value):
    ok = 0 <= value <= 2**31 - 1  # a PositiveIntegerField
    try:
        limits.check_values(ShareOperation, {"shares": value})
    except ValidationFailed as exc:
        assert not ok and exc.code == "out_of_range" and exc.field == "shares"
    else:
        assert ok


def test_amount_maximum():
    assert check_amount(MAX_AMOUNT, field="amount") == MAX_AMOUNT
    assert check_amount(0, field="amount") == 0
    for bad in (MAX_AMOUNT + 1, 10**20, -1):
        with pytest.raises(ValidationFailed) as caught:
            check_amount(bad, field="amount")
        assert (caught.value.code, caught.value.field) == ("amount_out_of_range", "amount")


def test_services_refuse_a_nul_whatever_calls_them(world):
    with pytest.raises(ValidationFailed) as caught:
        person_create(actor=world.national, first_name="Awa\x00", last_name="Ba", sex="F")
    assert (caught.value.code, caught.value.field) == ("invalid_character", "first_name")
    with pytest.raises(ValidationFailed) as caught:
        person_create(actor=world.national, first_name="A" * 500, last_name="Ba", sex="F")
    assert (caught.value.code, caught.value.field) == ("too_long", "first_name")


# --------------------------------------------------------------------------- the issue's cases


@pytest.fixture
def national(world):
    token = api_token_issue(user=world.national, actor=world.national)
    return Client(raise_request_exception=False, headers={"Authorization": f"Bearer {token}"})


def post(client, url, body, **headers):
    return client.post(
        f"/api/v1{url}", json.dumps(body), content_type="application/json", headers=headers
    )


def assert_400(response, code, field):
    assert response.status_code == 400, response.content[:300]
    body = response.json()
    assert (body["code"], body["field"]) == (code, field), body
    assert body["message"]


def test_long_repayment_reference_and_idempotency_key(world, credit):
    token = api_token_issue(user=world.agent_tc, actor=world.agent_tc)
    c = Client(raise_request_exception=False, headers={"Authorization": f"Bearer {token}"})
    url = f"/loans/{credit.loan_tc.pk}/repayments"
    body = {"amount": 1_000, "paid_on": "2026-02-15", "channel": "cash"}
    assert_400(post(c, url, {**body, "reference": "R" * 5_000}), "too_long", "reference")
    r = post(c, url, body, **{"Idempotency-Key": "K" * 5_000})
    assert_400(r, "too_long", "Idempotency-Key")
    assert not Repayment.objects.exists() and not IdempotencyRecord.objects.exists()
    ok = post(c, url, {**body, "reference": "R" * 80}, **{"Idempotency-Key": "K" * 120})
    assert ok.status_code == 201, ok.content


def test_long_note_purpose_place_and_reason(world, national, credit):
    lender = api_token_issue(user=world.lender, actor=world.lender)
    c = Client(raise_request_exception=False, headers={"Authorization": f"Bearer {lender}"})
    r = post(
        c,
        "/loans",
        {
            "product": credit.product.pk,
            "principal": 100_000,
            "borrower_cooperative": world.coop_tc.pk,
            "purpose": "p" * 256,
        },
    )
    assert_400(r, "too_long", "purpose")
    r = post(
        c,
        f"/loans/{credit.loan_tc.pk}/change-requests",
        {"kind": "write_off", "on": "2026-03-01", "reason": "r" * 300},
    )
    assert r.status_code == 400 and r.json()["code"] == "too_long", r.content
    r = post(
        national,
        f"/cooperatives/{world.coop_tc.pk}/assemblies",
        {
            "kind": "ordinaire",
            "held_on": "2030-06-30",
            "notice_sent_on": "2030-06-01",
            "agenda": "Comptes",
            "place": "x" * 201,
        },
    )
    assert_400(r, "too_long", "place")


def test_nul_in_a_name_and_in_q(national):
    before = Person.objects.count()
    r = post(national, "/persons", {"first_name": "A\x00wa", "last_name": "Ba", "sex": "F"})
    assert_400(r, "invalid_character", "first_name")
    assert Person.objects.count() == before
    assert_400(national.get("/api/v1/persons?q=a%00b"), "invalid_character", "q")
    assert_400(national.get("/api/v1/cooperatives", {"q": "x\x00"}), "invalid_character", "q")


def test_nul_in_a_page_query_or_form_is_a_french_400(world):
    c = Client(raise_request_exception=False)
    c.force_login(world.national)
    r = c.get("/registre/personnes/?q=a%00b")
    assert r.status_code == 400 and "Caractère interdit" in r.content.decode()
    r = c.post("/registre/personnes/nouvelle/", {"first_name": "A\x00"})
    assert r.status_code == 400 and "Requête invalide" in r.content.decode()


def test_journal_entry_debit_of_10_to_the_20(world, national):
    url = f"/cooperatives/{world.coop_tc.pk}/journal-entries"
    entry = {"journal": "OD", "date": "2026-03-01", "label": "x"}
    for huge, code in ((10**20, "out_of_range"), (MAX_AMOUNT + 1, "out_of_range")):
        lines = [
            {"account": "521", "debit": huge, "credit": 0},
            {"account": "101", "debit": 0, "credit": huge},
        ]
        r = post(national, url, {**entry, "lines": lines})
        assert r.status_code == 400 and r.json()["code"] == code, r.content
        assert r.json()["field"].startswith("lines")


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/share-operations/99999999999999999999",
        "/api/v1/cooperatives/99999999999999999999/shares",
        "/api/v1/loans/99999999999999999999",
        "/api/v1/persons/0",
        "/api/v1/persons/-1",
        "/api/v1/persons/abc",
        "/api/v1/cooperatives/9223372036854775808",
    ],
)
def test_ids_out_of_range_are_404(national, path):
    r = national.get(path)
    assert r.status_code == 404 and r.json()["code"] == "not_found", r.content


def test_page_ids_out_of_range_are_404(world):
    c = Client(raise_request_exception=False)
    c.force_login(world.national)
    assert c.get("/registre/cooperatives/99999999999999999999/").status_code == 404
    assert c.get("/registre/cooperatives/0/").status_code == 404


def test_query_ids_beyond_64_bits_are_400(national):
    r = national.get("/api/v1/persons", {"cooperative": "9" * 25})
    assert_400(r, "out_of_range", "cooperative")


def test_export_then_import_still_works_after_refusals(world, national):
    post(national, "/persons", {"first_name": "A\x00wa", "last_name": "Ba", "sex": "F"})
    post(national, "/persons", {"first_name": "X" * 5_000, "last_name": "Ba", "sex": "F"})
    person_create(
        actor=world.national,
        first_name="Awa",
        last_name="Ndiaye",
        sex="F",
        commune=world.koumpentoum,
    )
    headers, rows = person_export(actor=world.national)
    report = run_import("persons", csv_bytes(headers, rows), actor=world.national, filename="p.csv")
    assert report.errors == [] and report.created == 0
