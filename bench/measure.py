"""The two non-page measurements of ``make bench`` (run by ``manage.py bench_measure``).

- **Members import**: an XLSX file of N new memberships (existing persons joining a
  cooperative they are not in, by CNI and cooperative number) through the real import
  (``registry.imports.run_import("members", ...)``: the same path as
  ``/api/v1/imports/members``, every row validated and written by ``member_admit``),
  against raw inserts of the same rows (``Membership.objects.bulk_create``). Both inside a
  transaction rolled back afterwards, so the database is unchanged and runs comparable.
- **Nightly job**: ``credit.portfolio.refresh_all`` on the day after the data's as-of date
  (every active loan's figures change, so every row is written: the job's worst case),
  rolled back, against one plain SQL aggregate computing the same three figures
  (outstanding principal, arrears, days past due) for the same loans. The aggregate's
  results are checked against the job's.

Each is timed a few times (the import once by default: it is the slow one); the median
is reported, and the best.
"""

from __future__ import annotations

import datetime
import io
import statistics
import time

from django.db import connection, transaction

from bench.activity import AS_OF


class _Rollback(Exception):
    pass


def _timed(func, repeat: int) -> tuple[list[float], object]:
    """Run ``func`` in a transaction rolled back, ``repeat`` times; the seconds and the
    last result."""
    seconds, result = [], None
    for _ in range(repeat):
        try:
            with transaction.atomic():
                started = time.perf_counter()
                result = func()
                seconds.append(time.perf_counter() - started)
                raise _Rollback
        except _Rollback:
            pass
    return seconds, result


def _rate(count: int, seconds: list[float]) -> dict:
    median = statistics.median(seconds)
    return {
        "rows": count,
        "seconds_median": round(median, 3),
        "seconds_best": round(min(seconds), 3),
        "per_second": round(count / median, 1) if median else None,
    }


# --- members import -------------------------------------------------------------------------


