import datetime

import pytest
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from capital.services import statutes_update
from core.errors import Conflict, ValidationFailed
from governance.models import AssemblyStatus
from governance.selectors import assembly_results
from governance.services import (
    assembly_close,
    assembly_convene,
    attendance_record,
    attendance_remove,
    resolution_add,
    resolution_vote,
)
from governance.tests.factories import held_assembly
from governance.voting import majority_met, quorum_met
from registry.tests.factories import MembershipFactory, PersonFactory

TODAY = timezone.localdate()


@pytest.fixture
def coop(world):
    """Koumpentoum with 10 active members (3 from the world + 7)."""
    for _ in range(7):
        MembershipFactory(
            cooperative=world.coop_tc, person=PersonFactory(commune=world.koumpentoum)
        )
    return world.coop_tc


def members(coop):
    return [m.person for m in coop.memberships.select_related("person").order_by("id")]


def test_notice_under_15_days_is_refused(world, coop):
    held_on = TODAY + datetime.timedelta(days=14)
    kwargs = dict(cooperative=coop, actor=world.officer, kind="ordinaire", agenda="Comptes")
    with pytest.raises(Conflict) as e:
        assembly_convene(held_on=held_on, notice_sent_on=TODAY, **kwargs)
    assert (e.value.code, e.value.field) == ("notice_too_short", "notice_sent_on")
    a = assembly_convene(
        held_on=held_on + datetime.timedelta(days=1), notice_sent_on=TODAY, **kwargs
    )
    assert a.status == AssemblyStatus.CONVENED


def test_agenda_is_required_and_notice_not_in_the_future(world, coop):
    held_on = TODAY + datetime.timedelta(days=30)
    kwargs = dict(cooperative=coop, actor=world.officer, kind="ordinaire", held_on=held_on)
    with pytest.raises(ValidationFailed) as e:
        assembly_convene(notice_sent_on=TODAY, agenda="  ", **kwargs)
    assert e.value.code == "agenda_required"
    with pytest.raises(ValidationFailed) as e:
        assembly_convene(notice_sent_on=TODAY + datetime.timedelta(days=1), agenda="x", **kwargs)
    assert e.value.code == "date_out_of_range"


def test_api_notice_rule_409_and_201(world, coop, api_client):
    url = f"/api/v1/cooperatives/{coop.pk}/assemblies"
    body = {
        "kind": "ordinaire",
        "held_on": str(TODAY + datetime.timedelta(days=10)),
        "notice_sent_on": str(TODAY),
        "agenda": "1. Comptes 2025",
    }
    client = api_client(world.officer)
    r = client.post(url, body, content_type="application/json")
    assert r.status_code == 409
    assert r.json()["code"] == "notice_too_short"
    body["held_on"] = str(TODAY + datetime.timedelta(days=15))
    r = client.post(url, body, content_type="application/json")
    assert r.status_code == 201
    assert {"id", "kind", "held_on", "notice_sent_on", "agenda"} <= set(r.json())
    listing = client.get(url).json()
    assert listing["count"] == 1 and listing["items"][0]["kind"] == "ordinaire"


def test_api_assemblies_scoping(world, coop, api_client):
    held_assembly(cooperative=coop, actor=world.officer)
    url = f"/api/v1/cooperatives/{coop.pk}/assemblies"
    body = {
        "kind": "extraordinaire",
        "held_on": str(TODAY + datetime.timedelta(days=20)),
        "notice_sent_on": str(TODAY),
        "agenda": "Modification des statuts",
    }
    assert api_client(world.agent_tc).get(url).json()["count"] == 1
    assert api_client(world.national).get(url).json()["count"] == 1
    assert api_client(world.member).get(url).json()["count"] == 1
    assert api_client(world.agent_th).get(url).status_code == 404
    assert api_client(world.lender).get(url).status_code == 404
    assert api_client(world.nobody).get(url).status_code == 404
    assert (
        api_client(world.member).post(url, body, content_type="application/json").status_code == 403
    )
    assert (
        api_client(world.agent_th).post(url, body, content_type="application/json").status_code
        == 404
    )
    assert (
        api_client(world.agent_tc).post(url, body, content_type="application/json").status_code
        == 201
    )
    other = f"/api/v1/cooperatives/{world.coop_thies.pk}/assemblies"
    assert (
        api_client(world.officer).post(other, body, content_type="application/json").status_code
        == 404
    )


def test_proxies_over_the_limit_are_refused(world, coop):
    a = held_assembly(cooperative=coop, actor=world.officer)
    p = members(coop)
    attendance_record(assembly=a, person=p[0], actor=world.officer)
    attendance_record(assembly=a, person=p[1], proxy_holder=p[0], actor=world.officer)
    with pytest.raises(Conflict) as e:
        attendance_record(assembly=a, person=p[2], proxy_holder=p[0], actor=world.officer)
    assert (e.value.code, e.value.field) == ("proxy_limit", "proxy_holder")
    statutes_update(cooperative=coop, max_proxies_per_holder=2, actor=world.officer)
    attendance_record(assembly=a, person=p[2], proxy_holder=p[0], actor=world.officer)
    assert a.attendances.filter(proxy_holder=p[0]).count() == 2


