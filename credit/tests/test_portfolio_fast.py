"""``/portfolio`` reads the stored figures when they are those of the day asked; the result
must be the one of the full recomputation from schedules and allocation lines."""

import io
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.models import F, Q, Sum
from django.test.utils import CaptureQueriesContext

from credit import rollups, services
from credit.allocation import capacity
from credit.models import (
    Allocation,
    Instalment,
    Loan,
    LoanStatus,
    PortfolioRollup,
    PortfolioRollupLender,
    PortfolioRollupStamp,
)
from credit.portfolio import refresh_all
from credit.selectors import portfolio, portfolio_recomputed
from credit.tests.factories import active_loan, product
from geo.changes import areas_touch
from geo.models import Area, AreaLevel

NIGHT = date(2026, 6, 1)  # the day of the stored figures (the nightly job's)
DAYS = [date(2026, 3, 1), date(2026, 4, 20), NIGHT, date(2026, 9, 30)]


def _pay(credit, loan, amount, on, actor=None):
    return services.repayment_post(
        actor=actor or credit.w.lender, loan=loan, amount=amount, paid_on=on, channel="cash"
    )


def _settle(credit, loan, on):
    """Pay everything the loan allows on ``on`` (settled early: it closes)."""
    most = capacity([services._open(i) for i in loan.instalments.filter(superseded=False)], on)
    _pay(credit, loan, most, on)


def _decide(credit, loan, kind, on, **params):
    req = services.loan_change_request(
        actor=credit.w.lender, loan=loan, kind=kind, on=on, reason="test", params=params
    )
    services.loan_change_decide(actor=credit.checker, request=req, approve=True)


@pytest.fixture
def varied(credit):
    """Loans up to date, late in every bucket, settled early (this year and last), reversed,
    rescheduled, written off, with fees at disbursement and a tolerance, two products in one
    commune, lender and bucket; the nightly job run on NIGHT, then a payment of the day, a
    loan disbursed after it and a loan whose stored figures are of another day."""
    w = credit.w
    fees = product(
        w.lender,
        w.lender_obj,
        annual_rate=Decimal("14"),
        fee_rate=Decimal("1"),
        arrears_tolerance=5_000,
        term_months=6,
    )

    def loan(prod=credit.product, **kw):
        return active_loan(maker=w.lender, checker=credit.checker, product=prod, **kw)

    _pay(credit, credit.loan_tc, 4 * 91_680, date(2026, 5, 15))  # up to date in May
    _pay(credit, credit.loan_mbour, 40_000, date(2026, 2, 20))  # part of the first
    reversed_ = _pay(credit, credit.loan_person, 2 * 91_680, date(2026, 3, 10))
    services.repayment_reverse(
        actor=credit.checker, repayment=reversed_, on=date(2026, 4, 2), reason="chèque rejeté"
    )
    # settled early in April: closed, the interest not yet due waived
    early = loan(borrower_cooperative=w.coop_mbour, principal=300_000)
    _settle(credit, early, date(2026, 4, 10))
    early.refresh_from_db()
    assert early.status == LoanStatus.CLOSED
    # settled last year: out of the 2026 portfolio
    old = loan(
        borrower_cooperative=w.coop_tc,
        principal=200_000,
        applied_on=date(2025, 5, 2),
        disbursed_on=date(2025, 5, 5),
    )
    _settle(credit, old, date(2025, 11, 20))
    # fees withheld at disbursement, a small shortfall under the tolerance
    tolerant = loan(fees, borrower_cooperative=w.coop_thies, principal=600_000)
    due_feb = tolerant.instalments.get(number=1)
    _pay(
        credit,
        tolerant,
        due_feb.principal_due + due_feb.interest_due - 3_000,
        date(2026, 2, 14),
    )
    # rescheduled in April after two months unpaid
    resched = loan(borrower_cooperative=w.coop_tc, principal=500_000)
    _decide(credit, resched, "reschedule", date(2026, 4, 1), term_months=18)
    _pay(credit, resched, 20_000, date(2026, 5, 20))
    # written off in May
    lost = loan(borrower_person=w.persons_tc[1], principal=250_000)
    _decide(credit, lost, "write_off", date(2026, 5, 5))
    # late since last year (the >365 and 181-365 buckets on the later days)
    loan(
        borrower_cooperative=w.coop_thies,
        principal=800_000,
        applied_on=date(2025, 3, 1),
        disbursed_on=date(2025, 3, 10),
    )
    _pay(
        credit,
        loan(
            borrower_cooperative=w.coop_mbour,
            principal=700_000,
            applied_on=date(2025, 8, 1),
            disbursed_on=date(2025, 8, 20),
        ),
        150_000,
        date(2025, 10, 1),
    )
    # another product in the commune, lender and bucket of loan_tc (current on NIGHT): the
    # rows per lender sum two rows per product there
    loan(
        fees,
        borrower_cooperative=w.coop_tc,
        principal=350_000,
        applied_on=date(2026, 5, 20),
        disbursed_on=date(2026, 5, 25),
    )

    assert refresh_all(as_of=NIGHT)[0] >= 8
    # after the night: a payment of the day (refreshes its loan on NIGHT), a payment dated
    # after NIGHT, a loan disbursed after NIGHT, and stored figures of another day
    _pay(credit, credit.loan_mbour, 60_000, NIGHT)
    _pay(credit, credit.loan_tc, 91_680, date(2026, 6, 15))
    loan(borrower_cooperative=w.coop_tc, principal=400_000, disbursed_on=date(2026, 6, 20))
    stale = Loan.objects.get(pk=credit.loan_other.pk)
    services.refresh_loan_figures(stale, date(2026, 5, 1))
    return credit


