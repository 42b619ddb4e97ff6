"""Membership (issue 21, point 9): the tariff by kind and size, joining (approved
organisations only, once a year), dues paid by phone through the Wave sandbox and posted
in the platform's books, bad amounts refused with nothing written, reminders by SMS and
e-mail before the due date, the public list and the administrators' arrears."""

import datetime

import pytest
from django.core import mail

from core.errors import Conflict, Forbidden, NotFound, ValidationFailed
from messaging.models import SmsMessage
from network.models import BookLine, Organisation
from networkgov import selectors, services
from networkgov.models import DuesTariff, Membership
from networkgov.tests.conftest import DAY, completed, join, pay_by_phone, wave_post
from payments.models import PaymentIntent

D = datetime.date


def test_only_an_administrator_sets_the_tariff(cast):
    with pytest.raises(Forbidden):
        services.tariff_set(actor=cast.owners[0], kind="association", size="large", amount=1)
    for bad in (0, -5, "1000"):
        with pytest.raises(ValidationFailed) as e:
            services.tariff_set(actor=cast.admin, kind="association", size="large", amount=bad)
        assert e.value.field == "amount"
    with pytest.raises(ValidationFailed) as e:
        services.tariff_set(actor=cast.admin, kind="club", size="large", amount=1000)
    assert e.value.code == "invalid_choice"
    assert not DuesTariff.objects.filter(size="large").exists()
    services.tariff_set(actor=cast.admin, kind="association", size="large", amount=250_000)
    assert DuesTariff.objects.get(size="large").amount == 250_000


def test_joining_freezes_the_dues_and_the_due_date(cast):
    m = join(cast.outsider, cast.outsider_owner, today=DAY)
    assert (m.dues, m.paid, m.year) == (25_000, 0, 2026)
    assert m.due_on == DAY + datetime.timedelta(days=30)  # after 31/03: 30 days to pay
    services.tariff_set(actor=cast.admin, kind="association", size="small", amount=30_000)
    m.refresh_from_db()
    assert m.dues == 25_000  # the tariff changes the next memberships only
    early = join(cast.outsider, cast.outsider_owner, year=2027, today=D(2026, 12, 1))
    assert early.due_on == D(2027, 3, 31)


def test_joining_is_refused_with_its_reason(cast):
    with pytest.raises(Conflict) as e:
        join(cast.orgs[0], cast.owners[0], today=DAY)
    assert e.value.code == "already_member"
    with pytest.raises(Forbidden):  # another organisation's owner
        join(cast.outsider, cast.owners[0], today=DAY)
    with pytest.raises(Conflict) as e:
        services.membership_join(
            actor=cast.outsider_owner, organisation=cast.outsider, size="large", today=DAY
        )
    assert e.value.code == "no_tariff"
    Organisation.objects.filter(pk=cast.outsider.pk).update(status="pending")
    with pytest.raises(Conflict) as e:
        join(cast.outsider, cast.outsider_owner, today=DAY)
    assert e.value.code == "not_approved"
    assert not Membership.objects.filter(organisation=cast.outsider).exists()


def test_dues_paid_by_phone_in_two_instalments_and_booked(client, cast, wave, today_is):
    today_is(DAY)
    m = Membership.objects.get(organisation=cast.late)
    assert selectors.standing_of(cast.late.pk, DAY).status == "late"
    assert pay_by_phone(client, cast.late_owner, m, 10_000) == "applied"
    m.refresh_from_db()
    assert (m.paid, m.paid_on) == (10_000, None)
    assert selectors.standing_of(cast.late.pk, DAY).status == "late"
    assert pay_by_phone(client, cast.late_owner, m, 15_000) == "applied"
    m.refresh_from_db()
    assert m.paid == 25_000 and m.paid_on is not None
    assert selectors.standing_of(cast.late.pk, DAY).status == "good"
    lines = list(
        BookLine.objects.filter(entry__source="network_dues").values_list(
            "account", "debit", "credit"
        )
    )
    assert sorted(lines) == sorted(
        [
            ("552", 10_000, 0),
            ("756", 0, 10_000),
            ("552", 15_000, 0),
            ("756", 0, 15_000),
        ]
    )


