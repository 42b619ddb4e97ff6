"""The pull: scoped from the first download, then only changes, with deletions."""

import datetime

import pytest

from accounts.models import RoleAssignment
from accounts.services import role_assign
from core.errors import ValidationFailed
from geo.models import Area
from registry import services as registry_services
from sync.services import CHANGES_MARGIN, snapshot_take
from sync.tests.conftest import TODAY


def pull(user, since=None):
    user = type(user).objects.get(pk=user.pk)  # a fresh scope, as each request has
    return snapshot_take(actor=user, since=since, today=TODAY)


def ids(answer, kind):
    return {r["id"] for r in answer["records"] if r["kind"] == kind}


def test_first_pull_holds_exactly_the_agents_area(world, field):
    answer = pull(world.agent_tc)
    assert ids(answer, "cooperative") == {world.coop_tc.pk}
    assert ids(answer, "person") == {p.pk for p in world.persons_tc}
    assert ids(answer, "session") == {field["session"].pk}
    assert ids(answer, "loan") == {field["loan"].pk}
    assert answer["deleted"] == []
    coop = next(r for r in answer["records"] if r["kind"] == "cooperative")
    assert coop["data"]["commune"] == "SN-TC-KPT-01"
    assert coop["data"]["commune_name"] == "Koumpentoum"  # the field app's price form
    assert coop["data"]["region"] == "SN-TC"
    assert coop["data"]["member_count"] == 3
    session = next(r for r in answer["records"] if r["kind"] == "session")
    assert session["data"]["days"] == ["2026-03-02", "2026-03-03"]
    assert {p["person"] for p in session["data"]["participants"]} == ids(answer, "person")
    loan = next(r for r in answer["records"] if r["kind"] == "loan")
    assert loan["data"]["next_instalments"][0]["number"] == 1
    assert loan["data"]["next_instalments"][0]["remaining"] > 0


def test_other_roles_get_their_own_scope(world, field):
    mbour = pull(world.agent_mbour)
    assert ids(mbour, "cooperative") == {world.coop_mbour.pk}
    assert ids(mbour, "loan") == set()
    officer = pull(world.officer)
    assert ids(officer, "cooperative") == {world.coop_tc.pk}
    assert ids(officer, "person") == {p.pk for p in world.persons_tc}
    assert pull(world.nobody)["records"] == []
    national = pull(world.national)
    assert ids(national, "cooperative") == {
        world.coop_tc.pk,
        world.coop_mbour.pk,
        world.coop_thies.pk,
    }


def test_next_pull_sends_only_what_changed(world, field):
    first = pull(world.agent_tc)
    assert pull(world.agent_tc, first["cursor"])["records"] == []
    person = world.persons_tc[1]
    second = pull(world.agent_tc, first["cursor"])
    registry_services.person_update(actor=world.agent_tc, person=person, phone="771234567")
    third = pull(world.agent_tc, second["cursor"])
    assert [(r["kind"], r["id"]) for r in third["records"]] == [("person", person.pk)]
    assert third["records"][0]["data"]["phone"] == "+221771234567"
    old = next(r for r in first["records"] if r["kind"] == "person" and r["id"] == person.pk)
    assert third["records"][0]["version"] != old["version"]
    assert third["deleted"] == []


def test_a_member_who_leaves_is_deleted_from_the_device(world, field):
    first = pull(world.agent_tc)
    membership = world.persons_tc[2].memberships.get()
    registry_services.member_leave(
        actor=world.agent_tc, membership=membership, left_on=datetime.date(2026, 2, 1)
    )
    after = pull(world.agent_tc, first["cursor"])
    assert {"kind": "membership", "id": membership.pk} in after["deleted"]


def test_a_shrunk_scope_deletes_what_is_no_longer_visible(world, field):
    first = pull(world.agent_tc)
    assert ids(first, "cooperative") == {world.coop_tc.pk}
    RoleAssignment.objects.filter(user=world.agent_tc).delete()
    role_assign(user=world.agent_tc, role="agent", area=Area.objects.get(code="SN-TH-MBO"))
    after = pull(world.agent_tc, first["cursor"])
    deleted = {(d["kind"], d["id"]) for d in after["deleted"]}
    assert ("cooperative", world.coop_tc.pk) in deleted
    assert {("person", p.pk) for p in world.persons_tc} <= deleted
    assert ("loan", field["loan"].pk) in deleted
    assert ("session", field["session"].pk) in deleted
    assert ids(after, "cooperative") == {world.coop_mbour.pk}


