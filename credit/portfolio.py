"""The nightly refresh of every loan's stored figures (see the portfolio_refresh command)."""

from __future__ import annotations

from datetime import date, timedelta

from django.db import connection, transaction
from django.utils import timezone

from credit.models import FiguresRun, Loan, LoanStatus

FIELDS = [
    "outstanding_principal",
    "arrears_amount",
    "days_past_due",
    "figures_as_of",
    "period_due",
    "period_collected",
    "period_as_of",
    "period_until",
]


def period_window(
    as_of: date,
    last_due: date | None,
    last_paid: date | None,
    next_due: date | None,
    next_paid: date | None,
) -> tuple[date, date]:
    """The days around ``as_of`` on which a loan's period figures of ``as_of`` hold: from its
    last due date or payment date on or before it (at the earliest 1 January) to the day
    before its next due date or payment date (at the latest 31 December): nothing falls
    due and nothing is paid in between."""
    start = max(d for d in (last_due, last_paid, date(as_of.year, 1, 1)) if d is not None)
    end = min(d for d in (next_due, next_paid, date(as_of.year + 1, 1, 1)) if d is not None)
    return start, end - timedelta(days=1)


def period_windows(loan_ids: list[int], as_of: date) -> dict[int, tuple[date, date]]:
    """:func:`period_window` of each loan around ``as_of``, from its current schedule's due
    dates and its payment lines' dates (two queries)."""
    from django.db.models import Max, Min, Q

    from credit.models import Allocation, Instalment

    dates: dict[int, list] = {pk: [None] * 4 for pk in loan_ids}
    for offset, qs, field in (
        (0, Instalment.objects.filter(superseded=False), "due_on"),
        (1, Allocation.objects.exclude(component="penalty"), "paid_on"),
    ):
        rows = (
            qs.filter(loan_id__in=loan_ids)
            .values("loan_id")
            .annotate(
                last=Max(field, filter=Q(**{f"{field}__lte": as_of})),
                next=Min(field, filter=Q(**{f"{field}__gt": as_of})),
            )
            .values_list("loan_id", "last", "next")
            .order_by()
        )
        for pk, last, next_ in rows:
            dates[pk][offset], dates[pk][offset + 2] = last, next_
    return {pk: period_window(as_of, *d) for pk, d in dates.items()}


def _day(value) -> date | None:
    """A date read by a raw query (SQLite gives text)."""
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(str(value)[:10])


def _arrays(types: list[str]) -> str:
    return ", ".join(f"string_to_array(%s, ',')::{t}[]" for t in types)


def _joined(rows: list[tuple]) -> list[str]:
    """Each column of ``rows`` as one comma-separated text (parsed by ``string_to_array``):
    psycopg's client-side quoting of a list costs about 2 µs an element, more than the
    update itself."""
    return [",".join(map(str, column)) for column in zip(*rows, strict=True)]


def _write(updates: list[tuple], settled: list[tuple], as_of: date) -> None:
    """Store, as of ``as_of`` (inside the caller's transaction), the figures of active loans
    ``(id, outstanding, arrears, days past due, period due, period collected, from, until)``
    and the period's figures of loans no longer active ``(id, due, collected, from, until)``
    (``from`` and ``until``: the days on which the period's figures hold).

    One statement per kind and batch on PostgreSQL (``UPDATE ... FROM unnest(arrays)``,
    each array sent as one text),
    one prepared statement run for each row elsewhere: ``bulk_update`` builds a CASE
    expression per row and field in Python, which cost the job more than computing the
    figures.
    """
    table = connection.ops.quote_name(Loan._meta.db_table)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            if updates:
                types = ["bigint"] * 3 + ["integer", "bigint", "bigint", "date", "date"]
                cursor.execute(
                    f"UPDATE {table} AS l SET outstanding_principal = v.o, "  # noqa: S608
                    "arrears_amount = v.a, days_past_due = v.d, figures_as_of = %s, "
                    "period_due = v.due, period_collected = v.got, period_as_of = v.start, "
                    f"period_until = v.until FROM unnest({_arrays(types)}) "
                    "AS v(id, o, a, d, due, got, start, until) WHERE l.id = v.id",
                    [as_of, *_joined(updates)],
                )
            if settled:
                types = ["bigint", "bigint", "bigint", "date", "date"]
                cursor.execute(
                    f"UPDATE {table} AS l SET period_due = v.due, "  # noqa: S608 (metadata)
                    "period_collected = v.got, period_as_of = v.start, period_until = v.until "
                    f"FROM unnest({_arrays(types)}) AS v(id, due, got, start, until) "
                    "WHERE l.id = v.id",
                    _joined(settled),
                )
            return
        if updates:
            cursor.executemany(
                f"UPDATE {table} SET outstanding_principal = %s, arrears_amount = %s, "  # noqa: S608
                "days_past_due = %s, figures_as_of = %s, period_due = %s, "
                "period_collected = %s, period_as_of = %s, period_until = %s WHERE id = %s",
                [(*row[1:4], as_of, *row[4:], row[0]) for row in updates],
            )
        if settled:
            cursor.executemany(
                f"UPDATE {table} SET period_due = %s, period_collected = %s, "  # noqa: S608
                "period_as_of = %s, period_until = %s WHERE id = %s",
                [(*row[1:], row[0]) for row in settled],
            )


