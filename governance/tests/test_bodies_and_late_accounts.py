import datetime

import pytest

from core.errors import Conflict, ValidationFailed
from governance.limits import BODY_RULES, BodyKind, body_rule
from governance.selectors import accounts_approval_late_list, last_year_end_due
from governance.services import (
    assembly_close,
    attendance_record,
    mandate_assign,
    mandate_end,
    resolution_add,
    resolution_vote,
)
from governance.tests.factories import held_assembly
from registry.tests.factories import CooperativeFactory, MembershipFactory, PersonFactory

START, END = datetime.date(2025, 6, 1), datetime.date(2028, 6, 1)


def add_members(coop, n, area):
    return [
        MembershipFactory(cooperative=coop, person=PersonFactory(commune=area)).person
        for _ in range(n)
    ]


def seat(world, coop, person, body=BodyKind.MANAGEMENT_COMMITTEE, **kw):
    return mandate_assign(
        cooperative=coop,
        body=body,
        person=person,
        starts_on=kw.pop("starts_on", START),
        ends_on=END,
        actor=world.officer,
        **kw,
    )


def test_scoops_committee_at_most_three_members(world):
    coop = world.coop_tc
    people = world.persons_tc + add_members(coop, 2, world.koumpentoum)
    for p in people[:3]:
        seat(world, coop, p)
    with pytest.raises(Conflict) as e:
        seat(world, coop, people[3])
    assert e.value.code == "body_size_limit"
    # A seat that ended frees a place.
    first = coop.mandates.order_by("id").first()
    mandate_end(mandate=first, on=datetime.date(2025, 8, 31), actor=world.officer)
    assert seat(world, coop, people[3], starts_on=datetime.date(2025, 9, 1)).pk


def test_scoops_committee_up_to_five_from_100_members(world):
    coop = world.coop_tc
    people = world.persons_tc + add_members(coop, 97, world.koumpentoum)  # 100 members
    for p in people[:5]:
        seat(world, coop, p)
    with pytest.raises(Conflict) as e:
        seat(world, coop, people[5])
    assert e.value.code == "body_size_limit"


def test_rule_table_per_legal_form():
    assert body_rule("SCOOPS", BodyKind.MANAGEMENT_COMMITTEE).max_size(99) == 3
    assert body_rule("SCOOPS", BodyKind.MANAGEMENT_COMMITTEE).max_size(100) == 5
    assert body_rule("SCOOPS", BodyKind.BOARD) is None
    assert body_rule("COOP-CA", BodyKind.MANAGEMENT_COMMITTEE) is None
    assert set(BODY_RULES) == {"SCOOPS", "COOP-CA"}


def test_body_must_exist_in_the_legal_form(world):
    with pytest.raises(ValidationFailed) as e:
        seat(world, world.coop_tc, world.persons_tc[0], body=BodyKind.BOARD)
    assert e.value.code == "body_not_for_form"
    assert seat(world, world.coop_tc, world.persons_tc[0], body=BodyKind.SUPERVISION).pk


def test_mandate_needs_member_and_valid_term(world):
    with pytest.raises(Conflict) as e:
        seat(world, world.coop_tc, world.persons_thies[0])
    assert e.value.code == "not_member"
    with pytest.raises(ValidationFailed) as e:
        mandate_assign(
            cooperative=world.coop_tc,
            body=BodyKind.MANAGEMENT_COMMITTEE,
            person=world.persons_tc[0],
            starts_on=END,
            ends_on=START,
            actor=world.officer,
        )
    assert e.value.code == "term_invalid"
    seat(world, world.coop_tc, world.persons_tc[0], office="president")
    with pytest.raises(Conflict) as e:
        seat(world, world.coop_tc, world.persons_tc[0])
    assert e.value.code == "already_on_body"