def test_a_cursor_of_another_user_or_unknown_is_refused(world, field):
    first = pull(world.agent_tc)
    with pytest.raises(ValidationFailed) as err:
        pull(world.agent_mbour, first["cursor"])
    assert err.value.code == "invalid_cursor"
    with pytest.raises(ValidationFailed):
        pull(world.agent_tc, "nope")


def test_changes_made_elsewhere_reach_the_next_pull(world, field):
    """Changes by another user and through another path: a person edited by the national
    role, a person of another area who joins a cooperative of the agent's area (seen now
    through that membership), a member who leaves a cooperative (the membership goes)."""
    first = pull(world.agent_tc)
    edited = world.persons_tc[0]
    registry_services.person_update(actor=world.national, person=edited, phone="776543210")
    newcomer = world.persons_mbour[0]
    joined = registry_services.member_admit(
        actor=world.national,
        cooperative=world.coop_tc,
        person=newcomer,
        joined_on=datetime.date(2026, 2, 20),
    )
    after = pull(world.agent_tc, first["cursor"])
    sent = {(r["kind"], r["id"]) for r in after["records"]}
    assert ("person", edited.pk) in sent
    assert ("person", newcomer.pk) in sent
    assert ("membership", joined.pk) in sent
    assert ("person", world.persons_tc[1].pk) not in sent
    cooperative = next(r for r in after["records"] if r["kind"] == "cooperative")
    assert cooperative["data"]["member_count"] == 4
    registry_services.member_leave(
        actor=world.national, membership=joined, left_on=datetime.date(2026, 3, 1)
    )
    last = pull(world.agent_tc, after["cursor"])
    assert last["deleted"] == [{"kind": "membership", "id": joined.pk}]
    # the device, kept by the changes only, holds what a full pull would give it
    device = held(first)
    for answer in (after, last):
        device = held(answer, device)
    assert device == held(pull(world.agent_tc))


def held(answer, device=None) -> dict:
    """What a device holds after applying ``answer`` to ``device``."""
    device = dict(device or {})
    for r in answer["records"]:
        device[(r["kind"], r["id"])] = r["version"]
    for d in answer["deleted"]:
        device.pop((d["kind"], d["id"]))
    return device


def _age_history() -> None:
    """Every history row made so far dated before the last pull (and its margin), as a
    department's data is at the next day's pull (only a cursor without marks looks at the
    dates; with marks, the rows are below the first pull's marks whatever their dates)."""
    from django.utils import timezone

    from geo.models import Area
    from registry.models import Cooperative, Membership, Person
    from sync.models import PullCursor

    pulled = timezone.now() - datetime.timedelta(days=1)
    before = pulled - CHANGES_MARGIN - datetime.timedelta(minutes=1)
    Person.history.update(history_date=before)
    for model in (Membership, Cooperative, Area):
        model.history.update(history_date=before)
    PullCursor.objects.update(created_at=pulled)


