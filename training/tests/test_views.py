import datetime

import pytest
from django.urls import reverse

from training.models import Attendance, Module, Participant, SupportPlan, Visit
from training.services import participant_enrol, visit_record
from training.tests.factories import (
    ParticipantFactory,
    SessionFactory,
    VisitFactory,
    certified_trainer,
)

D = datetime.date


@pytest.fixture
def visit_tc(world):
    return visit_record(
        actor=world.agent_tc,
        cooperative=world.coop_tc,
        visited_on=D(2025, 7, 1),
        purpose="Suivi",
        actions=[{"description": "Caisse", "owner": "Trésorière", "due_on": D(2025, 8, 1)}],
        diagnostic=dict(governance=1, bookkeeping=2, production=3, market=4, finance=0),
    )


def test_pages_render_for_an_agent(world, client, session_tc, visit_tc):
    participant_enrol(actor=world.agent_tc, session=session_tc, person=world.persons_tc[0])
    client.force_login(world.agent_tc)
    for url in [
        reverse("training:session_list"),
        reverse("training:session_create"),
        reverse("training:session_detail", args=[session_tc.pk]),
        reverse("training:attendance_sheet", args=[session_tc.pk]),
        reverse("training:module_list"),
        reverse("training:trainer_list"),
        reverse("training:visit_list"),
        reverse("training:visit_create"),
        reverse("training:visit_detail", args=[visit_tc.pk]),
        reverse("training:cooperative_follow_up", args=[world.coop_tc.pk]),
        reverse("training:worklist"),
    ]:
        assert client.get(url).status_code == 200, url


def test_out_of_scope_pages_are_404(world, client, session_tc, visit_tc):
    client.force_login(world.agent_th)
    for url in [
        reverse("training:session_detail", args=[session_tc.pk]),
        reverse("training:attendance_sheet", args=[session_tc.pk]),
        reverse("training:attendance_pdf", args=[session_tc.pk]),
        reverse("training:visit_detail", args=[visit_tc.pk]),
        reverse("training:cooperative_follow_up", args=[world.coop_tc.pk]),
        reverse("training:visit_create") + f"?cooperative={world.coop_tc.pk}",
    ]:
        assert client.get(url).status_code == 404, url


def test_posting_a_visit_for_a_cooperative_outside_scope_is_404(world, client):
    client.force_login(world.agent_th)
    r = client.post(
        reverse("training:visit_create"),
        {"cooperative": world.coop_tc.pk, "visited_on": "2025-07-01", "purpose": "Suivi"},
    )
    assert r.status_code == 404
    assert not Visit.objects.exists()
    r = client.post(
        reverse("training:visit_create"),
        {"cooperative": world.coop_thies.pk, "visited_on": "2025-07-01", "purpose": "Suivi"},
    )
    assert r.status_code == 302
    assert Visit.objects.get().cooperative == world.coop_thies


def test_visit_form_keeps_input_and_shows_field_errors(world, client):
    client.force_login(world.agent_tc)
    r = client.post(
        reverse("training:visit_create"),
        {
            "cooperative": world.coop_tc.pk,
            "visited_on": "2025-07-01",
            "purpose": "Suivi de la caisse",
            "action_0_description": "Ouvrir un compte",
            "action_0_owner": "",
            "action_0_due_on": "2025-08-01",
            "diagnostic_governance": "3",
        },
    )
    assert r.status_code == 200
    html = r.content.decode()
    assert "Suivi de la caisse" in html and "Ouvrir un compte" in html
    assert "Notez chaque axe du diagnostic" in html or "Indiquez le responsable" in html
    assert not Visit.objects.exists()


def test_roles_that_may_not_write_get_403(world, client, session_tc):
    client.force_login(world.officer)
    assert client.get(reverse("training:session_create")).status_code == 403
    assert client.get(reverse("training:visit_create")).status_code == 403
    assert client.get(reverse("training:attendance_sheet", args=[session_tc.pk])).status_code in (
        403,
        404,
    )
    client.force_login(world.agent_tc)
    assert client.get(reverse("training:module_create")).status_code == 403