def member_rows(n: int) -> list[tuple]:
    """N (cooperative, person) pairs that are not memberships yet, deterministic."""
    from registry.models import Cooperative, Membership, Person

    coops = list(
        Cooperative.objects.exclude(stage="dissoute")
        .order_by("pk")
        .values_list("pk", "registration_number")
    )
    persons = list(
        Person.objects.filter(merged_into__isnull=True, national_id__isnull=False)
        .exclude(national_id="")
        .order_by("pk")
        .values_list("pk", "national_id")
    )
    step = max(1, len(persons) // n)
    chosen = persons[::step][:n]
    existing = set(
        Membership.objects.filter(person_id__in=[p for p, _ in chosen]).values_list(
            "person_id", "cooperative_id"
        )
    )
    rows = []
    for i, (person, national_id) in enumerate(chosen):
        for k in range(len(coops)):
            coop, number = coops[(i * 7 + k) % len(coops)]
            if (person, coop) not in existing:
                rows.append((coop, number or str(coop), person, national_id))
                break
    return rows


def members_xlsx(rows: list[tuple], joined_on: datetime.date) -> bytes:
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet("membres")
    sheet.append(["Coopérative RSC", "CNI", "Date d'adhésion", "Rôle"])
    for _coop, number, _person, national_id in rows:
        sheet.append([number, national_id, joined_on.strftime("%d/%m/%Y"), "membre"])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def measure_import(n: int, repeat: int = 1, raw_repeat: int = 3) -> dict:
    from accounts.models import User
    from registry.imports import run_import
    from registry.models import Membership

    actor = User.objects.get(username="bench-national")
    rows = member_rows(n)
    joined_on = AS_OF
    data = members_xlsx(rows, joined_on)

    def real():
        report = run_import("members", data, actor=actor, filename="membres.xlsx")
        if report.errors or report.created != len(rows):
            raise RuntimeError(f"import refused: {report.as_dict()['errors'][:3]}")
        return report.created

    def raw():
        Membership.objects.bulk_create(
            [
                Membership(
                    cooperative_id=coop,
                    person_id=person,
                    joined_on=joined_on,
                    role="membre",
                    status="active",
                )
                for coop, _number, person, _nid in rows
            ]
        )
        return len(rows)

    real_s, _ = _timed(real, repeat)
    raw_s, _ = _timed(raw, raw_repeat)
    result = {
        "file": "xlsx",
        "file_bytes": len(data),
        "import": _rate(len(rows), real_s),
        "raw_inserts": _rate(len(rows), raw_s),
    }
    result["import_over_raw"] = round(
        result["import"]["per_second"] / result["raw_inserts"]["per_second"], 4
    )
    return result


# --- nightly job -------------------------------------------------------------------------------


def _sql_figures(as_of: datetime.date) -> list[tuple]:
    """(loan id, outstanding principal, arrears, days past due) of the active loans
    disbursed by ``as_of``, in one query."""
    if connection.vendor == "postgresql":
        tolerance = "COALESCE((l.terms->>'arrears_tolerance')::bigint, 0)"
        days = "(%s::date - late.oldest)"
    else:
        tolerance = "COALESCE(CAST(json_extract(l.terms, '$.arrears_tolerance') AS INTEGER), 0)"
        days = "CAST(julianday(%s) - julianday(late.oldest) AS INTEGER)"
    sql = f"""
        WITH paid AS (
            SELECT instalment_id, SUM(amount) AS paid
            FROM credit_allocation
            WHERE paid_on <= %s AND component <> 'penalty'
            GROUP BY instalment_id
        ),
        late AS (
            SELECT i.loan_id,
                   SUM(i.principal_due + i.interest_due + i.fee_due - COALESCE(p.paid, 0))
                       AS arrears,
                   MIN(i.due_on) AS oldest
            FROM credit_instalment i LEFT JOIN paid p ON p.instalment_id = i.id
            WHERE i.superseded = %s AND i.due_on < %s
              AND i.principal_due + i.interest_due + i.fee_due > COALESCE(p.paid, 0)
            GROUP BY i.loan_id
        ),
        principal AS (
            SELECT loan_id, SUM(amount) AS paid
            FROM credit_allocation
            WHERE paid_on <= %s AND component = 'principal'
            GROUP BY loan_id
        )
        SELECT l.id,
               l.principal - COALESCE(principal.paid, 0),
               CASE WHEN late.arrears > {tolerance} THEN late.arrears ELSE 0 END,
               CASE WHEN late.arrears > {tolerance} THEN {days} ELSE 0 END
        FROM credit_loan l
        LEFT JOIN principal ON principal.loan_id = l.id
        LEFT JOIN late ON late.loan_id = l.id
        WHERE l.status = 'active' AND l.disbursed_on <= %s
    """  # noqa: S608 (no user input: vendor snippets only)
    with connection.cursor() as cursor:
        cursor.execute(sql, [as_of, False, as_of, as_of, as_of, as_of])
        return [tuple(int(v) for v in row) for row in cursor.fetchall()]


def measure_nightly(repeat: int = 3) -> dict:
    from credit.models import Loan
    from credit.portfolio import refresh_all

    as_of = AS_OF + datetime.timedelta(days=1)

    def job():
        seen, changed = refresh_all(as_of=as_of)
        figures = set(
            Loan.objects.filter(figures_as_of=as_of).values_list(
                "pk", "outstanding_principal", "arrears_amount", "days_past_due"
            )
        )
        return seen, changed, figures

    job_s, (seen, changed, job_figures) = _timed(job, repeat)
    sql_s, sql_rows = _timed(lambda: _sql_figures(as_of), repeat)
    sql_figures = set(sql_rows)
    result = {
        "as_of": as_of.isoformat(),
        "loans": seen,
        "rows_written": changed,
        "job": _rate(seen, job_s),
        "sql_aggregate": _rate(len(sql_rows), sql_s),
        "mismatches": len(job_figures ^ sql_figures),
    }
    result["job_over_sql"] = round(
        result["job"]["per_second"] / result["sql_aggregate"]["per_second"], 4
    )
    return result