def test_proxy_holder_must_be_present_and_a_member(world, coop):
    a = held_assembly(cooperative=coop, actor=world.officer)
    p = members(coop)
    with pytest.raises(Conflict) as e:
        attendance_record(assembly=a, person=p[1], proxy_holder=p[0], actor=world.officer)
    assert e.value.code == "proxy_holder_absent"
    with pytest.raises(Conflict) as e:
        attendance_record(assembly=a, person=world.persons_thies[0], actor=world.officer)
    assert e.value.code == "not_member"
    attendance_record(assembly=a, person=p[0], actor=world.officer)
    with pytest.raises(Conflict) as e:
        attendance_record(assembly=a, person=p[0], actor=world.officer)
    assert e.value.code == "already_recorded"


def test_attendance_only_once_the_assembly_is_held(world, coop):
    a = assembly_convene(
        cooperative=coop,
        actor=world.officer,
        kind="ordinaire",
        held_on=TODAY + datetime.timedelta(days=15),
        notice_sent_on=TODAY,
        agenda="Comptes",
    )
    with pytest.raises(Conflict) as e:
        attendance_record(assembly=a, person=members(coop)[0], actor=world.officer)
    assert e.value.code == "assembly_not_held_yet"


def test_cannot_remove_a_holder_with_proxies(world, coop):
    a = held_assembly(cooperative=coop, actor=world.officer)
    p = members(coop)
    holder = attendance_record(assembly=a, person=p[0], actor=world.officer)
    proxy = attendance_record(assembly=a, person=p[1], proxy_holder=p[0], actor=world.officer)
    with pytest.raises(Conflict):
        attendance_remove(attendance=holder, actor=world.officer)
    attendance_remove(attendance=proxy, actor=world.officer)
    attendance_remove(attendance=holder, actor=world.officer)
    assert not a.attendances.exists()


def attend(world, a, people, proxies=()):
    for person in people:
        attendance_record(assembly=a, person=person, actor=world.officer)
    for person, holder in proxies:
        attendance_record(assembly=a, person=person, proxy_holder=holder, actor=world.officer)


def test_quorum_not_reached_no_resolution_passes(world, coop):
    a = held_assembly(cooperative=coop, actor=world.officer)  # ordinary, 1st: quorum 1/2
    p = members(coop)
    attend(world, a, p[:3], proxies=[(p[3], p[0])])  # 4 of 10 members
    r = resolution_add(assembly=a, title="Approbation des comptes", actor=world.officer)
    resolution_vote(resolution=r, votes_for=4, votes_against=0, abstentions=0, actor=world.officer)
    results = assembly_results(a)
    assert (results.members, results.voters, results.quorum_reached) == (10, 4, False)
    assert results.resolutions[0].passed is False
    assembly_close(assembly=a, actor=world.officer)
    r.refresh_from_db()
    assert r.passed is False


def test_quorum_reached_resolution_passes_by_simple_majority(world, coop):
    a = held_assembly(cooperative=coop, actor=world.officer)
    p = members(coop)
    attend(world, a, p[:4], proxies=[(p[4], p[0])])  # 5 of 10: exactly half
    r1 = resolution_add(
        assembly=a, title="Comptes 2025", actor=world.officer, approves_accounts_year=2025
    )
    r2 = resolution_add(assembly=a, title="Budget", actor=world.officer)
    resolution_vote(resolution=r1, votes_for=3, votes_against=2, abstentions=0, actor=world.officer)
    resolution_vote(resolution=r2, votes_for=2, votes_against=2, abstentions=1, actor=world.officer)
    closed = assembly_close(assembly=a, actor=world.officer, chaired_by="Awa Diop")
    assert closed.quorum_reached is True and closed.members_count == 10
    r1.refresh_from_db()
    r2.refresh_from_db()
    assert (r1.passed, r2.passed) == (True, False)  # a tie is not a majority


def test_extraordinary_needs_two_thirds(world, coop):
    a = held_assembly(cooperative=coop, actor=world.officer, kind="extraordinaire")
    p = members(coop)
    attend(world, a, p[:7])  # quorum 2/3 of 10 -> 7 needed
    r1 = resolution_add(assembly=a, title="Statuts art. 5", actor=world.officer)
    r2 = resolution_add(assembly=a, title="Statuts art. 6", actor=world.officer)
    resolution_vote(resolution=r1, votes_for=4, votes_against=2, abstentions=1, actor=world.officer)
    resolution_vote(resolution=r2, votes_for=3, votes_against=2, abstentions=2, actor=world.officer)
    res = assembly_results(a)
    assert res.quorum_reached
    assert [x.passed for x in res.resolutions] == [True, False]


