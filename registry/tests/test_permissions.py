"""Who may write what (registry/rules.py), per role of the `world` fixture."""

import datetime

import pytest

from core.errors import Forbidden, NotFound
from registry import rules
from registry.models import Cooperative, Sector
from registry.services import (
    cooperative_register,
    cooperative_stage_change,
    cooperative_update,
    employment_record,
    member_admit,
    person_create,
    sector_create,
    sector_update,
)

D = datetime.date(2025, 6, 1)
ROLES = ["national", "agent_tc", "agent_th", "agent_mbour", "officer", "lender", "member", "nobody"]


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("national", True),
        ("agent_tc", True),
        ("agent_th", True),
        ("officer", False),
        ("lender", False),
        ("member", False),
        ("nobody", False),
    ],
)
def test_can_register_cooperative(world, role, expected):
    assert rules.can_register_cooperative(getattr(world, role)) is expected


@pytest.mark.parametrize(
    ("role", "edit", "members"),
    [
        ("national", True, True),
        ("agent_tc", True, True),
        ("agent_th", False, False),
        ("agent_mbour", False, False),
        ("officer", False, True),
        ("lender", False, False),
        ("member", False, False),
        ("nobody", False, False),
    ],
)
def test_predicates_on_the_koumpentoum_cooperative(world, role, edit, members):
    user = getattr(world, role)
    assert rules.can_edit_cooperative(user, world.coop_tc) is edit
    assert rules.can_manage_members(user, world.coop_tc) is members


def test_agent_cannot_register_outside_their_area(world):
    with pytest.raises(Forbidden) as exc:
        cooperative_register(
            actor=world.agent_th,
            name="X",
            legal_form="SCOOPS",
            commune=world.koumpentoum,
            sector="artisanat",
            value_chain_stage="source",
        )
    assert exc.value.field == "commune"
    assert not Cooperative.objects.filter(name="X").exists()


def test_officer_cannot_register(world):
    with pytest.raises(Forbidden):
        cooperative_register(
            actor=world.officer,
            name="X",
            legal_form="SCOOPS",
            commune="SN-TC-KPT-01",
            sector="artisanat",
            value_chain_stage="source",
        )


def test_out_of_scope_cooperative_is_not_found_for_writes(world):
    with pytest.raises(NotFound):
        cooperative_update(actor=world.agent_th, cooperative=world.coop_tc, name="Piraté")
    with pytest.raises(NotFound):
        cooperative_stage_change(
            actor=world.agent_th, cooperative=world.coop_tc, stage="en_constitution", on=D
        )
    with pytest.raises(NotFound):
        member_admit(
            actor=world.agent_th,
            cooperative=world.coop_tc,
            person=world.persons_thies[0],
            joined_on=D,
        )
    world.coop_tc.refresh_from_db()
    assert world.coop_tc.name == "Coopérative des tisserands de Koumpentoum"


def test_officer_manages_members_but_not_the_cooperative(world):
    with pytest.raises(Forbidden):
        cooperative_update(actor=world.officer, cooperative=world.coop_tc, name="X")
    p = person_create(actor=world.officer, first_name="Binta", last_name="Kane", sex="F")
    m = member_admit(actor=world.officer, cooperative=world.coop_tc, person=p, joined_on=D)
    assert m.status == "active"
    employment_record(
        actor=world.officer,
        cooperative=world.coop_tc,
        person=p,
        job_title="Teinturière",
        contract_type="cdd",
        started_on=D,
    )


@pytest.mark.parametrize("role", ["lender", "member", "nobody"])
def test_read_only_roles_cannot_write(world, role):
    user = getattr(world, role)
    with pytest.raises((Forbidden, NotFound)):
        cooperative_update(actor=user, cooperative=world.coop_tc, name="X")
    with pytest.raises((Forbidden, NotFound)):
        member_admit(actor=user, cooperative=world.coop_tc, person=world.persons_tc[0], joined_on=D)
    with pytest.raises(Forbidden):
        person_create(actor=user, first_name="A", last_name="B", sex="F")


def test_member_sees_but_may_not_edit(world):
    with pytest.raises(Forbidden):
        cooperative_update(actor=world.member, cooperative=world.coop_tc, name="X")


def test_sectors_are_national_only(world):
    s = sector_create(actor=world.national, code="Poterie", name="Poterie")
    assert s.code == "poterie"
    sector_update(actor=world.national, sector=s, name="Poterie et céramique")
    for role in ["agent_tc", "officer"]:
        with pytest.raises(Forbidden):
            sector_create(actor=getattr(world, role), code="x", name="X")
        with pytest.raises(Forbidden):
            sector_update(actor=getattr(world, role), sector=s, active=False)
    assert Sector.objects.get(code="poterie").active
