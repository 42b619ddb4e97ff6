import pytest

from core.errors import Conflict, Forbidden, ValidationFailed
from training.models import Module
from training.services import module_create, module_update
from training.tests.factories import module


@pytest.mark.django_db
def test_catalogue_is_seeded_with_the_ilo_tools():
    by_programme = {}
    for m in Module.objects.all():
        by_programme.setdefault(m.programme, []).append(m)
    assert [m.code for m in by_programme["think"]] == ["think-coop"]
    assert by_programme["think"][0].duration_days == 1
    assert [m.code for m in by_programme["start"]] == [
        "start-1-membres-idee",
        "start-2-faisabilite",
        "start-3-plan-affaires",
        "start-4-lancement",
    ]
    assert {"my-gouvernance", "my-finance", "my-marketing"} <= {m.code for m in by_programme["my"]}
    assert all(m.audience and m.duration_days >= 1 for m in Module.objects.all())


def test_national_edits_a_module_an_agent_may_not(world):
    m = module("my-finance")
    fields = dict(programme="my", title="Finances", duration_days=4, audience="Trésoriers")
    with pytest.raises(Forbidden):
        module_update(actor=world.agent_tc, module=m, **fields)
    module_update(actor=world.national, module=m, **fields)
    m.refresh_from_db()
    assert (m.title, m.duration_days) == ("Finances", 4)
    assert m.history.first().history_user == world.national


def test_module_duration_must_be_at_least_a_day(world):
    with pytest.raises(ValidationFailed) as exc:
        module_create(
            actor=world.national,
            code="my-x",
            programme="my",
            title="X",
            duration_days=0,
            audience="Tous",
        )
    assert exc.value.field == "duration_days"
    created = module_create(
        actor=world.national, code="my-x", programme="my", title="X", duration_days=1, audience="T"
    )
    assert created.pk


def test_module_code_is_unique(world):
    with pytest.raises(Conflict):
        module_create(
            actor=world.national,
            code="think-coop",
            programme="think",
            title="Doublon",
            duration_days=1,
            audience="Tous",
        )
