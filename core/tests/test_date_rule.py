"""The one date rule (core/dates.py, docs/input-limits.md; issue 14 point 1): dates of
money and of events lie between 01/01/1900 and today (server's time zone), else 400
``date_out_of_range`` naming the field; query years and dates are bounded, never a 500."""

import datetime
import json

import pytest
from django import forms
from django.test import Client
from hypothesis import given
from hypothesis import strategies as st

from core import dates
from core.errors import ValidationFailed
from credit.models import Repayment

TODAY = datetime.date(2026, 6, 15)


def test_an_event_date_between_1900_and_today_passes():
    for day in (datetime.date(1900, 1, 1), datetime.date(1999, 12, 31), TODAY):
        assert dates.check_event_date(day, field="paid_on", today=TODAY) == day
    assert dates.check_event_date(None, field="paid_on") is None


@pytest.mark.parametrize(
    "day",
    [
        datetime.date(2999, 1, 1),
        TODAY + datetime.timedelta(days=1),
        datetime.date(1899, 12, 31),
        datetime.date(1, 1, 1),
    ],
)
def test_an_event_date_in_the_future_or_before_1900_is_refused(day):
    with pytest.raises(ValidationFailed) as caught:
        dates.check_event_date(day, field="paid_on", today=TODAY)
    assert caught.value.code == "date_out_of_range" and caught.value.field == "paid_on"
    assert "Date impossible" in str(caught.value.message)


def test_today_is_the_server_time_zone_s(settings):
    assert settings.TIME_ZONE == "Africa/Dakar"
    from django.utils import timezone

    assert dates.today() == timezone.localdate()


@given(st.dates())
def test_the_rule_is_exactly_1900_to_today(day):
    error = dates.event_date_error(day, field="x", latest=TODAY)
    assert (error is None) == (datetime.date(1900, 1, 1) <= day <= TODAY)


def test_planned_dates_keep_their_own_range():
    assert dates.check_planned_date(datetime.date(2030, 5, 1), field="held_on")
    with pytest.raises(ValidationFailed) as caught:
        dates.check_planned_date(datetime.date(9999, 12, 31), field="held_on")
    assert caught.value.code == "date_out_of_range" and caught.value.field == "held_on"


@pytest.mark.parametrize(
    "raw,expected", [(None, None), ("", None), ("2026", 2026), ("1900", 1900), (" 2100 ", 2100)]
)
def test_year_parameter_good(raw, expected):
    assert dates.parse_year_param(raw) == expected


@pytest.mark.parametrize("raw", ["0", "99999", "1899", "2101", "-5", "abc", "2026.5"])
def test_year_parameter_bad(raw):
    with pytest.raises(ValidationFailed) as caught:
        dates.parse_year_param(raw)
    assert caught.value.field == "year"
    assert caught.value.code in {"date_out_of_range", "invalid"}


@pytest.mark.parametrize("raw", ["0001-01-01", "9999-12-31", "2026-13-01", "hier"])
def test_date_parameter_bad(raw):
    with pytest.raises(ValidationFailed):
        dates.parse_date_param(raw, field="as_of")


def test_form_validator_puts_the_rule_on_the_field():
    class F(forms.Form):
        on = forms.DateField(validators=[dates.validate_event_date])

    assert F({"on": "2020-01-01"}).is_valid()
    bad = F({"on": "2999-01-01"})
    assert not bad.is_valid() and bad.errors["on"][0].startswith("Date impossible")


# --------------------------------------------------------------------------- the issue's cases


def post(client, url, body, **headers):
    return client.post(
        f"/api/v1{url}", json.dumps(body), content_type="application/json", headers=headers
    )


@pytest.mark.django_db
def test_repayment_dated_2999_is_refused_and_nothing_is_written(world, api_client, credit):
    c = api_client(world.agent_tc)
    url = f"/loans/{credit.loan_tc.pk}/repayments"
    r = post(c, url, {"amount": 1_000, "paid_on": "2999-01-01", "channel": "cash"})
    assert r.status_code == 400, r.content
    assert r.json()["code"] == "date_out_of_range" and r.json()["field"] == "paid_on"
    r = post(c, url, {"amount": 1_000, "paid_on": "1899-12-31", "channel": "cash"})
    assert r.json()["code"] == "date_out_of_range"
    assert not Repayment.objects.filter(loan=credit.loan_tc).exists()
    good = post(c, url, {"amount": 1_000, "paid_on": "2026-02-15", "channel": "cash"})
    assert good.status_code == 201, good.content


@pytest.mark.django_db
def test_event_dates_of_other_apps_are_refused(world, api_client):
    c = api_client(world.national)
    r = post(
        c,
        "/persons",
        {"first_name": "Awa", "last_name": "Ba", "sex": "F", "birth_date": "2999-01-01"},
    )
    assert (r.status_code, r.json()["code"], r.json()["field"]) == (
        400,
        "date_out_of_range",
        "birth_date",
    )
    r = post(
        c,
        f"/cooperatives/{world.coop_tc.pk}/journal-entries",
        {
            "journal": "OD",
            "date": "2999-01-01",
            "label": "x",
            "lines": [
                {"account": "521", "debit": 10, "credit": 0},
                {"account": "101", "debit": 0, "credit": 10},
            ],
        },
    )
    assert (r.status_code, r.json()["code"], r.json()["field"]) == (
        400,
        "date_out_of_range",
        "date",
    )


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/indicators?year=99999",
        "/api/v1/indicators?year=0",
        "/api/v1/indicators?as_of=0001-01-01",
        "/api/v1/governance/late-accounts?as_of=0001-01-01",
        "/api/v1/portfolio?as_of=0001-01-01",
        "/api/v1/portfolio?as_of=9999-12-31",
        "/api/v1/cooperatives/{coop}/trial-balance?from=0001-01-01",
        "/api/v1/cooperatives/{coop}/journal-entries?to=9999-12-31",
    ],
)
def test_query_years_and_dates_out_of_range_are_400(world, url):
    from accounts.services import api_token_issue

    token = api_token_issue(user=world.national, actor=world.national)
    c = Client(raise_request_exception=False, headers={"Authorization": f"Bearer {token}"})
    r = c.get(url.format(coop=world.coop_tc.pk))
    assert r.status_code == 400, r.content
    assert r.json()["code"] == "date_out_of_range" and r.json()["field"]


@pytest.mark.django_db
@pytest.mark.parametrize("query", ["?year=99999", "?year=0", "?year=abc"])
def test_pages_show_a_french_message_for_a_bad_year(world, query, settings):
    settings.DEBUG = False
    c = Client(raise_request_exception=False)
    c.force_login(world.national)
    r = c.get("/suivi/" + query)
    assert r.status_code == 200
    assert "Année invalide" in r.content.decode()


@pytest.mark.django_db
def test_portfolio_page_with_a_bad_as_of_shows_a_message(world, credit):
    c = Client(raise_request_exception=False)
    c.force_login(world.lender)
    r = c.get("/credit/portefeuille/?as_of=0001-01-01")
    assert r.status_code == 200
    assert "Date impossible" in r.content.decode()
