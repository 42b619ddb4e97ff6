"""The nightly refresh of every loan's stored figures (see the portfolio_refresh command)."""

from __future__ import annotations

from datetime import date

from django.db import connection, transaction

from credit.arrears import figures_for
from credit.models import Loan, LoanStatus

FIELDS = ["outstanding_principal", "arrears_amount", "days_past_due", "figures_as_of"]


def _write(updates: list[tuple[int, int, int, int]], as_of: date) -> None:
    """Store ``(id, outstanding, arrears, days past due)`` rows as of ``as_of``.

    One statement per batch on PostgreSQL (``UPDATE ... FROM unnest(arrays)``), one prepared
    statement run for each row elsewhere: ``bulk_update`` builds a CASE expression per row
    and field in Python, which cost the job more than computing the figures.
    """
    table = connection.ops.quote_name(Loan._meta.db_table)
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            ids, outstanding, arrears, days = (list(c) for c in zip(*updates, strict=True))
            sql = (
                f"UPDATE {table} AS l SET outstanding_principal = v.o, "  # noqa: S608 (metadata)
                "arrears_amount = v.a, days_past_due = v.d, figures_as_of = %s "
                "FROM unnest(%s::bigint[], %s::bigint[], %s::bigint[], %s::integer[]) "
                "AS v(id, o, a, d) WHERE l.id = v.id"
            )
            cursor.execute(sql, [as_of, ids, outstanding, arrears, days])
            return
        sql = (
            f"UPDATE {table} SET outstanding_principal = %s, arrears_amount = %s, "  # noqa: S608
            "days_past_due = %s, figures_as_of = %s WHERE id = %s"
        )
        cursor.executemany(sql, [(o, a, d, as_of, pk) for pk, o, a, d in updates])


def refresh_all(*, as_of: date, batch_size: int = 2000) -> tuple[int, int]:
    """Recompute the figures of active loans disbursed by ``as_of``; returns (seen, changed).

    A system job, not a person's read: it is not scoped. Rows whose figures are already
    right are not written again, so a second run on the same day writes nothing.
    """
    base = (
        Loan.objects.filter(status=LoanStatus.ACTIVE, disbursed_on__lte=as_of)
        .order_by("pk")
        .values_list("pk", "principal", "terms__arrears_tolerance", *FIELDS)
    )
    seen = changed = 0
    last_pk = 0
    while True:
        rows = list(base.filter(pk__gt=last_pk)[:batch_size])
        if not rows:
            break
        last_pk = rows[-1][0]
        seen += len(rows)
        figures = figures_for([(r[0], r[1], int(r[2] or 0)) for r in rows], as_of)
        updates = []
        for pk, _principal, _tol, outstanding, arrears, dpd, figures_as_of in rows:
            f = figures[pk]
            new = (f.outstanding_principal, f.arrears_amount, f.days_past_due, as_of)
            if new != (outstanding, arrears, dpd, figures_as_of):
                updates.append((pk, *new[:3]))
        if updates:
            _write(updates, as_of)
            changed += len(updates)
    return seen, changed
