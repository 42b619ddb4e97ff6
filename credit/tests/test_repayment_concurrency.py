"""Two repayments posted at the same moment on one loan are both counted exactly once."""

import threading
from datetime import date

import pytest
from django.db import connection, connections

from credit import services
from credit.models import Allocation, Instalment, Repayment

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="row locks need PostgreSQL: SQLite serialises whole-database writes "
    "(transaction_mode IMMEDIATE), so there is no race to test there",
)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_simultaneous_repayments_are_both_counted(credit):
    loan = credit.loan_tc
    barrier = threading.Barrier(2)
    errors = []

    def pay(user, key):
        try:
            barrier.wait(timeout=10)
            services.repayment_post(
                actor=user,
                loan=loan,
                amount=10_000,
                paid_on=date(2026, 2, 15),
                channel="cash",
                idempotency_key=key,
            )
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=pay, args=(credit.w.lender, "a")),
        threading.Thread(target=pay, args=(credit.checker, "b")),
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    assert not errors
    assert Repayment.objects.filter(loan=loan).count() == 2
    i1 = Instalment.objects.get(loan=loan, number=1)
    assert (i1.interest_paid, i1.principal_paid) == (15_000, 5_000)
    assert sum(Allocation.objects.filter(loan=loan).values_list("amount", flat=True)) == 20_000
    loan.refresh_from_db()
    assert loan.outstanding_principal == 995_000


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_same_key_retried_at_once_posts_once(credit):
    loan = credit.loan_tc
    barrier = threading.Barrier(2)
    results, errors = [], []

    def pay():
        try:
            barrier.wait(timeout=10)
            results.append(
                services.repayment_post(
                    actor=credit.w.lender,
                    loan=loan,
                    amount=10_000,
                    paid_on=date(2026, 2, 15),
                    channel="cash",
                    idempotency_key="same",
                ).pk
            )
        except Exception as exc:  # noqa: BLE001
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=pay) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    assert not errors and len(set(results)) == 1
    assert Repayment.objects.filter(loan=loan).count() == 1
