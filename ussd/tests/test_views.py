import pytest
from django.urls import reverse

from ussd.models import UssdPin
from ussd.services import ussd_pin_set

pytestmark = pytest.mark.django_db


def test_agent_sets_a_pin_for_a_member_of_the_area(client, world):
    person = world.persons_tc[1]
    person.phone = "+221771230000"
    person.save()
    client.force_login(world.agent_tc)
    url = reverse("ussd:pin_set", args=[person.pk])
    assert client.get(url).status_code == 200
    r = client.post(url, {"pin": "2468", "pin_again": "2468"})
    assert r.status_code == 302
    pin = UssdPin.objects.get(person=person)
    assert pin.pin_hash != "2468" and "2468" not in pin.pin_hash  # stored hashed
    assert pin.user.roles.get().role == "member" and not pin.user.has_usable_password()
    assert pin.set_by == world.agent_tc
    history_fields = {f.name for f in UssdPin.history.model._meta.fields}
    assert "pin_hash" not in history_fields and "failed_attempts" in history_fields


@pytest.mark.parametrize(
    "pin,again,message",
    [
        ("12a4", "12a4", "4 à 6 chiffres"),
        ("123", "123", "4 à 6 chiffres"),
        ("1111", "1111", "trop facile"),
        ("1234", "1234", "trop facile"),
        ("2468", "2469", "pas identiques"),
    ],
)
def test_bad_pins_are_refused_with_a_clear_message(client, world, pin, again, message):
    person = world.persons_tc[1]
    person.phone = "+221771230000"
    person.save()
    client.force_login(world.agent_tc)
    r = client.post(reverse("ussd:pin_set", args=[person.pk]), {"pin": pin, "pin_again": again})
    assert r.status_code == 200 and message in r.content.decode()
    assert not UssdPin.objects.exists()


def test_a_person_without_phone_gets_no_pin(client, world):
    person = world.persons_tc[1]
    person.phone = ""
    person.save()
    client.force_login(world.national)
    r = client.post(reverse("ussd:pin_set", args=[person.pk]), {"pin": "2468", "pin_again": "2468"})
    assert r.status_code == 200 and "pas de numéro" in r.content.decode()


def test_scope_and_roles(client, world):
    outside = world.persons_thies[0]
    client.force_login(world.agent_tc)
    assert client.get(reverse("ussd:pin_set", args=[outside.pk])).status_code == 404
    for user in (world.officer, world.member, world.lender):
        client.force_login(user)
        assert client.get(reverse("ussd:pin_list")).status_code == 403
        assert client.get(reverse("ussd:pin_set", args=[world.persons_tc[0].pk])).status_code == 403


def test_pin_list_searches_and_shows_status_in_few_queries(
    client, world, django_assert_max_num_queries
):
    for i, person in enumerate(world.persons_tc):
        person.phone = f"+22177123000{i}"
        # only the phone: the world's objects hold the scope text of before their
        # memberships (kept by the services in the database), which a full save would undo
        person.save(update_fields=["phone"])
    ussd_pin_set(person=world.persons_tc[0], pin="2468", actor=world.national)
    client.force_login(world.agent_tc)
    with django_assert_max_num_queries(8):
        r = client.get(reverse("ussd:pin_list"))
    body = r.content.decode()
    assert r.status_code == 200 and "défini le" in body and "Définir le code" in body
    assert world.persons_thies[0].last_name not in body or world.persons_thies[0].last_name in {
        p.last_name for p in world.persons_tc
    }
    r = client.get(reverse("ussd:pin_list"), {"q": world.persons_tc[1].last_name})
    assert str(world.persons_tc[1]) in r.content.decode()
    r = client.get(reverse("ussd:pin_list"), {"q": "zzzzzz"})
    assert "Aucune personne ne correspond" in r.content.decode()
