import datetime

from accounts.testing import assert_sees_exactly
from training.selectors import session_list, visit_action_list, visit_list
from training.tests.factories import ParticipantFactory, SessionFactory, VisitFactory

D = datetime.date


def test_sessions_by_area_for_agents_by_attendance_for_officers_and_members(world):
    s_tc = SessionFactory(commune=world.koumpentoum)
    s_mbour = SessionFactory(commune=world.mbour)
    s_thies = SessionFactory(commune=world.thies)
    # A Tambacounda member attends a session in Thiès.
    ParticipantFactory(session=s_thies, person=world.persons_tc[0], cooperative=world.coop_tc)
    assert_sees_exactly(session_list, world.national, [s_tc, s_mbour, s_thies])
    assert_sees_exactly(session_list, world.agent_tc, [s_tc])
    assert_sees_exactly(session_list, world.agent_th, [s_mbour, s_thies])
    assert_sees_exactly(session_list, world.agent_mbour, [s_mbour])
    assert_sees_exactly(session_list, world.officer, [s_thies])
    assert_sees_exactly(session_list, world.member, [s_thies])
    assert_sees_exactly(session_list, world.lender, [])
    assert_sees_exactly(session_list, world.nobody, [])


def test_visits_and_actions_by_cooperative_scope(world):
    v_tc = VisitFactory(cooperative=world.coop_tc)
    v_mbour = VisitFactory(cooperative=world.coop_mbour)
    v_thies = VisitFactory(cooperative=world.coop_thies)
    assert_sees_exactly(visit_list, world.national, [v_tc, v_mbour, v_thies])
    assert_sees_exactly(visit_list, world.agent_tc, [v_tc])
    assert_sees_exactly(visit_list, world.agent_th, [v_mbour, v_thies])
    assert_sees_exactly(visit_list, world.agent_mbour, [v_mbour])
    assert_sees_exactly(visit_list, world.officer, [v_tc])
    assert_sees_exactly(visit_list, world.member, [])
    assert_sees_exactly(visit_list, world.lender, [])
    assert_sees_exactly(visit_list, world.nobody, [])
    a = v_tc.actions.create(
        cooperative=world.coop_tc, description="x", owner="y", due_on=D(2025, 7, 1)
    )
    assert_sees_exactly(visit_action_list, world.agent_tc, [a])
    assert_sees_exactly(visit_action_list, world.agent_th, [])
