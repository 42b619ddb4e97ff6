"""The credit panel of a lender's home (``credit.selectors.home_figures``): ``/portfolio``'s
figures of today over the lender's loans, read from the stored rollups, and the
applications awaiting approval."""

from datetime import date, timedelta

import pytest
from django.db import connection
from django.db.models import F, Q

from credit import rollups, services
from credit.arrears import CURRENT
from credit.models import Loan, LoanStatus, PortfolioRollupLender
from credit.selectors import home_figures, portfolio, portfolio_recomputed
from credit.tests.factories import active_loan
from geo.changes import areas_touch

pytestmark = pytest.mark.django_db

TODAY = date(2026, 6, 1)


@pytest.fixture
def today(monkeypatch):
    monkeypatch.setattr("core.dates.today", lambda: TODAY)
    return TODAY


def _expected(actor, as_of, *, recomputed=False):
    p = (portfolio_recomputed if recomputed else portfolio)(actor=actor, as_of=as_of)
    return {
        "loans": p["loans_count"],
        "outstanding": p["outstanding"],
        "in_arrears": sum(b["count"] for b in p["arrears_buckets"] if b["bucket"] != CURRENT),
        "arrears_amount": p["arrears_amount"],
        "par30": p["par30"],
    }


def _figures(actor):
    home = home_figures(actor)
    return {k: v for k, v in home.items() if k != "pending_approval"}


def test_the_home_shows_the_portfolio_of_today_after_repayments(credit, today):
    lender = credit.w.lender
    before = _figures(lender)
    assert before == _expected(lender, today) == _expected(lender, today, recomputed=True)
    # the lender's own loans only: the other lender's loan is not counted
    assert before["loans"] == 3 and before["in_arrears"] > 0 and before["arrears_amount"] > 0
    services.repayment_post(
        actor=lender, loan=credit.loan_tc, amount=150_000, paid_on=today, channel="cash"
    )
    services.repayment_post(
        actor=lender, loan=credit.loan_person, amount=40_000, paid_on=today, channel="cash"
    )
    after = _figures(lender)
    assert after == _expected(lender, today, recomputed=True)
    assert after["outstanding"] < before["outstanding"]
    assert after["arrears_amount"] < before["arrears_amount"]
    # the other lender's staff see their own loan only
    assert _figures(credit.other_lender_user)["loans"] == 1


def test_a_stale_commune_is_recomputed(credit, today):
    """The panel reads the stored rows per lender (a deliberately wrong row shows) until a
    change of their commune is marked: that commune is recomputed at the next read."""
    lender = credit.w.lender
    right = _figures(lender)
    row = PortfolioRollupLender.objects.filter(
        as_of=today, lender=credit.w.lender_obj, count__gt=0
    ).order_by("id")[0]
    PortfolioRollupLender.objects.filter(pk=row.pk).update(outstanding=F("outstanding") + 1_000)
    assert _figures(lender)["outstanding"] == right["outstanding"] + 1_000
    areas_touch([row.area_id], on=today)
    assert row.area_id in rollups.stale_communes(today, Q())
    assert _figures(lender) == right
    assert rollups.stale_communes(today, Q()) == []


def test_pending_approvals_are_counted(credit, today):
    lender = credit.w.lender
    assert home_figures(lender)["pending_approval"] == 0
    services.loan_apply(
        actor=lender,
        product=credit.product,
        principal=300_000,
        applied_on=today,
        borrower_cooperative=credit.w.coop_tc,
    )
    assert home_figures(lender)["pending_approval"] == 1
    assert home_figures(credit.other_lender_user)["pending_approval"] == 0
    assert Loan.objects.filter(status=LoanStatus.APPLICATION).count() == 1


def test_the_panel_is_a_handful_of_queries_whatever_the_loans(
    credit, today, django_assert_max_num_queries
):
    lender = credit.w.lender
    home_figures(lender)  # the rollups of the day computed, the actor's scope read
    for coop in (credit.w.coop_tc, credit.w.coop_mbour):
        active_loan(
            maker=lender,
            checker=credit.checker,
            product=credit.product,
            borrower_cooperative=coop,
            applied_on=today - timedelta(days=10),
            disbursed_on=today - timedelta(days=5),
        )
    home_figures(lender)  # the two marked communes recomputed
    # stale communes, rows, whether a loan has no commune, pending; on PostgreSQL also
    # the savepoint, its release and SET LOCAL jit
    with django_assert_max_num_queries(4 if connection.vendor == "sqlite" else 7):
        figures = home_figures(lender)
    assert figures["loans"] == 5


def test_other_roles_have_no_panel(credit, today):
    assert home_figures(credit.w.officer) is None
    assert home_figures(credit.w.agent_tc) is None
