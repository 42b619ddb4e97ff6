"""Each role's home page shows exactly its scope's figures (the ``world`` fixture)."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from core.money import NBSP
from geo.models import Area
from registry.models import Cooperative, Membership
from registry.services import member_admit, member_leave
from registry.tests.factories import CooperativeFactory, MembershipFactory, PersonFactory
from web import selectors
from web.selectors import home_context

pytestmark = pytest.mark.django_db


def women(persons) -> int:
    return sum(1 for p in persons if p.sex == "F")


def panel(actor, role):
    panels = [p for p in home_context(actor=actor)["panels"] if p["role"] == role]
    assert len(panels) == 1, panels
    return panels[0]


def rows(panel_data) -> dict:
    """Breakdown rows with at least one cooperative, by area name."""
    return {
        r["area"].name: (r["cooperatives"], r["members"], r["women"])
        for r in panel_data["breakdown"]
        if r["cooperatives"]
    }


def test_national_sees_national_figures_and_every_region(world):
    p = panel(world.national, "national")
    everyone = world.persons_tc + world.persons_mbour + world.persons_thies
    assert p["figures"]["cooperatives"] == 3  # not 9: members must not multiply the count
    assert p["figures"]["members"] == 9
    assert p["figures"]["women"] == women(everyone)
    assert rows(p) == {
        "Tambacounda": (1, 3, women(world.persons_tc)),
        "Thiès": (2, 6, women(world.persons_mbour + world.persons_thies)),
    }
    assert len(p["breakdown"]) == 14  # all of Senegal's regions, zeros included
    assert [r["area"].name for r in p["breakdown"]][:3] == ["Dakar", "Diourbel", "Fatick"]


def test_region_agent_sees_its_region_by_department(world):
    p = panel(world.agent_th, "agent")
    assert p["area"].code == "SN-TH"
    assert p["figures"]["cooperatives"] == 2
    assert p["figures"]["members"] == 6
    assert p["figures"]["women"] == women(world.persons_mbour + world.persons_thies)
    assert rows(p) == {
        "Mbour": (1, 3, women(world.persons_mbour)),
        "Thiès": (1, 3, women(world.persons_thies)),
    }
    assert {c.pk: c.member_count for c in p["recent"]} == {
        world.coop_mbour.pk: 3,
        world.coop_thies.pk: 3,
    }

    tc = panel(world.agent_tc, "agent")
    assert (tc["figures"]["cooperatives"], tc["figures"]["members"]) == (1, 3)
    assert {c.pk for c in tc["recent"]} == {world.coop_tc.pk}
    assert rows(tc) == {"Koumpentoum": (1, 3, women(world.persons_tc))}


def test_department_agent_sees_its_department_by_commune(world):
    p = panel(world.agent_mbour, "agent")
    assert (p["figures"]["cooperatives"], p["figures"]["members"]) == (1, 3)
    assert rows(p) == {"Mbour": (1, 3, women(world.persons_mbour))}
    assert [c.pk for c in p["recent"]] == [world.coop_mbour.pk]


def test_officer_sees_their_cooperative_members_women_and_stage(world):
    p = panel(world.officer, "officer")
    assert p["cooperative"] == world.coop_tc
    assert p["figures"]["cooperatives"] == 1
    assert p["figures"]["members"] == 3
    assert p["figures"]["women"] == women(world.persons_tc)


def test_members_who_left_are_not_counted(world):
    assert panel(world.national, "national")["figures"]["members"] == 9  # stored for today
    membership = Membership.objects.get(person=world.persons_tc[0])
    member_leave(actor=world.officer, membership=membership, left_on=timezone.localdate())
    assert panel(world.officer, "officer")["figures"]["members"] == 2
    assert panel(world.national, "national")["figures"]["members"] == 8
    assert rows(panel(world.agent_tc, "agent")) == {
        "Koumpentoum": (1, 2, women(world.persons_tc[1:]))
    }


AREA_PANELS = [
    ("national", "national"),
    ("agent_th", "agent"),
    ("agent_tc", "agent"),
    ("agent_mbour", "agent"),
]


def reference(actor, p) -> tuple[dict, list]:
    """The panel's figures computed from the raw rows (the computation before the rollups)."""
    area = p.get("area") or p["country"]
    coops = selectors._cooperatives(actor).filter(commune__path__startswith=area.path)
    return selectors.figures(coops), selectors.breakdown(coops, area)


