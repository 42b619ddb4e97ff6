"""Sessions (with attendance) and visits pulled by what changed, and whole at the first
pull of a day: what leaves their window by the date alone (docs/offline.md)."""

import datetime

import pytest

from registry import services as registry_services
from sync import pull as pull_module
from sync.models import PullCursor
from sync.pull import SESSION_PAST_DAYS, VISIT_RECENT_DAYS
from sync.services import snapshot_take
from sync.tests.conftest import TODAY
from sync.tests.test_pull import held
from training import services as training_services
from training.models import VisitAction


def pull(user, since=None, today=TODAY):
    user = type(user).objects.get(pk=user.pk)
    return snapshot_take(actor=user, since=since, today=today)


def sent(answer, kind):
    return {r["id"] for r in answer["records"] if r["kind"] == kind}


@pytest.fixture
def spy(monkeypatch):
    """Per dated kind, what each pull handed its computation: ``None`` (whole) or the ids."""
    calls = {"session": [], "visit": []}
    for kind in calls:
        rows = pull_module.KINDS[kind]

        def counted(actor, today, only=None, kind=kind, rows=rows):
            calls[kind].append(None if only is None else set(only))
            return rows(actor, today, only=only)

        monkeypatch.setitem(pull_module.KINDS, kind, counted)
    return calls


def _visit(world, visited_on, *, action=False):
    actions = [{"description": "Tenir le registre", "owner": "Président", "due_on": visited_on}]
    return training_services.visit_record(
        actor=world.agent_tc,
        cooperative=world.coop_tc,
        visited_on=visited_on,
        purpose="Suivi",
        actions=actions if action else None,
    )


def test_changed_sessions_and_visits_are_sent_and_the_others_not_computed(world, field, spy):
    session = field["session"]
    visit = _visit(world, TODAY, action=True)
    first = pull(world.agent_tc)
    assert sent(first, "visit") == {visit.pk}
    spy["session"].clear(), spy["visit"].clear()
    quiet = pull(world.agent_tc, first["cursor"])
    assert quiet["records"] == [] and quiet["deleted"] == []
    assert spy == {"session": [set()], "visit": [set()]}  # nothing computed
    # an attendance taken, an action done, a new visit
    training_services.attendance_record(
        actor=world.agent_tc, session=session, person=world.persons_tc[0], day=TODAY, present=True
    )
    action = VisitAction.objects.get(visit=visit)
    training_services.visit_action_complete(actor=world.agent_tc, action=action, done_on=TODAY)
    other = _visit(world, TODAY - datetime.timedelta(days=3))
    after = pull(world.agent_tc, quiet["cursor"])
    assert sent(after, "session") == {session.pk}
    assert sent(after, "visit") == {visit.pk, other.pk}
    record = next(r for r in after["records"] if r["kind"] == "session")
    assert record["data"]["attendance"][0]["present"] is True
    record = next(r for r in after["records"] if r["id"] == visit.pk and r["kind"] == "visit")
    assert record["data"]["actions"][0]["done_on"] == TODAY.isoformat()
    assert spy["session"][-1] == {session.pk}
    assert spy["visit"][-1] == {visit.pk, other.pk}
    device = held(after, held(quiet, held(first)))
    assert device == held(pull(world.agent_tc))


def test_a_visit_deleted_or_out_of_sight_leaves_the_device(world, field):
    """Deleted, or its cooperative moved out of the area (the visit's row unchanged)."""
    visit = _visit(world, TODAY)
    moved = _visit(world, TODAY)
    first = pull(world.agent_tc)
    assert sent(first, "visit") == {visit.pk, moved.pk}
    gone = visit.pk
    visit.delete()
    registry_services.cooperative_update(
        actor=world.national, cooperative=world.coop_tc, commune=world.mbour
    )
    after = pull(world.agent_tc, first["cursor"])
    deleted = {(d["kind"], d["id"]) for d in after["deleted"]}
    assert {("visit", gone), ("visit", moved.pk)} <= deleted


def test_what_leaves_its_window_by_the_date_goes_at_the_first_pull_of_the_next_day(
    world, field, spy
):
    """A visit 90 days old with no open action, a session ended 14 days ago: still in
    their window today, out of it tomorrow, with no write at all."""
    old_visit = _visit(world, TODAY - datetime.timedelta(days=VISIT_RECENT_DAYS))
    kept = _visit(world, TODAY - datetime.timedelta(days=VISIT_RECENT_DAYS), action=True)
    session = field["session"]
    ended = session.ends_on + datetime.timedelta(days=SESSION_PAST_DAYS)
    first = pull(world.agent_tc, today=ended)
    assert sent(first, "session") == {session.pk}
    ended_visit = ended - TODAY  # the visits' window, seen from ``ended``
    old_visit.visited_on += ended_visit
    old_visit.save()
    kept.visited_on += ended_visit
    kept.save()
    again = pull(world.agent_tc, first["cursor"], today=ended)
    assert again["deleted"] == []
    spy["session"].clear(), spy["visit"].clear()
    quiet = pull(world.agent_tc, again["cursor"], today=ended)  # same day: by change
    assert quiet["records"] == [] and quiet["deleted"] == []
    assert spy == {"session": [set()], "visit": [set()]}
    nextday = pull(world.agent_tc, quiet["cursor"], today=ended + datetime.timedelta(days=1))
    assert spy["session"][-1] is None and spy["visit"][-1] is None  # whole
    deleted = {(d["kind"], d["id"]) for d in nextday["deleted"]}
    assert deleted == {("session", session.pk), ("visit", old_visit.pk)}
    assert ("visit", kept.pk) not in deleted  # its action is open
    later = pull(world.agent_tc, nextday["cursor"], today=ended + datetime.timedelta(days=1))
    assert spy["session"][-1] == set() and spy["visit"][-1] == set()  # by change again
    assert later["records"] == [] and later["deleted"] == []


def test_a_cursor_stored_before_the_day_computes_the_dated_kinds_whole_once(world, field, spy):
    from sync.services import cursor_held

    first = pull(world.agent_tc)
    row = PullCursor.objects.get(token=first["cursor"])
    old = cursor_held(row)
    assert old.day == TODAY
    old.day = None
    row.versions, row.base = old.pack(), None
    row.save()
    spy["session"].clear(), spy["visit"].clear()
    after = pull(world.agent_tc, first["cursor"])
    assert after["records"] == [] and after["deleted"] == []
    assert spy == {"session": [None], "visit": [None]}
    pull(world.agent_tc, after["cursor"])
    assert spy["session"][-1] == set() and spy["visit"][-1] == set()


def test_a_participant_renamed_or_a_module_retitled_sends_the_session(world, field):
    """What a session's data holds from other rows: its participants' names, its title."""
    session = field["session"]
    first = pull(world.agent_tc)
    person = world.persons_tc[0]
    registry_services.person_update(actor=world.national, person=person, first_name="Ndèye Coumba")
    after = pull(world.agent_tc, first["cursor"])
    record = next(r for r in after["records"] if r["kind"] == "session")
    assert {"person": person.pk, "name": f"Ndèye Coumba {person.last_name}"} in record["data"][
        "participants"
    ]
    module = session.module
    module.title = "Module renommé"
    module.save()
    last = pull(world.agent_tc, after["cursor"])
    assert [(r["kind"], r["data"]["module"]) for r in last["records"]] == [
        ("session", "Module renommé")
    ]
    assert held(last, held(after, held(first))) == held(pull(world.agent_tc))
