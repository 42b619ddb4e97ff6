"""Registry selectors: filters, ordering, scoping of the detail reads."""

import datetime

import pytest

from accounts.testing import assert_sees_exactly
from core.errors import NotFound
from registry import selectors
from registry.services import (
    cooperative_stage_change,
    cooperative_update,
    member_role_change,
)
from registry.tests.factories import EmploymentFactory, founders, registered

D = datetime.date(2025, 6, 1)


def test_cooperative_filters_by_any_area_code(world):
    for code, expected in [
        ("SN", [world.coop_tc, world.coop_mbour, world.coop_thies]),
        ("SN-TH", [world.coop_mbour, world.coop_thies]),
        ("SN-TH-MBO", [world.coop_mbour]),
        ("SN-TH-MBO-01", [world.coop_mbour]),
    ]:
        assert_sees_exactly(
            selectors.cooperative_list, world.national, expected, filters={"area": code}
        )
    # filters never widen the scope
    assert_sees_exactly(
        selectors.cooperative_list, world.agent_mbour, [], filters={"region": "SN-TC"}
    )


def test_search_ignores_case_and_accents(world):
    cooperative_update(
        actor=world.national, cooperative=world.coop_tc, registration_number="SN-TBC-2025-C-7"
    )
    assert_sees_exactly(
        selectors.cooperative_list, world.national, [world.coop_thies], filters={"q": "THIES"}
    )
    assert_sees_exactly(
        selectors.cooperative_list, world.national, [world.coop_tc], filters={"q": "2025-c-7"}
    )
    # the commune's name is searchable too
    assert_sees_exactly(
        selectors.cooperative_list, world.national, [world.coop_tc], filters={"q": "koumpentoum"}
    )


def test_women_led_means_a_woman_president(world):
    women = [p for p in world.persons_mbour if p.sex == "F"]
    men = [p for p in world.persons_thies if p.sex == "M"]
    m_w = world.coop_mbour.memberships.get(person=women[0])
    m_m = world.coop_thies.memberships.get(person=men[0])
    member_role_change(actor=world.national, membership=m_w, role="president")
    member_role_change(actor=world.national, membership=m_m, role="president")
    assert_sees_exactly(
        selectors.cooperative_list, world.national, [world.coop_mbour], filters={"women_led": True}
    )
    assert_sees_exactly(
        selectors.cooperative_list,
        world.national,
        [world.coop_thies, world.coop_tc],
        filters={"women_led": "0"},
    )


def test_orderings(world):
    founders(world.national, world.coop_thies, 5)
    cooperative_stage_change(
        actor=world.national, cooperative=world.coop_thies, stage="en_constitution", on=D
    )

    def names(o):
        return [
            c.pk for c in selectors.cooperative_list(actor=world.national, filters={"ordering": o})
        ]

    assert names("-member_count")[0] == world.coop_thies.pk
    assert names("-stage")[0] == world.coop_thies.pk
    assert names("name") == list(reversed(names("-name")))
    assert names("bogus") == names("name")


def test_other_filters(world):
    cooperative_update(
        actor=world.national,
        cooperative=world.coop_tc,
        legal_form="COOP-CA",
        sector="artisanat",
        value_chain_stage="temoin",
    )
    for key, value in [
        ("legal_form", "COOP-CA"),
        ("sector", "artisanat"),
        ("value_chain_stage", "temoin"),
    ]:
        assert_sees_exactly(
            selectors.cooperative_list, world.national, [world.coop_tc], filters={key: value}
        )


def test_detail_reads_are_scoped(world):
    for read in (
        selectors.cooperative_members,
        selectors.cooperative_jobs,
        selectors.cooperative_timeline,
        selectors.cooperative_history,
    ):
        with pytest.raises(NotFound):
            read(actor=world.agent_th, cooperative=world.coop_tc)
        read(actor=world.officer, cooperative=world.coop_tc)
    with pytest.raises(NotFound):
        selectors.cooperative_get(actor=world.agent_th, pk=world.coop_tc.pk)
    with pytest.raises(NotFound):
        selectors.person_get(actor=world.agent_th, pk=world.persons_tc[0].pk)


