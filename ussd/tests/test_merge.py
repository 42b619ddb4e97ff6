import pytest

from registry.services import person_merge
from ussd.models import UssdPin
from ussd.services import ussd_pin_set

pytestmark = pytest.mark.django_db


def _phone(person, number):
    person.phone = number
    person.save()
    return person


def test_the_duplicates_pin_moves_to_the_kept_person(world):
    keep, duplicate = world.persons_tc[1], _phone(world.persons_tc[2], "+221771230002")
    ussd_pin_set(person=duplicate, pin="2468", actor=world.national)
    person_merge(actor=world.national, keep=keep, duplicate=duplicate)
    assert UssdPin.objects.get().person == keep


def test_when_both_have_a_pin_the_kept_one_stays(world):
    keep = _phone(world.persons_tc[1], "+221771230001")
    duplicate = _phone(world.persons_tc[2], "+221771230002")
    kept_pin = ussd_pin_set(person=keep, pin="2468", actor=world.national)
    ussd_pin_set(person=duplicate, pin="8642", actor=world.national)
    person_merge(actor=world.national, keep=keep, duplicate=duplicate)
    assert list(UssdPin.objects.all()) == [kept_pin]
