from datetime import date
from decimal import Decimal

import pytest
from django.core.management import call_command

from credit import services
from credit.arrears import Due, Figures, bucket_of, loan_figures, portfolio_summary
from credit.models import Loan
from credit.portfolio import refresh_all
from credit.selectors import portfolio

D = date(2026, 6, 1)


# --- pure ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("days", "bucket"),
    [
        (0, "0"),
        (1, "1-30"),
        (30, "1-30"),
        (31, "31-90"),
        (90, "31-90"),
        (91, "91-180"),
        (180, "91-180"),
        (181, "181-365"),
        (365, "181-365"),
        (366, ">365"),
    ],
)
def test_buckets_edges(days, bucket):
    assert bucket_of(days) == bucket


def test_days_past_due_from_the_oldest_unpaid_instalment():
    dues = [
        Due(date(2026, 3, 1), 100, 100),
        Due(date(2026, 4, 1), 100, 40),
        Due(date(2026, 5, 1), 100, 0),
        Due(date(2026, 6, 1), 100, 0),
    ]
    f = loan_figures(principal=1000, principal_paid=200, dues=dues, as_of=D)
    assert f.days_past_due == 61 and f.arrears_amount == 160  # due today is not late
    assert f.outstanding_principal == 800


def test_tolerance_keeps_small_arrears_up_to_date():
    dues = [Due(date(2026, 5, 1), 100, 95)]
    assert (
        loan_figures(principal=1, principal_paid=0, dues=dues, as_of=D, tolerance=5).days_past_due
        == 0
    )
    assert (
        loan_figures(principal=1, principal_paid=0, dues=dues, as_of=D, tolerance=4).days_past_due
        == 31
    )


def test_portfolio_summary_par_and_provisions():
    figs = [
        Figures(1_000, 0, 0),
        Figures(1_000, 10, 5),
        Figures(1_000, 10, 45),
        Figures(1_000, 10, 200),
    ]
    s = portfolio_summary(figs)
    assert s.outstanding == 4_000 and s.loans_count == 4
    assert (s.par1, s.par30, s.par90) == (Decimal("0.75"), Decimal("0.5"), Decimal("0.25"))
    # default rates: 0 up to 90 days, 40 % 91-180, 80 % 181-365
    assert s.provisions == 800
    by = {b["bucket"]: b for b in s.arrears_buckets}
    assert by["181-365"]["count"] == 1 and by["1-30"]["outstanding"] == 1_000


def test_provision_rates_are_configurable(settings):
    settings.CREDIT_PROVISION_RATES = {"1-30": "0.05"}
    assert portfolio_summary([Figures(1_000, 10, 5)]).provisions == 50


def test_empty_portfolio():
    s = portfolio_summary([])
    assert s.outstanding == 0 and s.par30 == 0 and s.recovery_rate == 0


# --- on the database -----------------------------------------------------------------


@pytest.mark.django_db
def test_as_of_any_date_uses_payments_dated_by_then(credit):
    loan = credit.loan_tc
    services.repayment_post(
        actor=credit.w.lender, loan=loan, amount=91_680, paid_on=date(2026, 3, 10), channel="cash"
    )
    # on 01/03 the first instalment (15/02) was still unpaid: 14 days late
    assert services.refresh_loan_figures(loan, date(2026, 3, 1)).days_past_due == 14
    # on 11/03 it was paid; the second falls due on 15/03
    assert services.refresh_loan_figures(loan, date(2026, 3, 11)).days_past_due == 0
    assert services.refresh_loan_figures(loan, date(2026, 3, 20)).days_past_due == 5


