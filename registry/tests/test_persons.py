"""Persons: phone, national ID, duplicates, merge, youth."""

import datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from core.errors import Conflict, ValidationFailed
from registry.models import Membership, Person
from registry.selectors import (
    duplicate_candidates_list,
    is_youth,
    person_duplicates,
    person_list,
    youth_q,
)
from registry.services import (
    employment_record,
    member_admit,
    normalize_national_id,
    normalize_phone,
    person_create,
    person_merge,
    person_update,
)
from registry.tests.factories import founders, registered

D = datetime.date(2025, 6, 1)


@pytest.mark.parametrize(
    "raw",
    ["77 123 45 67", "771234567", "+221 77 123 45 67", "00221771234567", "+221771234567"],
)
def test_phone_is_normalised_to_e164(raw):
    assert normalize_phone(raw) == "+221771234567"


def test_landline_and_foreign_numbers():
    assert normalize_phone("33 821 00 00") == "+221338210000"
    assert normalize_phone("+33 6 12 34 56 78") == "+33612345678"


@pytest.mark.parametrize("raw", ["12345", "77 123", "abc", "+221 99 999 99 99"])
def test_invalid_phone_is_refused_on_field_phone(raw):
    with pytest.raises(ValidationFailed) as exc:
        normalize_phone(raw)
    assert exc.value.field == "phone" and exc.value.code == "invalid_phone"


def test_national_id_loose_check():
    assert normalize_national_id("1 751 1990 01234") == "1751199001234"
    assert normalize_national_id("ab-12345") == "AB12345"
    assert normalize_national_id("") is None
    for bad in ["123", "12#45678", "1" * 21]:
        with pytest.raises(ValidationFailed) as exc:
            normalize_national_id(bad)
        assert exc.value.field == "national_id"


@given(st.from_regex(r"[0-9]{13}", fullmatch=True))
def test_any_thirteen_digit_card_is_accepted(number):
    assert normalize_national_id(number) == number


def test_person_create_validates_fields(world):
    with pytest.raises(ValidationFailed) as exc:
        person_create(actor=world.agent_tc, first_name="", last_name="Ba", sex="F")
    assert exc.value.field == "first_name"
    with pytest.raises(ValidationFailed) as exc:
        person_create(actor=world.agent_tc, first_name="Awa", last_name="Ba", sex="X")
    assert exc.value.field == "sex"
    with pytest.raises(ValidationFailed) as exc:
        person_create(actor=world.agent_tc, first_name="Awa", last_name="Ba", sex="F", phone="123")
    assert exc.value.field == "phone"
    assert not Person.objects.filter(first_name="Awa", last_name="Ba").exists()
    p = person_create(
        actor=world.agent_tc, first_name=" Awa ", last_name="Bâ", sex="F", phone="77 000 11 22"
    )
    assert p.first_name == "Awa" and p.phone == "+221770001122"
    assert person_list(actor=world.agent_tc, filters={"q": "ba awa"}).get() == p  # created_by
    assert person_list(actor=world.agent_th, filters={"q": "ba awa"}).count() == 0
    assert person_list(actor=world.national, filters={"q": "ba awa"}).get() == p
    assert person_list(actor=world.national, filters={"q": "770001122"}).get() == p
    assert person_list(actor=world.national, filters={"q": "77 000 11 22"}).get() == p


def test_duplicate_by_national_id_is_flagged(world):
    a = person_create(
        actor=world.national,
        first_name="Fatou",
        last_name="Diop",
        sex="F",
        national_id="1751199001234",
    )
    b = person_create(
        actor=world.national,
        first_name="Fatoumata",
        last_name="Diop",
        sex="F",
        national_id="1 751 1990 01234",
    )
    dups = list(person_duplicates(actor=world.national, person=b))
    assert dups == [a] and dups[0].duplicate_reason == "national_id"


def test_duplicate_by_phone_birth_date_and_folded_name(world):
    a = person_create(
        actor=world.national,
        first_name="Ndèye",
        last_name="Sène",
        sex="F",
        phone="770000001",
        birth_date=datetime.date(1990, 2, 3),
    )
    b = person_create(
        actor=world.national,
        first_name="NDEYE",
        last_name="sene",
        sex="F",
        phone="+221 77 000 00 01",
        birth_date=datetime.date(1990, 2, 3),
    )
    other_birth = person_create(
        actor=world.national,
        first_name="Ndeye",
        last_name="Sene",
        sex="F",
        phone="770000001",
        birth_date=datetime.date(1991, 2, 3),
    )
    assert [
        (p.pk, p.duplicate_reason) for p in person_duplicates(actor=world.national, person=b)
    ] == [(a.pk, "identity")]
    assert list(person_duplicates(actor=world.national, person=other_birth)) == []
    pairs = duplicate_candidates_list(actor=world.national)
    assert [(x.keep, x.duplicate, x.reason) for x in pairs] == [(a, b, "identity")]


def test_duplicates_are_listed_only_within_scope(world):
    for _ in range(2):
        person_create(
            actor=world.national,
            first_name="Moussa",
            last_name="Fall",
            sex="M",
            national_id="2000000000001",
            commune=world.koumpentoum,
        )
    assert len(duplicate_candidates_list(actor=world.agent_tc)) == 1
    assert duplicate_candidates_list(actor=world.agent_th) == []


