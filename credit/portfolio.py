"""The nightly refresh of every loan's stored figures (see the portfolio_refresh command)."""

from __future__ import annotations

from datetime import date

from django.db import transaction

from credit.arrears import figures_for
from credit.models import Loan, LoanStatus

FIELDS = ["outstanding_principal", "arrears_amount", "days_past_due", "figures_as_of"]


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
                updates.append(Loan(pk=pk, **dict(zip(FIELDS, new, strict=True))))
        if updates:
            with transaction.atomic():
                Loan.objects.bulk_update(updates, FIELDS)
            changed += len(updates)
    return seen, changed
