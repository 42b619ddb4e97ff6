"""The registry's HTML pages, per role: scoping (404), permissions (403), forms, lists."""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from registry.models import Cooperative, Membership, Person
from registry.services import person_update
from registry.tests.factories import (
    CooperativeFactory,
    MembershipFactory,
    PersonFactory,
    founders,
    registered,
)

pytestmark = pytest.mark.django_db

LIST = reverse("registry:cooperative_list")


def detail(coop):
    return reverse("registry:cooperative_detail", args=[coop.pk])


def edit(coop):
    return reverse("registry:cooperative_edit", args=[coop.pk])


def as_user(client, user):
    client.force_login(user)
    return client


def names(response):
    return {c.name for c in response.context["page"].object_list}


# ----------------------------------------------------------------- scoping per role


def test_national_sees_every_cooperative(client, world):
    response = as_user(client, world.national).get(LIST)
    assert response.status_code == 200
    assert names(response) == {world.coop_tc.name, world.coop_mbour.name, world.coop_thies.name}
    assert "3 coopératives" in response.content.decode()


def test_agent_sees_only_their_region(client, world):
    response = as_user(client, world.agent_th).get(LIST)
    assert names(response) == {world.coop_mbour.name, world.coop_thies.name}
    assert world.coop_tc.name not in response.content.decode()


def test_agent_of_thies_gets_404_on_a_tambacounda_cooperative(client, world):
    c = as_user(client, world.agent_th)
    page = c.get(detail(world.coop_tc))
    assert page.status_code == 404
    assert "Page introuvable" in page.content.decode()
    assert world.coop_tc.name not in page.content.decode()
    assert c.get(edit(world.coop_tc)).status_code == 404
    assert c.post(edit(world.coop_tc), {"name": "Piratée"}).status_code == 404
    stage = reverse("registry:cooperative_stage", args=[world.coop_tc.pk])
    assert c.post(stage, {"stage": "en_constitution", "on": "2025-05-01"}).status_code == 404
    admit = reverse("registry:member_admit", args=[world.coop_tc.pk])
    assert c.get(admit).status_code == 404
    world.coop_tc.refresh_from_db()
    assert world.coop_tc.name == "Coopérative des tisserands de Koumpentoum"
    assert world.coop_tc.stage == "sensibilisee"
    # ... while the same agent sees and edits a cooperative of Thiès
    assert c.get(detail(world.coop_thies)).status_code == 200
    assert c.get(edit(world.coop_thies)).status_code == 200


def test_agent_of_the_area_edits_the_cooperative(client, world):
    c = as_user(client, world.agent_tc)
    page = c.get(detail(world.coop_tc))
    assert page.status_code == 200
    assert edit(world.coop_tc) in page.content.decode()
    form = page.context["stage_form"]
    assert form is not None
    data = {
        "name": "Tisserands unis de Koumpentoum",
        "legal_form": "SCOOPS",
        "commune": world.koumpentoum.pk,
        "sector": world.coop_tc.sector.code,
        "value_chain_stage": "production",
    }
    response = c.post(edit(world.coop_tc), data)
    assert response.status_code == 302
    world.coop_tc.refresh_from_db()
    assert world.coop_tc.name == "Tisserands unis de Koumpentoum"
    page = c.get(detail(world.coop_tc))
    assert "modifié : nom" in page.content.decode()


@pytest.mark.parametrize("role", ["lender", "nobody"])
def test_lender_and_roleless_user_see_no_cooperative(client, world, role):
    c = as_user(client, getattr(world, role))
    assert names(c.get(LIST)) == set()
    assert c.get(detail(world.coop_tc)).status_code == 404
    assert c.get(edit(world.coop_tc)).status_code == 404
    assert c.get(reverse("registry:cooperative_create")).status_code == 403