def test_a_pull_of_changes_computes_only_what_changed(world, field, monkeypatch):
    """The pull of changes reads the visible ids (one id-only query a kind), and the data
    of only the records whose history moved: its query count does not grow with the
    department (the same with 3 members and with 43), and one changed person is the one
    person computed (bench: docs/benchmarks.md, "Offline sync")."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from registry.tests.factories import MembershipFactory, PersonFactory
    from sync import pull as pull_module

    computed = []
    original = pull_module.person_data
    monkeypatch.setattr(
        pull_module, "person_data", lambda row: computed.append(row["id"]) or original(row)
    )

    def changes_after_one_edit(person) -> tuple[int, dict]:
        first = pull(world.agent_tc)
        _age_history()
        registry_services.person_update(actor=world.agent_tc, person=person, phone="770000001")
        computed.clear()
        with CaptureQueriesContext(connection) as queries:
            answer = pull(world.agent_tc, first["cursor"])
        return len(queries), answer

    small_count, small = changes_after_one_edit(world.persons_tc[0])
    assert [(r["kind"], r["id"]) for r in small["records"]] == [("person", world.persons_tc[0].pk)]
    assert computed == [world.persons_tc[0].pk]
    for _i in range(40):
        MembershipFactory(
            cooperative=world.coop_tc, person=PersonFactory(commune=world.koumpentoum)
        )
    big_count, big = changes_after_one_edit(world.persons_tc[1])
    assert computed == [world.persons_tc[1].pk]
    assert [(r["kind"], r["id"]) for r in big["records"]] == [("person", world.persons_tc[1].pk)]
    assert big_count == small_count
    assert small_count == PULL_OF_CHANGES_QUERIES


# The pinned query count of a pull of changes (an agent with sessions and a loan): a change
# to it is a change to the pull's cost, to be looked at (and docs/offline.md updated). The
# same with the history marks as with the hour's window: one query per history table
# (11 of them); the edited person is a participant: their session is computed again.
# Loans by change (30): their history, the nightly job's last run, the edited person's
# loans looked for, instead of the two queries that computed every loan.
PULL_OF_CHANGES_QUERIES = 30


def test_a_cooperative_moved_out_of_the_area_leaves_the_device(world, field):
    """Scope shrinks from the record's side (the user's roles unchanged): the cooperative
    moves to Mbour; its memberships go with it; its members stay, seen by their commune."""
    first = pull(world.agent_tc)
    _age_history()
    registry_services.cooperative_update(
        actor=world.national, cooperative=world.coop_tc, commune=world.mbour
    )
    after = pull(world.agent_tc, first["cursor"])
    deleted = {(d["kind"], d["id"]) for d in after["deleted"]}
    memberships = {("membership", m.pk) for m in world.coop_tc.memberships.all()}
    assert deleted == {("cooperative", world.coop_tc.pk)} | memberships
    assert held(after, held(first)) == held(pull(world.agent_tc))


# --- what a pull of changes reads of the history: its marks (sync/marks.py) -------------


def _computed_persons(monkeypatch) -> list[int]:
    """The ids whose person data the pulls compute from now on (spied)."""
    from sync import pull as pull_module

    computed = []
    original = pull_module.person_data
    monkeypatch.setattr(
        pull_module, "person_data", lambda row: computed.append(row["id"]) or original(row)
    )
    return computed


def _cursor_held(cursor: str):
    from sync.models import PullCursor
    from sync.services import cursor_held

    row = PullCursor.objects.get(token=cursor)
    return row, cursor_held(row)


def _in_flight(world, person, phone: str) -> dict:
    """``person``'s phone changed through the service, then taken back as if its
    transaction had not committed yet: its history row removed (its id kept for later) and
    its row as before. :func:`_committed` makes it appear."""
    from registry.models import Person

    before = Person.objects.filter(pk=person.pk).values_list("phone", flat=True).get()
    registry_services.person_update(actor=world.national, person=person, phone=phone)
    row = Person.history.filter(id=person.pk).order_by("-history_id").values().first()
    Person.history.filter(history_id=row["history_id"]).delete()
    changed = Person.objects.filter(pk=person.pk).values_list("phone", flat=True).get()
    Person.objects.filter(pk=person.pk).update(phone=before)
    return {"history": row, "phone": changed}


def _committed(person, change: dict) -> None:
    from registry.models import Person

    Person.objects.filter(pk=person.pk).update(phone=change["phone"])
    Person.history.model(**change["history"]).save(force_insert=True)


def test_a_change_committed_after_the_pull_read_its_mark_reaches_the_next_pull(world, field):
    """A transaction in flight during a pull: its history row took an id below the mark
    that pull read (a later write's row was visible), but appears only afterwards, dated
    40 minutes earlier (its transaction began then). The next pull still sends it."""
    from django.utils import timezone

    late, other = world.persons_tc[0], world.persons_tc[1]
    first = pull(world.agent_tc)
    change = _in_flight(world, late, "770000011")
    registry_services.person_update(actor=world.national, person=other, phone="770000012")
    second = pull(world.agent_tc, first["cursor"])
    assert [(r["kind"], r["id"]) for r in second["records"]] == [("person", other.pk)]
    _row, held = _cursor_held(second["cursor"])
    hidden = change["history"]["history_id"]
    assert held.marks["person"].at > hidden
    assert any(low <= hidden <= high for low, high, _t in held.marks["person"].gaps)
    change["history"]["history_date"] = timezone.now() - datetime.timedelta(minutes=40)
    _committed(late, change)
    third = pull(world.agent_tc, second["cursor"])
    assert [(r["kind"], r["id"]) for r in third["records"]] == [("person", late.pk)]
    assert third["records"][0]["data"]["phone"] == "+221770000011"
    _row, held = _cursor_held(third["cursor"])
    assert not any(low <= hidden <= high for low, high, _t in held.marks["person"].gaps)
    assert pull(world.agent_tc, third["cursor"])["records"] == []


def test_a_change_in_flight_during_a_whole_pull_reaches_the_next_pull(world, field):
    """The first (whole) pull has no mark to start from: the ids missing among the recent
    history are its gaps."""
    late, other = world.persons_tc[0], world.persons_tc[1]
    change = _in_flight(world, late, "770000021")
    registry_services.person_update(actor=world.national, person=other, phone="770000022")
    first = pull(world.agent_tc)
    sent = next(r for r in first["records"] if r["kind"] == "person" and r["id"] == late.pk)
    assert sent["data"]["phone"] != "+221770000021"
    _committed(late, change)
    after = pull(world.agent_tc, first["cursor"])
    assert [(r["kind"], r["id"]) for r in after["records"]] == [("person", late.pk)]


def test_a_change_seen_by_a_pull_is_not_examined_again(world, field, monkeypatch):
    """A person changed 10 minutes before the last pull, and not since, is not computed
    again by the next one (the time window of one hour did: every pull re-examined every
    change of the last hour, the soak's drift)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from registry.models import Person

    computed = _computed_persons(monkeypatch)
    person = world.persons_tc[0]
    first = pull(world.agent_tc)
    _age_history()
    registry_services.person_update(actor=world.agent_tc, person=person, phone="770000031")
    Person.history.filter(id=person.pk, history_date__gt=timezone.now() - CHANGES_MARGIN).update(
        history_date=timezone.now() - datetime.timedelta(minutes=10)
    )
    computed.clear()
    second = pull(world.agent_tc, first["cursor"])
    assert [(r["kind"], r["id"]) for r in second["records"]] == [("person", person.pk)]
    assert computed == [person.pk]
    computed.clear()
    with CaptureQueriesContext(connection) as queries:
        third = pull(world.agent_tc, second["cursor"])
    assert third["records"] == [] and third["deleted"] == []
    assert computed == []
    assert len(queries) == PULL_OF_NOTHING_QUERIES


# A pull of changes when nothing changed since its cursor (the user read, the test's
# savepoint and its release counted): the cursor, one query per history table, the kinds
# computed whole, the new cursor; no candidate's scope or data (sessions and visits by
# change since the marks of their history tables: 6 more tables read, 4 fewer queries;
# loans by change: their history and the nightly job's last run read, 2 fewer queries).
PULL_OF_NOTHING_QUERIES = 23


def test_a_cursor_stored_before_the_marks_looks_by_time_once(world, field, monkeypatch):
    """A cursor of the former header (no marks) is still accepted: changes are looked for
    from an hour before it was stored, and the new cursor keeps marks, so the pull after
    reads only what changed since."""
    from sync.models import PullCursor
    from sync.pull import HISTORIES

    computed = _computed_persons(monkeypatch)
    person = world.persons_tc[2]
    first = pull(world.agent_tc)
    _age_history()
    row, held = _cursor_held(first["cursor"])
    held.marks = None
    PullCursor.objects.filter(pk=row.pk).update(versions=held.pack(), base=None)
    assert _cursor_held(first["cursor"])[1].marks is None
    registry_services.person_update(actor=world.agent_tc, person=person, phone="770000041")
    after = pull(world.agent_tc, first["cursor"])
    assert [(r["kind"], r["id"]) for r in after["records"]] == [("person", person.pk)]
    assert set(_cursor_held(after["cursor"])[1].marks) == set(HISTORIES)
    computed.clear()
    assert pull(world.agent_tc, after["cursor"])["records"] == []
    assert computed == []


def test_a_gap_not_filled_within_the_margin_is_no_longer_waited_for(world, field):
    """A history id missing for longer than ``CHANGES_MARGIN`` (a rolled-back insert, or a
    transaction longer than that) leaves the cursor; a row that would fill it later is not
    read (the same assumption as the hour's window: no transaction lasts longer)."""
    from sync.marks import Mark
    from sync.models import PullCursor

    late, other = world.persons_tc[0], world.persons_tc[1]
    first = pull(world.agent_tc)
    change = _in_flight(world, late, "770000051")
    registry_services.person_update(actor=world.national, person=other, phone="770000052")
    second = pull(world.agent_tc, first["cursor"])
    row, held = _cursor_held(second["cursor"])
    hidden = change["history"]["history_id"]
    mark = held.marks["person"]
    too_old = int(second_ago(CHANGES_MARGIN + datetime.timedelta(minutes=1)).timestamp())
    held.marks["person"] = Mark(mark.at, [[low, high, too_old] for low, high, _t in mark.gaps])
    PullCursor.objects.filter(pk=row.pk).update(versions=held.pack(), base=None)
    third = pull(world.agent_tc, second["cursor"])
    assert third["records"] == []
    assert _cursor_held(third["cursor"])[1].marks["person"].gaps == []
    _committed(late, change)
    assert pull(world.agent_tc, third["cursor"])["records"] == []
    assert hidden < _cursor_held(third["cursor"])[1].marks["person"].at


def second_ago(delta: datetime.timedelta) -> datetime.datetime:
    from django.utils import timezone

    return timezone.now() - delta


def test_a_map_change_makes_one_whole_pull_per_device(world, field, monkeypatch):
    """An area created after a cursor makes the next pull a whole one (compared with the
    cursor), once: the pull after it reads the area's history above its mark and is a pull
    of changes again (with the hour's window, every pull of every device in the country
    was a whole one for an hour after the map moved)."""
    from geo.services import area_create
    from sync import services as sync_services

    whole = []
    original = sync_services.records_for
    monkeypatch.setattr(
        sync_services,
        "records_for",
        lambda actor, **kw: whole.append(actor.pk) or original(actor, **kw),
    )
    first = pull(world.agent_tc)
    _age_history()
    area_create(
        code="SN-TC-KPT-09",
        name="Commune nouvelle",
        level="commune",
        parent=Area.objects.get(code="SN-TC-KPT"),
    )
    whole.clear()
    after = pull(world.agent_tc, first["cursor"])
    assert whole == [world.agent_tc.pk] and after["records"] == [] and after["deleted"] == []
    whole.clear()
    assert pull(world.agent_tc, after["cursor"])["records"] == []
    assert whole == []


def test_a_transaction_in_flight_during_a_pull_is_read_by_the_next_one(
    transactional_db, world, field
):
    """The same as the late commit above, for real on PostgreSQL: a person's change whose
    transaction (another connection) took its history id and has not committed while a
    later change is committed and pulled; it commits after that pull, which did not see
    it, and the next pull sends it. (SQLite has one writer: no transaction is in flight
    while another commits, so this cannot happen there.)"""
    import threading

    from django.db import connection, transaction

    if connection.vendor != "postgresql":
        pytest.skip("one writer at a time on SQLite")
    late, other = world.persons_tc[0], world.persons_tc[1]
    first = pull(world.agent_tc)
    written, release, failed = threading.Event(), threading.Event(), []

    def in_flight():
        try:
            with transaction.atomic():
                registry_services.person_update(
                    actor=world.national, person=late, phone="770000061"
                )
                written.set()
                release.wait(30)
        except Exception as exc:  # reported by the test's thread
            failed.append(exc)
            written.set()
        finally:
            connection.close()

    thread = threading.Thread(target=in_flight)
    thread.start()
    assert written.wait(30) and not failed
    registry_services.person_update(actor=world.national, person=other, phone="770000062")
    second = pull(world.agent_tc, first["cursor"])
    assert [(r["kind"], r["id"]) for r in second["records"]] == [("person", other.pk)]
    release.set()
    thread.join(30)
    assert not failed
    third = pull(world.agent_tc, second["cursor"])
    assert [(r["kind"], r["id"]) for r in third["records"]] == [("person", late.pk)]
    assert third["records"][0]["data"]["phone"] == "+221770000061"
