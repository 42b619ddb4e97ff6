"""Every read of credit, scoped through accounts.scoping.

A loan is visible to: the national role; agents whose area contains the borrower's commune
(``Loan.area``); the officers of the loan's cooperative (the borrower, or the one the loan
to a member goes through); the lender's staff; the borrowing person (member role).
"""

from __future__ import annotations

import functools
import operator
from contextlib import contextmanager
from dataclasses import asdict
from datetime import date

from django.db import connection, transaction
from django.db.models import Case, Count, F, OuterRef, Q, QuerySet, Subquery, Sum, Value, When
from django.db.models.functions import Coalesce, Greatest, Least
from django.utils.translation import gettext_lazy as _

from accounts.scoping import scope_for, scope_q
from core.errors import Forbidden, NotFound, ValidationFailed
from core.text import search_q
from credit.arrears import (
    BUCKETS,
    CURRENT,
    PAR_DAYS,
    Part,
    empty_parts,
    figures_for,
    parts_of,
    portfolio_summary,
    ratio,
    summary_of_parts,
)
from credit.errors import Code
from credit.models import (
    Allocation,
    Instalment,
    Lender,
    Loan,
    LoanChangeRequest,
    LoanEvent,
    LoanProduct,
    LoanStatus,
    RecoveryAction,
    Repayment,
)
from geo.models import Area

BATCH = 2000
IN_PORTFOLIO = [LoanStatus.ACTIVE, LoanStatus.CLOSED, LoanStatus.WRITTEN_OFF]


def loan_scope_q(actor) -> Q:
    return scope_q(
        scope_for(actor),
        area="area",
        cooperative="cooperative",
        lender="lender",
        person="borrower_person",
    )


def lender_list(*, actor) -> QuerySet[Lender]:
    scope = scope_for(actor)
    if scope.national:
        return Lender.objects.all()
    if scope.is_empty:
        return Lender.objects.none()
    if scope.lender_ids and not (scope.area_paths or scope.cooperative_ids or scope.person_ids):
        return Lender.objects.filter(pk__in=scope.lender_ids)
    return Lender.objects.all()


def loan_product_list(*, actor) -> QuerySet[LoanProduct]:
    """Products are the lenders' public offer: visible to every role, except that a lender's
    staff see only their own lender's products."""
    return LoanProduct.objects.filter(lender__in=lender_list(actor=actor)).select_related("lender")


def loan_product_get(*, actor, pk) -> LoanProduct:
    try:
        return loan_product_list(actor=actor).get(pk=pk)
    except (LoanProduct.DoesNotExist, ValueError, TypeError):
        raise NotFound(_("Produit introuvable.")) from None


def _area_q(code: str | None) -> Q:
    if not code:
        return Q()
    area = Area.objects.filter(code=code).only("path").first()
    if area is None:
        raise ValidationFailed(_("Zone inconnue."), code=Code.UNKNOWN_AREA, field="area")
    return Q(area__path__startswith=area.path)


def loan_list(
    *,
    actor,
    status: str | None = None,
    lender: int | None = None,
    product: int | None = None,
    area: str | None = None,
    sector: str | None = None,
    q: str | None = None,
    in_arrears: bool | None = None,
    cooperative: int | None = None,
) -> QuerySet[Loan]:
    qs = Loan.objects.filter(loan_scope_q(actor)).select_related(
        "lender", "product", "borrower_cooperative", "borrower_person", "cooperative", "area"
    )
    if status:
        qs = qs.filter(status=status)
    if lender:
        qs = qs.filter(lender_id=lender)
    if product:
        qs = qs.filter(product_id=product)
    if cooperative:
        qs = qs.filter(cooperative_id=cooperative)
    if sector:
        qs = qs.filter(cooperative__sector__code=sector)
    qs = qs.filter(_area_q(area))
    if q:
        qs = qs.filter(search_q(q))
    if in_arrears:
        qs = qs.filter(status=LoanStatus.ACTIVE, days_past_due__gt=0)
    return qs


def loan_get(*, actor, pk) -> Loan:
    try:
        return loan_list(actor=actor).get(pk=pk)
    except (Loan.DoesNotExist, ValueError, TypeError):
        raise NotFound(_("Prêt introuvable.")) from None


def instalment_list(*, actor, loan: Loan, include_superseded: bool = False) -> QuerySet[Instalment]:
    """The schedule of a loan already fetched through :func:`loan_get`."""
    qs = Instalment.objects.filter(loan=loan).order_by("number")
    return qs if include_superseded else qs.filter(superseded=False)