SCOPES = [
    ("national", {}),
    ("agent_th", {}),
    ("agent_tc", {}),
    ("lender", {}),
    ("officer", {}),
    ("member", {}),
    ("national", {"area": "SN-TH-MBO"}),
    ("national", {"lender": "lender_obj"}),
    ("national", {"sector": "sector"}),
    ("lender", {"product": "product"}),
    ("agent_th", {"area": "SN-TH-MBO", "lender": "lender_obj"}),
    ("national", {"period_start": date(2025, 7, 1)}),
]


def _filters(credit, filters: dict) -> dict:
    named = {
        "lender_obj": credit.w.lender_obj.pk,
        "sector": credit.w.coop_tc.sector.code,
        "product": credit.product.pk,
    }
    return {k: named.get(v, v) if isinstance(v, str) else v for k, v in filters.items()}


def _today(monkeypatch, day: date) -> None:
    """``core.dates.today()`` answers ``day``: the portfolio of that day reads the rollups."""
    monkeypatch.setattr("core.dates.today", lambda: day)


def _assert_equal_everywhere(credit, as_of, scopes=SCOPES):
    for who, filters in scopes:
        kw = _filters(credit, filters)
        actor = getattr(credit.w, who)
        fast = portfolio(actor=actor, as_of=as_of, **kw)
        full = portfolio_recomputed(actor=actor, as_of=as_of, **kw)
        assert fast == full, (who, filters, as_of)


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["loans", "rollups"])
@pytest.mark.parametrize("as_of", DAYS)
def test_fast_path_equals_full_recomputation(varied, as_of, path, monkeypatch):
    """Both fast paths (the loans' stored figures; the rollups, read when the day asked is
    today: computed at the first read, then read) give the full recomputation's figures."""
    w = varied.w
    if path == "rollups":
        _today(monkeypatch, as_of)
    _assert_equal_everywhere(varied, as_of)
    assert PortfolioRollupStamp.objects.filter(as_of=as_of).exists() == (path == "rollups")
    if path == "rollups":  # read again: from the stored rows, nothing stale
        _assert_equal_everywhere(varied, as_of)
    # the comparison is not between empty portfolios
    full = portfolio_recomputed(actor=w.national, as_of=as_of)
    assert full["loans_count"] >= 5 and full["due_in_period"] > full["collected_in_period"] > 0