def test_extraordinary_quorum_one_short(world, coop):
    a = held_assembly(cooperative=coop, actor=world.officer, kind="extraordinaire")
    attend(world, a, members(coop)[:6])
    assert assembly_results(a).quorum_reached is False


def test_one_member_one_vote(world, coop):
    a = held_assembly(cooperative=coop, actor=world.officer)
    p = members(coop)
    attend(world, a, p[:2], proxies=[(p[2], p[0])])
    r = resolution_add(assembly=a, title="Budget", actor=world.officer)
    with pytest.raises(Conflict) as e:
        resolution_vote(
            resolution=r, votes_for=3, votes_against=1, abstentions=0, actor=world.officer
        )
    assert e.value.code == "too_many_votes"
    resolution_vote(resolution=r, votes_for=2, votes_against=1, abstentions=0, actor=world.officer)


def test_close_needs_every_resolution_voted_then_freezes(world, coop):
    a = held_assembly(cooperative=coop, actor=world.officer)
    attend(world, a, members(coop)[:6])
    r = resolution_add(assembly=a, title="Budget", actor=world.officer)
    with pytest.raises(Conflict) as e:
        assembly_close(assembly=a, actor=world.officer)
    assert e.value.code == "resolution_not_voted"
    resolution_vote(resolution=r, votes_for=6, votes_against=0, abstentions=0, actor=world.officer)
    assembly_close(assembly=a, actor=world.officer)
    a.refresh_from_db()
    with pytest.raises(Conflict) as e:
        attendance_record(assembly=a, person=members(coop)[7], actor=world.officer)
    assert e.value.code == "assembly_closed"
    # Later changes of statutes do not rewrite a closed assembly's results.
    statutes_update(cooperative=coop, ordinary_quorum_first="3/4", actor=world.officer)
    assert assembly_results(a).quorum_reached is True


def test_accounts_approval_only_in_ordinary_assembly(world, coop):
    a = held_assembly(cooperative=coop, actor=world.officer, kind="extraordinaire")
    with pytest.raises(ValidationFailed) as e:
        resolution_add(
            assembly=a, title="Comptes", approves_accounts_year=2025, actor=world.officer
        )
    assert e.value.code == "accounts_need_ordinary"


def test_api_attendance_votes_close_results(world, coop, api_client):
    a = held_assembly(cooperative=coop, actor=world.officer)
    p = members(coop)
    c = api_client(world.officer)
    for person in p[:5]:
        r = c.post(
            f"/api/v1/assemblies/{a.pk}/attendance",
            {"person": person.pk},
            content_type="application/json",
        )
        assert r.status_code == 201
    r = c.post(
        f"/api/v1/assemblies/{a.pk}/attendance",
        {"person": p[5].pk, "proxy_holder": p[0].pk},
        content_type="application/json",
    )
    assert r.status_code == 201
    r = c.post(
        f"/api/v1/assemblies/{a.pk}/attendance",
        {"person": p[6].pk, "proxy_holder": p[0].pk},
        content_type="application/json",
    )
    assert r.status_code == 409 and r.json()["code"] == "proxy_limit"
    r = c.post(
        f"/api/v1/assemblies/{a.pk}/resolutions",
        {"title": "Comptes 2025"},
        content_type="application/json",
    )
    assert r.status_code == 201
    rid = r.json()["id"]
    r = c.post(
        f"/api/v1/resolutions/{rid}/votes",
        {"votes_for": 5, "votes_against": 1, "abstentions": 0},
        content_type="application/json",
    )
    assert r.status_code == 200
    assert (
        api_client(world.member)
        .post(
            f"/api/v1/resolutions/{rid}/votes",
            {"votes_for": 1, "votes_against": 0},
            content_type="application/json",
        )
        .status_code
        == 403
    )
    r = c.post(f"/api/v1/assemblies/{a.pk}/close", {}, content_type="application/json")
    body = r.json()
    assert (body["members"], body["present"], body["represented"], body["quorum_reached"]) == (
        10,
        5,
        1,
        True,
    )
    assert body["resolutions"][0]["passed"] is True
    assert api_client(world.agent_th).get(f"/api/v1/assemblies/{a.pk}/results").status_code == 404


@given(
    voters=st.integers(0, 300),
    members_=st.integers(1, 300),
    q=st.sampled_from(["0", "1/4", "1/3", "1/2", "2/3", "3/4"]),
)
def test_quorum_is_exact(voters, members_, q):
    from fractions import Fraction

    assert quorum_met(voters, members_, q) == (
        voters * Fraction(q).denominator >= Fraction(q).numerator * members_
    )


@given(f=st.integers(0, 200), a=st.integers(0, 200))
def test_simple_majority_is_more_for_than_against(f, a):
    assert majority_met(f, a, "1/2") == (f > a)
