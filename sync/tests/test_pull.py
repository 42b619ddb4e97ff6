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
    department's data is at the next day's pull."""
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
# to it is a change to the pull's cost, to be looked at (and docs/offline.md updated).
PULL_OF_CHANGES_QUERIES = 23


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