@pytest.mark.django_db
def test_the_portfolio_is_varied_on_the_stored_day(varied):
    """The fixture exercises what it claims: fresh and stale stored figures, several aging
    buckets, closed, written-off and rescheduled loans, payments after the day."""
    p = portfolio_recomputed(actor=varied.w.national, as_of=NIGHT)
    assert sum(1 for b in p["arrears_buckets"] if b["count"]) >= 4
    assert 0 < p["par90"] < p["par30"] <= p["par1"] < 1 and p["provisions"] > 0
    loans = Loan.objects.filter(status__in=["active", "closed", "written_off"])
    assert loans.filter(figures_as_of=NIGHT).count() >= 6
    assert loans.exclude(figures_as_of=NIGHT).filter(status="active").count() >= 2
    assert {"closed", "written_off"} <= set(loans.values_list("status", flat=True))
    assert Instalment.objects.filter(superseded=True).exists()
    assert Allocation.objects.filter(paid_on__gt=NIGHT).exists()
    assert Allocation.objects.filter(amount__lt=0).exists()


@pytest.mark.django_db
def test_stored_figures_of_the_day_are_read_not_recomputed(varied):
    """On the stored figures' day the loans refreshed that day are summed from their stored
    columns: a (deliberately wrong) stored figure shows in ``portfolio`` and not in the
    recomputation; on another day it is ignored."""
    w = varied.w
    before = portfolio(actor=w.national, as_of=NIGHT)
    fresh = Loan.objects.filter(figures_as_of=NIGHT, status="active", days_past_due__lte=90)[0]
    Loan.objects.filter(pk=fresh.pk).update(days_past_due=400)
    after = portfolio(actor=w.national, as_of=NIGHT)
    assert after["par90"] > before["par90"]
    assert portfolio_recomputed(actor=w.national, as_of=NIGHT)["par90"] == before["par90"]
    other_day = date(2026, 5, 31)
    assert portfolio(actor=w.national, as_of=other_day) == portfolio_recomputed(
        actor=w.national, as_of=other_day
    )


@pytest.mark.django_db
def test_query_count_does_not_grow_with_the_loans(varied):
    w = varied.w

    def queries():
        with CaptureQueriesContext(connection) as ctx:
            portfolio(actor=w.national, as_of=NIGHT)
        return len(ctx.captured_queries)

    queries()  # the actor's scope, read once
    first = queries()
    for coop in (w.coop_tc, w.coop_mbour, w.coop_thies):
        more = active_loan(
            maker=w.lender,
            checker=varied.checker,
            product=varied.product,
            borrower_cooperative=coop,
        )
        services.refresh_loan_figures(more, NIGHT)  # fresh: summed, not computed
    assert queries() == first <= 8


@pytest.mark.django_db
def test_instalments_paid_columns_match_their_allocation_lines(varied):
    """The recovery reads what an instalment was paid from its own columns, taking back the
    lines paid after the day: both must agree with the allocation lines."""
    lines = dict(
        Allocation.objects.exclude(component="penalty")
        .values("instalment_id")
        .annotate(total=Sum("amount"))
        .values_list("instalment_id", "total")
        .order_by()
    )
    paid = {
        pk: p + i + f
        for pk, p, i, f in Instalment.objects.filter(
            Q(principal_paid__gt=0) | Q(interest_paid__gt=0) | Q(fee_paid__gt=0) | Q(pk__in=lines)
        ).values_list("pk", "principal_paid", "interest_paid", "fee_paid")
    }
    assert paid and paid == {pk: lines.get(pk, 0) for pk in paid}