def repayment_list(*, actor, loan: Loan) -> QuerySet[Repayment]:
    return (
        Repayment.objects.filter(loan=loan)
        .select_related("recorded_by", "reverses")
        .annotate(reversed_count=Count("reversed_by"))
        .order_by("-paid_on", "-id")
    )


def repayment_get(*, actor, pk) -> Repayment:
    try:
        return Repayment.objects.select_related("loan").get(
            pk=pk, loan__in=Loan.objects.filter(loan_scope_q(actor))
        )
    except (Repayment.DoesNotExist, ValueError, TypeError):
        raise NotFound(_("Remboursement introuvable.")) from None


def loan_event_list(*, actor, loan: Loan) -> QuerySet[LoanEvent]:
    return LoanEvent.objects.filter(loan=loan).select_related("actor").order_by("at", "id")


def change_request_list(*, actor, loan: Loan) -> QuerySet[LoanChangeRequest]:
    return loan.change_requests.select_related("requested_by", "decided_by")


def change_request_get(*, actor, pk) -> LoanChangeRequest:
    try:
        return LoanChangeRequest.objects.select_related("loan").get(
            pk=pk, loan__in=Loan.objects.filter(loan_scope_q(actor))
        )
    except (LoanChangeRequest.DoesNotExist, ValueError, TypeError):
        raise NotFound(_("Demande introuvable.")) from None


def recovery_action_list(*, actor, loan: Loan) -> QuerySet[RecoveryAction]:
    return RecoveryAction.objects.filter(loan=loan).select_related("actor")


def arrears_list(*, actor, area: str | None = None) -> QuerySet[Loan]:
    """The loans in arrears in the actor's scope, riskiest first (most days late, then the
    largest amount in arrears), from the figures of the last refresh, with the latest
    recovery action and promise to pay."""
    last = RecoveryAction.objects.filter(loan=OuterRef("pk")).order_by("-on", "-id")
    return (
        loan_list(actor=actor, area=area, in_arrears=True)
        .annotate(
            last_action_kind=Subquery(last.values("kind")[:1]),
            last_action_on=Subquery(last.values("on")[:1]),
            promise_on=Subquery(last.values("promise_on")[:1]),
            promise_amount=Subquery(last.values("promise_amount")[:1]),
        )
        .order_by("-days_past_due", "-arrears_amount", "id")
    )


def _portfolio_loans(
    *,
    actor,
    as_of: date,
    period_start: date,
    area: str | None,
    lender: int | None,
    product: int | None,
    sector: str | None,
) -> QuerySet[Loan]:
    """The loans of the portfolio on ``as_of``: active, closed or written off after it,
    disbursed by it, not closed before the period began."""
    return (
        loan_list(actor=actor, area=area, lender=lender, product=product, sector=sector)
        .filter(status__in=IN_PORTFOLIO, disbursed_on__lte=as_of)
        .exclude(status=LoanStatus.WRITTEN_OFF, closed_on__lte=as_of)
        .exclude(closed_on__lt=period_start)
        .select_related(None)
        .order_by()
    )


def _recomputed(rows, as_of: date, period_start: date | None) -> list:
    """Figures of ``(id, principal, tolerance)`` rows from their schedules and allocation
    lines, by batches (two queries a batch)."""
    figures = []
    for start in range(0, len(rows), BATCH):
        batch = [(i, p, int(t or 0)) for i, p, t in rows[start : start + BATCH]]
        figures.extend(figures_for(batch, as_of, period_start).values())
    return figures


def _bucket_case() -> Case:
    return Case(
        *[
            When(days_past_due__gte=low, then=Value(label))
            for label, low, _high in reversed(BUCKETS)
        ],
        default=Value(CURRENT),
    )


def _period_q(as_of: date, period_start: date) -> Q | None:
    """The loans whose stored period figures are those of ``as_of`` (None: the period asked
    is not the calendar year's, which the stored figures are of)."""
    if period_start != date(as_of.year, 1, 1):
        return None
    return Q(period_as_of__lte=as_of, period_until__gte=as_of)


def _settled_q(as_of: date) -> Q:
    """Loans no longer active that owe no principal on ``as_of``: their stored period figures
    hold on it (so no payment is dated between their computation and ``as_of``) and were
    stored by the nightly job, which stores them only for a loan owing nothing, or by the
    refresh that also stored the outstanding principal, 0. Such a loan does not change
    without becoming active again (which refreshes it)."""
    return (
        ~Q(status=LoanStatus.ACTIVE)
        & Q(period_as_of__lte=as_of, period_until__gte=as_of)
        & Q(outstanding_principal=0)
    )


