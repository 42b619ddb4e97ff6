"""The persons' stored scope text (registry.scope_text): search sees exactly what the
scope rule (``person_scope_q``) sees, for every role, and the services keep it right."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.urls import reverse

from accounts.scoping import scope_for
from accounts.services import role_assign
from accounts.tests.factories import UserFactory
from accounts.tests.world import build_world
from core import pagination
from core.text import search_q
from geo.models import Area
from geo.tests.factories import commune
from registry import scope_text, selectors, services
from registry.models import Person
from registry.scope_text import scope_words_q
from registry.tests.factories import CooperativeFactory, MembershipFactory, PersonFactory

pytestmark = pytest.mark.django_db


def stored() -> dict[int, str]:
    return dict(Person.objects.values_list("pk", "scope_text"))


def assert_fresh():
    """What the services left equals a rebuild from scratch."""
    before = stored()
    scope_text.rebuild()
    assert stored() == before


def visible_by_rule(user) -> set[int]:
    return set(
        Person.objects.filter(selectors.person_scope_q(user), merged_into__isnull=True).values_list(
            "pk", flat=True
        )
    )


def visible_by_search(user, q="kane") -> set[int]:
    return set(selectors.person_list(actor=user, filters={"q": q}).values_list("pk", flat=True))


def bitmap_plan(qs) -> str:
    """``EXPLAIN`` of ``qs`` with sequential and plain index scans turned off (PostgreSQL):
    on a tiny table the planner prefers them, as it turns them down on a large one."""
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_indexscan = off")
        sql, params = qs.query.sql_with_params()
        cursor.execute("EXPLAIN " + sql, params)
        return "\n".join(r[0] for r in cursor.fetchall())


@pytest.fixture
def varied():
    """The scoping world, every person named Kane, plus the hard cases: a person whose
    commune and cooperative are in two regions, a left membership, persons entered by staff
    without a membership, a person without a commune, a merged person, an agent of two
    areas, an officer of two cooperatives, a lender who is also a member."""
    w = build_world()
    Person.objects.update(last_name="Kane", search_text="kane")
    scope_text.rebuild()
    kaolack = commune("SN-KL-KAO-01", "Kaolack", "SN-KL-KAO")
    coop_kl = CooperativeFactory(name="Coopérative de Kaolack", commune=kaolack)
    # lives in Kaolack, member in Mbour (Thiès region)
    commuter = PersonFactory(last_name="Kane", commune=kaolack)
    MembershipFactory(cooperative=w.coop_mbour, person=commuter)
    # left the Thiès cooperative: still in its scope (any status)
    leaver = PersonFactory(last_name="Kane", commune=None)
    MembershipFactory(
        cooperative=w.coop_thies, person=leaver, status="left", left_on=datetime.date(2025, 6, 1)
    )
    PersonFactory(last_name="Kane", commune=None)  # nobody's, but the national level's
    entered = PersonFactory(last_name="Kane", commune=None, created_by=w.officer)
    entered_agent = PersonFactory(last_name="Kane", commune=kaolack, created_by=w.agent_tc)
    merged = PersonFactory(last_name="Kane", commune=w.thies, merged_into=w.persons_thies[0])
    MembershipFactory(cooperative=coop_kl, person=merged)
    MembershipFactory(cooperative=coop_kl, person=w.persons_tc[1])  # two cooperatives
    two_areas = UserFactory(username="agent-two")
    role_assign(user=two_areas, role="agent", area=Area.objects.get(code="SN-KL"))
    role_assign(user=two_areas, role="agent", area=Area.objects.get(code="SN-TH-THI"))
    two_coops = UserFactory(username="officer-two")
    role_assign(user=two_coops, role="officer", cooperative=w.coop_mbour)
    role_assign(user=two_coops, role="officer", cooperative=coop_kl)
    mixed = UserFactory(username="agent-officer")
    role_assign(user=mixed, role="agent", area=Area.objects.get(code="SN-TH-MBO"))
    role_assign(user=mixed, role="officer", cooperative=w.coop_tc)
    lender_member = UserFactory(username="lender-member")
    role_assign(user=lender_member, role="lender", lender=w.lender_obj)
    role_assign(user=lender_member, role="member", person=commuter)
    users = [
        w.national,
        w.agent_tc,
        w.agent_th,
        w.agent_mbour,
        w.officer,
        w.lender,
        w.member,
        w.nobody,
        two_areas,
        two_coops,
        mixed,
        lender_member,
    ]
    return (
        w,
        users,
        {
            "commuter": commuter,
            "leaver": leaver,
            "entered": entered,
            "entered_agent": entered_agent,
            "kaolack": kaolack,
            "coop_kl": coop_kl,
        },
    )


def test_every_role_sees_in_search_exactly_what_the_scope_rule_shows(varied):
    w, users, _ = varied
    assert_fresh()
    seen = {}
    for user in users:
        expected = visible_by_rule(user)
        assert visible_by_search(user) == expected, user.username
        seen[user.username] = len(expected)
    # the dataset is varied: the roles see different, non-trivial sets
    assert seen["national"] == Person.objects.filter(merged_into__isnull=True).count()
    assert seen["nobody"] == 0 and seen["lender"] == 0
    assert seen["member"] == 1 and seen["lender-member"] == 1
    assert 0 < seen["agent-mbour"] < seen["agent-th"] < seen["national"]
    assert seen["officer"] > 3  # its cooperative's members and whom it entered


def test_the_words_name_the_ancestor_areas_the_cooperatives_and_the_creator(varied):
    w, _users, extra = varied
    commuter = Person.objects.get(pk=extra["commuter"].pk)
    words = commuter.scope_text.split()
    for code in ("SN", "SN-KL", "SN-KL-KAO", "SN-KL-KAO-01", "SN-TH", "SN-TH-MBO"):
        assert f"ar{Area.objects.get(code=code).pk}" in words, code
    assert f"co{w.coop_mbour.pk}" in words
    assert commuter.scope_text.startswith(" ") and commuter.scope_text.endswith(" ")
    entered = Person.objects.get(pk=extra["entered"].pk)
    assert entered.scope_text == f" us{w.officer.pk} "


def test_a_query_word_never_matches_the_scope_words(varied):
    w, _users, extra = varied
    word = f"co{w.coop_tc.pk}"
    assert not selectors.person_list(actor=w.national, filters={"q": word}).exists()
    assert not selectors.person_list(actor=w.officer, filters={"q": word}).exists()


def test_the_services_keep_the_text_and_the_search_right(varied):
    w, users, extra = varied
    # created by an agent: seen by whom entered them before any membership
    new = services.person_create(
        actor=w.agent_mbour, first_name="Ndeye", last_name="Kane", sex="F", commune=w.mbour
    )
    assert new.pk in visible_by_search(w.agent_mbour) and new.pk in visible_by_search(w.agent_th)
    # admitted in Koumpentoum: the officer of that cooperative sees them
    assert new.pk not in visible_by_search(w.officer)
    services.member_admit(
        actor=w.national, cooperative=w.coop_tc, person=new, joined_on=datetime.date(2026, 1, 5)
    )
    assert new.pk in visible_by_search(w.officer)
    # moved to Kaolack: the Kaolack agent sees them
    services.person_update(actor=w.national, person=new, commune=extra["kaolack"].code)
    # a cooperative moves to another region: its members follow
    services.cooperative_update(
        actor=w.national, cooperative=extra["coop_kl"], commune=w.koumpentoum.code
    )
    # bulk admission (the members import's path)
    services.members_admit_bulk(
        actor=w.national,
        rows=[
            {
                "cooperative": w.coop_thies,
                "person": extra["entered"],
                "joined_on": datetime.date(2026, 1, 6),
                "role": "membre",
                "left_on": None,
            }
        ],
    )
    # two records of one person merged: the kept one carries both scopes
    services.person_merge(actor=w.national, keep=w.persons_mbour[0], duplicate=w.persons_tc[2])
    assert_fresh()
    for user in users:
        assert visible_by_search(user) == visible_by_rule(user), user.username


def test_full_rebuild_equals_the_services_text_and_fills_blanks(varied):
    w, _users, _extra = varied
    expected = stored()
    Person.objects.update(scope_text="")
    assert scope_text.rebuild() == Person.objects.count()
    assert stored() == expected


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL index")
def test_the_words_and_the_scope_are_one_condition_of_the_two_column_index(varied):
    """The name words and the scope words are served together by one trigram index scan
    (no membership subquery). On a tiny table the planner prefers other paths: they are
    turned off, as the planner turns them down on a large table (docs/benchmarks.md has the
    national plan)."""
    w, _users, _extra = varied
    qs = Person.objects.filter(
        scope_words_q(scope_for(w.agent_th), w.agent_th.pk) & search_q("kane")
    )
    assert qs.filter(merged_into__isnull=True).count() == len(visible_by_search(w.agent_th))
    plan = bitmap_plan(qs)
    assert "SubPlan" not in plan and "registry_membership" not in plan, plan
    lines = plan.splitlines()
    scans = [n for n, line in enumerate(lines) if "registry_person_search_scope_words" in line]
    assert len(scans) == 1, plan
    cond = lines[scans[0] + 1]
    assert "search_text" in cond and "scope_text" in cond, plan
    # the scope is the array of words (exact keys of the index), not a regular expression
    assert "string_to_array" in cond and "~" not in cond.replace("~~", ""), plan
    # the page's query (with the exact phone or ID branch) has no membership subquery either
    page = selectors.person_list(actor=w.agent_th, filters={"q": "kane"})
    sql, params = page.query.sql_with_params()
    assert "registry_membership" not in sql


def test_the_person_list_counts_up_to_the_cap_then_says_more(client, varied, monkeypatch):
    w, _users, _extra = varied
    client.force_login(w.agent_th)
    url = reverse("registry:person_list")
    visible = len(visible_by_rule(w.agent_th))
    page = client.get(url, {"q": "kane"})
    assert page.context["page"].paginator.count == visible
    assert f"{visible} personnes" in page.content.decode()
    monkeypatch.setattr(pagination, "COUNT_CAP", visible - 1)
    page = client.get(url, {"q": "kane"})
    paginator = page.context["page"].paginator
    assert paginator.capped and paginator.count == visible - 1
    html = page.content.decode()
    assert f"Plus de {visible - 1} personnes" in html
    # a search past the cap lists the first ones found, by name, and says so
    assert f"(les {visible - 1} premières trouvées, par nom)" in html
    shown = [p.pk for p in page.context["page"].object_list]
    assert len(shown) == min(visible - 1, 25) and set(shown) <= visible_by_search(w.agent_th)
    # the list without a search is capped the same way (all of it sorted: no such hint)
    page = client.get(url)
    assert page.context["page"].paginator.capped
    assert "premières trouvées" not in page.content.decode()