@pytest.mark.django_db
def test_empty_scope_gives_an_empty_portfolio(varied):
    p = portfolio(actor=varied.w.nobody, as_of=NIGHT)
    assert p == portfolio_recomputed(actor=varied.w.nobody, as_of=NIGHT)
    assert p["loans_count"] == 0 and p["recovery_rate"] == Decimal(0)


@pytest.mark.django_db
def test_stored_period_figures_are_read_on_the_days_they_hold(varied):
    """The recovery sums the stored period figures of the loans whose window holds the day
    asked: a (deliberately wrong) stored figure shows there, not on a day outside it; a
    period other than the calendar year ignores them."""
    w = varied.w
    loan = Loan.objects.filter(
        status="active", disbursed_on__lte=NIGHT, period_as_of__lte=NIGHT, period_until__gte=NIGHT
    )[0]
    before = portfolio(actor=w.national, as_of=NIGHT)
    Loan.objects.filter(pk=loan.pk).update(period_due=F("period_due") + 1_000)
    assert portfolio(actor=w.national, as_of=NIGHT)["due_in_period"] == (
        before["due_in_period"] + 1_000
    )
    outside = loan.period_until + timedelta(days=1)
    assert portfolio(actor=w.national, as_of=outside) == portfolio_recomputed(
        actor=w.national, as_of=outside
    )
    other = {"period_start": date(2026, 2, 1)}
    assert portfolio(actor=w.national, as_of=NIGHT, **other) == portfolio_recomputed(
        actor=w.national, as_of=NIGHT, **other
    )


@pytest.mark.django_db
def test_stored_period_figures_hold_on_every_day_of_their_window(varied):
    """What the job and the services store is what the schedule gives on each day from
    period_as_of to period_until (the window is not wider than the truth)."""
    from credit.arrears import figures_for

    loans = Loan.objects.exclude(period_as_of=None).exclude(status="written_off")
    assert loans.filter(status="closed").exists() and loans.filter(status="active").exists()
    for loan in loans:
        day = loan.period_as_of
        while day <= loan.period_until:
            f = figures_for([(loan.pk, loan.principal, 0)], day, date(day.year, 1, 1))[loan.pk]
            assert (f.due_in_period, f.collected_in_period) == (
                loan.period_due,
                loan.period_collected,
            ), (loan.pk, day)
            day += timedelta(days=7 if day + timedelta(days=7) <= loan.period_until else 1)


@pytest.mark.django_db
@pytest.mark.parametrize("change", ["repayment", "reversal", "settlement", "reopening"])
def test_a_change_of_the_day_shows_at_once(varied, change):
    """After the nightly job, a repayment, a reversal, an early settlement or the reversal
    that reopens a settled loan, recorded on the day, is in that day's portfolio."""
    w = varied.w
    refresh_all(as_of=NIGHT)
    if change == "repayment":
        _pay(varied, varied.loan_person, 50_000, NIGHT)
    elif change == "reversal":
        paid = varied.loan_tc.repayments.filter(amount__gt=0, paid_on__lte=NIGHT)[0]
        services.repayment_reverse(actor=varied.checker, repayment=paid, on=NIGHT, reason="x")
    else:
        loan = Loan.objects.filter(
            status="active", outstanding_principal__gt=0, disbursed_on__lte=NIGHT
        ).order_by("id")[0]
        _settle(varied, loan, NIGHT)
        if change == "reopening":
            last = loan.repayments.order_by("-id")[0]
            services.repayment_reverse(actor=varied.checker, repayment=last, on=NIGHT, reason="x")
    for who in ("national", "agent_th", "lender"):
        actor = getattr(w, who)
        assert portfolio(actor=actor, as_of=NIGHT) == portfolio_recomputed(
            actor=actor, as_of=NIGHT
        ), (change, who)