def test_merge_moves_memberships_and_jobs_and_keeps_history(world):
    coop = registered(world.agent_tc, world.koumpentoum)
    coop2 = registered(world.agent_tc, world.koumpentoum, name="Autre")
    keep = person_create(
        actor=world.agent_tc,
        first_name="Aliou",
        last_name="Sow",
        sex="M",
        commune=world.koumpentoum,
    )
    dup = person_create(
        actor=world.agent_tc,
        first_name="Aliou",
        last_name="Sow",
        sex="M",
        commune=world.koumpentoum,
        phone="776543210",
        national_id="1234567890123",
    )
    m_keep = member_admit(
        actor=world.agent_tc, cooperative=coop, person=keep, joined_on=datetime.date(2025, 5, 1)
    )
    m_dup_same = member_admit(
        actor=world.agent_tc,
        cooperative=coop,
        person=dup,
        joined_on=datetime.date(2025, 4, 1),
        role="tresorier",
    )
    m_dup_other = member_admit(actor=world.agent_tc, cooperative=coop2, person=dup, joined_on=D)
    job = employment_record(
        actor=world.agent_tc,
        cooperative=coop,
        person=dup,
        job_title="Caissier",
        contract_type="cdd",
        started_on=D,
    )

    kept = person_merge(actor=world.agent_tc, keep=keep, duplicate=dup)

    dup.refresh_from_db()
    assert dup.merged_into == kept
    assert kept.phone == "+221776543210" and kept.national_id == "1234567890123"
    m_keep.refresh_from_db()
    assert m_keep.joined_on == datetime.date(2025, 4, 1) and m_keep.role == "tresorier"
    m_dup_same.refresh_from_db()
    assert m_dup_same.person == kept and m_dup_same.status == "left"
    m_dup_other.refresh_from_db()
    assert m_dup_other.person == kept and m_dup_other.status == "active"
    job.refresh_from_db()
    assert job.person == kept
    assert Membership.history.filter(id=m_dup_other.pk).count() == 2
    assert dup.history.count() == 2
    assert not person_list(actor=world.national).filter(pk=dup.pk).exists()
    assert Membership.objects.filter(person=kept, status="active").count() == 2
    with pytest.raises(Conflict):
        person_merge(actor=world.agent_tc, keep=kept, duplicate=dup)
    with pytest.raises(ValidationFailed):
        person_merge(actor=world.agent_tc, keep=kept, duplicate=kept)


def test_merged_person_cannot_be_admitted_or_edited(world):
    keep = person_create(actor=world.national, first_name="A", last_name="B", sex="F")
    dup = person_create(actor=world.national, first_name="A", last_name="B", sex="F")
    person_merge(actor=world.national, keep=keep, duplicate=dup)
    with pytest.raises(Conflict) as exc:
        member_admit(actor=world.national, cooperative=world.coop_tc, person=dup, joined_on=D)
    assert exc.value.code == "person_merged"
    with pytest.raises(Conflict):
        person_update(actor=world.national, person=dup, first_name="C")


def test_person_update_recomputes_search_and_identity(world):
    p = person_create(
        actor=world.national,
        first_name="Awa",
        last_name="Ka",
        sex="F",
        phone="770000009",
        birth_date=datetime.date(2000, 1, 1),
    )
    p = person_update(actor=world.national, person=p, last_name="Kâne")
    assert "kane" in p.search_text and p.identity_key.endswith("awa kane")
    with pytest.raises(ValidationFailed) as exc:
        person_update(actor=world.national, person=p, merged_into=None)
    assert exc.value.code == "not_editable"


@pytest.mark.parametrize(
    ("birth", "youth"),
    [
        (datetime.date(2010, 6, 2), False),  # 14 (15 tomorrow)
        (datetime.date(2010, 6, 1), True),  # 15 today
        (datetime.date(1990, 6, 2), True),  # 34, 35 tomorrow
        (datetime.date(1989, 6, 2), True),  # 35 until tomorrow
        (datetime.date(1989, 6, 1), False),  # 36 today
        (None, False),
    ],
)
def test_youth_band_from_settings(db, birth, youth):
    p = Person.objects.create(first_name="X", last_name="Y", sex="F", birth_date=birth)
    on = datetime.date(2025, 6, 1)
    assert is_youth(p, on) is youth
    assert Person.objects.filter(youth_q(on), pk=p.pk).exists() is youth


def test_youth_band_is_configurable(db, settings):
    settings.SUNUCOOP = {**settings.SUNUCOOP, "YOUTH_AGE_MAX": 40}
    p = Person.objects.create(
        first_name="X", last_name="Y", sex="F", birth_date=datetime.date(1986, 1, 1)
    )
    assert is_youth(p, datetime.date(2025, 6, 1))


def test_person_list_youth_filter(world):
    founders(world.national, world.coop_tc, 1)  # born 1990: 35 on 2025-06-01
    n = person_list(actor=world.national, filters={"youth": True, "as_of": D}).count()
    assert n == Person.objects.filter(youth_q(D)).count() > 0
