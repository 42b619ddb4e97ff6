import datetime
import random

import pytest

from bench.load import percentile
from bench.run import build_report, scales_to_run, summary_lines
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
    # The scope text is written as the services would write it (a rebuild changes nothing).
    from registry import scope_text

    stored = dict(Person.objects.values_list("pk", "scope_text"))
    assert all(text.startswith(" ar") for text in stored.values())
    scope_text.rebuild()
    assert dict(Person.objects.values_list("pk", "scope_text")) == stored


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
    # A household run names its growth after its scale, not national's.
    household = build_report({"small": by_scale["small"], "household": by_scale["national"]})
    assert household["scale"] == "household"
    assert household["ratios"]["household_over_small"]["dashboard_national"] == 2.5
    assert "national_over_small" not in household["ratios"]


def test_household_run_measures_national_too_and_compares_with_it():
    """Issue 23: every household p95 within 1.5 × its national p95, measured in one run."""
    assert scales_to_run("household") == ["small", "national", "household"]
    assert scales_to_run("national") == ["small", "national"]
    assert scales_to_run("small") == ["small"]

    def pages(**p95):
        return {
            "pages": {
                name: {"p50_ms": v / 2, "p95_ms": v, "count": 10, "errors": 0,
                       "throughput_rps": 1.0, "status": {}}
                for name, v in {"floor": 5, **p95}.items()
            },
            "skipped": [],
        }  # fmt: skip

    report = build_report(
        {
            "small": pages(person_search=50, portfolio=60),
            "national": pages(person_search=80, portfolio=100),
            "household": pages(person_search=100, portfolio=160),
        }
    )
    assert report["ratios"]["household_over_national"] == {"person_search": 1.25, "portfolio": 1.6}
    assert report["targets"]["person_search"]["within_1.5x_national"] is True
    assert report["targets"]["portfolio"]["within_1.5x_national"] is False
    assert report["targets"]["portfolio"]["p95_under_150ms"] is False
    assert "/national" in summary_lines(report)[0]
    # a national run has no such ratio
    national = build_report({"small": pages(portfolio=60), "national": pages(portfolio=100)})
    assert "household_over_national" not in national["ratios"]


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


class _Undo(Exception):
    """Raised to roll a generation back once its rows are read."""


def _generated_rows(monkeypatch, *, persons_chunk: int, loans_chunk: int) -> dict:
    """Generate TINY_CREDIT with the given chunk sizes and return every generated row."""
    from django.db import transaction

    from bench import activity, synthetic
    from credit.models import Allocation, Instalment, Loan, Repayment
    from ledger.models import JournalLine

    monkeypatch.setattr(synthetic, "CHUNK", persons_chunk)
    monkeypatch.setattr(activity, "LOAN_CHUNK", loans_chunk)
    rows = {}
    try:
        with transaction.atomic():
            synthetic.generate(TINY_CREDIT, seed=11, log=lambda _msg: None)
            for model, fields in [
                (Person, ["pk", "first_name", "last_name", "birth_date", "national_id"]),
                (Membership, ["pk", "person_id", "cooperative_id", "role", "joined_on"]),
                (Loan, ["pk", "principal", "status", "outstanding_principal", "days_past_due"]),
                (Instalment, ["pk", "loan_id", "number", "due_on", "principal_paid"]),
                (Repayment, ["pk", "loan_id", "amount", "paid_on", "channel"]),
                (Allocation, ["pk", "repayment_id", "instalment_id", "component", "amount"]),
                (JournalLine, ["pk", "entry_id", "account_id", "debit", "credit"]),
            ]:
                rows[model.__name__] = list(model.objects.order_by("pk").values_list(*fields))
            raise _Undo
    except _Undo:
        pass
    return rows


@pytest.mark.django_db
def test_generation_by_chunks_writes_the_same_rows(monkeypatch):
    """Streaming (rows written every few persons or loans) changes nothing in the data."""
    whole = _generated_rows(monkeypatch, persons_chunk=100_000, loans_chunk=100_000)
    chunked = _generated_rows(monkeypatch, persons_chunk=7, loans_chunk=3)
    assert len(whole["Person"]) == 240 and len(whole["Loan"]) == 60
    assert len(whole["Repayment"]) > 400
    assert chunked == whole
    # the officers are the first three members of each cooperative, whatever the chunks
    roles = {}
    for _pk, _person, coop, role, _joined in whole["Membership"]:
        roles.setdefault(coop, []).append(role)
    assert all(r[:3] == ["president", "tresorier", "secretaire"] for r in roles.values())
    assert all(set(r[3:]) <= {"membre"} for r in roles.values())


def _constraints_and_indexes(table: str) -> tuple[list, list]:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
            "WHERE conrelid = %s::regclass ORDER BY 1",
            [table],
        )
        constraints = cursor.fetchall()
        cursor.execute(
            "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = %s ORDER BY 1", [table]
        )
        return constraints, cursor.fetchall()


@pytest.mark.django_db
def test_bulk_load_puts_back_every_constraint_and_index_and_checks_the_foreign_keys():
    from django.db import IntegrityError, connection, transaction

    from bench.activity import ALLOCATION_FIELDS
    from bench.rows import bulk_load, insert_rows
    from credit.models import Allocation

    if connection.vendor != "postgresql":
        with transaction.atomic(), bulk_load([Membership]):
            pass  # nothing to drop elsewhere: a plain block
        return
    table = Allocation._meta.db_table
    before = _constraints_and_indexes(table)
    assert any("FOREIGN KEY" in definition for _name, definition in before[0])
    with transaction.atomic():
        with bulk_load([Allocation]):
            during = _constraints_and_indexes(table)
            assert not any("FOREIGN KEY" in definition for _name, definition in during[0])
            assert len(during[1]) < len(before[1])
        assert _constraints_and_indexes(table) == before
    # A row pointing at nothing is refused when the foreign keys come back.
    with pytest.raises(IntegrityError), transaction.atomic(), bulk_load([Allocation]):
        insert_rows(
            Allocation,
            ALLOCATION_FIELDS,
            [(1, 999_999, 999_999, 999_999, 999_999, "principal", 1, datetime.date.today())],
        )
    assert _constraints_and_indexes(table) == before


def test_cached_data_is_migrated_forward_only_when_nothing_it_was_made_with_changed():
    from bench import run

    now = run.migration_digests()
    assert now and all("/" in name for name in now)
    older = dict(list(now.items())[:-1])  # made before the newest migration
    cached = {"seed": 42, "scale": "household", "generator": run.generator_fingerprint(),
              "migrations": older}  # fmt: skip
    wanted = {"seed": 42, "scale": "household", "fingerprint": run.schema_fingerprint()}
    assert run.migrated_forward(cached, wanted)
    assert not run.migrated_forward({**cached, "seed": 7}, wanted)
    assert not run.migrated_forward({**cached, "generator": "other"}, wanted)
    name = next(iter(older))
    assert not run.migrated_forward(
        {**cached, "migrations": {**older, name: "changed"}}, wanted
    )  # a migration edited since
    assert not run.migrated_forward({**cached, "migrations": {"x/0001_gone": "d"}}, wanted)
    assert not run.migrated_forward({k: v for k, v in cached.items() if k != "migrations"}, wanted)
