"""The fees of the network's events in the platform's books and their payout to the
organiser (docs/events.md, "Fees in the books and the organiser's payout"): booked when
paid (552/4197), settled once the event has ended (4197 → 4676 + 7064), paid out once
through payments' payout rail (purpose ``event_payout``, maker-checker above the
threshold), 4676 → 552 when the operator confirms; asked twice, one payout."""

import datetime
from decimal import Decimal

import pytest
from django.db.models import Sum
from django.utils import timezone

from core.errors import Conflict, Forbidden, ValidationFailed
from events import books, selectors, services
from events.models import EventSettlement
from events.tests.conftest import (
    FAILING_PHONE,
    ended_event,
    pay_by_phone,
    publish,
    register,
    register_before,
)
from network.models import BookEntry, BookLine, Organisation
from payments.models import PaymentIntent, Payout
from payments.services import purpose_payout_reference

pytestmark = pytest.mark.django_db


def lines_of(event):
    rows = BookLine.objects.filter(
        entry__in=BookEntry.objects.filter(books.event_entries_q(event.pk))
    )
    return rows


def balance(event, account):
    sums = lines_of(event).filter(account=account).aggregate(d=Sum("debit"), c=Sum("credit"))
    return (sums["d"] or 0) - (sums["c"] or 0)


def entry_lines(source, ref):
    entry = BookEntry.objects.get(source=source, source_ref=ref)
    return sorted((ln.account, ln.debit, ln.credit) for ln in entry.lines.all())


def request(cast, event, actor=None, run=True, capture=None):
    with capture(execute=run):
        return services.event_payout_request(actor=actor or cast.user_sn, event=event)


def payouts(event):
    return Payout.objects.filter(purpose="event_payout", target_id=event.settlement.pk)


def test_a_fee_paid_by_phone_is_booked_as_held_for_the_event(paid_event):
    intents = PaymentIntent.objects.filter(purpose="event_fee").order_by("id")
    assert [i.status for i in intents] == ["succeeded", "succeeded"]
    ref = books.fee_ref(paid_event.pk, intents[0].pk)
    assert entry_lines("event_fee", ref) == [("4197", 0, 10_000), ("552", 10_000, 0)]
    assert balance(paid_event, "4197") == -20_000 and balance(paid_event, "552") == 20_000


def test_after_the_event_the_net_is_paid_out_once_through_the_payout_rail(
    cast, paid_event, wave, django_capture_on_commit_callbacks
):
    settlement, created = request(cast, paid_event, capture=django_capture_on_commit_callbacks)
    assert created
    assert (settlement.registrations_paid, settlement.collected) == (2, 20_000)
    assert settlement.commission_percent == Decimal("5")
    assert (settlement.commission, settlement.net) == (1_000, 19_000)
    payout = payouts(paid_event).get()
    assert payout.status == "succeeded" and payout.kind == "settlement"
    assert (payout.amount, payout.phone) == (19_000, "+221775550202")
    sent = {k: getattr(payout, k) for k in ("provider", "amount", "phone", "name", "reason")}
    derived = purpose_payout_reference("event_payout", settlement.pk, 1, sent)
    assert payout.reference == derived and derived.startswith(f"PO-EVENPAYO-{settlement.pk}-1-")
    settlement.refresh_from_db()
    assert settlement.paid_out_at is not None
    assert entry_lines("event_settlement", str(paid_event.pk)) == [
        ("4197", 20_000, 0),
        ("4676", 0, 19_000),
        ("7064", 0, 1_000),
    ]
    assert entry_lines("event_payout", str(paid_event.pk)) == [
        ("4676", 19_000, 0),
        ("552", 0, 19_000),
    ]
    paid = [p for p in wave.payouts.values() if p["client_reference"] == payout.reference]
    assert len(paid) == 1
    # asked again (the organiser, an administrator, the job): nothing more
    again, created = request(
        cast, paid_event, actor=cast.admin, capture=django_capture_on_commit_callbacks
    )
    assert again.pk == settlement.pk and not created
    assert services.event_payouts_due(actor=cast.admin) == {
        "requested": 0,
        "answered": 0,
        "skipped": 0,
    }
    assert payouts(paid_event).count() == 1 and EventSettlement.objects.count() == 1
    assert BookEntry.objects.filter(source__in=("event_settlement", "event_payout")).count() == 2