@pytest.mark.django_db
def test_the_job_keeps_the_period_of_loans_closed_during_the_year(varied):
    """Closed loans get their period's figures from the nightly job (not their other
    figures), a second run writes nothing, and the portfolio then computes no loan."""
    closed = Loan.objects.filter(status="closed", closed_on__gte=date(2026, 1, 1))
    assert closed.exists()
    Loan.objects.filter(pk__in=closed).update(period_as_of=None, period_until=None)
    day = date(2026, 9, 30)
    before = dict(closed.values_list("pk", "figures_as_of"))
    refresh_all(as_of=day)
    assert all(
        lo.period_as_of <= day <= lo.period_until and lo.figures_as_of == before[lo.pk]
        for lo in closed
    )
    assert refresh_all(as_of=day)[1] == 0
    assert portfolio(actor=varied.w.national, as_of=day) == portfolio_recomputed(
        actor=varied.w.national, as_of=day
    )


# --- the rollups (credit/rollups.py) -------------------------------------------------------

# The scopes and filters the rollups answer (national, lenders, agents): the others fall
# back to the loans, already compared above.
ROLLUP_SCOPES = [
    (who, f) for who, f in SCOPES if who not in ("officer", "member") and "period_start" not in f
] + [
    ("lender", {"area": "SN-TH-MBO"}),
    ("agent_tc", {"lender": "lender_obj"}),
    ("agent_th", {"sector": "sector"}),
    ("national", {"product": "product", "area": "SN-TH-MBO"}),
]
SUMS = ("count", "outstanding", "arrears", "par1", "par30", "par90", "due", "collected")


def _assert_grains_agree():
    """The rows per lender are exactly the rows per product and sector summed over them:
    one row per day, commune, lender and bucket, none missing, none left over."""
    coarse = PortfolioRollupLender.objects.values_list(
        "as_of", "area_id", "lender_id", "bucket", *SUMS
    )
    detailed = (
        PortfolioRollup.objects.values("as_of", "area_id", "lender_id", "bucket")
        .annotate(**{f"sum_{f}": Sum(f) for f in SUMS})
        .values_list("as_of", "area_id", "lender_id", "bucket", *(f"sum_{f}" for f in SUMS))
        .order_by()
    )
    assert sorted(coarse) == sorted(detailed) != []


def _night_job():
    out = io.StringIO()
    call_command("portfolio_refresh", as_of=NIGHT.isoformat(), stdout=out)
    return out.getvalue()


@pytest.mark.django_db
def test_the_nightly_job_computes_every_commune_and_purges_the_days_before(varied, monkeypatch):
    rollups.compute(as_of=NIGHT - timedelta(days=1))
    assert PortfolioRollup.objects.filter(as_of=NIGHT - timedelta(days=1)).exists()
    assert "lignes de cumuls du portefeuille" in _night_job()
    communes = Area.objects.filter(level=AreaLevel.COMMUNE)
    stamps = PortfolioRollupStamp.objects.filter(as_of=NIGHT)
    assert stamps.count() == communes.count() > 0
    assert not PortfolioRollupStamp.objects.exclude(as_of=NIGHT).exists()
    assert set(PortfolioRollup.objects.values_list("as_of", flat=True)) == {NIGHT}
    assert set(PortfolioRollupLender.objects.values_list("as_of", flat=True)) == {NIGHT}
    _assert_grains_agree()
    assert PortfolioRollup.objects.count() > PortfolioRollupLender.objects.count()
    _today(monkeypatch, NIGHT)
    assert rollups.stale_communes(NIGHT, Q()) == []
    _assert_equal_everywhere(varied, NIGHT, ROLLUP_SCOPES)
    # a commune's rows sum to its loans' figures
    rows = PortfolioRollup.objects.filter(as_of=NIGHT, area=varied.w.coop_tc.commune)
    assert (
        sum(r.count for r in rows)
        == portfolio_recomputed(
            actor=varied.w.national, as_of=NIGHT, area=varied.w.coop_tc.commune.code
        )["loans_count"]
        > 0
    )