@pytest.mark.parametrize(("user", "role"), AREA_PANELS)
def test_area_panels_read_the_rollups_with_the_raw_rows_figures(world, user, role):
    actor = getattr(world, user)
    p = panel(actor, role)
    assert (p["figures"], p["breakdown"]) == reference(actor, p)
    # A member admitted and one who left, through the services: the next read shows both.
    joiner = PersonFactory(commune=world.koumpentoum, sex="F")
    member_admit(
        actor=world.officer,
        cooperative=world.coop_tc,
        person=joiner,
        joined_on=timezone.localdate(),
    )
    member_leave(
        actor=world.officer,
        membership=Membership.objects.get(person=world.persons_tc[1]),
        left_on=timezone.localdate(),
    )
    actor = type(actor).objects.get(pk=actor.pk)  # a new request: scope computed again
    p = panel(actor, role)
    assert (p["figures"], p["breakdown"]) == reference(actor, p)
    if user in ("national", "agent_tc"):
        assert p["figures"]["members"] == {"national": 9, "agent_tc": 3}[user]


def test_home_members_are_the_dashboards_members(world):
    """Where the raw definition and the dashboard's differ, the home shows the dashboard's:
    persons holding a membership today in a cooperative that still exists (a dissolved
    cooperative's members, or a membership starting tomorrow, are not members today); the
    dissolved cooperative is not counted either (issue 14 point 11: the home showed 64
    cooperatives where the dashboard showed 60), it is shown apart."""
    from monitoring.selectors import indicator_values

    today = timezone.localdate()
    Cooperative.objects.filter(pk=world.coop_thies.pk).update(
        stage="dissoute", stage_changed_on=today
    )
    MembershipFactory(
        cooperative=world.coop_mbour,
        person=PersonFactory(commune=world.mbour),
        joined_on=today + datetime.timedelta(days=1),
    )
    p = panel(world.national, "national")
    assert p["figures"]["cooperatives"] == 2 and p["figures"]["dissolved"] == 1
    assert "dissoute" not in [str(label) for label, n in p["figures"]["by_stage"]]
    assert sum(n for _label, n in p["figures"]["by_stage"]) == 2
    assert p["figures"]["members"] == 6  # Tambacounda's 3 and Mbour's 3
    assert selectors.figures(selectors._cooperatives(world.national))["members"] == 6
    assert rows(p)["Thiès"][0] == 1  # Mbour's; Thiès's own is dissolved
    sn = Area.objects.get(code="SN")
    dashboard = {
        r["code"]: r["value"]
        for r in indicator_values(actor=world.national, area=sn, year=today.year, as_of=today)
    }
    assert p["figures"]["members"] == dashboard["members_total"]
    assert p["figures"]["women"] == dashboard["members_women"]
    assert p["figures"]["cooperatives"] == dashboard["cooperatives_total"]
    agent = panel(world.agent_th, "agent")
    th = Area.objects.get(code="SN-TH")
    assert agent["figures"]["cooperatives"] == next(
        r["value"]
        for r in indicator_values(actor=world.agent_th, area=th, year=today.year, as_of=today)
        if r["code"] == "cooperatives_total"
    )
    assert agent["figures"]["cooperatives"] == 1 and agent["figures"]["dissolved"] == 1


def test_lender_sees_its_institution_and_no_cooperative(world, client):
    p = panel(world.lender, "lender")
    assert p["lender"] == world.lender_obj
    assert set(p) == {"role", "template", "lender"}
    client.force_login(world.lender)
    html = client.get("/").content.decode()
    assert "MEC Test" in html
    for coop in (world.coop_tc, world.coop_mbour, world.coop_thies):
        assert coop.name not in html


def test_member_sees_exactly_their_memberships(world):
    p = panel(world.member, "member")
    assert [m.person_id for m in p["memberships"]] == [world.persons_tc[0].pk]
    assert [m.cooperative_id for m in p["memberships"]] == [world.coop_tc.pk]


def test_user_without_role_gets_an_empty_state(world, client):
    assert home_context(actor=world.nobody)["panels"] == []
    client.force_login(world.nobody)
    html = client.get("/").content.decode()
    assert "Aucun rôle attribué" in html
    for coop in (world.coop_tc, world.coop_mbour, world.coop_thies):
        assert coop.name not in html


