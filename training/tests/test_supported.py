import datetime

from training.models import Module
from training.selectors import cooperatives_supported
from training.tests.factories import ParticipantFactory, SessionFactory, VisitFactory

D = datetime.date
AS_OF = D(2026, 1, 31)
JUNE_2 = D(2025, 6, 2)


def _trained(world, coop, person, ends_on=JUNE_2, completed=True):
    session = SessionFactory(
        module=Module.objects.get(code="think-coop"),
        commune=coop.commune,
        starts_on=ends_on,
        ends_on=ends_on,
    )
    ParticipantFactory(session=session, person=person, cooperative=coop, completed=completed)


def test_supported_needs_a_completed_training_and_a_recent_visit(world):
    _trained(world, world.coop_tc, world.persons_tc[0])
    VisitFactory(cooperative=world.coop_tc, visited_on=D(2025, 12, 1))
    # Thiès: trained but last visit more than 6 months before as_of.
    _trained(world, world.coop_thies, world.persons_thies[0])
    VisitFactory(cooperative=world.coop_thies, visited_on=D(2025, 7, 1))
    # Mbour: visited recently but the training was not completed.
    _trained(world, world.coop_mbour, world.persons_mbour[0], completed=False)
    VisitFactory(cooperative=world.coop_mbour, visited_on=D(2026, 1, 10))
    assert set(cooperatives_supported(actor=world.national, as_of=AS_OF)) == {world.coop_tc}
    # As of a date before any visit, nobody was supported yet.
    assert not cooperatives_supported(actor=world.national, as_of=D(2025, 6, 30)).exists()
    # Scoped.
    assert not cooperatives_supported(actor=world.agent_th, as_of=AS_OF).exists()


def test_rule_is_configurable(world, settings):
    _trained(world, world.coop_thies, world.persons_thies[0])
    VisitFactory(cooperative=world.coop_thies, visited_on=D(2025, 7, 1))
    assert not cooperatives_supported(actor=world.national, as_of=AS_OF).exists()
    settings.SUNUCOOP = {**settings.SUNUCOOP, "SUPPORTED_VISIT_WINDOW_DAYS": 365}
    assert set(cooperatives_supported(actor=world.national, as_of=AS_OF)) == {world.coop_thies}
    settings.SUNUCOOP = {**settings.SUNUCOOP, "SUPPORTED_MIN_COMPLETED_TRAININGS": 2}
    assert not cooperatives_supported(actor=world.national, as_of=AS_OF).exists()


def test_training_after_as_of_does_not_count(world):
    _trained(world, world.coop_tc, world.persons_tc[0], ends_on=D(2026, 2, 5))
    VisitFactory(cooperative=world.coop_tc, visited_on=D(2026, 1, 5))
    assert not cooperatives_supported(actor=world.national, as_of=AS_OF).exists()
    assert cooperatives_supported(actor=world.national, as_of=D(2026, 2, 5)).exists()
