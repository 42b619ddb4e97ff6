import datetime

import pytest
from django import forms

from core.dates import today
from core.errors import Conflict, Forbidden, NotFound, ValidationFailed
from core.forms import EventDateField, PlannedDateField, domain_errors_on


class DayForm(forms.Form):
    day = forms.DateField()


def valid_form():
    form = DayForm({"day": "2026-01-02"})
    assert form.is_valid()
    return form


def test_success_leaves_the_form_without_errors():
    form = valid_form()
    with domain_errors_on(form):
        pass
    assert not form.errors


def test_a_correctable_error_lands_on_its_field_or_the_form():
    form = valid_form()
    with domain_errors_on(form):
        raise ValidationFailed("Date hors de la session.", code="out_of_range", field="day")
    assert form.errors["day"] == ["Date hors de la session."]
    form = valid_form()
    with domain_errors_on(form):
        raise Conflict("Déjà fait.", code="duplicate")
    assert form.non_field_errors() == ["Déjà fait."]


def test_a_service_field_is_renamed_to_the_forms():
    form = valid_form()
    with domain_errors_on(form, fields={"on": "day"}):
        raise ValidationFailed("Date hors de la session.", code="out_of_range", field="on")
    assert form.errors["day"] == ["Date hors de la session."]


def test_on_a_request_the_error_is_a_message_and_the_outcome_says_it_failed(rf):
    from django.contrib.messages import get_messages
    from django.contrib.messages.storage.fallback import FallbackStorage

    request = rf.post("/")
    request.session = {}
    request._messages = FallbackStorage(request)
    with domain_errors_on(request) as done:
        pass
    assert done and done.error is None
    with domain_errors_on(request) as done:
        raise Conflict("Déjà fait.", code="duplicate")
    assert not done and done.error.code == "duplicate"
    assert [str(m) for m in get_messages(request)] == ["Déjà fait."]
    with domain_errors_on(None) as done:
        raise ValidationFailed("Non.", code="invalid")
    assert not done and str(done.error.message) == "Non."


def test_a_missing_typed_name_can_be_an_input_error():
    form = valid_form()
    with domain_errors_on(form, missing_is_input=True):
        raise NotFound("Zone inconnue.", field="day")
    assert form.errors["day"] == ["Zone inconnue."]
    with pytest.raises(Forbidden), domain_errors_on(form, missing_is_input=True):
        raise Forbidden("x")


@pytest.mark.parametrize("exc", [NotFound("x"), Forbidden("x"), ValueError("x")])
def test_not_found_forbidden_and_bugs_propagate(exc):
    form = valid_form()
    with pytest.raises(type(exc)), domain_errors_on(form):
        raise exc
    assert not form.errors


# ---------------------------------------------------------------- the date fields (issue 14, 1)


class EventForm(forms.Form):
    day = EventDateField()


class PlannedForm(forms.Form):
    day = PlannedDateField()


def _day_errors(form_class, value):
    form = form_class({"day": value})
    form.is_valid()
    return form.errors.get("day"), form


def test_an_event_date_follows_the_one_rule_on_the_field():
    assert _day_errors(EventForm, today().isoformat())[0] is None
    assert _day_errors(EventForm, "1900-01-01")[0] is None
    tomorrow = today() + datetime.timedelta(days=1)
    for value in (tomorrow.isoformat(), "2999-01-01", "1899-12-31", "0001-01-01"):
        errors, form = _day_errors(EventForm, value)
        assert errors and errors[0].startswith("Date impossible"), value
        assert form.errors.as_data()["day"][0].code == "date_out_of_range"
    assert "dans le futur" in _day_errors(EventForm, "2999-01-01")[0][0]
    assert "antérieur au 01/01/1900" in _day_errors(EventForm, "1899-12-31")[0][0]
    # a value that is not a date keeps Django's own message
    assert _day_errors(EventForm, "99999-01-01")[0]


def test_a_planned_date_may_be_in_the_future_but_not_beyond_2100():
    assert _day_errors(PlannedForm, "2099-06-30")[0] is None
    assert _day_errors(PlannedForm, "2101-01-01")[0]
    assert _day_errors(PlannedForm, "1899-12-31")[0]


def test_the_widget_is_a_date_input_with_an_iso_value():
    html = str(EventForm(initial={"day": datetime.date(2026, 3, 2)})["day"])
    assert 'type="date"' in html and 'value="2026-03-02"' in html