def test_members_list_officers_first_then_active(world):
    coop = registered(world.agent_tc, world.koumpentoum)
    ms = founders(world.agent_tc, coop, 4, roles=["membre", "membre", "tresorier", "president"])
    rows = list(selectors.cooperative_members(actor=world.agent_tc, cooperative=coop))
    assert [m.role for m in rows[:2]] == ["president", "tresorier"]
    assert {m.pk for m in rows} == {m.pk for m in ms}


def test_history_and_timeline(world):
    coop = registered(world.agent_tc, world.koumpentoum)
    cooperative_update(actor=world.agent_tc, cooperative=coop, address="Marché central")
    history = list(selectors.cooperative_history(actor=world.agent_tc, cooperative=coop))
    assert history[0].address == "Marché central" and history[0].history_user == world.agent_tc
    assert len(history) == 2
    steps = list(selectors.cooperative_timeline(actor=world.agent_tc, cooperative=coop))
    assert [s.to_stage for s in steps] == ["sensibilisee"] and steps[0].actor == world.agent_tc
    assert selectors.cooperative_next_stages(coop) == ["en_constitution", "dissoute"]


def test_jobs_annotated_decent(world):
    EmploymentFactory(cooperative=world.coop_tc, person=world.persons_tc[0])
    EmploymentFactory(cooperative=world.coop_tc, person=world.persons_tc[1], contract_type="verbal")
    jobs = selectors.cooperative_jobs(actor=world.officer, cooperative=world.coop_tc)
    assert sorted(j.is_decent for j in jobs) == [False, True]


def test_person_filters(world):
    assert_sees_exactly(
        selectors.person_list, world.national, world.persons_mbour, filters={"area": "SN-TH-MBO"}
    )
    assert_sees_exactly(
        selectors.person_list,
        world.national,
        world.persons_tc,
        filters={"cooperative": world.coop_tc.pk},
    )
    women = [p for p in world.persons_tc if p.sex == "F"]
    assert_sees_exactly(
        selectors.person_list,
        world.national,
        women,
        filters={"sex": "F", "cooperative": world.coop_tc.pk},
    )


def test_sector_list_hides_inactive(world):
    from registry.services import sector_update

    sector = selectors.sector_get(code="numerique")
    n = selectors.sector_list().count()
    sector_update(actor=world.national, sector=sector, active=False)
    assert selectors.sector_list().count() == n - 1
    assert selectors.sector_list(include_inactive=True).count() == n


def test_person_list_among_is_person_list_cut_to_the_ids_for_every_role(world):
    from registry.tests.factories import MembershipFactory, PersonFactory

    # seen only through a membership (lives in Thiès, member in Koumpentoum), entered by
    # the agent without a membership, merged into another, and one out of everyone's area
    member_elsewhere = PersonFactory(commune=world.thies)
    MembershipFactory(cooperative=world.coop_tc, person=member_elsewhere)
    entered = PersonFactory(commune=world.thies, created_by=world.agent_tc)
    merged = PersonFactory(commune=world.koumpentoum, merged_into=world.persons_tc[1])
    stranger = PersonFactory(commune=world.thies)
    extra = [member_elsewhere, entered, merged, stranger]
    everyone = [p.pk for p in world.persons_tc + world.persons_mbour + world.persons_thies + extra]
    ids = everyone[::2] + [member_elsewhere.pk, entered.pk, merged.pk, stranger.pk]
    for name in [
        "national",
        "agent_tc",
        "agent_th",
        "agent_mbour",
        "officer",
        "lender",
        "member",
        "nobody",
    ]:
        actor = getattr(world, name)
        expected = set(
            selectors.person_list(actor=actor).filter(id__in=ids).values_list("id", flat=True)
        )
        among = set(selectors.person_list_among(actor=actor, ids=ids).values_list("id", flat=True))
        assert among == expected, name
    seen_by_tc = set(
        selectors.person_list_among(actor=world.agent_tc, ids=ids).values_list("id", flat=True)
    )
    assert {member_elsewhere.pk, entered.pk} <= seen_by_tc
    assert not {merged.pk, stranger.pk} & seen_by_tc