def test_member_reads_their_cooperative_but_cannot_edit_it(client, world):
    c = as_user(client, world.member)
    page = c.get(detail(world.coop_tc))
    assert page.status_code == 200
    html = page.content.decode()
    assert edit(world.coop_tc) not in html
    assert reverse("registry:member_admit", args=[world.coop_tc.pk]) not in html
    assert c.get(edit(world.coop_tc)).status_code == 403
    assert c.post(edit(world.coop_tc), {"name": "x"}).status_code == 403
    assert c.get(reverse("registry:member_admit", args=[world.coop_tc.pk])).status_code == 403
    assert c.get(detail(world.coop_thies)).status_code == 404


def test_officer_manages_members_of_their_own_cooperative_only(client, world):
    c = as_user(client, world.officer)
    # read-only on the cooperative itself
    assert c.get(edit(world.coop_tc)).status_code == 403
    page = c.get(detail(world.coop_tc))
    assert page.context["can_manage_members"] and not page.context["can_edit"]
    # admits a new person in their cooperative
    admit = reverse("registry:member_admit", args=[world.coop_tc.pk])
    response = c.post(
        admit,
        {
            "joined_on": "2025-06-01",
            "role": "membre",
            "new_first_name": "Ndèye",
            "new_last_name": "Sène",
            "new_sex": "F",
            "new_birth_date": "2001-02-03",
        },
    )
    assert response.status_code == 302, response.context["form"].errors
    assert Membership.objects.filter(
        cooperative=world.coop_tc, person__last_name="Sène", status="active"
    ).exists()
    # another cooperative: not even visible
    other = reverse("registry:member_admit", args=[world.coop_thies.pk])
    assert c.get(other).status_code == 404
    membership = Membership.objects.filter(cooperative=world.coop_thies).first()
    leave = reverse("registry:member_leave", args=[world.coop_thies.pk, membership.pk])
    assert c.post(leave, {"left_on": "2025-07-01"}).status_code == 404
    # a membership of another cooperative through this cooperative's URL: 404 too
    mixed = reverse("registry:member_leave", args=[world.coop_tc.pk, membership.pk])
    assert c.post(mixed, {"left_on": "2025-07-01"}).status_code == 404
    membership.refresh_from_db()
    assert membership.status == "active"


def test_menu_shows_registry_entries_to_staff_not_to_lender(client, world):
    html = as_user(client, world.agent_th).get(LIST).content.decode()
    assert f'href="{LIST}"' in html
    assert f'href="{reverse("registry:person_list")}"' in html
    client.logout()
    html = as_user(client, world.lender).get(reverse("home")).content.decode()
    assert f'href="{LIST}"' not in html


def test_pages_require_login(client, world):
    response = client.get(LIST)
    assert response.status_code == 302
    assert reverse("login") in response["Location"]


# ----------------------------------------------------------------- list: search, filters, sort


def test_search_ignores_case_and_accents(client, world):
    c = as_user(client, world.national)
    for q in ("thies", "THIÈS", "  Thiès  "):
        assert names(c.get(LIST, {"q": q})) == {world.coop_thies.name}, q
    assert names(c.get(LIST, {"q": "couturieres thies"})) == {world.coop_thies.name}
    response = c.get(LIST, {"q": "introuvable"})
    assert names(response) == set()
    assert "Aucune coopérative ne correspond" in response.content.decode()


def test_filters_by_area_stage_form_and_women_led(client, world):
    c = as_user(client, world.national)
    assert names(c.get(LIST, {"region": "SN-TC"})) == {world.coop_tc.name}
    assert names(c.get(LIST, {"region": "SN-TH", "department": "SN-TH-MBO"})) == {
        world.coop_mbour.name
    }
    Cooperative.objects.filter(pk=world.coop_mbour.pk).update(stage="immatriculee")
    Cooperative.objects.filter(pk=world.coop_thies.pk).update(legal_form="COOP-CA")
    assert names(c.get(LIST, {"stage": "immatriculee"})) == {world.coop_mbour.name}
    assert names(c.get(LIST, {"legal_form": "COOP-CA"})) == {world.coop_thies.name}
    # women-led: the active president is a woman
    woman = PersonFactory(sex="F")
    MembershipFactory(cooperative=world.coop_thies, person=woman, role="president")
    assert names(c.get(LIST, {"women_led": "1"})) == {world.coop_thies.name}
    assert world.coop_thies.name not in names(c.get(LIST, {"women_led": "0"}))
    # an invalid value is ignored rather than failing
    assert len(names(c.get(LIST, {"stage": "nimporte"}))) == 3


