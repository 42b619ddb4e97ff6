"""The OHADA rules (registry/ohada.py): each with its violating input beside the valid one."""

import datetime

import pytest

from core.errors import Conflict
from registry import ohada
from registry.models import Stage, StageTransition
from registry.services import cooperative_stage_change, member_admit, member_role_change
from registry.tests.factories import founders, registered

D = datetime.date(2025, 6, 1)


def move(actor, coop, *stages, on=D):
    for stage in stages:
        coop = cooperative_stage_change(actor=actor, cooperative=coop, stage=stage, on=on)
    return coop


# --------------------------------------------------------------- the table itself


def test_minimum_members_per_form():
    assert ohada.min_members("SN", "SCOOPS") == 5
    assert ohada.min_members("SN", "COOP-CA") == 15


@pytest.mark.parametrize(("members", "maximum"), [(0, 3), (5, 3), (99, 3), (100, 5), (250, 5)])
def test_scoops_committee_maximum(members, maximum):
    assert ohada.committee_max("SN", "SCOOPS", members) == maximum


def test_coop_ca_has_no_committee_limit_in_the_table():
    assert ohada.committee_max("SN", "COOP-CA", 20) is None


def test_unknown_country_falls_back_to_senegal():
    assert ohada.min_members("XX", "SCOOPS") == 5


def test_allowed_next_stages():
    assert ohada.allowed_next_stages("SN", "sensibilisee") == ["en_constitution", "dissoute"]
    assert ohada.allowed_next_stages("SN", "consolidee") == ["en_activite", "dissoute"]
    assert ohada.allowed_next_stages("SN", "dissoute") == []


def test_another_country_variant_is_data():
    law = ohada.CountryLaw(
        forms={"SCOOPS": ohada.FormRules("SCOOPS", min_members=7)},
        registration_number_required=True,
    )
    ohada.LAWS["ZZ"] = law
    try:
        with pytest.raises(Conflict) as exc:
            ohada.check_stage_change(
                country="ZZ",
                legal_form="SCOOPS",
                current="en_constitution",
                target="immatriculee",
                active_members=7,
                committee_size=1,
                registration_number=None,
            )
        assert exc.value.code == "registration_number_required"
        ohada.check_stage_change(
            country="ZZ",
            legal_form="SCOOPS",
            current="en_constitution",
            target="immatriculee",
            active_members=7,
            committee_size=1,
            registration_number="RSC-1",
        )
    finally:
        del ohada.LAWS["ZZ"]


# --------------------------------------------------------------- through the services


def test_scoops_needs_five_active_members_to_register(world):
    coop = registered(world.agent_tc, world.koumpentoum)
    founders(world.agent_tc, coop, 4)
    coop = move(world.agent_tc, coop, "en_constitution")
    before = StageTransition.objects.filter(cooperative=coop).count()
    with pytest.raises(Conflict) as exc:
        move(world.agent_tc, coop, "immatriculee")
    assert exc.value.code == "ohada_min_members"
    assert "au moins 5 membres" in str(exc.value.message)
    coop.refresh_from_db()
    assert coop.stage == "en_constitution"
    assert StageTransition.objects.filter(cooperative=coop).count() == before

    founders(world.agent_tc, coop, 1)
    coop = move(world.agent_tc, coop, "immatriculee")
    assert coop.stage == "immatriculee" and coop.stage_changed_on == D


def test_members_who_left_do_not_count(world):
    from registry.services import member_leave

    coop = registered(world.agent_tc, world.koumpentoum)
    ms = founders(world.agent_tc, coop, 5)
    member_leave(actor=world.agent_tc, membership=ms[0], left_on=D)
    coop = move(world.agent_tc, coop, "en_constitution")
    with pytest.raises(Conflict) as exc:
        move(world.agent_tc, coop, "immatriculee")
    assert exc.value.code == "ohada_min_members"


def test_coop_ca_needs_fifteen(world):
    coop = registered(world.agent_tc, world.koumpentoum, legal_form="COOP-CA")
    founders(world.agent_tc, coop, 14)
    coop = move(world.agent_tc, coop, "en_constitution")
    with pytest.raises(Conflict) as exc:
        move(world.agent_tc, coop, "immatriculee")
    assert exc.value.code == "ohada_min_members"
    founders(world.agent_tc, coop, 1)
    assert move(world.agent_tc, coop, "immatriculee").stage == "immatriculee"


def test_scoops_committee_at_most_three_under_100_members(world):
    coop = registered(world.agent_tc, world.koumpentoum)
    ms = founders(world.agent_tc, coop, 6, roles=["president", "secretaire", "tresorier"])
    with pytest.raises(Conflict) as exc:
        member_role_change(actor=world.agent_tc, membership=ms[3], role="vice_president")
    assert exc.value.code == "ohada_committee_size"
    ms[3].refresh_from_db()
    assert ms[3].role == "membre"
    # the supervisory commission is not part of the committee
    member_role_change(actor=world.agent_tc, membership=ms[3], role="surveillance")


