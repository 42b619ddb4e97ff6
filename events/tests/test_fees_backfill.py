"""Fees paid before they were booked (552 → 4197 came with the payout, commit 8c2a057):
``manage.py events_fees_book_missing --as <administrator>`` books each missing one exactly
once, on the day it was paid; run twice, nothing changes (docs/events.md)."""

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db.models import Sum

from core.errors import Forbidden
from events import books, services
from events.tests.conftest import ended_event, pay_by_phone, register_before
from network.models import BookEntry, BookLine
from payments.models import PaymentIntent

pytestmark = pytest.mark.django_db


def balance(account, event=None):
    """Credit less debit (4197 held: positive; the wallet 552: negative)."""
    lines = BookLine.objects.filter(account=account)
    if event is not None:
        lines = lines.filter(entry__in=BookEntry.objects.filter(books.event_entries_q(event.pk)))
    sums = lines.aggregate(d=Sum("debit"), c=Sum("credit"))
    return (sums["c"] or 0) - (sums["d"] or 0)


def book(*args):
    out = io.StringIO()
    call_command("events_fees_book_missing", *args, stdout=out)
    return out.getvalue()


def snapshot():
    return sorted(
        BookLine.objects.values_list(
            "entry__source", "entry__source_ref", "entry__on", "account", "debit", "credit"
        )
    )


@pytest.fixture
def old_fees(cast, client, wave):
    """Two fees paid by phone, as before the books: their entries are not there."""
    event = ended_event(cast)
    for user, org, name in ((cast.user_ml, cast.org_ml, "Oumou Sangaré"),
                            (cast.user_sn, cast.org_sn, "Awa Diop")):  # fmt: skip
        assert pay_by_phone(client, cast, register_before(cast, event, user, org, name), user)
    booked = snapshot()
    BookLine.objects.filter(entry__source=books.FEE).delete()
    BookEntry.objects.filter(source=books.FEE).delete()
    assert balance("4197") == 0 and balance("552") == 0
    return event, booked


def test_the_missing_fees_are_booked_once_on_the_day_they_were_paid(cast, old_fees):
    event, booked = old_fees
    assert "2 frais à comptabiliser (20 000 F CFA)" in book(
        "--as", cast.admin.username, "--dry-run"
    ).replace("\u202f", " ")
    assert not BookEntry.objects.filter(source=books.FEE).exists()  # a dry run writes nothing
    said = book("--as", cast.admin.username)
    assert "2 frais comptabilisés" in said
    assert snapshot() == booked  # the same entries the payment would have posted
    assert balance("4197", event) == 20_000 and balance("552") == -20_000
    again = book("--as", cast.admin.username)
    assert "0 frais comptabilisés" in again and snapshot() == booked


def test_an_event_settled_before_the_backfill_returns_to_zero(
    cast, old_fees, django_capture_on_commit_callbacks
):
    """The settlement counted the old fees (from the registrations) and took 4197 below
    zero; booked, the fees bring it back (the books as test_payouts.py has them)."""
    event, _booked = old_fees
    with django_capture_on_commit_callbacks(execute=True):
        services.event_payout_request(actor=cast.user_sn, event=event)
    assert balance("4197", event) == -20_000
    book("--as", cast.admin.username)
    assert balance("4197", event) == 0 and balance("4676", event) == 0
    assert balance("552") == -1_000 and balance("7064") == 1_000


def test_a_fee_booked_already_and_a_payment_not_applied_are_left_alone(cast, client, wave):
    event = ended_event(cast)
    reg = register_before(cast, event, cast.user_ml, cast.org_ml)
    assert pay_by_phone(client, cast, reg, cast.user_ml)  # booked when paid (today's code)
    PaymentIntent.objects.create(
        purpose="event_fee", target_id=reg.pk, amount=10_000, phone="+221779001234",
        provider="wave", reference="PI-NOT-APPLIED", status="succeeded",
    )  # fmt: skip  # succeeded but refused by the purpose: never applied, never booked
    before = snapshot()
    assert "0 frais comptabilisés" in book("--as", cast.admin.username)
    assert snapshot() == before


def test_only_a_network_administrator_runs_it(cast, old_fees):
    with pytest.raises(Forbidden):
        services.fees_book_missing(actor=cast.user_sn)
    with pytest.raises(CommandError):
        book("--as", "nobody-here")
    assert not BookEntry.objects.filter(source=books.FEE).exists()