def test_national_edits_the_catalogue_page(world, client):
    m = Module.objects.get(code="my-marketing")
    client.force_login(world.national)
    r = client.post(
        reverse("training:module_edit", args=[m.pk]),
        {
            "code": m.code,
            "programme": "my",
            "title": "Marketing et vente",
            "position": 3,
            "duration_days": 3,
            "audience": "Gérants",
            "active": "on",
        },
    )
    assert r.status_code == 302
    m.refresh_from_db()
    assert (m.title, m.duration_days, m.code) == ("Marketing et vente", 3, "my-marketing")


def test_session_create_page_refuses_an_uncertified_trainer(world, client):
    uncertified = certified_trainer("my-finance", name="Binta Sané")
    client.force_login(world.agent_tc)
    body = {
        "module": Module.objects.get(code="think-coop").pk,
        "kind": "regular",
        "commune": world.koumpentoum.pk,
        "starts_on": "2025-06-02",
        "ends_on": "2025-06-02",
        "trainers": [uncertified.pk],
    }
    r = client.post(reverse("training:session_create"), body)
    assert r.status_code == 200
    assert "Formateur non certifié pour ce module : Binta Sané." in r.content.decode()


def test_attendance_sheet_grid_entry(world, client, session_tc):
    a = participant_enrol(actor=world.agent_tc, session=session_tc, person=world.persons_tc[0])
    b = participant_enrol(actor=world.agent_tc, session=session_tc, person=world.persons_tc[1])
    client.force_login(world.agent_tc)
    data = {f"p{a.pk}_{d:%Y%m%d}": "1" for d in session_tc.days}
    data[f"p{b.pk}_20250602"] = "1"
    data[f"score_{a.pk}"] = "15"
    r = client.post(reverse("training:attendance_sheet", args=[session_tc.pk]), data)
    assert r.status_code == 302
    a.refresh_from_db(), b.refresh_from_db()
    assert a.completed and not b.completed and a.evaluation_score == 15
    assert Attendance.objects.filter(present=True).count() == 4
    # A bad score comes back with what was typed and writes nothing more.
    data[f"score_{b.pk}"] = "25"
    data.pop(f"p{a.pk}_20250603")
    r = client.post(reverse("training:attendance_sheet", args=[session_tc.pk]), data)
    assert r.status_code == 200
    assert "entre 0 et 20" in r.content.decode()
    a.refresh_from_db()
    assert a.completed


def test_attendance_pdf(world, client, session_tc):
    participant_enrol(actor=world.agent_tc, session=session_tc, person=world.persons_tc[0])
    client.force_login(world.agent_tc)
    r = client.get(reverse("training:attendance_pdf", args=[session_tc.pk]))
    assert r.status_code == 200
    assert r["Content-Type"] == "application/pdf"
    assert r.content.startswith(b"%PDF")


def test_support_plan_page(world, client):
    client.force_login(world.agent_tc)
    url = reverse("training:cooperative_follow_up", args=[world.coop_tc.pk])
    r = client.post(url, {"objectives": "", "target_stage": "immatriculee"})
    assert r.status_code == 200 and not SupportPlan.objects.exists()
    r = client.post(url, {"objectives": "Immatriculer au RSC", "target_stage": "immatriculee"})
    assert r.status_code == 302
    assert SupportPlan.objects.get().objectives == "Immatriculer au RSC"


def test_worklist_lists_unvisited_overdue_and_coming(world, client):
    VisitFactory(cooperative=world.coop_tc, visited_on=D(2020, 1, 1))
    client.force_login(world.agent_th)
    r = client.get(reverse("training:worklist") + "?days=30")
    html = r.content.decode()
    assert world.coop_thies.name in html and world.coop_mbour.name in html
    assert world.coop_tc.name not in html


