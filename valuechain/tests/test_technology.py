"""The boutique technologique (issue 17, point 3): innovation projects with prototypes and
tests, shared equipment booked by the chain's cooperatives, use in hours, the usage fee
invoiced to the cooperative; each rule with the bad input next to the good one."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from accounts.services import role_assign
from accounts.tests.factories import UserFactory
from core import dates
from core.errors import Conflict, Forbidden, NotFound, ValidationFailed
from ledger.models import JournalLine
from registry.tests.factories import CooperativeFactory
from valuechain import selectors, services
from valuechain.models import BookingStatus
from valuechain.tests.factories import DAY, chain

pytestmark = pytest.mark.django_db


def workshop(world):
    """The chain of factories.chain with a technology site run by a training cooperative,
    its press (2 500 F CFA an hour) and its manager."""
    c = chain(world)
    runner = CooperativeFactory(name="Coopérative de l'atelier de Mbour", commune=world.mbour)
    site = services.site_create(
        actor=world.national,
        name="Atelier technologique de Mbour",
        kind="technologique",
        commune=world.mbour,
        cooperative=runner,
        value_chain=c.chain,
    )
    manager = UserFactory(username="atelier-mbour")
    role_assign(user=manager, role="officer", cooperative=runner)
    press = services.equipment_add(
        actor=manager, site=site, name="Presse à huile", kind="press", hourly_rate=2500
    )
    return c, site, runner, manager, press


def slot(day_offset=1, hour=8, hours=3):
    start = timezone.make_aware(
        datetime.datetime.combine(
            dates.today() + datetime.timedelta(days=day_offset), datetime.time(hour)
        )
    )
    return start, start + datetime.timedelta(hours=hours)


def balance(coop, account) -> int:
    lines = JournalLine.objects.filter(entry__cooperative=coop, account__code=account)
    return sum(x.debit - x.credit for x in lines)


def test_project_with_prototype_and_test_results(world):
    c, site, runner, manager, _press = workshop(world)
    project = services.innovation_project_create(
        actor=manager,
        site=site,
        title="Sachet refermable pour la farine",
        kind="packaging",
        started_on=DAY,
        cooperative=world.coop_mbour,
    )
    services.project_trial_record(
        actor=manager, project=project, kind="prototype", on=DAY, description="Sachet kraft 1 kg"
    )
    services.project_trial_record(
        actor=manager,
        project=project,
        kind="test",
        on=DAY,
        description="Conservation 30 jours",
        result="Pas d'humidité après 30 jours",
        success=True,
    )
    assert [t.kind for t in project.trials.all()] == ["prototype", "test"]
    assert services.innovation_project_conclude(
        actor=manager, project=project, status="adopted"
    ).status == ("adopted")
    with pytest.raises(Conflict):
        services.innovation_project_conclude(actor=manager, project=project, status="dropped")


def test_project_bad_inputs(world):
    c, site, runner, manager, _press = workshop(world)
    base = dict(actor=manager, title="Nouveau procédé", started_on=DAY)
    with pytest.raises(ValidationFailed) as e:
        services.innovation_project_create(**base, site=site, kind="magic")
    assert e.value.code == "invalid_choice"
    with pytest.raises(ValidationFailed) as e:
        services.innovation_project_create(
            **{**base, "actor": world.national}, site=c.production, kind="process"
        )
    assert e.value.code == "not_a_workshop"
    project = services.innovation_project_create(**base, site=site, kind="process")
    with pytest.raises(ValidationFailed) as e:  # a result is said when it concludes
        services.project_trial_record(
            actor=manager, project=project, kind="test", on=DAY, description="x", success=False
        )
    assert e.value.field == "result"
    with pytest.raises(ValidationFailed) as e:
        services.project_trial_record(
            actor=manager,
            project=project,
            kind="test",
            on=DAY - datetime.timedelta(days=1),
            description="avant",
        )
    assert e.value.code == "before_start"
    with pytest.raises(Forbidden):  # the shop's cashier does not run the workshop
        services.innovation_project_create(
            **{**base, "actor": c.cashier}, site=site, kind="process"
        )


def test_booking_calendar_refuses_overlaps(world):
    c, site, runner, manager, press = workshop(world)
    start, end = slot(hours=3)
    booking = services.equipment_book(
        actor=c.officer_mbour,
        equipment=press,
        cooperative=world.coop_mbour,
        starts_at=start,
        ends_at=end,
    )
    with pytest.raises(Conflict) as e:  # 10:00-12:00 overlaps 08:00-11:00
        services.equipment_book(
            actor=c.cashier,
            equipment=press,
            cooperative=c.shop_coop,
            starts_at=start + datetime.timedelta(hours=2),
            ends_at=end + datetime.timedelta(hours=1),
        )
    assert e.value.code == "booking_overlap" and "déjà réservé" in str(e.value.message)
    after = services.equipment_book(  # right after: fine
        actor=c.cashier,
        equipment=press,
        cooperative=c.shop_coop,
        starts_at=end,
        ends_at=end + datetime.timedelta(hours=1),
    )
    services.equipment_booking_cancel(actor=c.officer_mbour, booking=booking)
    services.equipment_book(  # the cancelled slot is free again
        actor=c.cashier, equipment=press, cooperative=c.shop_coop, starts_at=start, ends_at=end
    )
    week = selectors.booking_list(actor=manager, equipment=press, start=start.date())
    assert [b.status for b in week] == ["cancelled", "booked", "booked"]
    assert after in week


def test_booking_bad_inputs_and_rights(world):
    c, site, runner, manager, press = workshop(world)
    start, end = slot()
    with pytest.raises(ValidationFailed) as e:
        services.equipment_book(
            actor=manager, equipment=press, cooperative=runner, starts_at=end, ends_at=start
        )
    assert e.value.code == "invalid_slot"
    with pytest.raises(ValidationFailed) as e:
        services.equipment_book(
            actor=manager,
            equipment=press,
            cooperative=runner,
            starts_at=start,
            ends_at=start + datetime.timedelta(days=4),
        )
    assert e.value.code == "invalid_slot"
    with pytest.raises(ValidationFailed) as e:  # Koumpentoum's cooperative is not in the chain
        services.equipment_book(
            actor=manager, equipment=press, cooperative=world.coop_tc, starts_at=start, ends_at=end
        )
    assert e.value.code == "not_in_chain"
    with pytest.raises(Forbidden):  # an officer books for their own cooperative only
        services.equipment_book(
            actor=c.cashier,
            equipment=press,
            cooperative=world.coop_mbour,
            starts_at=start,
            ends_at=end,
        )
    with pytest.raises(ValidationFailed) as e:
        services.equipment_add(
            actor=manager, site=site, name="Séchoir", kind="dryer", hourly_rate=0
        )
    assert e.value.code == "invalid_price"


def test_use_in_hours_invoices_the_fee_to_the_cooperative(world):
    """2.5 hours of the press at 2 500 F CFA an hour: 6 250 F CFA, 6223/401 in the booking
    cooperative's books, 411/7061 in the workshop's; recorded once."""
    c, site, runner, manager, press = workshop(world)
    start, end = slot(day_offset=-1)
    booking = services.equipment_book(
        actor=c.officer_mbour,
        equipment=press,
        cooperative=world.coop_mbour,
        starts_at=start,
        ends_at=end,
    )
    with pytest.raises(Forbidden):  # the cooperative does not record its own use
        services.equipment_use_record(
            actor=c.officer_mbour, booking=booking, hours=Decimal("2.5"), on=start.date()
        )
    for bad in (0, -1, "abc", Decimal("2.555"), 100):
        with pytest.raises(ValidationFailed) as e:
            services.equipment_use_record(
                actor=manager, booking=booking, hours=bad, on=start.date()
            )
        assert e.value.code == "invalid_hours"
    used = services.equipment_use_record(
        actor=manager, booking=booking, hours=Decimal("2.5"), on=start.date()
    )
    assert (used.status, used.fee, used.hours_used) == (BookingStatus.USED, 6250, Decimal("2.5"))
    assert balance(world.coop_mbour, "6223") == 6250
    assert balance(world.coop_mbour, "401") == -6250
    assert balance(runner, "411") == 6250 and balance(runner, "7061") == -6250
    with pytest.raises(Conflict) as e:
        services.equipment_use_record(actor=manager, booking=booking, hours=3, on=start.date())
    assert e.value.code == "booking_closed"
    assert balance(world.coop_mbour, "6223") == 6250


def test_scope_of_the_workshop(world):
    c, site, runner, manager, press = workshop(world)
    services.equipment_book(
        actor=manager,
        equipment=press,
        cooperative=world.coop_mbour,
        starts_at=slot()[0],
        ends_at=slot()[1],
    )
    # the chain's cooperatives' officers and the Mbour agent see the press; Koumpentoum's not
    for user in (manager, c.officer_mbour, c.cashier, world.agent_mbour, c.partner_user):
        assert list(selectors.equipment_list(actor=user)) == [press]
    for user in (world.agent_tc, world.officer, world.member, world.lender):
        assert not selectors.equipment_list(actor=user).exists()
        with pytest.raises(NotFound):
            selectors.equipment_get(actor=user, pk=press.pk)


def test_equipment_page_books_a_slot_and_records_the_use(world, client):
    c, site, runner, manager, press = workshop(world)
    day = dates.today()
    url = f"/filiere/equipements/{press.pk}/"
    client.force_login(c.officer_mbour)
    page = client.get(url)
    assert page.status_code == 200 and "Réserver un créneau" in page.content.decode()
    form = {"action": "book", "cooperative": world.coop_mbour.pk, "day": day.isoformat()}
    done = client.post(url, {**form, "start": "08:00", "end": "11:00"})
    assert done.status_code == 302
    clash = client.post(url, {**form, "start": "10:00", "end": "12:00"})
    assert clash.status_code == 400 and "déjà réservé" in clash.content.decode()
    body = client.get(url).content.decode()
    assert "08:00–11:00" in body and 'name="hours"' not in body
    booking = press.bookings.get()
    client.force_login(manager)
    assert 'name="hours"' in client.get(url).content.decode()
    used = client.post(
        url, {"action": "use", "booking": booking.pk, "hours": "2.75", "on": day.isoformat()}
    )
    assert used.status_code == 302
    booking.refresh_from_db()
    assert (booking.fee, booking.status) == (6875, "used")
    assert "6 875 F CFA" in client.get(url).content.decode().replace("\u202f", " ")
    client.force_login(world.agent_tc)
    assert client.get(url).status_code == 404


def test_workshop_site_page_lists_projects_and_equipment(world, client):
    c, site, runner, manager, press = workshop(world)
    project = services.innovation_project_create(
        actor=manager, site=site, title="Farine enrichie au moringa", kind="product", started_on=DAY
    )
    services.project_trial_record(
        actor=manager,
        project=project,
        kind="test",
        on=DAY,
        description="Dégustation",
        result="Appréciée par 18 personnes sur 20",
        success=True,
    )
    client.force_login(world.agent_mbour)
    body = client.get(f"/filiere/sites/{site.pk}/").content.decode()
    assert "Presse à huile" in body and "Farine enrichie au moringa" in body
    assert "Appréciée par 18 personnes sur 20" in body and "concluant" in body


@pytest.mark.browser
def test_equipment_calendar_in_the_browser(page, transactional_db, world):
    from valuechain.tests.test_browser_till import sign_in

    c, site, runner, manager, press = workshop(world)
    manager.set_password("sunucoop-test-pw")
    manager.save()
    page.set_viewport_size({"width": 360, "height": 780})
    sign_in(page, "atelier-mbour")
    page.goto(f"{page.base_url}/filiere/equipements/{press.pk}/")
    page.locator("#id_cooperative").select_option(str(world.coop_mbour.pk))
    page.locator("#id_start").fill("09:00")
    page.locator("#id_end").fill("12:30")
    page.get_by_role("button", name="Réserver").click()
    from playwright.sync_api import expect

    expect(page.locator("#calendar")).to_contain_text("09:00–12:30")
    page.screenshot(path="var/screenshots/valuechain-equipment-360.png", full_page=True)
    assert press.bookings.count() == 1
