import datetime

import pytest

from core.errors import Conflict, Forbidden, ValidationFailed
from training.services import session_create
from training.tests.factories import TrainerFactory, certified_trainer, module

D = datetime.date


def _create(world, actor=None, **kwargs):
    args = dict(
        actor=actor or world.agent_tc,
        module=module("think-coop"),
        commune=world.koumpentoum,
        starts_on=D(2025, 6, 2),
        ends_on=D(2025, 6, 2),
    )
    args.update(kwargs)
    return session_create(**args)


def test_uncertified_trainer_is_refused_certified_one_accepted(world):
    uncertified = TrainerFactory(name="Sans Certificat")
    with pytest.raises(Conflict) as exc:
        _create(world, trainers=[uncertified])
    assert exc.value.code == "trainer_not_certified"
    assert exc.value.field == "trainers"
    assert "Sans Certificat" in str(exc.value.message)
    certified = certified_trainer("think-coop")
    session = _create(world, trainers=[certified])
    assert list(session.trainers.all()) == [certified]


def test_certification_for_another_module_does_not_count(world):
    other = certified_trainer("my-finance")
    with pytest.raises(Conflict) as exc:
        _create(world, trainers=[other])
    assert exc.value.code == "trainer_not_certified"


def test_one_uncertified_co_trainer_refuses_the_session(world):
    with pytest.raises(Conflict):
        _create(world, trainers=[certified_trainer("think-coop"), TrainerFactory()])


def test_certification_must_precede_the_session(world):
    trainer = certified_trainer("think-coop")  # certified 15/01/2025
    with pytest.raises(Conflict):
        _create(world, trainers=[trainer], starts_on=D(2025, 1, 10), ends_on=D(2025, 1, 10))
    assert _create(world, trainers=[trainer], starts_on=D(2025, 1, 15), ends_on=D(2025, 1, 15))


def test_a_session_needs_a_trainer(world):
    with pytest.raises(ValidationFailed) as exc:
        _create(world, trainers=[])
    assert exc.value.code == "trainer_required"


def test_dates_must_be_in_order(world):
    with pytest.raises(ValidationFailed) as exc:
        _create(world, trainers=[certified_trainer()], ends_on=D(2025, 6, 1))
    assert exc.value.code == "dates_inverted"


def test_agent_plans_only_in_their_area_officer_never(world):
    trainer = certified_trainer()
    with pytest.raises(Forbidden) as exc:
        _create(world, actor=world.agent_th, trainers=[trainer])
    assert exc.value.code == "out_of_scope"
    with pytest.raises(Forbidden):
        _create(world, actor=world.officer, trainers=[trainer])
    assert _create(world, actor=world.national, trainers=[trainer])


def test_session_is_held_in_a_commune(world):
    from geo.models import Area

    with pytest.raises(ValidationFailed) as exc:
        _create(world, trainers=[certified_trainer()], commune=Area.objects.get(code="SN-TC"))
    assert exc.value.code == "commune_required"
