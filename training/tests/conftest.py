import datetime

import pytest

from training.services import session_create
from training.tests.factories import certified_trainer, module

JUNE_2 = datetime.date(2025, 6, 2)
JUNE_4 = datetime.date(2025, 6, 4)


@pytest.fixture
def trainer(world):
    """A trainer certified for Think.COOP and the first Start.COOP module."""
    return certified_trainer("think-coop", "start-1-membres-idee", user=world.agent_tc)


@pytest.fixture
def session_tc(world, trainer):
    """A three-day Start.COOP 1 session in Koumpentoum (Tambacounda), by agent_tc."""
    return session_create(
        actor=world.agent_tc,
        module=module("start-1-membres-idee"),
        commune=world.koumpentoum,
        starts_on=JUNE_2,
        ends_on=JUNE_4,
        trainers=[trainer],
    )