def test_admitting_a_fourth_officer_is_refused(world):
    from registry.services import person_create

    coop = registered(world.agent_tc, world.koumpentoum)
    founders(world.agent_tc, coop, 5, roles=["president", "secretaire", "tresorier"])
    p = person_create(actor=world.agent_tc, first_name="Awa", last_name="Sall", sex="F")
    with pytest.raises(Conflict) as exc:
        member_admit(
            actor=world.agent_tc, cooperative=coop, person=p, joined_on=D, role="vice_president"
        )
    assert exc.value.code == "ohada_committee_size"
    assert not coop.memberships.filter(person=p).exists()
    member_admit(actor=world.agent_tc, cooperative=coop, person=p, joined_on=D)


def test_scoops_committee_of_five_from_100_members(world):
    coop = registered(world.agent_tc, world.koumpentoum)
    ms = founders(world.agent_tc, coop, 99, roles=["president", "secretaire", "tresorier"])
    with pytest.raises(Conflict):
        member_role_change(actor=world.agent_tc, membership=ms[3], role="vice_president")
    founders(world.agent_tc, coop, 1)  # the 100th member
    member_role_change(actor=world.agent_tc, membership=ms[3], role="vice_president")
    member_role_change(actor=world.agent_tc, membership=ms[4], role="secretaire")
    with pytest.raises(Conflict) as exc:
        member_role_change(actor=world.agent_tc, membership=ms[5], role="tresorier")
    assert exc.value.code == "ohada_committee_size"


def test_one_president_only(world):
    coop = registered(world.agent_tc, world.koumpentoum)
    ms = founders(world.agent_tc, coop, 3, roles=["president"])
    with pytest.raises(Conflict) as exc:
        member_role_change(actor=world.agent_tc, membership=ms[1], role="president")
    assert exc.value.code == "role_taken"
    member_role_change(actor=world.agent_tc, membership=ms[1], role="secretaire")


def test_lifecycle_cannot_skip_a_stage(world):
    coop = registered(world.agent_tc, world.koumpentoum)
    founders(world.agent_tc, coop, 5)
    with pytest.raises(Conflict) as exc:
        move(world.agent_tc, coop, "immatriculee")
    assert exc.value.code == "stage_transition"
    coop.refresh_from_db()
    assert coop.stage == "sensibilisee"


def test_lifecycle_no_way_back_except_consolidee_to_en_activite(world):
    coop = registered(world.agent_tc, world.koumpentoum)
    founders(world.agent_tc, coop, 5)
    coop = move(world.agent_tc, coop, "en_constitution", "immatriculee", "en_activite")
    with pytest.raises(Conflict) as exc:
        move(world.agent_tc, coop, "en_constitution")
    assert exc.value.code == "stage_transition"
    coop = move(world.agent_tc, coop, "consolidee", "en_activite")
    assert coop.stage == "en_activite"


def test_dissolution_from_any_stage_and_final(world):
    coop = registered(world.agent_tc, world.koumpentoum)
    coop = move(world.agent_tc, coop, "dissoute")
    assert coop.stage == Stage.DISSOUTE
    with pytest.raises(Conflict) as exc:
        move(world.agent_tc, coop, "en_constitution")
    assert exc.value.code == "stage_transition"


def test_min_members_holds_for_later_stages(world):
    from registry.services import member_leave

    coop = registered(world.agent_tc, world.koumpentoum)
    ms = founders(world.agent_tc, coop, 5)
    coop = move(world.agent_tc, coop, "en_constitution", "immatriculee")
    member_leave(actor=world.agent_tc, membership=ms[0], left_on=D)
    with pytest.raises(Conflict) as exc:
        move(world.agent_tc, coop, "en_activite")
    assert exc.value.code == "ohada_min_members"


def test_changing_legal_form_of_a_registered_cooperative_checks_the_minimum(world):
    from registry.services import cooperative_update

    coop = registered(world.agent_tc, world.koumpentoum)
    founders(world.agent_tc, coop, 5)
    coop = move(world.agent_tc, coop, "en_constitution", "immatriculee")
    with pytest.raises(Conflict) as exc:
        cooperative_update(actor=world.agent_tc, cooperative=coop, legal_form="COOP-CA")
    assert exc.value.code == "ohada_min_members"
    coop.refresh_from_db()
    assert coop.legal_form == "SCOOPS"


def test_timeline_records_every_step(world):
    coop = registered(world.agent_tc, world.koumpentoum)
    founders(world.agent_tc, coop, 5)
    move(world.agent_tc, coop, "en_constitution", "immatriculee")
    steps = list(
        StageTransition.objects.filter(cooperative=coop).values_list("from_stage", "to_stage")
    )
    assert steps == [
        ("", "sensibilisee"),
        ("sensibilisee", "en_constitution"),
        ("en_constitution", "immatriculee"),
    ]


def test_stage_date_cannot_go_back_in_time(world):
    from core.errors import ValidationFailed

    coop = registered(world.agent_tc, world.koumpentoum)
    with pytest.raises(ValidationFailed) as exc:
        move(world.agent_tc, coop, "en_constitution", on=datetime.date(2025, 1, 1))
    assert exc.value.field == "on"