def _stored(
    loans: QuerySet[Loan], as_of: date, period: Q | None
) -> tuple[dict[str, Part], int, int]:
    """From the stored figures, in one aggregate query grouped by aging bucket: the parts of
    the loans whose figures are those of ``as_of`` (with principal outstanding), and the
    period's due and collected of the loans whose period figures hold on ``as_of``."""
    live = Q(figures_as_of=as_of, outstanding_principal__gt=0)
    aggregates = {
        "n": Count("id", filter=live),
        "outstanding": Sum("outstanding_principal", filter=live, default=0),
        "arrears": Sum("arrears_amount", filter=live, default=0),
        **{
            f"par{i}": Sum("outstanding_principal", filter=live & Q(days_past_due__gt=n), default=0)
            for i, n in enumerate(PAR_DAYS)
        },
    }
    if period is not None:
        aggregates["due"] = Sum("period_due", filter=period, default=0)
        aggregates["collected"] = Sum("period_collected", filter=period, default=0)
    rows = (
        loans.filter(live if period is None else live | period)
        .annotate(bucket=_bucket_case())
        .values("bucket")
        .annotate(**aggregates)
        .order_by()
    )
    parts, due, collected = empty_parts(), 0, 0
    for row in rows:
        parts[row["bucket"]].add(
            Part(
                count=row["n"],
                outstanding=row["outstanding"],
                arrears=row["arrears"],
                par=[row[f"par{i}"] for i in range(len(PAR_DAYS))],
            )
        )
        due += row.get("due", 0)
        collected += row.get("collected", 0)
    return parts, int(due), int(collected)


def _not_stored(loans: QuerySet[Loan], as_of: date, period: Q | None) -> list[tuple]:
    """``(id, principal, tolerance, parts, period)`` of the loans that need computing from
    their schedules: ``parts`` for those whose stored figures are of another day and that
    still owe principal on ``as_of`` (a loan owing nothing adds nothing but to the
    recovery), ``period`` for those whose stored period figures do not hold on it.

    The principal owed on ``as_of`` is the stored one corrected by the principal lines
    paid between the two days (one indexed range per loan, empty for a loan closed before
    ``as_of`` and not touched since); a loan never refreshed is always computed."""
    between = (
        Allocation.objects.filter(loan=OuterRef("pk"), component="principal")
        .filter(
            paid_on__gt=Least(OuterRef("figures_as_of"), Value(as_of)),
            paid_on__lte=Greatest(OuterRef("figures_as_of"), Value(as_of)),
        )
        .order_by()
        .values("loan")
        .annotate(
            moved=Sum(
                Case(When(paid_on__lte=as_of, then=F("amount")), default=-F("amount")),
            )
        )
        .values("moved")
    )
    other_day = ~Q(figures_as_of=as_of) & ~_settled_q(as_of)
    owing = Q(owed__gt=0) | Q(figures_as_of__isnull=True)
    stale_period = Q(pk__in=[]) if period is None else ~period
    return list(
        loans.filter(other_day | stale_period)
        .annotate(owed=F("outstanding_principal") - Coalesce(Subquery(between), 0))
        .filter((other_day & owing) | stale_period)
        .annotate(
            parts=Case(When(other_day & owing, then=Value(True)), default=Value(False)),
            period=Case(When(stale_period, then=Value(True)), default=Value(False)),
        )
        .order_by("id")
        .values_list("id", "principal", "terms__arrears_tolerance", "parts", "period")
    )


@contextmanager
def _without_jit():
    """PostgreSQL compiles a query whose estimated cost is high (the correlated subquery of
    :func:`_not_stored` looks expensive while the statistics do not yet see the stored
    figures of the day) in 200-250 ms, far more than running it: JIT off for these reads."""
    if connection.vendor != "postgresql":
        yield
        return
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL jit = off")
        yield


def _recovery(loans: QuerySet[Loan], as_of: date, period_start: date) -> tuple[int, int]:
    """What fell due from ``period_start`` to ``as_of`` (principal, interest, fees of the
    current schedules) and what was collected on it by ``as_of`` (at most the amount due
    per instalment; penalties aside), summed by the database in two queries: for a period
    other than the calendar year, which the stored period figures are not of.

    What an instalment has been paid is kept on it by the services, in step with its
    allocation lines (a test checks it); the lines paid after ``as_of`` are taken back."""
    paid = F("principal_paid") + F("interest_paid") + F("fee_paid")
    amount = F("principal_due") + F("interest_due") + F("fee_due")
    instalments = Instalment.objects.filter(
        loan__in=loans.values("id"),
        superseded=False,
        due_on__gte=period_start,
        due_on__lte=as_of,
    ).order_by()
    totals = instalments.aggregate(
        due=Sum(amount, default=0), collected=Sum(Least(paid, amount), default=0)
    )
    # Instalments paid something after as_of: what they had received by as_of instead.
    later = (
        instalments.filter(lines__paid_on__gt=as_of)
        .values("id")
        .annotate(after=Sum("lines__amount", filter=~Q(lines__component="penalty"), default=0))
        .annotate(
            change=Least(paid - F("after"), amount) - Least(paid, amount),
        )
        .aggregate(total=Sum("change", default=0))
    )
    return int(totals["due"]), int(totals["collected"] + later["total"])


