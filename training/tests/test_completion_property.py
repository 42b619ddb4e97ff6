"""Property: whatever the order and repetitions of attendance marks, a participant is
``completed`` exactly when their last mark for every day of the session is "present"."""

import datetime

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from training.models import Participant
from training.services import attendance_record, participant_enrol

START = datetime.date(2025, 6, 2)
DAYS = 3  # the session_tc fixture: 02/06 to 04/06

marks = st.lists(st.tuples(st.integers(0, DAYS - 1), st.booleans()), max_size=10)


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(marks=marks)
def test_completed_iff_last_mark_of_every_day_is_present(world, session_tc, marks):
    person = world.persons_tc[0]
    participant = Participant.objects.filter(session=session_tc, person=person).first()
    if participant is None:
        participant = participant_enrol(actor=world.agent_tc, session=session_tc, person=person)
    participant.attendances.all().delete()
    Participant.objects.filter(pk=participant.pk).update(completed=False)
    last = {}
    for offset, present in marks:
        day = START + datetime.timedelta(days=offset)
        attendance_record(
            actor=world.agent_tc, session=session_tc, person=person, day=day, present=present
        )
        last[offset] = present
    participant.refresh_from_db()
    expected = len(last) == DAYS and all(last.values())
    assert participant.completed == expected