@pytest.mark.django_db
def test_stored_rollups_are_read_and_a_marked_commune_is_recomputed(varied, monkeypatch):
    """The day's rows are read, not recomputed (a deliberately wrong row shows), until a
    change of their commune that counts on the day is marked; a change counting only
    from a later day leaves them."""
    w = varied.w
    _night_job()
    _today(monkeypatch, NIGHT)
    before = portfolio(actor=w.national, as_of=NIGHT)
    row = PortfolioRollupLender.objects.filter(as_of=NIGHT, count__gt=0).order_by("id")[0]
    PortfolioRollupLender.objects.filter(pk=row.pk).update(outstanding=F("outstanding") + 1_000)
    assert portfolio(actor=w.national, as_of=NIGHT)["outstanding"] == before["outstanding"] + 1_000
    # the rows per product and sector are read when a product is asked: wrong one there
    by_product = {"product": varied.product.pk}
    before_product = portfolio(actor=w.national, as_of=NIGHT, **by_product)
    detailed = PortfolioRollup.objects.filter(
        as_of=NIGHT, area=row.area_id, product=varied.product, count__gt=0
    ).order_by("id")[0]
    PortfolioRollup.objects.filter(pk=detailed.pk).update(outstanding=F("outstanding") + 7)
    assert portfolio(actor=w.national, as_of=NIGHT, **by_product)["outstanding"] == (
        before_product["outstanding"] + 7
    )
    assert portfolio(actor=w.national, as_of=NIGHT)["outstanding"] == before["outstanding"] + 1_000
    areas_touch([row.area_id], on=NIGHT + timedelta(days=1))
    assert rollups.stale_communes(NIGHT, Q()) == []
    assert portfolio(actor=w.national, as_of=NIGHT)["outstanding"] == before["outstanding"] + 1_000
    areas_touch([row.area_id], on=NIGHT)
    assert rollups.stale_communes(NIGHT, Q()) == [row.area_id]
    # the commune's recomputation replaces both grains
    assert portfolio(actor=w.national, as_of=NIGHT) == before
    assert rollups.stale_communes(NIGHT, Q()) == []
    assert portfolio(actor=w.national, as_of=NIGHT, **by_product) == before_product
    _assert_grains_agree()
    # an agent reads only their own communes' rows: a stale commune elsewhere is left
    areas_touch([row.area_id], on=NIGHT)
    agent = w.agent_th if row.area.path.startswith(w.thies.path) else w.agent_tc
    other = w.agent_tc if agent is w.agent_th else w.agent_th
    assert portfolio(actor=other, as_of=NIGHT) == portfolio_recomputed(actor=other, as_of=NIGHT)
    assert rollups.stale_communes(NIGHT, Q()) == [row.area_id]


CHANGES = ["repayment", "reversal", "settlement", "reopening", "reschedule", "write_off", "loan"]


@pytest.mark.django_db
@pytest.mark.parametrize("change", CHANGES)
def test_rollups_follow_a_change_of_the_day(varied, change, monkeypatch):
    """After the nightly job, a change recorded on the day marks its loan's commune, whose
    rows are recomputed at the next read: the figures are the full recomputation's."""
    w = varied.w
    _night_job()
    _today(monkeypatch, NIGHT)
    _assert_equal_everywhere(varied, NIGHT, ROLLUP_SCOPES)
    loan = Loan.objects.filter(
        status="active", outstanding_principal__gt=0, disbursed_on__lte=NIGHT
    ).order_by("id")[0]
    if change == "repayment":
        _pay(varied, varied.loan_person, 50_000, NIGHT)
        loan = varied.loan_person
    elif change == "reversal":
        loan = varied.loan_tc
        paid = loan.repayments.filter(amount__gt=0, paid_on__lte=NIGHT)[0]
        services.repayment_reverse(actor=varied.checker, repayment=paid, on=NIGHT, reason="x")
    elif change in ("settlement", "reopening"):
        _settle(varied, loan, NIGHT)
        if change == "reopening":
            last = loan.repayments.order_by("-id")[0]
            services.repayment_reverse(actor=varied.checker, repayment=last, on=NIGHT, reason="x")
    elif change == "reschedule":
        _decide(varied, loan, "reschedule", NIGHT, term_months=12)
    elif change == "write_off":
        _decide(varied, loan, "write_off", NIGHT)
    else:
        loan = active_loan(
            maker=w.lender,
            checker=varied.checker,
            product=varied.product,
            borrower_cooperative=w.coop_mbour,
            applied_on=NIGHT,
            disbursed_on=NIGHT,
        )
    loan.refresh_from_db()
    assert loan.area_id in rollups.stale_communes(NIGHT, Q())
    _assert_equal_everywhere(varied, NIGHT, ROLLUP_SCOPES)
    assert rollups.stale_communes(NIGHT, Q()) == []
    _assert_grains_agree()