@pytest.mark.parametrize("amount", [0, 25_001, -1, 12.5])
def test_dues_of_zero_or_above_what_is_due_are_refused_and_nothing_written(cast, wave, amount):
    m = Membership.objects.get(organisation=cast.late)
    with pytest.raises(ValidationFailed) as e:
        services.dues_payment_start(
            actor=cast.late_owner,
            membership=m,
            amount=amount,
            phone="77 900 12 34",
            provider="wave",
        )
    assert (e.value.code, e.value.field) == ("out_of_range", "amount")
    assert "reste dû" in str(e.value.message)
    assert not PaymentIntent.objects.exists()


def test_paid_dues_and_strangers_are_refused(cast, wave):
    paid = Membership.objects.get(organisation=cast.orgs[0])
    with pytest.raises(Conflict) as e:
        services.dues_payment_start(
            actor=cast.owners[0], membership=paid, amount=1, phone="77 900 12 34", provider="wave"
        )
    assert e.value.code == "overpaid"
    late = Membership.objects.get(organisation=cast.late)
    with pytest.raises(NotFound):
        services.dues_payment_start(
            actor=cast.owners[0], membership=late, amount=1, phone="77 900 12 34", provider="wave"
        )
    assert not PaymentIntent.objects.exists()


def test_a_second_payment_above_the_rest_is_flagged_not_counted(client, cast, wave):
    m = Membership.objects.get(organisation=cast.late)
    first = services.dues_payment_start(
        actor=cast.late_owner, membership=m, amount=25_000, phone="77 900 12 34", provider="wave"
    )
    second = services.dues_payment_start(
        actor=cast.late_owner, membership=m, amount=20_000, phone="77 900 12 34", provider="wave"
    )
    for intent in (first, second):
        intent = PaymentIntent.objects.get(pk=intent.pk)
        assert wave_post(client, completed(intent, event_id=f"EV{intent.pk}")).status_code == 200
    m.refresh_from_db()
    assert m.paid == 25_000
    second.refresh_from_db()
    assert second.needs_review and "overpaid" in second.review_reason


def test_reminders_before_the_due_date_once(cast, settings):
    settings.SMS_BACKEND = "messaging.backends.ConsoleBackend"
    m = join(cast.outsider, cast.outsider_owner, year=2027, today=D(2026, 12, 1))
    Organisation.objects.filter(pk=cast.outsider.pk).update(phone="+221771234567")
    assert services.dues_reminders_send(as_of=D(2027, 3, 15)) == 0  # 16 days before
    assert services.dues_reminders_send(as_of=D(2027, 3, 16)) == 1  # 15 days before
    sms = SmsMessage.objects.get(kind="network_dues_reminder")
    assert "GIE de Kaolack" in sms.text and "31/03/2027" in sms.text
    assert mail.outbox[-1].to == [cast.outsider.email]
    assert services.dues_reminders_send(as_of=D(2027, 3, 20)) == 0  # once
    m.refresh_from_db()
    assert m.reminded_on == D(2027, 3, 16)


def test_public_list_names_only_and_the_arrears_for_administrators(client, cast, today_is):
    today_is(DAY)
    names = [o.name for o in selectors.members_in_good_standing(as_of=DAY)]
    assert names == sorted(o.name for o in cast.orgs)
    page = client.get("/reseau/vie-du-reseau/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "Union des GIE de Dakar" in text and "Coopérative de Ouagadougou" not in text
    assert "@example.org" not in text  # names only
    with pytest.raises(Forbidden):
        selectors.arrears(actor=cast.owners[0], as_of=DAY)
    rows = {r.organisation.name: r for r in selectors.arrears(actor=cast.admin, as_of=DAY)}
    assert set(rows) == {"Coopérative de Ouagadougou", "Union de Niamey"}
    assert rows["Coopérative de Ouagadougou"].standing.status == "late"
    assert rows["Coopérative de Ouagadougou"].remaining == 25_000
    assert rows["Union de Niamey"].standing.status == "lapsed"


def test_the_daily_command_reminds_once(cast, settings):
    from io import StringIO

    from django.core.management import call_command

    settings.SMS_BACKEND = "messaging.backends.ConsoleBackend"
    join(cast.outsider, cast.outsider_owner, year=2027, today=D(2026, 12, 1))
    out = StringIO()
    call_command("networkgov_remind", "--date", "2027-03-20", stdout=out)
    call_command("networkgov_remind", "--date", "2027-03-21", stdout=out)
    assert out.getvalue().splitlines() == ["rappels envoyés : 1", "rappels envoyés : 0"]