def test_department_choices_follow_the_region(client, world):
    c = as_user(client, world.national)
    form = c.get(LIST, {"region": "SN-TC"}).context["form"]
    codes = {code for code, _ in form.fields["department"].choices if code}
    assert "SN-TC-KPT" in codes and "SN-TH-MBO" not in codes


def test_sorting_by_column_headers(client, world):
    c = as_user(client, world.national)
    MembershipFactory.create_batch(2, cooperative=world.coop_mbour)
    by_members = c.get(LIST, {"ordering": "-member_count"})
    assert by_members.context["page"].object_list[0] == world.coop_mbour
    ordered = [x.name for x in c.get(LIST, {"ordering": "-name"}).context["page"].object_list]
    assert ordered == sorted(ordered, reverse=True)
    html = c.get(LIST, {"q": "coop", "ordering": "name"}).content.decode()
    links = re.findall(r'<th[^>]*><a href="\?([^"]*)"', html)
    assert "q=coop&amp;ordering=-name" in links  # next click reverses, keeps the search
    assert "q=coop&amp;ordering=stage" in links


def test_pagination_keeps_the_filters(client, world):
    CooperativeFactory.create_batch(30, commune=world.mbour, name="Groupement de Mbour")
    c = as_user(client, world.national)
    first = c.get(LIST, {"region": "SN-TH"})
    assert first.context["page"].paginator.count == 32
    assert len(first.context["page"].object_list) == 25
    html = first.content.decode()
    assert "region=SN-TH&amp;page=2" in html
    assert "32 coopératives" in html
    second = c.get(LIST, {"region": "SN-TH", "page": 2})
    assert len(second.context["page"].object_list) == 7
    assert c.get(LIST, {"page": 99}).context["page"].number == 2  # past the end: last page


def test_htmx_request_gets_only_the_results(client, world):
    c = as_user(client, world.national)
    response = c.get(LIST, {"q": "thies"}, headers={"HX-Request": "true"})
    html = response.content.decode()
    assert "<html" not in html
    assert world.coop_thies.name in html and 'hx-swap-oob="true"' in html
    assert "<html" in c.get(LIST, {"q": "thies"}).content.decode()


