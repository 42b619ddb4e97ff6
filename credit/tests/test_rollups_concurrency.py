"""Two readers recomputing the same stale commune at the same moment leave one set of rows
(of each grain)."""

import threading
from datetime import date

import pytest
from django.db import connection, connections

from credit import rollups, sums
from credit.models import PortfolioRollup, PortfolioRollupLender, PortfolioRollupStamp

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="row locks need PostgreSQL: SQLite serialises whole-database writes",
)

DAY = date(2026, 6, 1)


def _rows():
    """The day's rows of both grains."""
    return (
        sorted(
            PortfolioRollup.objects.filter(as_of=DAY).values_list(
                "area", "lender", "product", "sector", "bucket", "count", "outstanding"
            )
        ),
        sorted(
            PortfolioRollupLender.objects.filter(as_of=DAY).values_list(
                "area", "lender", "bucket", "count", "outstanding"
            )
        ),
    )


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_simultaneous_recomputations_of_a_commune_store_one_set_of_rows(credit):
    commune = credit.w.coop_tc.commune_id
    rollups.compute(as_of=DAY, communes=[commune])
    expected = _rows()
    assert all(expected)
    errors = []
    for _round in range(3):
        barrier = threading.Barrier(2)

        def recompute(barrier):
            try:
                barrier.wait(timeout=10)
                with sums.without_jit():  # inside a transaction, as a read is
                    rollups.compute(as_of=DAY, communes=[commune])
            except Exception as exc:  # noqa: BLE001 - reported below
                errors.append(exc)
            finally:
                connections.close_all()

        threads = [threading.Thread(target=recompute, args=(barrier,)) for _ in range(2)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=30)
    assert not errors
    assert PortfolioRollupStamp.objects.filter(as_of=DAY, area_id=commune).count() == 1
    assert _rows() == expected