def test_api_mandates(world, api_client):
    url = f"/api/v1/cooperatives/{world.coop_tc.pk}/mandates"
    body = {
        "body": "comite_gestion",
        "person": world.persons_tc[0].pk,
        "office": "president",
        "starts_on": "2025-06-01",
        "ends_on": "2028-01-01",
    }
    assert (
        api_client(world.member).post(url, body, content_type="application/json").status_code == 403
    )
    r = api_client(world.officer).post(url, body, content_type="application/json")
    assert r.status_code == 201
    assert api_client(world.officer).get(url).json()["count"] == 1
    assert api_client(world.agent_th).get(url).status_code == 404


def test_last_year_end_due():
    assert last_year_end_due(12, datetime.date(2026, 7, 1)) == (
        datetime.date(2025, 12, 31),
        datetime.date(2026, 6, 30),
    )
    assert last_year_end_due(12, datetime.date(2026, 6, 30)) == (
        datetime.date(2024, 12, 31),
        datetime.date(2025, 6, 30),
    )
    assert last_year_end_due(6, datetime.date(2026, 1, 1))[0] == datetime.date(2025, 6, 30)


def approve_accounts(world, coop, year):
    a = held_assembly(cooperative=coop, actor=world.national, held_on=datetime.date(2026, 5, 15))
    for m in coop.memberships.all():
        attendance_record(assembly=a, person=m.person, actor=world.national)
    r = resolution_add(
        assembly=a, title=f"Comptes {year}", approves_accounts_year=year, actor=world.national
    )
    n = coop.memberships.count()
    resolution_vote(resolution=r, votes_for=n, votes_against=0, abstentions=0, actor=world.national)
    assembly_close(assembly=a, actor=world.national)
    return a


def test_late_accounts_flagged_with_as_of(world):
    for c in (world.coop_tc, world.coop_mbour, world.coop_thies):
        c.stage = "en_activite"
        c.founded_on = datetime.date(2020, 1, 1)
        c.save()
    young = CooperativeFactory(
        commune=world.mbour, stage="en_activite", founded_on=datetime.date(2026, 2, 1)
    )
    CooperativeFactory(
        commune=world.mbour, stage="sensibilisee", founded_on=datetime.date(2020, 1, 1)
    )
    approve_accounts(world, world.coop_tc, 2025)
    # On 1 July 2026 (deadline for 2025 was 30 June), the two Thiès cooperatives are late.
    as_of = datetime.date(2026, 7, 1)
    late = accounts_approval_late_list(actor=world.national, as_of=as_of)
    assert {x.cooperative.pk for x in late} == {world.coop_mbour.pk, world.coop_thies.pk}
    assert {x.deadline for x in late} == {datetime.date(2026, 6, 30)}
    assert young.pk not in {x.cooperative.pk for x in late}
    # Scoped: agent of Tambacounda sees none late; agent of Mbour sees only Mbour.
    assert accounts_approval_late_list(actor=world.agent_tc, as_of=as_of) == []
    assert [
        x.cooperative.pk for x in accounts_approval_late_list(actor=world.agent_mbour, as_of=as_of)
    ] == [world.coop_mbour.pk]
    # On 30 June 2026 the 2025 deadline has not passed; 2024's has: all three are late for 2024.
    before = accounts_approval_late_list(actor=world.national, as_of=datetime.date(2026, 6, 30))
    assert {x.year_end for x in before} == {datetime.date(2024, 12, 31)}
    assert len(before) == 3


def test_api_late_accounts(world, api_client):
    world.coop_thies.stage = "en_activite"
    world.coop_thies.founded_on = datetime.date(2020, 1, 1)
    world.coop_thies.save()
    r = api_client(world.agent_th).get("/api/v1/governance/late-accounts?as_of=2026-07-01")
    assert r.status_code == 200
    assert [x["cooperative"] for x in r.json()] == [world.coop_thies.pk]
    refused = api_client(world.lender).get("/api/v1/governance/late-accounts?as_of=2026-07-01")
    assert refused.status_code == 403
    assert refused.json()["code"] == "forbidden"
