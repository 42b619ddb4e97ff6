"""A small world with one user per role, used by every app's scoping tests.

Two regions (Tambacounda, Thiès), a cooperative in each, members in each, and:
national, agent_tc (region Tambacounda), agent_th (region Thiès), agent_mbour (department
Mbour), officer (of the Koumpentoum cooperative), lender, member (a person in Koumpentoum),
nobody (signed in, no role).
"""

from __future__ import annotations

from dataclasses import dataclass

from accounts.services import role_assign
from accounts.tests.factories import UserFactory
from credit.models import Lender
from geo.models import Area
from geo.tests.factories import commune
from registry.tests.factories import CooperativeFactory, MembershipFactory, PersonFactory


@dataclass
class World:
    koumpentoum: Area
    mbour: Area
    thies: Area
    coop_tc: object
    coop_mbour: object
    coop_thies: object
    persons_tc: list
    persons_mbour: list
    persons_thies: list
    lender_obj: object
    national: object
    agent_tc: object
    agent_th: object
    agent_mbour: object
    officer: object
    lender: object
    member: object
    nobody: object


def build_world() -> World:
    koumpentoum = commune("SN-TC-KPT-01", "Koumpentoum", "SN-TC-KPT")
    mbour = commune("SN-TH-MBO-01", "Mbour", "SN-TH-MBO")
    thies = commune("SN-TH-THI-01", "Thiès Ville", "SN-TH-THI")
    coop_tc = CooperativeFactory(
        name="Coopérative des tisserands de Koumpentoum", commune=koumpentoum
    )
    coop_mbour = CooperativeFactory(name="Coopérative des transformatrices de Mbour", commune=mbour)
    coop_thies = CooperativeFactory(name="Coopérative des couturières de Thiès", commune=thies)
    persons = {}
    for coop, area in [(coop_tc, koumpentoum), (coop_mbour, mbour), (coop_thies, thies)]:
        ps = [PersonFactory(commune=area) for _ in range(3)]
        for p in ps:
            MembershipFactory(cooperative=coop, person=p)
        persons[coop.pk] = ps
    lender_obj = Lender.objects.create(name="MEC Test", kind="mec")
    users = {}
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
        users[name] = UserFactory(username=name.replace("_", "-"))
    role_assign(user=users["national"], role="national")
    role_assign(user=users["agent_tc"], role="agent", area=Area.objects.get(code="SN-TC"))
    role_assign(user=users["agent_th"], role="agent", area=Area.objects.get(code="SN-TH"))
    role_assign(user=users["agent_mbour"], role="agent", area=Area.objects.get(code="SN-TH-MBO"))
    role_assign(user=users["officer"], role="officer", cooperative=coop_tc)
    role_assign(user=users["lender"], role="lender", lender=lender_obj)
    role_assign(user=users["member"], role="member", person=persons[coop_tc.pk][0])
    return World(
        koumpentoum=koumpentoum,
        mbour=mbour,
        thies=thies,
        coop_tc=coop_tc,
        coop_mbour=coop_mbour,
        coop_thies=coop_thies,
        persons_tc=persons[coop_tc.pk],
        persons_mbour=persons[coop_mbour.pk],
        persons_thies=persons[coop_thies.pk],
        lender_obj=lender_obj,
        **users,
    )