def test_list_pages_query_counts(world, client, django_assert_max_num_queries):
    trainer = certified_trainer("think-coop")
    for i in range(30):
        s = SessionFactory(commune=world.koumpentoum, trainers=[trainer])
        ParticipantFactory(session=s, person=world.persons_tc[i % 3], cooperative=world.coop_tc)
        v = VisitFactory(
            cooperative=world.coop_tc, visited_on=D(2025, 1, 1) + datetime.timedelta(i)
        )
        v.actions.create(
            cooperative=world.coop_tc, description="x", owner="y", due_on=D(2025, 3, 1)
        )
    client.force_login(world.agent_tc)
    for name in ["training:session_list", "training:visit_list", "training:worklist"]:
        client.get(reverse(name))  # warm up session/user
        with django_assert_max_num_queries(8):
            r = client.get(reverse(name))
        assert r.status_code == 200
    assert Participant.objects.count() == 30


def test_enrol_one_person_from_the_session_page(world, client, session_tc):
    client.force_login(world.agent_tc)
    url = reverse("training:session_detail", args=[session_tc.pk])
    person = world.persons_tc[0]
    r = client.get(url, {"q": person.last_name})
    assert str(person) in r.content.decode()
    r = client.post(url, {"person": person.pk})
    assert r.status_code == 302
    assert Participant.objects.get(session=session_tc).person == person
    # Already enrolled: not a candidate any more; a person out of scope: 404.
    r = client.get(url, {"q": person.last_name})
    assert f'name="person" value="{person.pk}"' not in r.content.decode()
    assert client.post(url, {"person": world.persons_thies[0].pk}).status_code == 404


def test_national_registers_a_trainer_linked_to_an_account_and_certifies(world, client):
    from training.models import Certification, Trainer

    client.force_login(world.national)
    url = reverse("training:trainer_list")
    r = client.post(url, {"t-name": "", "t-username": "inconnu", "t-kind": "agent"})
    assert r.status_code == 200 and "Aucun compte actif" in r.content.decode()
    r = client.post(url, {"t-name": "", "t-username": "agent-th", "t-kind": "agent"})
    assert r.status_code == 302
    trainer = Trainer.objects.get(user=world.agent_th)
    r = client.post(
        url,
        {
            "c-trainer": trainer.pk,
            "c-module": Module.objects.get(code="think-coop").pk,
            "c-certified_on": "2025-03-01",
        },
    )
    assert r.status_code == 302
    assert Certification.objects.filter(trainer=trainer).count() == 1
    client.force_login(world.agent_tc)
    assert client.post(url, {"t-name": "X", "t-kind": "agent"}).status_code == 403


def test_visit_page_shows_the_gps_position_and_the_photo_to_who_may_see_it(world, client):
    jpeg = b"\xff\xd8\xff\xe0" + b"\x01" * 32
    visit = visit_record(
        actor=world.agent_tc,
        cooperative=world.coop_tc,
        visited_on=D(2025, 7, 1),
        purpose="Suivi",
        position={"lat": 13.98765, "lon": -14.5, "accuracy": 9},
        photo=jpeg,
    )
    client.force_login(world.agent_tc)
    page = client.get(reverse("training:visit_detail", args=[visit.pk])).content.decode()
    assert "13.98765, -14.50000" in page and "± 9 m" in page
    photo_url = reverse("training:visit_photo", args=[visit.pk])
    assert f'src="{photo_url}"' in page
    answer = client.get(photo_url)
    assert (answer.status_code, answer["Content-Type"], answer.content) == (200, "image/jpeg", jpeg)
    assert answer["Cache-Control"] == "private, max-age=86400"
    client.force_login(world.agent_th)  # another region: neither the page nor the photo
    assert client.get(photo_url).status_code == 404
    # a visit without position nor photo says nothing of them
    bare = visit_record(
        actor=world.agent_tc, cooperative=world.coop_tc, visited_on=D(2025, 7, 2), purpose="Suivi"
    )
    client.force_login(world.agent_tc)
    page = client.get(reverse("training:visit_detail", args=[bare.pk])).content.decode()
    assert "Position GPS" not in page and "/photo/" not in page
    assert client.get(reverse("training:visit_photo", args=[bare.pk])).status_code == 404
