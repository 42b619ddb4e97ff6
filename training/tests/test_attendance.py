import datetime

import pytest

from core.errors import Forbidden, ValidationFailed
from registry.tests.factories import PersonFactory
from training.models import Attendance
from training.services import (
    attendance_record,
    attendance_sheet_record,
    cooperative_members_enrol,
    participant_enrol,
)

D = datetime.date


def test_attendance_outside_the_session_dates_is_refused(world, session_tc):
    person = world.persons_tc[0]
    participant_enrol(actor=world.agent_tc, session=session_tc, person=person)
    for day in (D(2025, 6, 1), D(2025, 6, 5)):
        with pytest.raises(ValidationFailed) as exc:
            attendance_record(
                actor=world.agent_tc, session=session_tc, person=person, day=day, present=True
            )
        assert exc.value.code == "attendance_out_of_range"
        assert exc.value.field == "day"
    for day in (D(2025, 6, 2), D(2025, 6, 4)):
        attendance_record(
            actor=world.agent_tc, session=session_tc, person=person, day=day, present=True
        )
    assert Attendance.objects.filter(participant__person=person).count() == 2


def test_completion_means_present_every_day(world, session_tc):
    person = world.persons_tc[0]
    participant = participant_enrol(actor=world.agent_tc, session=session_tc, person=person)
    assert participant.cooperative == world.coop_tc
    for day in session_tc.days[:2]:
        attendance_record(
            actor=world.agent_tc, session=session_tc, person=person, day=day, present=True
        )
    participant.refresh_from_db()
    assert not participant.completed
    attendance_record(
        actor=world.agent_tc, session=session_tc, person=person, day=D(2025, 6, 4), present=True
    )
    participant.refresh_from_db()
    assert participant.completed
    attendance_record(
        actor=world.agent_tc, session=session_tc, person=person, day=D(2025, 6, 3), present=False
    )
    participant.refresh_from_db()
    assert not participant.completed


def test_attendance_needs_enrolment(world, session_tc):
    with pytest.raises(ValidationFailed) as exc:
        attendance_record(
            actor=world.agent_tc,
            session=session_tc,
            person=world.persons_tc[1],
            day=D(2025, 6, 2),
            present=True,
        )
    assert exc.value.code == "not_enrolled"


def test_only_staff_of_the_area_record_attendance(world, session_tc):
    person = world.persons_tc[0]
    participant_enrol(actor=world.agent_tc, session=session_tc, person=person)
    for actor in (world.officer, world.agent_th, world.member):
        with pytest.raises(Forbidden):
            attendance_record(
                actor=actor, session=session_tc, person=person, day=D(2025, 6, 2), present=True
            )


def test_sheet_entry_writes_the_whole_grid_and_scores(world, session_tc):
    enrol = dict(actor=world.agent_tc, session=session_tc, cooperative=world.coop_tc)
    assert cooperative_members_enrol(**enrol) == 3
    assert cooperative_members_enrol(**enrol) == 0
    a, b, c = list(session_tc.participants.order_by("id"))
    written = attendance_sheet_record(
        actor=world.agent_tc,
        session=session_tc,
        presence={a.pk: set(session_tc.days), b.pk: {D(2025, 6, 2)}},
        scores={a.pk: 16, b.pk: None},
    )
    assert written == 9  # 3 participants x 3 days
    a.refresh_from_db(), b.refresh_from_db(), c.refresh_from_db()
    assert (a.completed, b.completed, c.completed) == (True, False, False)
    assert a.evaluation_score == 16
    assert Attendance.objects.filter(participant=c, present=False).count() == 3
    # Re-entering the same sheet changes nothing.
    assert (
        attendance_sheet_record(
            actor=world.agent_tc,
            session=session_tc,
            presence={a.pk: set(session_tc.days), b.pk: {D(2025, 6, 2)}},
        )
        == 0
    )


def test_sheet_entry_refuses_days_out_of_range_and_bad_scores(world, session_tc):
    p = participant_enrol(actor=world.agent_tc, session=session_tc, person=world.persons_tc[0])
    with pytest.raises(ValidationFailed) as exc:
        attendance_sheet_record(
            actor=world.agent_tc, session=session_tc, presence={p.pk: {D(2025, 6, 9)}}
        )
    assert exc.value.code == "attendance_out_of_range"
    with pytest.raises(ValidationFailed) as exc:
        attendance_sheet_record(
            actor=world.agent_tc, session=session_tc, presence={}, scores={p.pk: 21}
        )
    assert exc.value.code == "score_out_of_range"
    assert not Attendance.objects.exists()


def test_enrolling_a_non_member_links_no_cooperative(world, session_tc):
    outsider = PersonFactory(commune=world.koumpentoum)
    p = participant_enrol(actor=world.agent_tc, session=session_tc, person=outsider)
    assert p.cooperative is None
    with pytest.raises(ValidationFailed) as exc:
        participant_enrol(
            actor=world.agent_tc,
            session=session_tc,
            person=world.persons_tc[1],
            cooperative=world.coop_thies,
        )
    assert exc.value.code == "not_a_member"