def _list_queries(client, user, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("url_name", ["registry:cooperative_list", "registry:person_list"])
def test_list_query_count_does_not_grow_with_rows(
    client, world, django_assert_max_num_queries, url_name
):
    c = as_user(client, world.agent_th)
    for i in range(30):
        coop = CooperativeFactory(commune=world.mbour, name=f"Coop {i}")
        MembershipFactory(cooperative=coop, person=PersonFactory(commune=world.mbour))
    url = reverse(url_name)
    c.get(url)  # warm the session and caches
    small = _list_queries(c, world.agent_th, url)
    for i in range(30):
        coop = CooperativeFactory(commune=world.thies, name=f"Coop bis {i}")
        MembershipFactory(cooperative=coop, person=PersonFactory(commune=world.thies))
    with django_assert_max_num_queries(12):
        c.get(url)
    assert _list_queries(c, world.agent_th, url) == small


# ----------------------------------------------------------------- forms


def _coop_data(world, **extra):
    data = {
        "name": "Coopérative des teinturières de Mbour",
        "legal_form": "SCOOPS",
        "commune": world.mbour.pk,
        "sector": world.coop_tc.sector.code,
        "value_chain_stage": "production",
        "founded_on": "2025-03-21",
        "phone": "77 123 45 67",
    }
    data.update(extra)
    return data


def test_create_form_keeps_input_and_shows_french_errors(client, world):
    c = as_user(client, world.agent_th)
    url = reverse("registry:cooperative_create")
    response = c.post(url, _coop_data(world, name="", founded_on="31/02/2025"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Ce champ est obligatoire." in html
    assert "Saisissez une date valide." in html
    assert 'value="77 123 45 67"' in html  # nothing lost
    assert not Cooperative.objects.filter(commune=world.mbour, name="").exists()


def test_create_form_shows_service_errors_on_the_field(client, world):
    c = as_user(client, world.agent_th)
    url = reverse("registry:cooperative_create")
    response = c.post(url, _coop_data(world, phone="12"))
    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors.get("phone"), form.errors
    assert 'value="Coopérative des teinturières de Mbour"' in response.content.decode()


def test_create_form_registers_the_cooperative(client, world):
    c = as_user(client, world.agent_th)
    response = c.post(reverse("registry:cooperative_create"), _coop_data(world))
    coop = Cooperative.objects.get(name="Coopérative des teinturières de Mbour")
    assert response.status_code == 302
    assert response["Location"] == detail(coop)
    assert coop.phone == "+221771234567"
    page = c.get(detail(coop))
    assert "Coopérative enregistrée." in page.content.decode()
    assert [t.to_stage for t in page.context["timeline"]] == ["sensibilisee"]


def test_agent_cannot_register_outside_their_area(client, world):
    c = as_user(client, world.agent_th)
    form = c.get(reverse("registry:cooperative_create")).context["form"]
    communes = set(form.fields["commune"].queryset)
    assert world.mbour in communes and world.koumpentoum not in communes
    response = c.post(
        reverse("registry:cooperative_create"), _coop_data(world, commune=world.koumpentoum.pk)
    )
    assert response.status_code == 200
    assert response.context["form"].errors.get("commune")
    assert not Cooperative.objects.filter(name="Coopérative des teinturières de Mbour").exists()


def test_stage_change_shows_the_ohada_refusal_in_french(client, world):
    coop = registered(world.agent_th, world.mbour, name="SCOOPS test")
    founders(world.agent_th, coop, 4)
    c = as_user(client, world.agent_th)
    url = reverse("registry:cooperative_stage", args=[coop.pk])
    assert c.post(url, {"stage": "en_constitution", "on": "2025-04-02"}).status_code == 302
    response = c.post(url, {"stage": "immatriculee", "on": "2025-05-02"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "au moins 5 membres actifs" in html
    coop.refresh_from_db()
    assert coop.stage == "en_constitution"
    # a 5th member, and the same request passes
    person = PersonFactory(commune=world.mbour)
    admit = reverse("registry:member_admit", args=[coop.pk])
    assert (
        c.post(
            admit, {"person": person.pk, "joined_on": "2025-04-20", "role": "membre"}
        ).status_code
        == 302
    )
    response = c.post(
        url,
        {"stage": "immatriculee", "on": "2025-05-02", "registration_number": "SN-MBR-2025-C-12"},
    )
    assert response.status_code == 302
    coop.refresh_from_db()
    assert coop.stage == "immatriculee" and coop.registration_number == "SN-MBR-2025-C-12"
    timeline = c.get(detail(coop)).context["timeline"]
    assert [(t.to_stage, t.on) for t in timeline][-1] == ("immatriculee", datetime.date(2025, 5, 2))


def test_stage_form_offers_only_lawful_next_stages(client, world):
    c = as_user(client, world.national)
    form = c.get(reverse("registry:cooperative_stage", args=[world.coop_tc.pk])).context["form"]
    assert {code for code, _ in form.fields["stage"].choices} == {"en_constitution", "dissoute"}


def test_member_admit_search_and_existing_person(client, world):
    c = as_user(client, world.agent_th)
    url = reverse("registry:member_admit", args=[world.coop_thies.pk])
    target = world.persons_mbour[0]
    response = c.get(url, {"q": target.last_name})
    assert target in response.context["candidates"]
    assert world.persons_tc[0] not in response.context["candidates"]  # out of scope
    response = c.get(url, {"q": target.last_name, "person": target.pk})
    assert response.context["chosen"] == target
    response = c.post(url, {"person": target.pk, "joined_on": "2025-05-01", "role": "membre"})
    assert response.status_code == 302
    assert Membership.objects.filter(cooperative=world.coop_thies, person=target).exists()
    partial = c.get(url, {"q": target.last_name}, headers={"HX-Request": "true"})
    assert "<html" not in partial.content.decode()


def test_member_admit_without_a_person_explains_what_is_missing(client, world):
    c = as_user(client, world.agent_th)
    url = reverse("registry:member_admit", args=[world.coop_thies.pk])
    before = Membership.objects.count()
    response = c.post(url, {"joined_on": "2025-05-01", "role": "membre"})
    assert response.status_code == 200
    assert "Choisissez une personne existante" in response.content.decode()
    response = c.post(
        url, {"joined_on": "2025-05-01", "role": "membre", "new_first_name": "Awa", "new_sex": "F"}
    )
    assert response.context["form"].errors.get("new_last_name")
    assert 'value="Awa"' in response.content.decode()
    assert Membership.objects.count() == before


def test_member_admit_refusal_creates_no_person(client, world):
    c = as_user(client, world.agent_th)
    url = reverse("registry:member_admit", args=[world.coop_thies.pk])
    persons = Person.objects.count()
    # a join date in the future of the cooperative's... use an invalid phone: person refused
    response = c.post(
        url,
        {
            "joined_on": "2025-05-01",
            "role": "membre",
            "new_first_name": "Awa",
            "new_last_name": "Diop",
            "new_sex": "F",
            "new_phone": "12",
        },
    )
    assert response.status_code == 200
    assert response.context["form"].errors.get("new_phone")
    assert Person.objects.count() == persons


def test_member_leave_asks_for_confirmation(client, world):
    c = as_user(client, world.agent_tc)
    membership = Membership.objects.filter(cooperative=world.coop_tc).first()
    url = reverse("registry:member_leave", args=[world.coop_tc.pk, membership.pk])
    page = c.get(url)
    assert "Confirmez-vous la sortie" in page.content.decode()
    membership.refresh_from_db()
    assert membership.status == "active"
    assert c.post(url, {"left_on": "2025-08-01"}).status_code == 302
    membership.refresh_from_db()
    assert membership.status == "left" and membership.left_on == datetime.date(2025, 8, 1)


def test_member_role_change_and_committee_limit(client, world):
    c = as_user(client, world.agent_tc)
    ms = list(Membership.objects.filter(cooperative=world.coop_tc).order_by("pk"))
    for m, role in zip(ms, ["president", "secretaire", "tresorier"], strict=True):
        url = reverse("registry:member_role", args=[world.coop_tc.pk, m.pk])
        assert c.post(url, {"role": role}).status_code == 302
    extra = MembershipFactory(cooperative=world.coop_tc, person=PersonFactory())
    url = reverse("registry:member_role", args=[world.coop_tc.pk, extra.pk])
    response = c.post(url, {"role": "vice_president"})
    assert response.status_code == 200
    assert "comité de gestion" in response.content.decode()
    extra.refresh_from_db()
    assert extra.role == "membre"


def test_record_and_end_a_job(client, world):
    c = as_user(client, world.officer)
    person = world.persons_tc[0]
    url = reverse("registry:employment_record", args=[world.coop_tc.pk])
    data = {
        "person": person.pk,
        "job_title": "Tisserande",
        "contract_type": "cdi",
        "started_on": "2025-05-01",
        "monthly_pay": "90000",
        "social_security": "on",
    }
    assert c.post(url, data).status_code == 302
    page = c.get(detail(world.coop_tc))
    html = page.content.decode()
    assert "Tisserande" in html and "emploi décent" in html
    job = page.context["jobs"][0]
    end = reverse("registry:employment_end", args=[world.coop_tc.pk, job.pk])
    assert c.post(end, {"ended_on": "2025-04-01"}).status_code == 200  # before the start
    assert c.post(end, {"ended_on": "2025-12-31"}).status_code == 302
    job.refresh_from_db()
    assert job.ended_on == datetime.date(2025, 12, 31)


# ----------------------------------------------------------------- persons


def test_person_list_scoped_searched_and_filtered(client, world):
    c = as_user(client, world.agent_th)
    url = reverse("registry:person_list")
    seen = set(c.get(url).context["page"].object_list)
    assert seen == set(world.persons_mbour + world.persons_thies)
    woman = world.persons_thies[0]
    person_update(actor=world.national, person=woman, last_name="Sène")
    assert list(c.get(url, {"q": "SENE"}).context["page"].object_list) == [woman]
    only_f = c.get(url, {"sex": "F"}).context["page"].object_list
    assert only_f and all(p.sex == "F" for p in only_f)
    assert (
        c.get(reverse("registry:person_detail", args=[world.persons_tc[0].pk])).status_code == 404
    )


def test_person_create_then_duplicate_warning_and_merge(client, world):
    c = as_user(client, world.agent_th)
    data = {
        "first_name": "Fatou",
        "last_name": "Ndiaye",
        "sex": "F",
        "birth_date": "1995-04-12",
        "phone": "77 555 44 33",
        "commune": world.thies.pk,
    }
    url = reverse("registry:person_create")
    assert c.post(url, data).status_code == 302
    first = Person.objects.get(last_name="Ndiaye", phone="+221775554433")
    data.update(first_name="FATOU", last_name="NDIAYE")
    response = c.post(url, data, follow=True)
    second = response.context["person"]
    assert second.pk != first.pk
    html = response.content.decode()
    assert "Doublon probable" in html
    assert reverse("registry:person_detail", args=[first.pk]) in html
    # the duplicates page lists the pair; merging asks for confirmation
    dup_page = c.get(reverse("registry:duplicate_list"))
    pairs = {(p.keep.pk, p.duplicate.pk) for p in dup_page.context["candidates"]}
    assert (first.pk, second.pk) in pairs
    merge = reverse("registry:person_merge", args=[first.pk, second.pk])
    assert "Confirmer la fusion" in c.get(merge).content.decode()
    second.refresh_from_db()
    assert second.merged_into is None
    assert c.post(merge).status_code == 302
    second.refresh_from_db()
    assert second.merged_into == first


def test_person_edit_and_permissions(client, world):
    person = world.persons_tc[0]
    url = reverse("registry:person_edit", args=[person.pk])
    assert as_user(client, world.agent_th).get(url).status_code == 404
    client.logout()
    assert as_user(client, world.member).get(url).status_code in (403, 404)
    client.logout()
    c = as_user(client, world.officer)
    data = {"first_name": person.first_name, "last_name": "Diallo", "sex": person.sex}
    assert c.post(url, data).status_code == 302
    person.refresh_from_db()
    assert person.last_name == "Diallo"


def test_duplicates_page_is_for_staff(client, world):
    assert as_user(client, world.officer).get(reverse("registry:duplicate_list")).status_code == 403


# ----------------------------------------------------------------- exports


def test_export_links_carry_the_filters(client, world):
    html = as_user(client, world.national).get(LIST, {"region": "SN-TH"}).content.decode()
    assert reverse("registry:cooperative_export", args=["xlsx"]) + "?region=SN-TH" in html
    assert reverse("registry:cooperative_export", args=["csv"]) + "?region=SN-TH" in html


def test_export_is_the_filtered_scoped_list(client, world):
    c = as_user(client, world.agent_th)
    url = reverse("registry:cooperative_export", args=["csv"])
    response = c.get(url, {"q": "thies"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    text = response.content.decode("utf-8-sig")
    assert world.coop_thies.name in text
    assert world.coop_mbour.name not in text and world.coop_tc.name not in text
    everything = c.get(url).content.decode("utf-8-sig")
    assert world.coop_mbour.name in everything and world.coop_tc.name not in everything
    xlsx = c.get(reverse("registry:cooperative_export", args=["xlsx"]))
    assert xlsx["Content-Type"].startswith("application/vnd.openxmlformats")
    assert xlsx.content[:2] == b"PK"
    assert c.get(reverse("registry:cooperative_export", args=["pdf"])).status_code == 404
    persons = c.get(reverse("registry:person_export", args=["csv"]), {"sex": "F"})
    text = persons.content.decode("utf-8-sig")
    expected = [p for p in world.persons_mbour + world.persons_thies if p.sex == "F"]
    assert len(text.strip().splitlines()) == 1 + len(expected)