@pytest.mark.django_db
def test_portfolio_par_recovery_and_scope(credit):
    w = credit.w
    # loan_tc pays everything due until May; the others pay nothing
    services.repayment_post(
        actor=w.lender,
        loan=credit.loan_tc,
        amount=4 * 91_680,
        paid_on=date(2026, 5, 15),
        channel="cash",
    )
    p = portfolio(actor=w.national, as_of=D)
    assert p["loans_count"] == 4
    # loan_tc: up to date; loan_mbour, loan_person, loan_other: 106 days late (15/02)
    late = 3 * 1_000_000
    total = late + 1_000_000 - (76_680 + 77_830 + 78_998 + 80_183)
    assert p["outstanding"] == total
    assert p["par30"] == p["par90"] == (Decimal(late) / total).quantize(Decimal("0.0001"))
    # recovery 2026: 4 instalments due on 4 loans (16), 4 paid
    assert p["recovery_rate"] == Decimal("0.25")
    # a lender user sees only its own three loans, an agent of Thiès only Mbour and Thiès
    assert portfolio(actor=w.lender, as_of=D)["loans_count"] == 3
    assert portfolio(actor=w.agent_th, as_of=D)["loans_count"] == 2
    assert portfolio(actor=w.national, as_of=D, area="SN-TH-MBO")["loans_count"] == 1
    assert portfolio(actor=w.national, as_of=D, lender=w.lender_obj.pk)["loans_count"] == 3
    assert portfolio(actor=w.nobody, as_of=D)["loans_count"] == 0
    # before any disbursement there is no portfolio
    assert portfolio(actor=w.national, as_of=date(2026, 1, 1))["loans_count"] == 0


@pytest.mark.django_db
def test_refresh_is_idempotent_and_set_based(credit, django_assert_max_num_queries):
    with django_assert_max_num_queries(8):
        seen, changed = refresh_all(as_of=D)
    assert (seen, changed) == (4, 4)
    assert set(Loan.objects.values_list("days_past_due", flat=True)) == {106}
    assert refresh_all(as_of=D) == (4, 0)
    call_command("portfolio_refresh", "--as-of", "2026-06-02")
    assert set(Loan.objects.values_list("days_past_due", flat=True)) == {107}


@pytest.mark.django_db
def test_refresh_all_agrees_with_each_loan_refreshed_alone(credit):
    """The nightly job (batched, set-based writes) stores what ``refresh_loan_figures`` and
    the pure ``loan_figures`` on the instalments' own paid columns give, loan by loan."""
    w = credit.w
    services.repayment_post(
        actor=w.lender,
        loan=credit.loan_tc,
        amount=91_680,
        paid_on=date(2026, 3, 10),
        channel="cash",
    )
    services.repayment_post(  # a part of the first instalment only
        actor=w.lender,
        loan=credit.loan_mbour,
        amount=40_000,
        paid_on=date(2026, 2, 20),
        channel="cash",
    )
    as_of = date(2026, 6, 1)
    seen, changed = refresh_all(as_of=as_of, batch_size=2)  # several batches
    assert (seen, changed) == (4, 4)
    stored = {
        pk: (o, a, d)
        for pk, o, a, d, on in Loan.objects.values_list(
            "pk", "outstanding_principal", "arrears_amount", "days_past_due", "figures_as_of"
        )
        if on == as_of
    }
    assert len(stored) == 4 and len({v[2] for v in stored.values()}) > 1  # not all alike
    for loan in Loan.objects.filter(pk__in=stored):
        insts = list(loan.instalments.filter(superseded=False))
        pure = loan_figures(
            principal=loan.principal,
            principal_paid=sum(i.principal_paid for i in insts),
            dues=[
                Due(
                    i.due_on,
                    i.principal_due + i.interest_due + i.fee_due,
                    i.principal_paid + i.interest_paid + i.fee_paid,
                )
                for i in insts
                if i.due_on <= as_of
            ],
            as_of=as_of,
            tolerance=int(loan.terms.get("arrears_tolerance") or 0),
        )
        assert stored[loan.pk] == (
            pure.outstanding_principal,
            pure.arrears_amount,
            pure.days_past_due,
        )
        alone = services.refresh_loan_figures(loan, as_of)
        assert stored[loan.pk] == (
            alone.outstanding_principal,
            alone.arrears_amount,
            alone.days_past_due,
        )
