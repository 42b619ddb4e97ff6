"""Reconciliation: the worked example of docs/payments.md, line by line, and the rules."""

from __future__ import annotations

import datetime as dt

import pytest

from core.errors import Conflict, Forbidden, ValidationFailed
from core.tabular import TableFileError
from credit.models import Repayment
from ledger.services import balances_at
from payments import selectors, services
from payments.models import StatementLine

pytestmark = pytest.mark.django_db
DAY = dt.date(2026, 3, 2)


def balance(coop, code):
    return balances_at(coop, dt.date(2030, 1, 1), account_codes=[code]).get(code, 0)


def test_the_worked_example(credit, example):
    w, coop = credit.w, credit.w.coop_tc
    stmt = services.statement_upload(
        source=example["file"],
        filename="wave-2026-03-02.csv",
        provider="wave",
        actor=w.national,
        cooperative_id=coop.pk,
    )
    lines = {ln.transaction_id: ln for ln in stmt.lines.all()}
    assert {t: (ln.status, ln.rule) for t, ln in lines.items()} == {
        "T1": ("matched", "reference"),
        "T2": ("matched", "transaction_id"),
        "T3": ("matched", "amount_day_phone"),
        "T4": ("unmatched", ""),
        "T5": ("matched", "reference"),
    }
    assert lines["T3"].intent_id == example["c"].pk and lines["T5"].payout_id == example["p"].pk
    example["c"].refresh_from_db()
    assert example["c"].status == "succeeded" and example["c"].applied_at  # late, applied
    report = selectors.reconciliation_report(actor=w.national, on=DAY)
    assert (report["matched"], report["manual"], report["fees"]) == (4, 0, 570)
    assert [ln.transaction_id for ln in report["unmatched"]] == ["T4"]
    assert report["suspense_balance"] == 7_000
    assert balance(coop, "471") == -7_000  # credit balance: money not yet identified
    assert balance(coop, "631") == 570
    # the treasurer finds T4: payment d, whose webhook was lost
    services.statement_line_match(
        line=lines["T4"],
        intent=example["d"],
        actor=w.national,
        note="Reçu n° 12 : payé depuis le téléphone de son mari, confirmé par appel",
    )
    report = selectors.reconciliation_report(actor=w.national, on=DAY)
    assert (report["matched"], report["manual"], report["unmatched"]) == (4, 1, [])
    assert report["suspense_balance"] == 0
    assert balance(coop, "471") == 0
    example["d"].refresh_from_db()
    assert example["d"].status == "succeeded"
    refs = set(Repayment.objects.filter(loan=credit.loan_tc).values_list("reference", flat=True))
    assert refs == {example[k].reference for k in "abcd"}
    line = StatementLine.objects.get(transaction_id="T4")
    assert line.matched_by == w.national and line.match_note.startswith("Reçu n° 12")


def test_the_same_statement_twice_adds_nothing(credit, example):
    w = credit.w
    services.statement_upload(
        source=example["file"], filename="a.csv", provider="wave", actor=w.national
    )
    again = services.statement_upload(
        source=example["file"], filename="a.csv", provider="wave", actor=w.national
    )
    assert (again.lines_read, again.lines_new) == (5, 0)
    assert StatementLine.objects.count() == 5


def test_the_api_answers_matched_and_unmatched(credit, example, api_client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("wave.csv", example["file"], content_type="text/csv")
    response = api_client(credit.w.national).post(
        "/api/v1/payments/reconciliation", data={"file": upload}
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["matched"] == 4
    assert [u["transaction_id"] for u in body["unmatched"]] == ["T4"]
    assert body["unmatched"][0]["amount"] == 7000


def test_only_the_national_role_reconciles(credit, example):
    for user in (credit.w.officer, credit.w.agent_tc, credit.w.member):
        with pytest.raises(Forbidden):
            services.statement_upload(
                source=example["file"], filename="a.csv", provider="wave", actor=user
            )
    assert StatementLine.objects.count() == 0


@pytest.mark.parametrize(
    "bad,column",
    [
        ("2026-03-02T09:10:00Z;T1;15000.5;0;;", "montant"),
        ("pas une date;T1;15000;0;;", "date"),
        ("2026-03-02T09:10:00Z;;15000;0;;", "transaction_id"),
        ("2026-03-02T09:10:00Z;T1;0;0;;", "montant"),
    ],
)
def test_a_bad_line_refuses_the_whole_file_saying_where(credit, wave, bad, column):
    text = "date;transaction_id;montant;frais;reference;telephone\n" + bad + "\n"
    with pytest.raises(TableFileError) as err:
        services.statement_upload(
            source=text.encode(), filename="x.csv", provider="wave", actor=credit.w.national
        )
    assert err.value.errors[0].column == column
    assert StatementLine.objects.count() == 0


def test_a_manual_match_needs_a_reason_and_the_same_amount(credit, example):
    w = credit.w
    stmt = services.statement_upload(
        source=example["file"], filename="a.csv", provider="wave", actor=w.national
    )
    t4 = stmt.lines.get(transaction_id="T4")
    with pytest.raises(ValidationFailed):
        services.statement_line_match(line=t4, intent=example["d"], actor=w.national, note=" ")
    with pytest.raises(Conflict) as err:
        services.statement_line_match(line=t4, intent=example["a"], actor=w.national, note="x")
    assert err.value.code in {"amount_differs", "already_matched"}
    with pytest.raises(Forbidden):
        services.statement_line_match(line=t4, intent=example["d"], actor=w.officer, note="x")
    t1 = stmt.lines.get(transaction_id="T1")
    with pytest.raises(Conflict):
        services.statement_line_match(line=t1, intent=example["d"], actor=w.national, note="x")


def test_the_worked_example_as_an_excel_workbook(credit, example):
    """The same statement saved by Excel (.xlsx: amounts as numbers, dates as dates)."""
    import io

    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    for n, raw in enumerate(example["file"].decode("utf-8-sig").splitlines()):
        cells = raw.split(";")
        if n:
            when = dt.datetime.fromisoformat(cells[0].replace("Z", ""))
            cells = [when, cells[1], int(cells[2]), int(cells[3]), *cells[4:]]
        sheet.append(cells)
    data = io.BytesIO()
    book.save(data)
    stmt = services.statement_upload(
        source=data.getvalue(),
        filename="wave-2026-03-02.xlsx",
        provider="wave",
        actor=credit.w.national,
        cooperative_id=credit.w.coop_tc.pk,
    )
    lines = {ln.transaction_id: (ln.status, ln.rule, ln.amount) for ln in stmt.lines.all()}
    assert lines == {
        "T1": ("matched", "reference", 15_000),
        "T2": ("matched", "transaction_id", 20_000),
        "T3": ("matched", "amount_day_phone", 5_000),
        "T4": ("unmatched", "", 7_000),
        "T5": ("matched", "reference", -10_000),
    }
    report = selectors.reconciliation_report(actor=credit.w.national, on=DAY)
    assert (report["matched"], report["fees"], report["suspense_balance"]) == (4, 570, 7_000)