def test_the_books_balance_and_the_holding_accounts_return_to_zero(
    cast, paid_event, django_capture_on_commit_callbacks
):
    request(cast, paid_event, capture=django_capture_on_commit_callbacks)
    totals = lines_of(paid_event).aggregate(d=Sum("debit"), c=Sum("credit"))
    assert totals["d"] == totals["c"] == 20_000 + 20_000 + 19_000
    for entry in BookEntry.objects.filter(books.event_entries_q(paid_event.pk)):
        sums = entry.lines.aggregate(d=Sum("debit"), c=Sum("credit"))
        assert sums["d"] == sums["c"] > 0, entry.label
    assert balance(paid_event, "4197") == 0  # the fees held
    assert balance(paid_event, "4676") == 0  # owed to the organiser
    assert balance(paid_event, "552") == 1_000  # the commission stays in the wallet
    assert balance(paid_event, "7064") == -1_000
    statement = selectors.payout_statement(actor=cast.user_sn, event=paid_event)
    assert statement.status == "paid_out"
    assert {ln["account"]: ln["debit"] - ln["credit"] for ln in statement.book_lines} == {
        "4197": 0, "4676": 0, "552": 1_000, "7064": -1_000,
    }  # fmt: skip


def test_the_job_pays_out_each_ended_event_once(
    cast, paid_event, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        first = services.event_payouts_due(actor=cast.admin)
    assert first == {"requested": 1, "answered": 0, "skipped": 0}
    with django_capture_on_commit_callbacks(execute=True):
        second = services.event_payouts_due(actor=cast.admin)
    assert second == {"requested": 0, "answered": 0, "skipped": 0}
    assert payouts(paid_event).get().status == "succeeded"


def test_not_before_the_end_nor_without_a_phone_nor_by_others(cast, client, wave):
    upcoming = publish(cast, fee=5_000)
    Organisation.objects.filter(pk=cast.org_sn.pk).update(payout_phone="+221775550202")
    reg = register(cast, upcoming)
    pay_by_phone(client, cast, reg)
    with pytest.raises(Conflict) as err:
        services.event_payout_request(actor=cast.user_sn, event=upcoming)
    assert err.value.code == "not_ended"
    ended = ended_event(cast, payout_phone="")
    with pytest.raises(ValidationFailed) as err:
        services.event_payout_request(actor=cast.user_sn, event=ended)
    assert err.value.code == "no_wallet" and err.value.field == "payout_phone"
    for outsider in (cast.user_ml, cast.outsider):
        with pytest.raises(Forbidden):
            services.event_payout_request(actor=outsider, event=ended)
        with pytest.raises(Forbidden):
            selectors.payout_statement(actor=outsider, event=ended)
    assert not EventSettlement.objects.exists() and not Payout.objects.exists()
    assert not BookEntry.objects.filter(source__in=("event_settlement", "event_payout")).exists()


def test_above_the_threshold_a_network_administrator_approves_never_the_maker(
    cast, paid_event, settings, django_capture_on_commit_callbacks
):
    settings.PAYMENTS_PAYOUT_APPROVAL_THRESHOLD = 10_000
    request(cast, paid_event, actor=cast.admin, capture=django_capture_on_commit_callbacks)
    payout = payouts(paid_event).get()
    assert payout.status == "awaiting_approval"
    assert selectors.payout_statement(actor=cast.user_sn, event=paid_event).status == (
        "awaiting_approval"
    )
    with pytest.raises(Forbidden) as err:  # the requester
        services.event_payout_approve(actor=cast.admin, event=paid_event)
    assert err.value.code == "same_person"
    with pytest.raises(Forbidden):  # the organiser is not a checker
        services.event_payout_approve(actor=cast.user_sn, event=paid_event)
    with pytest.raises(Forbidden):
        services.event_payout_approve(actor=cast.user_ml, event=paid_event)
    from accounts.tests.factories import UserFactory
    from network import services as net
    from network.models import StaffRole

    root = UserFactory(username="ev-root-2", is_superuser=True)
    checker = UserFactory(username="ev-checker")
    net.staff_assign(actor=root, user=checker, role=StaffRole.ADMIN)
    payout = services.event_payout_approve(actor=checker, event=paid_event)
    assert payout.status == "succeeded" and payout.approved_by == checker
    assert balance(paid_event, "4676") == 0
    with pytest.raises(Conflict) as err:
        services.event_payout_approve(actor=checker, event=paid_event)
    assert err.value.code == "not_awaiting"


def test_a_failed_payout_keeps_the_net_owed_then_a_new_attempt_pays(
    cast, paid_event, django_capture_on_commit_callbacks
):
    Organisation.objects.filter(pk=cast.org_sn.pk).update(payout_phone=FAILING_PHONE)
    request(cast, paid_event, capture=django_capture_on_commit_callbacks)
    failed = payouts(paid_event).get()
    assert failed.status == "failed"
    assert balance(paid_event, "4676") == -19_000 and balance(paid_event, "4197") == 0
    statement = selectors.payout_statement(actor=cast.user_sn, event=paid_event)
    assert statement.status == "failed"
    Organisation.objects.filter(pk=cast.org_sn.pk).update(payout_phone="+221775550202")
    _settlement, created = request(cast, paid_event, capture=django_capture_on_commit_callbacks)
    second = payouts(paid_event).exclude(pk=failed.pk).get()
    assert created and second.status == "succeeded"
    assert second.reference.startswith(f"PO-EVENPAYO-{paid_event.settlement.pk}-2-")
    assert balance(paid_event, "4676") == 0


def test_a_fee_arriving_after_the_settlement_is_refused_for_review(
    cast, client, wave, django_capture_on_commit_callbacks
):
    event = ended_event(cast)
    late = register_before(cast, event, cast.user_ml, cast.org_ml)
    intent = services.fee_payment_start(
        actor=cast.user_ml, registration=late, phone="77 900 12 34", provider="wave"
    )
    settlement, created = request(cast, event, capture=django_capture_on_commit_callbacks)
    assert (settlement.collected, settlement.net, created) == (0, 0, False)
    from payments.tests.conftest import completed, wave_post

    intent = PaymentIntent.objects.get(pk=intent.pk)
    wave_post(client, completed(intent, event_id="EVLATE"))
    intent.refresh_from_db()
    late.refresh_from_db()
    assert intent.needs_review and late.status == "awaiting_payment" and late.paid == 0
    assert not BookEntry.objects.filter(source="event_fee").exists()


def test_the_commission_is_frozen_on_the_event_when_published(cast, settings, client, wave):
    settings.EVENTS_COMMISSION_PERCENT = "12.5"
    event = ended_event(cast, fee=999)
    settings.EVENTS_COMMISSION_PERCENT = "50"
    reg = register_before(cast, event, cast.user_ml, cast.org_ml)
    pay_by_phone(client, cast, reg)
    figures = selectors.fee_figures(event)
    assert figures["commission_percent"] == Decimal("12.5")
    assert (figures["commission"], figures["net"]) == (124, 875)  # rounded down: 124.875


def test_an_event_still_running_is_not_payable(cast, client, wave):
    event = ended_event(cast)
    event.ends_at = timezone.now() + datetime.timedelta(hours=2)
    event.save()
    with pytest.raises(Conflict):
        services.event_payout_request(actor=cast.admin, event=event)