@pytest.mark.django_db
def test_reads_without_product_or_sector_sum_the_rows_per_lender(varied, monkeypatch):
    """National, a lender's staff and agents, with or without an area or lender filter,
    read the rows per lender; a product or a sector filter reads the rows per product and
    sector. Both give the same figures, the full recomputation's, also after repayments
    of the day."""
    w = varied.w
    _night_job()
    _today(monkeypatch, NIGHT)
    real = rollups.read
    grains = []

    def spy(**kw):
        grains.append(kw["detailed"])
        return real(**kw)

    monkeypatch.setattr(rollups, "read", spy)
    _assert_equal_everywhere(varied, NIGHT, ROLLUP_SCOPES)
    assert (
        grains == ["product" in f or "sector" in f for _who, f in ROLLUP_SCOPES]
        and grains.count(False) >= 8
    )

    def every_read_detailed(**kw):
        return real(**{**kw, "detailed": True})

    unfiltered = [(who, f) for who, f in ROLLUP_SCOPES if not {"product", "sector"} & set(f)]
    for day_payment in (False, True):
        if day_payment:
            _pay(varied, varied.loan_tc, 30_000, NIGHT)
            _pay(varied, varied.loan_person, 25_000, NIGHT)
        coarse = [
            portfolio(actor=getattr(w, who), as_of=NIGHT, **_filters(varied, f))
            for who, f in unfiltered
        ]
        monkeypatch.setattr(rollups, "read", every_read_detailed)
        detailed = [
            portfolio(actor=getattr(w, who), as_of=NIGHT, **_filters(varied, f))
            for who, f in unfiltered
        ]
        monkeypatch.setattr(rollups, "read", spy)
        assert coarse == detailed
        _assert_equal_everywhere(varied, NIGHT, unfiltered)
        _assert_grains_agree()


@pytest.mark.django_db
def test_loans_without_a_commune_are_summed_from_the_loans(varied, monkeypatch):
    """A loan to a person without a commune nor a cooperative (``Loan.area`` empty) is in
    no rollup: national and its lender still count it, from the loan."""
    Loan.objects.filter(pk=varied.loan_person.pk).update(area=None)
    _night_job()
    _today(monkeypatch, NIGHT)
    assert not PortfolioRollup.objects.filter(area=None).exists()
    _assert_equal_everywhere(varied, NIGHT, ROLLUP_SCOPES)
    p = portfolio(actor=varied.w.national, as_of=NIGHT)
    assert p["loans_count"] > PortfolioRollup.objects.aggregate(n=Sum("count"))["n"]