# The rule of credit.arrears.loan_figures, for a batch of loans, in one query: principal
# repaid by the day; instalments due before the day with something of their principal,
# interest or fees unpaid by then (penalties aside) are late; above the product's tolerance
# the loan is late since the oldest of them, else up to date (no arrears shown). And the
# period's recovery: what fell due from period_start to the day and what was collected on
# it by then (at most the amount due per instalment), with the next due date and the next
# payment date after the day (until when those hold).
#
# The batch: the active loans disbursed by the day, and those that left the active
# portfolio during the period but are still in the day's (closed since period_start,
# written off after the day) whose stored period figures do not hold on the day.
_FIGURES_SQL = """
WITH batch AS (
    SELECT id, status, principal, {tolerance} AS tolerance,
           outstanding_principal, arrears_amount, days_past_due, figures_as_of,
           period_due, period_collected, period_as_of, period_until
    FROM credit_loan
    WHERE id > %(after)s AND disbursed_on <= %(as_of)s
      AND (status = %(active)s
           OR ((status = %(closed)s AND closed_on >= %(period_start)s
                OR status = %(written_off)s AND closed_on > %(as_of)s)
               AND (period_as_of IS NULL OR period_as_of > %(as_of)s
                    OR period_until < %(as_of)s)))
    ORDER BY id
    LIMIT %(size)s
),
lines AS (
    SELECT a.loan_id, a.instalment_id,
           SUM(CASE WHEN a.paid_on <= %(as_of)s AND a.component <> 'penalty'
                    THEN a.amount ELSE 0 END) AS paid,
           SUM(CASE WHEN a.paid_on <= %(as_of)s AND a.component = 'principal'
                    THEN a.amount ELSE 0 END) AS principal,
           MAX(CASE WHEN a.paid_on <= %(as_of)s AND a.component <> 'penalty'
                    THEN a.paid_on END) AS last_paid,
           MIN(CASE WHEN a.paid_on > %(as_of)s AND a.component <> 'penalty'
                    THEN a.paid_on END) AS next_paid
    FROM credit_allocation a JOIN batch b ON b.id = a.loan_id
    GROUP BY a.loan_id, a.instalment_id
),
due AS (
    SELECT i.loan_id, i.due_on,
           i.principal_due + i.interest_due + i.fee_due AS amount,
           COALESCE(l.paid, 0) AS paid
    FROM credit_instalment i
    JOIN batch b ON b.id = i.loan_id
    LEFT JOIN lines l ON l.instalment_id = i.id
    WHERE i.superseded = %(no)s
),
dues AS (
    SELECT loan_id,
           SUM(CASE WHEN due_on < %(as_of)s AND amount > paid THEN amount - paid ELSE 0 END)
               AS arrears,
           MIN(CASE WHEN due_on < %(as_of)s AND amount > paid THEN due_on END) AS oldest,
           SUM(CASE WHEN due_on >= %(period_start)s AND due_on <= %(as_of)s
                    THEN amount ELSE 0 END) AS period_due,
           SUM(CASE WHEN due_on < %(period_start)s OR due_on > %(as_of)s THEN 0
                    WHEN paid < amount THEN paid ELSE amount END) AS period_collected,
           MAX(CASE WHEN due_on <= %(as_of)s THEN due_on END) AS last_due,
           MIN(CASE WHEN due_on > %(as_of)s THEN due_on END) AS next_due
    FROM due
    GROUP BY loan_id
),
repaid AS (
    SELECT loan_id, SUM(principal) AS paid,
           MAX(last_paid) AS last_paid, MIN(next_paid) AS next_paid
    FROM lines GROUP BY loan_id
)
SELECT b.id, b.status,
       b.principal - COALESCE(r.paid, 0),
       CASE WHEN dues.arrears > b.tolerance THEN dues.arrears ELSE 0 END,
       CASE WHEN dues.arrears > b.tolerance THEN {days} ELSE 0 END,
       COALESCE(dues.period_due, 0), COALESCE(dues.period_collected, 0),
       dues.last_due, r.last_paid, dues.next_due, r.next_paid,
       b.outstanding_principal, b.arrears_amount, b.days_past_due, b.figures_as_of,
       b.period_due, b.period_collected, b.period_as_of, b.period_until
FROM batch b
LEFT JOIN repaid r ON r.loan_id = b.id
LEFT JOIN dues ON dues.loan_id = b.id
ORDER BY b.id
"""


