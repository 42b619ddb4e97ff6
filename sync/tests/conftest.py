import datetime
import uuid

import pytest

from credit.tests.factories import active_loan, lender_staff, product
from training.services import participant_enrol, session_create
from training.tests.factories import certified_trainer, module

TODAY = datetime.date(2026, 3, 2)


@pytest.fixture
def today():
    return TODAY


def new_uuid() -> str:
    return str(uuid.uuid4())


@pytest.fixture
def field(world):
    """The Koumpentoum side ready for the field: a session this week with the
    cooperative's members enrolled, and an active loan to the cooperative."""
    trainer = certified_trainer("think-coop", "start-1-membres-idee", user=world.agent_tc)
    session = session_create(
        actor=world.agent_tc,
        module=module("start-1-membres-idee"),
        commune=world.koumpentoum,
        starts_on=datetime.date(2026, 3, 2),
        ends_on=datetime.date(2026, 3, 3),
        trainers=[trainer],
    )
    for p in world.persons_tc:
        participant_enrol(actor=world.agent_tc, session=session, person=p)
    checker = lender_staff(world.lender_obj, "sync-checker")
    prod = product(world.lender, world.lender_obj)
    loan = active_loan(
        maker=world.lender, checker=checker, product=prod, borrower_cooperative=world.coop_tc
    )
    return {"session": session, "loan": loan}
