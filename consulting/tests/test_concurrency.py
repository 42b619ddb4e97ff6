"""Issue 21 point 2: a refund after a dispute asked twice at the same moment (two
administrators, or a client retrying), each in its own thread on its own database
connection: the client is refunded once, the consultant paid out once, the books balance."""

import threading

import pytest
from django.db import connection, connections

from consulting import services
from consulting.models import DisputeRefund
from consulting.tests.conftest import assert_books_balance, sign
from core import dates
from core.errors import Conflict
from network.models import BookEntry
from payments.models import Payout

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="row locks need PostgreSQL: SQLite serialises whole-database writes "
    "(transaction_mode IMMEDIATE), so there is no race to test there",
)


def _disputed(cast):
    engagement = sign(cast, amount=200_000)
    services.dispute_open(actor=cast.owner, engagement=engagement, reason="Rapport non remis.")
    services.engagement_payment_record(
        actor=cast.admin, engagement=engagement, amount=200_000, paid_on=dates.today()
    )
    return engagement


def _at_once(call, times=2):
    barrier = threading.Barrier(times)
    outcomes, errors = [], []

    def run():
        try:
            barrier.wait(timeout=10)
            try:
                outcomes.append(call().pk)
            except Conflict as exc:
                outcomes.append(exc.code)
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run) for _ in range(times)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert not errors, errors
    return outcomes


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_refunds_at_once_refund_once(cast, wave):
    plain, keyed = _disputed(cast), _disputed(cast)

    def refund(engagement, key=None):
        return lambda: services.dispute_refund(
            actor=cast.admin, engagement=engagement, amount=150_000,
            resolution="Travail non livré.", phone="771234567", provider="wave",
            idempotency_key=key,
        )  # fmt: skip

    outcomes = _at_once(refund(plain))
    first = DisputeRefund.objects.get(engagement=plain)
    assert sorted(outcomes, key=str) == sorted([first.pk, "no_dispute"], key=str)
    outcomes = _at_once(refund(keyed, key="same"))
    second = DisputeRefund.objects.get(engagement=keyed)
    assert outcomes == [second.pk, second.pk]  # the same key: the first refund, answered twice
    assert DisputeRefund.objects.count() == 2
    assert Payout.objects.filter(kind="refund").count() == 2
    assert Payout.objects.filter(kind="consultant").count() == 2  # the rest, once each
    assert BookEntry.objects.filter(source="engagement_refund").count() == 2
    assert_books_balance()
