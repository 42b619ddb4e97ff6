import datetime
from dataclasses import dataclass

import pytest
from django.utils import timezone

from capital.tests.factories import StatutesFactory, done_operation
from credit.tests.factories import active_loan, lender_staff, product
from governance.services import assembly_convene
from ussd.services import ussd_pin_set

PIN = "2468"
PHONE = "+221771112233"


@dataclass
class Member:
    w: object
    person: object
    loan: object
    assembly: object


@pytest.fixture
def ussd_settings(settings):
    settings.USSD_SHARED_SECRET = "test-ussd-secret"
    settings.USSD_ALLOWED_IPS = []
    settings.USSD_RATE_LIMIT_PER_PHONE = 1000
    from django.core.cache import cache

    cache.clear()
    return settings


def make_member(world, *, first_name="Awa", coop_name=None, principal=1_000_000, place=""):
    person = world.persons_tc[0]
    person.first_name = first_name
    person.phone = PHONE
    person.save()
    coop = world.coop_tc
    if coop_name:
        coop.name = coop_name
        coop.save()
    checker = lender_staff(world.lender_obj)
    prod = product(world.lender, world.lender_obj)
    loan = active_loan(
        maker=world.lender,
        checker=checker,
        product=prod,
        principal=principal,
        borrower_person=person,
    )
    StatutesFactory(cooperative=coop)
    today = timezone.localdate()
    done_operation(
        actor=world.officer,
        cooperative=coop,
        kind="subscription",
        person=person,
        shares=10,
        amount=20_000,
        effective_on=today,
        today=today,
    )
    assembly = assembly_convene(
        cooperative=coop,
        actor=world.officer,
        kind="ordinaire",
        held_on=today + datetime.timedelta(days=20),
        notice_sent_on=today,
        agenda="1. Comptes",
        place=place,
        today=today,
    )
    ussd_pin_set(person=person, pin=PIN, actor=world.agent_tc)
    return Member(world, person, loan, assembly)


@pytest.fixture
def member(world, ussd_settings):
    return make_member(world)


@pytest.fixture
def dial(client, ussd_settings):
    """``dial(text, session="s1", phone=PHONE)`` -> (status, body) of one USSD step."""

    def step(text, *, session="s1", phone=PHONE, provider="generic", headers=None):
        r = client.post(
            f"/api/v1/ussd/{provider}",
            {"sessionId": session, "serviceCode": "*123#", "phoneNumber": phone, "text": text},
            headers={"X-Ussd-Secret": "test-ussd-secret"} if headers is None else headers,
        )
        body = r.content.decode()
        if r.status_code == 200:
            assert r["Content-Type"].startswith("text/plain")
            assert body.startswith(("CON ", "END ")) and len(body) <= 182, body
        return r.status_code, body

    return step