@pytest.mark.parametrize(
    ("user", "shown", "hidden"),
    [
        ("agent_th", ["coop_mbour", "coop_thies"], ["coop_tc"]),
        ("agent_tc", ["coop_tc"], ["coop_mbour", "coop_thies"]),
        ("agent_mbour", ["coop_mbour"], ["coop_tc", "coop_thies"]),
        ("officer", ["coop_tc"], ["coop_mbour", "coop_thies"]),
    ],
)
def test_home_page_names_only_cooperatives_in_scope(world, client, user, shown, hidden):
    client.force_login(getattr(world, user))
    html = client.get("/").content.decode()
    for name in shown:
        assert getattr(world, name).name in html
    for name in hidden:
        assert getattr(world, name).name not in html


def test_home_page_renders_each_role_in_french(world, client):
    expected = {
        "national": "Programme national",
        "agent_tc": "Région Tambacounda",
        "agent_th": "Région Thiès",
        "agent_mbour": "Département Mbour",
        "officer": "Coopérative des tisserands de Koumpentoum",
        "lender": "Votre institution",
        "member": "Mes adhésions",
    }
    for user, text in expected.items():
        client.force_login(getattr(world, user))
        response = client.get("/")
        assert response.status_code == 200
        html = response.content.decode()
        assert '<html lang="fr">' in html
        assert text in html, user


def test_figures_are_formatted_french_style(world, client, monkeypatch):
    real = selectors.area_headlines

    def big(*, actor, areas):
        counts = real(actor=actor, areas=areas)
        return {**counts, areas[0].pk: {**counts[areas[0].pk], "members": 1250000, "women": 640000}}

    monkeypatch.setattr(selectors, "area_headlines", big)
    client.force_login(world.national)
    html = client.get("/").content.decode()
    assert f"1{NBSP}250{NBSP}000" in html
    assert f"640{NBSP}000" in html


def test_home_requires_login(client):
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


# Session, user, assignments, scope; then the panel: country or area, its children,
# stored figures (cooperatives, stages, members) and change marks, the dissolved count
# (agents: recent and their member counts). A lender: the credit panel, /portfolio's of
# today from the rollups (stale communes, rows, whether a loan has no commune; on
# PostgreSQL also the savepoint, its release and SET LOCAL jit) and the pending count.
HOME_QUERIES = {"national": 9, "agent_th": 10, "agent_mbour": 10, "officer": 7, "lender": 8}


@pytest.mark.parametrize("user", sorted(HOME_QUERIES))
def test_home_query_count_does_not_grow_with_data(world, client, django_assert_num_queries, user):
    client.force_login(getattr(world, user))
    client.get("/")  # the first read of the day stores the figures (the nightly job's work)
    expected = HOME_QUERIES[user] + (3 if user == "lender" and connection.vendor != "sqlite" else 0)
    with django_assert_num_queries(expected):
        assert client.get("/").status_code == 200
    for commune in (world.koumpentoum, world.mbour, world.thies):
        for _ in range(5):
            coop = CooperativeFactory(commune=commune)
            for _ in range(4):
                MembershipFactory(cooperative=coop, person=PersonFactory(commune=commune))
    with django_assert_num_queries(expected):
        assert client.get("/").status_code == 200


def test_member_counts_stay_within_the_actors_scope(world):
    from core.errors import NotFound
    from monitoring.selectors import area_headlines, member_counts

    thies, tambacounda = Area.objects.get(code="SN-TH"), Area.objects.get(code="SN-TC")
    counts = member_counts(actor=world.agent_th, areas=[thies])
    assert counts == {
        thies.pk: {"members": 6, "women": women(world.persons_mbour + world.persons_thies)}
    }
    with pytest.raises(NotFound):
        member_counts(actor=world.agent_th, areas=[thies, tambacounda])
    with pytest.raises(NotFound):
        member_counts(actor=world.officer, areas=[tambacounda])
    with pytest.raises(NotFound):
        area_headlines(actor=world.agent_th, areas=[thies, tambacounda])
    with pytest.raises(NotFound):
        area_headlines(actor=world.officer, areas=[tambacounda])
