import datetime

import pytest

from core.errors import Conflict, Forbidden, NotFound, ValidationFailed
from training.models import Diagnostic, Visit, VisitAction
from training.services import support_plan_save, visit_action_complete, visit_record

D = datetime.date
DIAG = dict(governance=2, bookkeeping=1, production=3, market=2, finance=0)


def _visit(world, actor=None, cooperative=None, **kwargs):
    args = dict(
        actor=actor or world.agent_tc,
        cooperative=cooperative or world.coop_tc,
        visited_on=D(2025, 7, 1),
        purpose="Suivi après Start.COOP",
        findings="Registre des membres à jour",
    )
    args.update(kwargs)
    return visit_record(**args)


def test_visit_with_actions_and_diagnostic(world):
    visit = _visit(
        world,
        actions=[
            {"description": "Ouvrir un compte MEC", "owner": "Trésorière", "due_on": D(2025, 8, 1)}
        ],
        diagnostic=DIAG,
    )
    assert visit.visitor == world.agent_tc
    action = VisitAction.objects.get(visit=visit)
    assert action.cooperative == world.coop_tc
    assert action.status(D(2025, 7, 15)) == "open"
    assert action.status(D(2025, 8, 2)) == "overdue"
    assert Diagnostic.objects.get(visit=visit).total == 8


def test_visit_to_a_cooperative_outside_the_agents_scope_is_not_found(world):
    with pytest.raises(NotFound):
        _visit(world, actor=world.agent_tc, cooperative=world.coop_thies)
    with pytest.raises(NotFound):
        _visit(world, actor=world.agent_mbour, cooperative=world.coop_thies)
    assert _visit(world, actor=world.agent_mbour, cooperative=world.coop_mbour)
    assert Visit.objects.count() == 1


def test_officer_member_lender_may_not_record_visits(world):
    for actor in (world.officer, world.member, world.lender, world.nobody):
        with pytest.raises(Forbidden):
            _visit(world, actor=actor)


def test_diagnostic_scores_go_from_0_to_4(world):
    with pytest.raises(ValidationFailed) as exc:
        _visit(world, diagnostic={**DIAG, "market": 5})
    assert (exc.value.code, exc.value.field) == ("score_out_of_range", "diagnostic.market")
    with pytest.raises(ValidationFailed) as exc:
        _visit(world, diagnostic={k: v for k, v in DIAG.items() if k != "finance"})
    assert exc.value.field == "diagnostic.finance"
    assert _visit(world, diagnostic={**DIAG, "market": 4})


def test_actions_need_owner_and_due_date_after_the_visit(world):
    good = {"description": "Tenir le cahier de caisse", "owner": "Gérant", "due_on": D(2025, 7, 1)}
    with pytest.raises(ValidationFailed) as exc:
        _visit(world, actions=[{**good, "owner": ""}])
    assert exc.value.field == "actions.0.owner"
    with pytest.raises(ValidationFailed) as exc:
        _visit(world, actions=[good, {**good, "due_on": D(2025, 6, 30)}])
    assert (exc.value.code, exc.value.field) == ("action_due_before_visit", "actions.1.due_on")
    assert not Visit.objects.exists()
    assert _visit(world, actions=[good]).actions.count() == 1


def test_action_completion_by_staff_or_the_cooperatives_officer(world):
    visit = _visit(
        world, actions=[{"description": "AG", "owner": "Président", "due_on": D(2025, 8, 1)}]
    )
    action = visit.actions.get()
    with pytest.raises(Forbidden):
        visit_action_complete(actor=world.member, action=action, done_on=D(2025, 7, 20))
    with pytest.raises(NotFound):
        visit_action_complete(actor=world.agent_th, action=action, done_on=D(2025, 7, 20))
    with pytest.raises(ValidationFailed):
        visit_action_complete(actor=world.officer, action=action, done_on=D(2025, 6, 20))
    visit_action_complete(actor=world.officer, action=action, done_on=D(2025, 7, 20))
    assert action.status(D(2026, 1, 1)) == "done"
    with pytest.raises(Conflict):
        visit_action_complete(actor=world.agent_tc, action=action, done_on=D(2025, 7, 21))


def test_support_plan_one_per_cooperative(world):
    plan = support_plan_save(
        actor=world.agent_tc,
        cooperative=world.coop_tc,
        objectives="Immatriculer",
        target_stage="immatriculee",
    )
    again = support_plan_save(
        actor=world.agent_tc, cooperative=world.coop_tc, objectives="Démarrer l'activité"
    )
    assert again.pk == plan.pk and again.objectives == "Démarrer l'activité"
    with pytest.raises(ValidationFailed):
        support_plan_save(actor=world.agent_tc, cooperative=world.coop_tc, objectives=" ")
    with pytest.raises(NotFound):
        support_plan_save(actor=world.agent_tc, cooperative=world.coop_thies, objectives="X")


JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 64
WEBP = b"RIFF\x00\x00\x00\x00WEBPVP8 " + b"\x00" * 64


def test_visit_keeps_its_gps_position_and_photo(world):
    visit = _visit(world, position={"lat": 13.98765432, "lon": -14.5, "accuracy": 8.4}, photo=JPEG)
    visit.refresh_from_db()
    assert (str(visit.latitude), str(visit.longitude)) == ("13.98765", "-14.50000")
    assert visit.position_accuracy == 8
    assert (visit.photo.content_type, bytes(visit.photo.data)) == ("image/jpeg", JPEG)
    webp = _visit(world, photo=WEBP)
    assert webp.photo.content_type == "image/webp" and webp.latitude is None


@pytest.mark.parametrize(
    "position",
    [
        {"lat": 91, "lon": 0},
        {"lat": 0, "lon": -180.5},
        {"lat": "nan", "lon": 0},
        {"lat": 1, "lon": 1, "accuracy": -3},
        {"lon": 1},
        ["13", "-14"],
    ],
)
def test_a_position_outside_the_globe_is_refused(world, position):
    with pytest.raises(ValidationFailed) as exc:
        _visit(world, position=position)
    assert (exc.value.code, exc.value.field) == ("invalid_position", "position")
    assert not Visit.objects.exists()


@pytest.mark.parametrize(
    "photo",
    [b"<svg onload=alert(1)>", b"RIFF\x00\x00\x00\x00AVI LIST", JPEG + b"\x00" * 300_000],
)
def test_a_photo_other_than_a_small_jpeg_or_webp_is_refused(world, photo):
    with pytest.raises(ValidationFailed) as exc:
        _visit(world, photo=photo)
    assert (exc.value.code, exc.value.field) == ("invalid_photo", "photo")
    assert not Visit.objects.exists()