def portfolio(
    *,
    actor,
    as_of: date,
    area: str | None = None,
    lender: int | None = None,
    product: int | None = None,
    sector: str | None = None,
    period_start: date | None = None,
) -> dict:
    """Portfolio quality on ``as_of`` over the loans the actor sees (see credit/arrears.py).

    The recovery period runs from ``period_start`` (default: 1 January of ``as_of``'s year)
    to ``as_of``.

    Two aggregate queries, whatever the number of loans, on the nightly job's day: the
    loans whose stored figures are those of ``as_of`` (the nightly job's day; a repayment,
    a reversal, a reschedule refresh their loan's) are summed by the database, with the
    period's due and collected of the loans whose stored period figures hold on that day;
    only the others (that still owe principal, for the aging) are computed from their
    schedules (all of them for a past day). A period other than the calendar year is
    summed over the instalments. Same results as :func:`portfolio_recomputed`, which
    computes every loan (a test keeps both equal)."""
    period_start = period_start or date(as_of.year, 1, 1)
    loans = _portfolio_loans(
        actor=actor,
        as_of=as_of,
        period_start=period_start,
        area=area,
        lender=lender,
        product=product,
        sector=sector,
    )
    period = _period_q(as_of, period_start)
    with _without_jit():
        parts, due, collected = _stored(loans, as_of, period)
        rows = _not_stored(loans, as_of, period)
        live = []
        for start in range(0, len(rows), BATCH):
            batch = rows[start : start + BATCH]
            figures = figures_for(
                [(i, p, int(t or 0)) for i, p, t, _parts, _period in batch],
                as_of,
                period_start if period is not None else None,
            )
            for loan_id, _p, _t, for_parts, for_period in batch:
                f = figures[loan_id]
                if for_parts and f.outstanding_principal > 0:
                    live.append(f)
                if for_period:
                    due += f.due_in_period
                    collected += f.collected_in_period
        for label, part in parts_of(live).items():
            parts[label].add(part)
        if period is None:
            due, collected = _recovery(loans, as_of, period_start)
    result = asdict(summary_of_parts(parts, due, collected))
    result.update(as_of=as_of, period_start=period_start)
    return result


def portfolio_recomputed(
    *,
    actor,
    as_of: date,
    area: str | None = None,
    lender: int | None = None,
    product: int | None = None,
    sector: str | None = None,
    period_start: date | None = None,
) -> dict:
    """:func:`portfolio` computed from every loan's schedule and allocation lines, ignoring
    the stored figures (the reference the fast path is tested against)."""
    period_start = period_start or date(as_of.year, 1, 1)
    loans = _portfolio_loans(
        actor=actor,
        as_of=as_of,
        period_start=period_start,
        area=area,
        lender=lender,
        product=product,
        sector=sector,
    )
    rows = list(loans.order_by("id").values_list("id", "principal", "terms__arrears_tolerance"))
    figures = _recomputed(rows, as_of, period_start)
    summary = portfolio_summary(figures)
    live = [f for f in figures if f.outstanding_principal > 0]
    outstanding = portfolio_summary(live)
    result = asdict(outstanding)
    result.update(
        recovery_rate=summary.recovery_rate,
        due_in_period=summary.due_in_period,
        collected_in_period=summary.collected_in_period,
        as_of=as_of,
        period_start=period_start,
    )
    return result


def home_figures(actor) -> dict | None:
    """The credit panel of a lender's home page, one query (None for other roles: their
    homes keep their own query budget; the loan pages serve them)."""
    if not scope_for(actor).lender_ids:
        return None
    active = Q(status=LoanStatus.ACTIVE)
    agg = (
        Loan.objects.filter(loan_scope_q(actor))
        .order_by()
        .aggregate(
            count=Count("id", filter=active),
            outstanding=Sum("outstanding_principal", filter=active),
            at_risk30=Sum("outstanding_principal", filter=active & Q(days_past_due__gt=30)),
            in_arrears=Count("id", filter=active & Q(days_past_due__gt=0)),
            arrears_amount=Sum("arrears_amount", filter=active),
            pending=Count("id", filter=Q(status=LoanStatus.APPLICATION)),
        )
    )
    outstanding = agg["outstanding"] or 0
    return {
        "loans": agg["count"],
        "outstanding": outstanding,
        "in_arrears": agg["in_arrears"],
        "arrears_amount": agg["arrears_amount"] or 0,
        "par30": ratio(agg["at_risk30"] or 0, outstanding),
        "pending_approval": agg["pending"],
    }


