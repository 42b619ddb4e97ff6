from django import forms

from core.errors import Conflict, ValidationFailed
from core.forms import apply_domain_error


class NameForm(forms.Form):
    name = forms.CharField()


def test_error_on_a_known_field_goes_to_that_field():
    form = NameForm(data={"name": "x"})
    assert form.is_valid()
    apply_domain_error(form, ValidationFailed("Nom déjà pris.", code="name_taken", field="name"))
    assert form.errors == {"name": ["Nom déjà pris."]}
    assert form.has_error("name", code="name_taken")
    assert not form.non_field_errors()


def test_error_without_field_or_on_unknown_field_is_non_field():
    form = NameForm(data={"name": "x"})
    assert form.is_valid()
    apply_domain_error(form, Conflict("Règle OHADA.", code="ohada", field="stage"))
    assert list(form.non_field_errors()) == ["Règle OHADA."]
    assert form.has_error("__all__", code="ohada")
    assert "name" not in form.errors
