"""Every read of credit, scoped through accounts.scoping.

A loan is visible to: the national role; agents whose area contains the borrower's commune
(``Loan.area``); the officers of the loan's cooperative (the borrower, or the one the loan
to a member goes through); the lender's staff; the borrowing person (member role).
"""

from __future__ import annotations

import functools
import operator
from dataclasses import asdict
from datetime import date

from django.db.models import Count, F, OuterRef, Q, QuerySet, Subquery, Sum
from django.db.models.functions import Least
from django.utils.translation import gettext_lazy as _

from accounts.scoping import scope_for, scope_q
from core import dates
from core.errors import Forbidden, NotFound, ValidationFailed
from core.text import search_q
from credit import rollups, sums
from credit.arrears import (
    CURRENT,
    empty_parts,
    figures_for,
    portfolio_summary,
    summary_of_parts,
)
from credit.errors import Code
from credit.models import (
    FiguresRun,
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
from credit.sums import BATCH
from geo.models import Area


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


def _area_path(code: str | None) -> str | None:
    """The path of the area named by ``code`` (None: no area asked); an unknown code is a
    ``ValidationFailed`` on ``area``."""
    if not code:
        return None
    path = Area.objects.filter(code=code).values_list("path", flat=True).first()
    if path is None:
        raise ValidationFailed(_("Zone inconnue."), code=Code.UNKNOWN_AREA, field="area")
    return path


def _area_q(code: str | None) -> Q:
    path = _area_path(code)
    return Q() if path is None else Q(area__path__startswith=path)


_LOAN_RELATED = (
    "lender",
    "product",
    "borrower_cooperative",
    "borrower_person",
    "cooperative",
    "area",
)


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
    qs = Loan.objects.filter(loan_scope_q(actor)).select_related(*_LOAN_RELATED)
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


def figures_run_latest() -> int | None:
    """The id of the nightly job's last run that changed a loan's figures (``None``: none
    yet). Not a person's read: the fact that a run ended, holding no data."""
    runs = FiguresRun.objects.filter(changed__gt=0).order_by("-id")
    return runs.values_list("id", flat=True).first()


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


def _listed_scope_q(actor) -> Q:
    """:func:`loan_scope_q` with an agent's areas as the ids of every area under them: the
    same loans, but PostgreSQL then knows how many they are. With ``area__path__startswith``
    it guessed one area (a region has tens of communes) hence few loans, and sorted them all
    after every join rather than reading the late loans in order (``loan_arrears_order``)
    down to the page's last row: 775 ms for a region at household scale."""
    scope = scope_for(actor)
    if scope.national or not scope.area_paths:
        return loan_scope_q(actor)
    q = scope_q(scope, cooperative="cooperative", lender="lender", person="borrower_person")
    paths = functools.reduce(
        operator.or_, (Q(path__startswith=path) for path in sorted(scope.area_paths))
    )
    return q | Q(area_id__in=list(Area.objects.filter(paths).values_list("id", flat=True)))


def arrears_list(*, actor, area: str | None = None) -> QuerySet[Loan]:
    """The loans in arrears in the actor's scope, riskiest first (most days late, then the
    largest amount in arrears), from the figures of the last refresh, with the latest
    recovery action and promise to pay."""
    last = RecoveryAction.objects.filter(loan=OuterRef("pk")).order_by("-on", "-id")
    return (
        Loan.objects.filter(_listed_scope_q(actor), _area_q(area))
        .filter(status=LoanStatus.ACTIVE, days_past_due__gt=0)
        .select_related(*_LOAN_RELATED)
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
    """The loans of the portfolio on ``as_of`` the actor sees (``credit.sums.in_portfolio``)."""
    return sums.in_portfolio(
        loan_list(actor=actor, area=area, lender=lender, product=product, sector=sector),
        as_of,
        period_start,
    )


def _recomputed(rows, as_of: date, period_start: date | None) -> list:
    """Figures of ``(id, principal, tolerance)`` rows from their schedules and allocation
    lines, by batches (two queries a batch)."""
    figures = []
    for start in range(0, len(rows), BATCH):
        batch = [(i, p, int(t or 0)) for i, p, t in rows[start : start + BATCH]]
        figures.extend(figures_for(batch, as_of, period_start).values())
    return figures


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


def _from_rollups(
    *,
    actor,
    as_of: date,
    period_start: date,
    area: str | None,
    lender: int | None,
    product: int | None,
    sector: str | None,
) -> dict[str, sums.Cell] | None:
    """The portfolio's sums by aging bucket from the stored rollups (credit/rollups.py),
    or None when they cannot answer: a day other than today, a period other than the
    calendar year, or a scope their keys do not express (a cooperative's officer, a
    member). National, a lender's staff (their lenders) and an agent (their areas), with
    the area, lender, product and sector filters, read them: the rows per commune, lender
    and bucket when neither a product nor a sector is asked, else the detailed rows; the
    loans without a commune, which no rollup holds, are summed from the loans (national
    and lenders only)."""
    scope = scope_for(actor)
    if (
        as_of != dates.today()
        or period_start != date(as_of.year, 1, 1)
        or scope.is_empty
        or scope.cooperative_ids
        or scope.person_ids
    ):
        return None
    communes, rows = Q(), Q(as_of=as_of)
    if not scope.national:
        rows &= scope_q(scope, area="area", lender="lender")
        if not scope.lender_ids:
            communes &= functools.reduce(
                operator.or_, [Q(path__startswith=p) for p in sorted(scope.area_paths)]
            )
    path = _area_path(area)
    if path is not None:
        communes &= Q(path__startswith=path)
        rows &= Q(area__path__startswith=path)
    if lender:
        rows &= Q(lender_id=lender)
    if product:
        rows &= Q(product_id=product)
    if sector:
        rows &= Q(sector__code=sector)
    cells = rollups.read(
        as_of=as_of, communes=communes, rows=rows, detailed=bool(product or sector)
    )
    if (
        path is None
        and (scope.national or scope.lender_ids)
        # one cheap query; such loans are rare (compiling the two below is not cheap)
        and Loan.objects.filter(area__isnull=True, status__in=sums.IN_PORTFOLIO).exists()
    ):
        loans = _portfolio_loans(
            actor=actor,
            as_of=as_of,
            period_start=period_start,
            area=None,
            lender=lender,
            product=product,
            sector=sector,
        ).filter(area__isnull=True)
        for (bucket,), cell in sums.cells(loans, as_of, period_start).items():
            cells.setdefault(bucket, sums.Cell()).add(cell)
    return cells


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

    Today, for the calendar year, national, a lender's staff and an agent read the stored
    rollups (credit/rollups.py: the day's sums per commune, lender and aging bucket, or
    also per product and sector when one is asked, the stale communes recomputed first):
    a handful of queries. Otherwise two aggregate queries, whatever the number of loans,
    on the nightly job's day: the loans whose stored figures are those of ``as_of`` (the
    nightly job's day; a repayment, a reversal, a reschedule refresh their loan's) are
    summed by the database, with the period's due and collected of the loans whose stored
    period figures hold on that day; only the others (that still owe principal, for the
    aging) are computed from their schedules (all of them for a past day)
    (``credit.sums.cells``). A period other than the calendar year is summed over the
    instalments. Same results as :func:`portfolio_recomputed`, which computes every loan
    (a test keeps both equal)."""
    period_start = period_start or date(as_of.year, 1, 1)
    filters = {"area": area, "lender": lender, "product": product, "sector": sector}
    loans = _portfolio_loans(actor=actor, as_of=as_of, period_start=period_start, **filters)
    with sums.without_jit():
        cells = _from_rollups(actor=actor, as_of=as_of, period_start=period_start, **filters)
        if cells is None:
            cells = {}
            for (bucket,), cell in sums.cells(loans, as_of, period_start).items():
                cells.setdefault(bucket, sums.Cell()).add(cell)
        parts, due, collected = empty_parts(), 0, 0
        for bucket, cell in cells.items():
            parts[bucket].add(cell.part)
            due += cell.due
            collected += cell.collected
        if sums.period_q(as_of, period_start) is None:
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
    """The credit panel of a lender's home page (None for other roles: their homes keep
    their own query budget; the loan pages serve them).

    The figures are ``/portfolio``'s of today over the actor's loans (:func:`portfolio`,
    which reads the stored rollups: a handful of queries whatever the number of loans,
    after recomputing the stale communes): the loans owing principal, their outstanding,
    those in arrears (any bucket but the current one) and the amount in arrears, PAR 30.
    The applications awaiting approval, which no rollup holds, are one indexed count
    (``Loan`` index on lender and status)."""
    if not scope_for(actor).lender_ids:
        return None
    p = portfolio(actor=actor, as_of=dates.today())
    pending = (
        Loan.objects.filter(loan_scope_q(actor), status=LoanStatus.APPLICATION).order_by().count()
    )
    return {
        "loans": p["loans_count"],
        "outstanding": p["outstanding"],
        "in_arrears": sum(b["count"] for b in p["arrears_buckets"] if b["bucket"] != CURRENT),
        "arrears_amount": p["arrears_amount"],
        "par30": p["par30"],
        "pending_approval": pending,
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
