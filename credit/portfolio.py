"""The nightly refresh of every loan's stored figures (see the portfolio_refresh command)."""

from __future__ import annotations

from datetime import date

from django.db import connection, transaction

from credit.models import Loan, LoanStatus

FIELDS = ["outstanding_principal", "arrears_amount", "days_past_due", "figures_as_of"]


def _write(updates: list[tuple[int, int, int, int]], as_of: date) -> None:
    """Store ``(id, outstanding, arrears, days past due)`` rows as of ``as_of`` (inside the
    caller's transaction).

    One statement per batch on PostgreSQL (``UPDATE ... FROM unnest(arrays)``), one prepared
    statement run for each row elsewhere: ``bulk_update`` builds a CASE expression per row
    and field in Python, which cost the job more than computing the figures.
    """
    table = connection.ops.quote_name(Loan._meta.db_table)
    with connection.cursor() as cursor:
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


# The rule of credit.arrears.loan_figures, for a batch of loans, in one query: principal
# repaid by the day; instalments due before the day with something of their principal,
# interest or fees unpaid by then (penalties aside) are late; above the product's tolerance
# the loan is late since the oldest of them, else up to date (no arrears shown).
_FIGURES_SQL = """
WITH batch AS (
    SELECT id, principal, {tolerance} AS tolerance,
           outstanding_principal, arrears_amount, days_past_due, figures_as_of
    FROM credit_loan
    WHERE status = %(active)s AND disbursed_on <= %(as_of)s AND id > %(after)s
    ORDER BY id
    LIMIT %(size)s
),
paid AS (
    SELECT a.instalment_id, SUM(a.amount) AS paid
    FROM credit_allocation a JOIN batch b ON b.id = a.loan_id
    WHERE a.paid_on <= %(as_of)s AND a.component <> 'penalty'
    GROUP BY a.instalment_id
),
late AS (
    SELECT i.loan_id,
           SUM(i.principal_due + i.interest_due + i.fee_due - COALESCE(p.paid, 0)) AS arrears,
           MIN(i.due_on) AS oldest
    FROM credit_instalment i
    JOIN batch b ON b.id = i.loan_id
    LEFT JOIN paid p ON p.instalment_id = i.id
    WHERE i.superseded = %(no)s AND i.due_on < %(as_of)s
      AND i.principal_due + i.interest_due + i.fee_due > COALESCE(p.paid, 0)
    GROUP BY i.loan_id
),
repaid AS (
    SELECT a.loan_id, SUM(a.amount) AS paid
    FROM credit_allocation a JOIN batch b ON b.id = a.loan_id
    WHERE a.paid_on <= %(as_of)s AND a.component = 'principal'
    GROUP BY a.loan_id
)
SELECT b.id,
       b.principal - COALESCE(r.paid, 0),
       CASE WHEN late.arrears > b.tolerance THEN late.arrears ELSE 0 END,
       CASE WHEN late.arrears > b.tolerance THEN {days} ELSE 0 END,
       b.outstanding_principal, b.arrears_amount, b.days_past_due, b.figures_as_of
FROM batch b
LEFT JOIN repaid r ON r.loan_id = b.id
LEFT JOIN late ON late.loan_id = b.id
ORDER BY b.id
"""


def _figures_sql() -> str:
    if connection.vendor == "postgresql":
        tolerance = "COALESCE((terms->>'arrears_tolerance')::bigint, 0)"
        days = "(%(as_of)s::date - late.oldest)"
    else:
        tolerance = "COALESCE(CAST(json_extract(terms, '$.arrears_tolerance') AS INTEGER), 0)"
        days = "CAST(julianday(%(as_of)s) - julianday(late.oldest) AS INTEGER)"
    return _FIGURES_SQL.format(tolerance=tolerance, days=days)


def refresh_all(*, as_of: date, batch_size: int = 2000) -> tuple[int, int]:
    """Recompute the figures of active loans disbursed by ``as_of``; returns (seen, changed).

    A system job, not a person's read: it is not scoped. Set-based: per batch of loans,
    one query computes every loan's figures (the rule of :func:`credit.arrears.loan_figures`,
    which ``refresh_loan_figures`` applies to one loan; a test keeps both in agreement)
    next to the stored ones, and one statement writes those that changed. Rows whose
    figures are already right are not written again, so a second run on the same day
    writes nothing.
    """
    sql = _figures_sql()
    params = {"active": LoanStatus.ACTIVE, "as_of": as_of, "no": False, "size": batch_size}
    seen = changed = 0
    last_pk = 0
    while True:
        # One transaction a batch: the figures written are those just read.
        with transaction.atomic(), connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                # JIT compiling this short query costs more than running it.
                cursor.execute("SET LOCAL jit = off")
            cursor.execute(sql, {**params, "after": last_pk})
            rows = cursor.fetchall()
            updates = []
            for pk, outstanding, arrears, dpd, *stored in rows:
                new = (int(outstanding), int(arrears), int(dpd))
                if new != tuple(stored[:3]) or str(stored[3]) != as_of.isoformat():
                    updates.append((pk, *new))
            if updates:
                _write(updates, as_of)
        seen += len(rows)
        changed += len(updates)
        if len(rows) < batch_size:
            break
        last_pk = rows[-1][0]
    return seen, changed
