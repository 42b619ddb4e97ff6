import random

import pytest

from bench.load import percentile
from bench.run import build_report
from bench.scales import Scale
from bench.synthetic import generate_registry
from registry.models import Cooperative, Employment, Membership, Person

TINY = Scale("tiny", cooperatives=12, persons=200, communes_per_department=1, loans=0, repayments=0)


def snapshot():
    return (
        list(
            Cooperative.objects.order_by("pk").values_list(
                "name", "legal_form", "stage", "commune__code"
            )
        ),
        list(
            Person.objects.order_by("pk").values_list(
                "first_name", "last_name", "sex", "birth_date"
            )
        ),
        Membership.objects.count(),
    )


@pytest.mark.django_db
def test_generation_is_deterministic_and_realistic():
    counts = generate_registry(TINY, random.Random("42-registry"))
    assert counts["cooperatives"] == 12 and counts["persons"] == 200
    first = snapshot()
    Employment.objects.all().delete()
    Membership.objects.all().delete()
    Person.objects.all().delete()
    Cooperative.objects.all().delete()
    from geo.models import Area

    Area.objects.filter(level="commune").delete()
    generate_registry(TINY, random.Random("42-registry"))
    assert snapshot() == first
    # Every cooperative reaches the OHADA minimum of 5 members; women are the majority.
    per_coop = Membership.objects.values("cooperative").distinct().count()
    assert per_coop == 12
    women = Person.objects.filter(sex="F").count()
    assert 0.5 < women / 200 < 0.75
    # Searchable without accents: every stored search_text is folded.
    assert not Person.objects.filter(search_text__regex=r"[A-ZÀ-ÿ]").exists()


def test_percentile():
    assert percentile([10, 20, 30, 40, 50], 0.5) == 30
    assert percentile([10, 20], 0.95) == pytest.approx(19.5)


def test_report_ratios_and_targets():
    def page(p95):
        return {
            "p50_ms": p95 / 2,
            "p95_ms": p95,
            "count": 10,
            "errors": 0,
            "throughput_rps": 1.0,
            "status": {},
        }

    by_scale = {
        "small": {"pages": {"floor": page(5), "dashboard_national": page(40)}, "skipped": []},
        "national": {"pages": {"floor": page(5), "dashboard_national": page(100)}, "skipped": []},
    }
    report = build_report(by_scale)
    assert report["floor"]["p95_ms"] == 5
    assert report["p95"]["dashboard_national"] == 100
    assert report["ratios"]["p95_over_floor"]["dashboard_national"] == 20
    assert report["ratios"]["national_over_small"]["dashboard_national"] == 2.5
    targets = report["targets"]["dashboard_national"]
    assert targets == {
        "p95_within_10x_floor": False,
        "p95_under_150ms": True,
        "within_1.5x_small": False,
    }


TINY_CREDIT = Scale(
    "tiny", cooperatives=12, persons=240, communes_per_department=1, loans=60, repayments=900
)


@pytest.mark.django_db
def test_activity_is_consistent_with_the_credit_and_ledger_rules():
    """Tiny generation of every domain: money rows agree with each other and with the
    services' own computation of a loan's figures."""
    from django.db.models import Count, F, Max, Sum

    from bench.activity import AS_OF
    from bench.synthetic import generate
    from credit.models import Allocation, Instalment, Loan, Repayment
    from credit.services import refresh_loan_figures
    from ledger.models import JournalEntry, JournalLine
    from training.models import Attendance, Visit

    generate(TINY_CREDIT, seed=7, log=lambda _msg: None)
    assert Loan.objects.count() == 60
    assert Repayment.objects.count() > 400
    # Each repayment is fully allocated; each instalment's paid columns are its lines.
    assert not Repayment.objects.annotate(s=Sum("lines__amount")).exclude(s=F("amount")).exists()
    for component in ("principal", "interest", "fee"):
        paid = dict(
            Allocation.objects.filter(component=component)
            .values("instalment")
            .annotate(s=Sum("amount"))
            .values_list("instalment", "s")
        )
        for pk, stored in Instalment.objects.values_list("pk", f"{component}_paid"):
            assert stored == paid.get(pk, 0)
    assert not Instalment.objects.filter(principal_paid__gt=F("principal_due")).exists()
    # Principal parts of each schedule add up to the loan's principal.
    for loan in Loan.objects.filter(status__in=["active", "closed"]):
        assert sum(loan.instalments.values_list("principal_due", flat=True)) == loan.principal
    # Stored figures are what the service computes, and some loans are late.
    active = list(Loan.objects.filter(status="active").order_by("pk"))
    assert any(loan.days_past_due for loan in active)
    assert any(not loan.days_past_due for loan in active)
    for loan in active:
        stored = (loan.outstanding_principal, loan.arrears_amount, loan.days_past_due)
        refresh_loan_figures(loan, AS_OF)
        assert (loan.outstanding_principal, loan.arrears_amount, loan.days_past_due) == stored
    # Books: every entry balanced, numbered 1..n without gaps per journal and year.
    unbalanced = JournalEntry.objects.annotate(
        d=Sum("lines__debit"), c=Sum("lines__credit")
    ).exclude(d=F("c"))
    assert not unbalanced.exists()
    for _journal, _year, n, top in (
        JournalEntry.objects.values_list("journal", "fiscal_year")
        .annotate(n=Count("pk"), top=Max("number"))
        .order_by()
    ):
        assert n == top
    assert JournalLine.objects.filter(account__code__startswith="70", credit__gt=0).exists()
    assert Attendance.objects.exists() and Visit.objects.exists()