def _figures_sql() -> str:
    if connection.vendor == "postgresql":
        tolerance = "COALESCE((terms->>'arrears_tolerance')::bigint, 0)"
        days = "(%(as_of)s::date - dues.oldest)"
    else:
        tolerance = "COALESCE(CAST(json_extract(terms, '$.arrears_tolerance') AS INTEGER), 0)"
        days = "CAST(julianday(%(as_of)s) - julianday(dues.oldest) AS INTEGER)"
    return _FIGURES_SQL.format(tolerance=tolerance, days=days)


def refresh_all(*, as_of: date, batch_size: int = 2000) -> tuple[int, int]:
    """Recompute the figures of active loans disbursed by ``as_of``; returns (seen, changed)
    (active loans examined, and written).

    A system job, not a person's read: it is not scoped. Set-based: per batch of loans,
    one query computes every loan's figures (the rule of :func:`credit.arrears.loan_figures`,
    which ``refresh_loan_figures`` applies to one loan; a test keeps both in agreement)
    next to the stored ones, and one statement writes those that changed. Rows whose
    figures are already right are not written again, so a second run on the same day
    writes nothing.

    The period's figures (from 1 January of ``as_of``'s year) of the loans closed since it
    began, or written off after ``as_of``, are refreshed too when they do not hold on
    ``as_of`` (a loan closed early has instalments falling due after it), if the loan owes
    no principal on ``as_of``: so such a loan adds nothing else to that day's portfolio
    (one that still owes something is left to be computed from its schedule). Their other
    figures stay those of their last change: such a loan no longer changes without
    becoming active again, which refreshes it.
    """
    sql = _figures_sql()
    params = {
        "active": LoanStatus.ACTIVE,
        "closed": LoanStatus.CLOSED,
        "written_off": LoanStatus.WRITTEN_OFF,
        "as_of": as_of,
        "period_start": date(as_of.year, 1, 1),
        "no": False,
        "size": batch_size,
    }
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
            updates, settled = [], []
            for pk, status, o, a, d, due, got, *dates_and_stored in rows:
                start, until = period_window(as_of, *map(_day, dates_and_stored[:4]))
                stored = dates_and_stored[4:]
                if status == LoanStatus.ACTIVE:
                    seen += 1
                    new = (int(o), int(a), int(d), as_of, int(due), int(got), start, until)
                    old = (*stored[:3], _day(stored[3]), *stored[4:6], *map(_day, stored[6:]))
                    if new != old:
                        updates.append((pk, *new[:3], *new[4:]))
                elif int(o) <= 0:
                    settled.append((pk, int(due), int(got), start, until))
            if updates or settled:
                _write(updates, settled, as_of)
        changed += len(updates)
        if len(rows) < batch_size:
            break
        last_pk = rows[-1][0]
    # After every batch: a pull that sees the run sees every figure it wrote.
    FiguresRun.objects.create(as_of=as_of, finished_at=timezone.now(), seen=seen, changed=changed)
    return seen, changed
