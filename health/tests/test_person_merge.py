"""Merging two records of one person moves their cover and claims (registry hook)."""

import datetime

import pytest

from core.errors import Conflict
from health.models import HouseholdMember
from health.tests.factories import enrolled, national_user, scheme_of_example
from registry.services import person_merge
from registry.tests.factories import PersonFactory

D = datetime.date


@pytest.mark.django_db
def test_a_merged_duplicate_leaves_its_cover_to_the_kept_record(world):
    national = national_user()
    scheme = scheme_of_example(national)
    household = enrolled(world.officer, scheme, world.coop_tc, 2)
    spouse_line = household.members.get(relation="spouse")
    keep = PersonFactory(commune=world.koumpentoum)
    person_merge(actor=world.national, keep=keep, duplicate=spouse_line.person)
    spouse_line.refresh_from_db()
    assert spouse_line.person == keep and spouse_line.left_on is None


@pytest.mark.django_db
def test_two_records_in_two_households_of_one_scheme_are_not_merged(world):
    national = national_user()
    scheme = scheme_of_example(national)
    first = enrolled(world.officer, scheme, world.coop_tc, 2)
    second = enrolled(world.officer, scheme, world.coop_tc, 2)
    a = first.members.get(relation="spouse").person
    b = second.members.get(relation="spouse").person
    with pytest.raises(Conflict) as exc:
        person_merge(actor=world.national, keep=a, duplicate=b)
    assert exc.value.code == "merge_two_households"
    assert HouseholdMember.objects.filter(person=b).count() == 1