def borrower_scope_q(actor, *, person: bool) -> Q:
    """The cooperatives (``person=False``) or persons an actor may name as a borrower.

    National: anyone. A lender's staff: those in the zone of intervention of one of their
    lenders (a cooperative of that zone, a person living there or an active member of one
    of its cooperatives; a lender without a zone lends nationwide, as the programme's
    fund does), and the lender's own borrowers. Anyone else: no one (issue 14, point 5:
    naming an id outside this set answers 404 and writes nothing)."""
    from registry.models import Membership

    scope = scope_for(actor)
    if scope.national:
        return Q()
    if not scope.lender_ids:
        return Q(pk__in=[])
    zones = list(
        Lender.objects.filter(pk__in=scope.lender_ids).values_list("area__path", flat=True)
    )
    if any(path is None for path in zones):
        return Q()
    in_zone = Q(pk__in=[])
    for path in zones:
        in_zone |= Q(commune__path__startswith=path)
    own = Loan.objects.filter(lender_id__in=scope.lender_ids)
    if not person:
        return in_zone | Q(pk__in=own.values("borrower_cooperative_id"))
    members = Membership.objects.filter(left_on__isnull=True).filter(
        Q(pk__in=[])
        if not zones
        else functools.reduce(
            operator.or_, [Q(cooperative__commune__path__startswith=p) for p in zones]
        )
    )
    return (
        in_zone | Q(pk__in=members.values("person_id")) | Q(pk__in=own.values("borrower_person_id"))
    )


def borrower_get(*, actor, cooperative: int | None = None, person: int | None = None):
    """The borrower (or the cooperative a member's loan goes through) named in an
    application, among those the actor may name (:func:`borrower_scope_q`): any other id
    answers 404, exactly like a missing one. Roles that may not enter applications: 403."""
    from registry.models import Cooperative, Person

    scope = scope_for(actor)
    if not (scope.national or scope.lender_ids):
        raise Forbidden(_("Seul le prêteur ou le niveau national enregistre une demande."))
    model, pk, message, field = (
        (Cooperative, cooperative, _("Coopérative introuvable."), "borrower_cooperative")
        if cooperative is not None
        else (Person, person, _("Personne introuvable."), "borrower_person")
    )
    if not isinstance(pk, int) or not 0 < pk < 2**63:
        raise NotFound(message, field=field)
    found = (
        model.objects.filter(borrower_scope_q(actor, person=model is Person), pk=pk)
        .exclude(**({"merged_into__isnull": False} if model is Person else {}))
        .first()
    )
    if found is None:
        raise NotFound(message, field=field)
    return found


def borrower_visible(*, actor, cooperative=None, person=None) -> bool:
    """Whether the actor may name these (already loaded) borrowers (for the service)."""
    from registry.models import Cooperative, Person

    for model, obj in ((Cooperative, cooperative), (Person, person)):
        if (
            obj is not None
            and not model.objects.filter(
                borrower_scope_q(actor, person=model is Person), pk=obj.pk
            ).exists()
        ):
            return False
    return True


def lender_for_write(*, actor, pk: int | None) -> Lender:
    """The lender a new product is for: the one named, or the actor's only lender."""
    scope = scope_for(actor)
    if pk is None:
        if len(scope.lender_ids) == 1:
            pk = next(iter(scope.lender_ids))
        else:
            raise ValidationFailed(_("Indiquez le prêteur."), code=Code.REQUIRED, field="lender")
    try:
        return lender_list(actor=actor).get(pk=pk)
    except (Lender.DoesNotExist, ValueError, TypeError):
        raise NotFound(_("Prêteur introuvable."), field="lender") from None


def not_found_repayment() -> NotFound:
    return NotFound(_("Remboursement introuvable."))


DISBURSEMENT_PURPOSE = "loan_disbursement"  # payments' payout purpose (payment_purposes.py)


def disbursement_payout(loan):
    """The latest payout of a loan disbursed to a wallet (payments), or None; the loan was
    read through a scoped selector."""
    from payments.selectors import purpose_payout

    return purpose_payout(purpose=DISBURSEMENT_PURPOSE, target_id=loan.pk)