@pytest.mark.django_db
def test_a_rollup_read_is_a_handful_of_queries(varied, monkeypatch, django_assert_max_num_queries):
    """National, nothing stale: the same few queries whatever the number of loans."""
    w = varied.w
    _night_job()
    _today(monkeypatch, NIGHT)
    portfolio(actor=w.national, as_of=NIGHT)  # the actor's scope, read once

    def queries():
        with CaptureQueriesContext(connection) as ctx:
            portfolio(actor=w.national, as_of=NIGHT)
        return len(ctx.captured_queries)

    first = queries()
    for coop in (w.coop_tc, w.coop_mbour, w.coop_thies):
        for _ in range(2):
            active_loan(
                maker=w.lender,
                checker=varied.checker,
                product=varied.product,
                **{"borrower_cooperative": coop},
            )
    assert len(rollups.stale_communes(NIGHT, Q())) == 3
    assert queries() > first  # the three communes recomputed
    assert queries() == first
    # stale communes, rows, whether a loan has no commune; on PostgreSQL also the
    # savepoint, its release and SET LOCAL jit
    with django_assert_max_num_queries(3 if connection.vendor == "sqlite" else 6):
        portfolio(actor=w.national, as_of=NIGHT)
    # the same with a product (the rows per product and sector) or as a lender
    with django_assert_max_num_queries(3 if connection.vendor == "sqlite" else 6):
        portfolio(actor=w.national, as_of=NIGHT, product=varied.product.pk)
    portfolio(actor=w.lender, as_of=NIGHT)  # the actor's scope, read once
    with django_assert_max_num_queries(3 if connection.vendor == "sqlite" else 6):
        portfolio(actor=w.lender, as_of=NIGHT)


@pytest.mark.django_db
def test_a_cooperative_changing_sector_marks_its_members_loans_communes(varied, monkeypatch):
    """A member's loan counts in the member's commune, under the sector of the cooperative
    it goes through: the cooperative's new sector marks that commune too
    (registry.cooperative_hooks), and the sector filter follows at once."""
    from registry.models import Sector
    from registry.services import cooperative_update

    w = varied.w
    loan = varied.loan_person
    assert loan.cooperative_id == w.coop_tc.pk
    elsewhere = w.coop_thies.commune_id  # the member lives in another commune
    assert elsewhere != w.coop_tc.commune_id
    Loan.objects.filter(pk=loan.pk).update(area_id=elsewhere)
    _night_job()
    _today(monkeypatch, NIGHT)
    old = w.coop_tc.sector.code
    new = Sector.objects.exclude(code=old).order_by("code")[0].code
    cooperative_update(actor=w.national, cooperative=w.coop_tc, sector=new)
    assert elsewhere in rollups.stale_communes(NIGHT, Q())
    for code in (old, new):
        for who in ("national", "lender", "agent_th"):
            actor = getattr(w, who)
            assert portfolio(actor=actor, as_of=NIGHT, sector=code) == portfolio_recomputed(
                actor=actor, as_of=NIGHT, sector=code
            ), (code, who)
    assert portfolio_recomputed(actor=w.national, as_of=NIGHT, sector=new)["loans_count"] > 0


@pytest.mark.django_db
def test_the_migration_fills_the_rows_per_lender_of_the_days_stored(varied):
    """Rollups stored before the rows per lender existed (their stamps say fresh) get them
    from the rows per product and sector (credit migration 0011)."""
    import importlib

    from django.apps import apps

    migration = importlib.import_module("credit.migrations.0011_portfolio_rollup_by_lender_fill")
    rollups.compute(as_of=NIGHT - timedelta(days=1))
    _night_job()
    rollups.compute(as_of=NIGHT - timedelta(days=1))
    expected = sorted(
        PortfolioRollupLender.objects.values_list("as_of", "area", "lender", "bucket")
    )
    PortfolioRollupLender.objects.all().delete()
    migration.fill(apps, None)
    _assert_grains_agree()
    assert len(expected) == PortfolioRollupLender.objects.count()
    assert {d for d, *_ in expected} == {NIGHT, NIGHT - timedelta(days=1)}
    migration.empty(apps, None)
    assert not PortfolioRollupLender.objects.exists()
