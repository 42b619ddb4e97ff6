"""Each role sees exactly its scope, through the one mechanism (accounts.scoping)."""

from accounts.models import Role
from accounts.scoping import scope_for
from accounts.testing import assert_sees_exactly
from registry.selectors import cooperative_list, person_list


def test_national_sees_everything(world):
    assert_sees_exactly(
        cooperative_list, world.national, [world.coop_tc, world.coop_mbour, world.coop_thies]
    )


def test_region_agent_sees_the_whole_region(world):
    assert_sees_exactly(cooperative_list, world.agent_th, [world.coop_mbour, world.coop_thies])
    assert_sees_exactly(cooperative_list, world.agent_tc, [world.coop_tc])


def test_department_agent_sees_only_the_department(world):
    assert_sees_exactly(cooperative_list, world.agent_mbour, [world.coop_mbour])
    assert_sees_exactly(person_list, world.agent_mbour, world.persons_mbour)


def test_officer_sees_their_cooperative_and_its_members(world):
    assert_sees_exactly(cooperative_list, world.officer, [world.coop_tc])
    assert_sees_exactly(person_list, world.officer, world.persons_tc)


def test_member_sees_themselves_and_their_cooperative(world):
    me = world.persons_tc[0]
    assert_sees_exactly(person_list, world.member, [me])
    assert_sees_exactly(cooperative_list, world.member, [world.coop_tc])


def test_lender_sees_no_registry_rows_without_loans(world):
    assert_sees_exactly(cooperative_list, world.lender, [])
    assert_sees_exactly(person_list, world.lender, [])


def test_user_without_role_sees_nothing(world):
    assert scope_for(world.nobody).is_empty
    assert_sees_exactly(cooperative_list, world.nobody, [])
    assert_sees_exactly(person_list, world.nobody, [])


def test_scope_roles(world):
    assert scope_for(world.national).roles == {Role.NATIONAL}
    assert scope_for(world.agent_tc).roles == {Role.AGENT}
    assert scope_for(world.lender).roles == {Role.LENDER}


def test_inactive_user_sees_nothing(world):
    world.agent_tc.is_active = False
    world.agent_tc.save()
    world.agent_tc.__dict__.pop("_sunucoop_scope", None)
    assert_sees_exactly(cooperative_list, world.agent_tc, [])
