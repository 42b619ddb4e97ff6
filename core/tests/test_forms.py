import pytest
from django import forms

from core.errors import Conflict, Forbidden, NotFound, ValidationFailed
from core.forms import domain_errors_on


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


@pytest.mark.parametrize("exc", [NotFound("x"), Forbidden("x"), ValueError("x")])
def test_not_found_forbidden_and_bugs_propagate(exc):
    form = valid_form()
    with pytest.raises(type(exc)), domain_errors_on(form):
        raise exc
    assert not form.errors
