"""Issue 14, point 1: "one date rule in one place (core), used by the API, the forms and
the imports". Every date field of the apps' forms is core's ``EventDateField`` (the date
of something that happened: 1900..today) or ``PlannedDateField`` (1900..2100), so a page
shows the French message on the field; the services check the same rule again."""

import datetime
import importlib
import inspect
import pathlib

import pytest
from django import forms
from django.conf import settings
from django.urls import reverse

from core.apps import project_app_configs
from core.forms import EventDateField, PlannedDateField


def _local_apps() -> list[str]:
    """Every app of the project (new ones included, so none escapes the rule)."""
    return sorted(config.name for config in project_app_configs())


def _form_classes(module):
    for _name, obj in inspect.getmembers(module, inspect.isclass):
        if issubclass(obj, forms.BaseForm) and obj.__module__ == module.__name__:
            yield obj


def test_every_date_field_of_every_form_is_one_of_cores():
    checked, plain = 0, []
    local = _local_apps()
    assert {"registry", "valuechain", "sync", "network", "purchasing"} <= set(local)
    for app in local:
        base = pathlib.Path(settings.BASE_DIR) / app
        for path in sorted(base.glob("forms*.py")) + sorted(base.glob("*_forms.py")):
            module = importlib.import_module(f"{app}.{path.stem}")
            for form in _form_classes(module):
                for name, field in form.base_fields.items():
                    if isinstance(field, forms.DateField):
                        checked += 1
                        if not isinstance(field, EventDateField | PlannedDateField):
                            plain.append(f"{form.__module__}.{form.__name__}.{name}")
            # fields added in __init__ are not in base_fields: the source says it
            source = path.read_text(encoding="utf-8")
            assert "forms.DateField(" not in source, f"{path}: use core.forms' date fields"
    assert not plain, f"plain DateField (use core.forms.EventDateField/PlannedDateField): {plain}"
    assert checked >= 40  # the forms of the nine apps that take dates


FUTURE = "2999-01-01"


def _field_errors(response, form_key, field):
    form = response.context[form_key]
    return [str(e) for e in form.errors.get(field, [])]


def test_the_person_page_shows_the_message_on_the_birth_date(world, client):
    client.force_login(world.agent_tc)
    data = {"first_name": "Awa", "last_name": "Ba", "sex": "F", "birth_date": FUTURE}
    response = client.post(reverse("registry:person_create"), data)
    assert response.status_code == 200
    errors = _field_errors(response, "form", "birth_date")
    assert errors and "dans le futur" in errors[0]
    assert "dans le futur" in response.content.decode()


def test_the_member_page_refuses_a_join_date_before_1900(world, client):
    client.force_login(world.agent_tc)
    data = {"person": world.persons_mbour[0].pk, "joined_on": "1899-12-31", "role": "membre"}
    response = client.post(reverse("registry:member_admit", args=[world.coop_tc.pk]), data)
    assert response.status_code == 200
    assert "antérieur au 01/01/1900" in " ".join(_field_errors(response, "form", "joined_on"))


def test_the_repayment_page_shows_the_message_on_the_payment_date(world, client):
    from credit.models import Repayment
    from credit.tests.factories import active_loan, lender_staff, product

    checker = lender_staff(world.lender_obj, "checker")
    loan = active_loan(
        maker=world.lender,
        checker=checker,
        product=product(world.lender, world.lender_obj),
        borrower_cooperative=world.coop_tc,
    )
    client.force_login(world.lender)
    data = {"amount": 1000, "paid_on": FUTURE, "channel": "cash"}
    response = client.post(reverse("credit:repayment_create", args=[loan.pk]), data)
    assert response.status_code == 400
    errors = _field_errors(response, "repayment_form", "paid_on")
    assert errors and "dans le futur" in errors[0]
    assert not Repayment.objects.filter(loan=loan).exists()


@pytest.mark.parametrize(
    ("module", "form", "field", "value", "ok"),
    [
        ("capital.forms", "OperationForm", "effective_on", FUTURE, False),
        ("training.forms", "VisitForm", "visited_on", FUTURE, False),
        ("ledger.forms", "SimpleMovementForm", "on", FUTURE, False),
        ("purchasing.forms", "PayForm", "on", FUTURE, False),
        ("health.forms", "ClaimForm", "service_on", FUTURE, False),
        # planned dates: the future is fine, beyond 2100 is not
        ("governance.forms", "AssemblyForm", "held_on", "2030-06-30", True),
        ("governance.forms", "AssemblyForm", "held_on", "2101-01-01", False),
        ("training.forms", "SessionForm", "starts_on", "2030-06-30", True),
    ],
)
def test_each_apps_form_applies_the_rule_on_its_field(module, form, field, value, ok):
    form_class = getattr(importlib.import_module(module), form)
    target = form_class.base_fields[field]
    if ok:
        assert target.clean(value) == datetime.date.fromisoformat(value)
    else:
        with pytest.raises(forms.ValidationError) as info:
            target.clean(value)
        assert [e.code for e in info.value.error_list] == ["date_out_of_range"]
