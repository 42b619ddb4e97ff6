import datetime

import pytest

from core.errors import Conflict, Forbidden, ValidationFailed
from training.services import session_create, trainer_certify, trainer_create
from training.tests.factories import TrainerFactory, certified_trainer, module

D = datetime.date


def test_trainer_may_be_a_user_a_person_or_a_name(world):
    by_user = trainer_create(actor=world.national, kind="agent", user=world.agent_th)
    assert by_user.name == world.agent_th.get_full_name() or by_user.name == "agent-th"
    by_person = trainer_create(actor=world.national, kind="partner", person=world.persons_tc[0])
    assert by_person.name == str(world.persons_tc[0])
    by_name = trainer_create(actor=world.national, kind="partner", name="Awa Konaté")
    assert by_name.user is None and by_name.person is None
    with pytest.raises(ValidationFailed):
        trainer_create(actor=world.national, kind="partner", name="  ")
    with pytest.raises(Conflict):
        trainer_create(actor=world.national, kind="agent", user=world.agent_th)


def test_only_national_certifies(world):
    trainer = TrainerFactory()
    with pytest.raises(Forbidden):
        trainer_certify(
            actor=world.agent_tc, trainer=trainer, module=module(), certified_on=D(2025, 1, 1)
        )
    cert = trainer_certify(
        actor=world.national, trainer=trainer, module=module(), certified_on=D(2025, 1, 1)
    )
    assert cert.pk
    with pytest.raises(Conflict) as exc:
        trainer_certify(
            actor=world.national, trainer=trainer, module=module(), certified_on=D(2025, 2, 1)
        )
    assert exc.value.code == "already_certified"


def test_training_of_trainers_session_certifies_for_its_module_only(world):
    master = certified_trainer("my-finance")
    tot = session_create(
        actor=world.national,
        module=module("my-finance"),
        commune=world.thies,
        starts_on=D(2025, 3, 3),
        ends_on=D(2025, 3, 7),
        trainers=[master],
        kind="tot",
    )
    trainee = TrainerFactory()
    with pytest.raises(ValidationFailed) as exc:
        trainer_certify(
            actor=world.national,
            trainer=trainee,
            module=module("my-marketing"),
            certified_on=D(2025, 3, 7),
            tot_session=tot,
        )
    assert exc.value.code == "tot_session_mismatch"
    with pytest.raises(ValidationFailed) as exc:
        trainer_certify(
            actor=world.national,
            trainer=trainee,
            module=module("my-finance"),
            certified_on=D(2025, 3, 5),
            tot_session=tot,
        )
    assert exc.value.code == "certified_before_tot_end"
    cert = trainer_certify(
        actor=world.national,
        trainer=trainee,
        module=module("my-finance"),
        certified_on=D(2025, 3, 7),
        tot_session=tot,
    )
    assert cert.tot_session == tot
