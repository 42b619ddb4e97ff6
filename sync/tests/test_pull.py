"""The pull: scoped from the first download, then only changes, with deletions."""

import datetime

import pytest

from accounts.models import RoleAssignment
from accounts.services import role_assign
from core.errors import ValidationFailed
from geo.models import Area
from registry import services as registry_services
from sync.services import snapshot_take
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
