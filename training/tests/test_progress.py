import datetime

import pytest

from core.errors import NotFound
from registry.models import Cooperative
from training.models import Module, Participant
from training.selectors import cooperative_progress
from training.tests.factories import ParticipantFactory, SessionFactory

D = datetime.date


def _complete(world, code, person=None, cooperative=None):
    session = SessionFactory(module=Module.objects.get(code=code), commune=world.koumpentoum)
    return ParticipantFactory(
        session=session,
        person=person or world.persons_tc[0],
        cooperative=cooperative or world.coop_tc,
        completed=True,
    )


def test_path_think_then_start_suggests_the_next_stage(world):
    coop = world.coop_tc  # stage "sensibilisee"
    progress = cooperative_progress(actor=world.agent_tc, cooperative=coop)
    assert [s.done for s in progress.steps] == [False, False, False]
    assert progress.next_module.code == "think-coop"
    assert progress.suggested_stage is None

    _complete(world, "think-coop")
    progress = cooperative_progress(actor=world.agent_tc, cooperative=coop)
    assert [s.done for s in progress.steps] == [True, False, False]
    assert progress.next_module.code == "start-1-membres-idee"
    assert progress.suggested_stage == "en_constitution"
    assert progress.trained_people == 1

    # Start.COOP modules shared out between members: all four covered -> done.
    for i, code in enumerate(
        ["start-1-membres-idee", "start-2-faisabilite", "start-3-plan-affaires"]
    ):
        _complete(world, code, person=world.persons_tc[i % 3])
    progress = cooperative_progress(actor=world.agent_tc, cooperative=coop)
    assert progress.steps[1].covered == 3 and not progress.steps[1].done
    _complete(world, "start-4-lancement", person=world.persons_tc[2])
    Cooperative.objects.filter(pk=coop.pk).update(stage="en_constitution")
    coop.refresh_from_db()
    progress = cooperative_progress(actor=world.agent_tc, cooperative=coop)
    assert progress.steps[1].done
    assert progress.suggested_stage == "immatriculee"
    assert progress.next_module.programme == "my"
    assert progress.trained_people == 3


def test_incomplete_participations_and_other_cooperatives_do_not_count(world):
    p = _complete(world, "think-coop")
    Participant.objects.filter(pk=p.pk).update(completed=False)
    _complete(world, "think-coop", person=world.persons_thies[0], cooperative=world.coop_thies)
    progress = cooperative_progress(actor=world.national, cooperative=world.coop_tc)
    assert not progress.steps[0].done


def test_progress_outside_scope_is_not_found(world):
    with pytest.raises(NotFound):
        cooperative_progress(actor=world.agent_th, cooperative=world.coop_tc)
    assert cooperative_progress(actor=world.officer, cooperative=world.coop_tc)
