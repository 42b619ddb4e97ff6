"""core.services.model_update: the one place a service's update whitelist is applied."""

from types import SimpleNamespace

import pytest

from core.errors import ValidationFailed
from core.services import fields_check, model_update


def test_sets_the_allowed_fields_through_their_cleaners_and_names_them():
    thing = SimpleNamespace(name="a", phone="")
    names = model_update(
        thing,
        {"name": "b", "phone": "77 123 45 67"},
        allowed={"name", "phone"},
        cleaners={"phone": lambda v: "+221" + v.replace(" ", "")},
    )
    assert (thing.name, thing.phone) == ("b", "+221771234567")
    assert names == ["name", "phone"]


def test_a_field_outside_the_whitelist_is_refused_before_anything_is_set():
    thing = SimpleNamespace(name="a", stage="creee")
    with pytest.raises(ValidationFailed) as err:
        model_update(thing, {"name": "b", "stage": "x", "id": 3}, allowed={"name"})
    assert (err.value.code, err.value.field) == ("not_editable", "id")
    assert str(err.value.message) == "Champ non modifiable : id."
    assert thing.name == "a"  # nothing set


def test_the_message_and_code_are_the_services():
    with pytest.raises(ValidationFailed) as err:
        fields_check(["b", "a"], allowed=set(), message="Paramètre inconnu : %(fields)s", code="x")
    assert (str(err.value.message), err.value.code, err.value.field) == (
        "Paramètre inconnu : a, b",
        "x",
        "a",
    )
