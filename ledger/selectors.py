"""Every read of the books, scoped: officers see their cooperative's books, agents their
area's, national everything; lenders and members see none (404)."""

from __future__ import annotations

import datetime

from django.db.models import Prefetch, QuerySet, Sum
from django.utils.translation import gettext as _

from accounts.scoping import scope_for, scope_q
from core.errors import NotFound
from core.text import search_q
from ledger import chart
from ledger.models import (
    Account,
    EntryKind,
    FiscalYear,
    HolderBook,
    HolderEntry,
    HolderLine,
    Journal,
    JournalEntry,
    JournalLine,
    MemberAllocation,
    MemberTransaction,
    PeriodLock,
    SurplusAllocation,
)
from ledger.services import balances_at, books_start
from registry.models import Cooperative


def books_cooperative_list(*, actor) -> QuerySet[Cooperative]:
    return Cooperative.objects.filter(
        scope_q(scope_for(actor), area="commune", cooperative="id")
    ).select_related("commune")


def books_cooperative_get(*, actor, pk) -> Cooperative:
    try:
        return books_cooperative_list(actor=actor).get(pk=pk)
    except (Cooperative.DoesNotExist, ValueError, TypeError):
        raise NotFound(_("Coopérative introuvable.")) from None


def _entries(actor) -> QuerySet[JournalEntry]:
    return JournalEntry.objects.filter(
        scope_q(scope_for(actor), area="cooperative__commune", cooperative="cooperative")
    )


def journal_entry_list(
    *,
    actor,
    cooperative,
    journal: str | None = None,
    date_from: datetime.date | None = None,
    date_to: datetime.date | None = None,
    q: str | None = None,
    account: str | None = None,
) -> QuerySet[JournalEntry]:
    qs = _entries(actor).filter(cooperative=cooperative)
    if journal:
        qs = qs.filter(journal__code=journal)
    if date_from:
        qs = qs.filter(date__gte=date_from)
    if date_to:
        qs = qs.filter(date__lte=date_to)
    if q:
        qs = qs.filter(search_q(q))
    if account:
        qs = qs.filter(lines__account__code__startswith=account).distinct()
    return (
        qs.select_related("journal", "reverses__journal", "reversed_by__journal")
        .prefetch_related(
            Prefetch("lines", queryset=JournalLine.objects.select_related("account", "person"))
        )
        .order_by("-date", "-id")
    )


def journal_entry_get(*, actor, pk) -> JournalEntry:
    try:
        return (
            _entries(actor)
            .select_related("journal", "cooperative", "reverses__journal")
            .prefetch_related(
                Prefetch(
                    "lines",
                    queryset=JournalLine.objects.select_related("account", "person").order_by("id"),
                )
            )
            .get(pk=pk)
        )
    except (JournalEntry.DoesNotExist, ValueError, TypeError):
        raise NotFound(_("Écriture introuvable.")) from None


def journal_list(*, actor, cooperative) -> list[Journal]:
    """The cooperative's journals (created on its first entry; none before)."""
    books_cooperative_get(actor=actor, pk=cooperative.pk)
    return list(Journal.objects.filter(cooperative=cooperative).order_by("code"))


def account_list() -> QuerySet[Account]:
    """The chart is public reference data."""
    return Account.objects.filter(active=True).order_by("code")


def trial_balance(
    *,
    actor,
    cooperative,
    date_from: datetime.date | None = None,
    date_to: datetime.date | None = None,
) -> list[dict]:
    """Movements of each account over [date_from, date_to] (either end open):
    rows ``account, label, debit, credit, balance`` (balance = debit − credit), by number.
    The rows' balances sum to zero: every entry is balanced."""
    books_cooperative_get(actor=actor, pk=cooperative.pk)
    lines = JournalLine.objects.filter(cooperative=cooperative)
    if date_from:
        lines = lines.filter(date__gte=date_from)
    if date_to:
        lines = lines.filter(date__lte=date_to)
    rows = (
        lines.values("account__code", "account__label")
        .annotate(d=Sum("debit"), c=Sum("credit"))
        .order_by("account__code")
    )
    return [
        {
            "account": r["account__code"],
            "label": r["account__label"],
            "debit": r["d"] or 0,
            "credit": r["c"] or 0,
            "balance": (r["d"] or 0) - (r["c"] or 0),
        }
        for r in rows
    ]


def general_ledger(
    *,
    actor,
    cooperative,
    date_from: datetime.date,
    date_to: datetime.date,
    account: str | None = None,
) -> list[dict]:
    """Per account: the balance brought forward at ``date_from``, each line of the period
    with its running balance, and the closing balance."""
    books_cooperative_get(actor=actor, pk=cooperative.pk)
    prefixes = [account] if account else None
    opening = balances_at(
        cooperative, date_from - datetime.timedelta(days=1), account_codes=prefixes
    )
    # Opening balances of a new year come from its carried-forward entry, not from before.
    if books_start(cooperative, date_from) == date_from:
        opening = {}
    lines = (
        JournalLine.objects.filter(cooperative=cooperative, date__gte=date_from, date__lte=date_to)
        .select_related("account", "entry__journal")
        .order_by("account__code", "date", "entry_id", "id")
    )
    if account:
        lines = lines.filter(account__code__startswith=account)
    accounts: dict[str, dict] = {}
    labels = dict(Account.objects.values_list("code", "label"))
    for code, balance in opening.items():
        if balance:
            accounts[code] = {
                "account": code,
                "label": labels.get(code, ""),
                "opening": balance,
                "lines": [],
            }
    for line in lines:
        acc = accounts.setdefault(
            line.account.code,
            {"account": line.account.code, "label": line.account.label, "opening": 0, "lines": []},
        )
        acc["lines"].append(line)
    out = []
    for code in sorted(accounts):
        acc = accounts[code]
        running = acc["opening"]
        rows = []
        for line in acc["lines"]:
            running += line.debit - line.credit
            rows.append({"line": line, "entry": line.entry, "balance": running})
        acc["rows"] = rows
        acc["debit"] = sum(ln.debit for ln in acc["lines"])
        acc["credit"] = sum(ln.credit for ln in acc["lines"])
        acc["closing"] = running
        out.append(acc)
    return out


def _period_balances(cooperative, date_from, date_to, *, exclude_closing=True) -> dict[str, int]:
    lines = JournalLine.objects.filter(
        cooperative=cooperative, date__gte=date_from, date__lte=date_to
    )
    if exclude_closing:
        lines = lines.exclude(entry__kind=EntryKind.CLOSING)
    return {
        code: b
        for code, b in lines.filter(account__account_class__in=[6, 7, 8])
        .values_list("account__code")
        .annotate(b=Sum("debit") - Sum("credit"))
        .order_by()
    }


def _match(code: str, prefixes: list[str]) -> bool:
    return any(code.startswith(p) for p in prefixes)


def income_statement(
    *, actor, cooperative, date_from: datetime.date, date_to: datetime.date
) -> list[dict]:
    """Simplified SYSCOHADA income statement (compte de résultat) for the period, before
    the year-end closing entry. Rows ``key, label, amount, total`` (total: a subtotal)."""
    books_cooperative_get(actor=actor, pk=cooperative.pk)
    balances = _period_balances(cooperative, date_from, date_to)
    details: dict[str, int] = {}
    used = set()
    for key, _label, prefixes, sign in chart.INCOME_STATEMENT:
        if prefixes is None:
            continue
        amount = 0
        for code, b in balances.items():
            if code not in used and _match(code, prefixes):
                used.add(code)
                amount += -b if sign > 0 else b
        details[key] = amount
    signs = {k: s for k, _l, p, s in chart.INCOME_STATEMENT if p is not None}
    rows = []
    for key, label, prefixes, _sign in chart.INCOME_STATEMENT:
        if prefixes is not None:
            rows.append(
                {
                    "key": key,
                    "label": label,
                    "amount": details[key],
                    "total": False,
                    "sign": signs[key],
                }
            )
        else:
            members = chart.INCOME_SUBTOTALS[key] or list(details)
            amount = sum(details[k] * signs[k] for k in members)
            rows.append({"key": key, "label": label, "amount": amount, "total": True, "sign": 0})
    return rows


def balance_sheet(*, actor, cooperative, on: datetime.date) -> dict:
    """Simplified SYSCOHADA balance sheet (bilan) at ``on``: assets and liabilities rows and
    totals. Class 4 and 5 accounts go to the side their balance falls on."""
    books_cooperative_get(actor=actor, pk=cooperative.pk)
    balances = balances_at(cooperative, on)
    assets = {key: 0 for key, _l, _p in chart.BALANCE_SHEET_ASSETS}
    liabilities = {key: 0 for key, _l, _p in chart.BALANCE_SHEET_LIABILITIES}
    for code, b in balances.items():
        if not b:
            continue
        cls = code[0]
        if cls in "23" or (cls in "45" and b > 0):
            for key, _label, prefixes in chart.BALANCE_SHEET_ASSETS:
                if _match(code, prefixes):
                    assets[key] += b
                    break
        else:
            for key, _label, prefixes in chart.BALANCE_SHEET_LIABILITIES:
                if _match(code, prefixes):
                    liabilities[key] += -b
                    break
    return {
        "assets": [
            {"key": k, "label": lbl, "amount": assets[k]}
            for k, lbl, _p in chart.BALANCE_SHEET_ASSETS
        ],
        "liabilities": [
            {"key": k, "label": lbl, "amount": liabilities[k]}
            for k, lbl, _p in chart.BALANCE_SHEET_LIABILITIES
        ],
        "total_assets": sum(assets.values()),
        "total_liabilities": sum(liabilities.values()),
    }


def treasury_balances(*, actor, cooperative, on: datetime.date) -> list[dict]:
    books_cooperative_get(actor=actor, pk=cooperative.pk)
    balances = balances_at(
        cooperative, on, account_codes=[chart.CASH, chart.BANK, chart.MOBILE_MONEY]
    )
    return [
        {"channel": channel, "label": label, "balance": balances.get(account, 0)}
        for channel, (_code, label, _kind, account) in chart.TREASURY_JOURNALS.items()
    ]


def period_status(*, actor, cooperative, year: int) -> dict:
    books_cooperative_get(actor=actor, pk=cooperative.pk)
    locked = set(
        PeriodLock.objects.filter(cooperative=cooperative, year=year).values_list(
            "month", flat=True
        )
    )
    fiscal_year = FiscalYear.objects.filter(cooperative=cooperative, year=year).first()
    allocation = SurplusAllocation.objects.filter(cooperative=cooperative, year=year).first()
    return {
        "year": year,
        "months": [{"month": m, "locked": m in locked} for m in range(1, 13)],
        "closed": fiscal_year,
        "allocation": allocation,
    }


def member_transaction_list(*, actor, cooperative, year: int | None = None):
    books_cooperative_get(actor=actor, pk=cooperative.pk)
    qs = MemberTransaction.objects.filter(cooperative=cooperative).select_related("person")
    if year:
        qs = qs.filter(on__year=year)
    return qs


def allocation_get(*, actor, cooperative, year: int) -> SurplusAllocation:
    books_cooperative_get(actor=actor, pk=cooperative.pk)
    allocation = (
        SurplusAllocation.objects.filter(cooperative=cooperative, year=year)
        .select_related("entry__journal")
        .first()
    )
    if allocation is None:
        raise NotFound(_("Aucune affectation pour cet exercice."))
    return allocation


def member_allocation_list(*, actor, allocation) -> QuerySet[MemberAllocation]:
    books_cooperative_get(actor=actor, pk=allocation.cooperative_id)
    return allocation.members.select_related("person").order_by(
        "person__last_name", "person__first_name"
    )


def member_allocation_get(*, actor, allocation, person_id) -> MemberAllocation:
    try:
        return member_allocation_list(actor=actor, allocation=allocation).get(person_id=person_id)
    except (MemberAllocation.DoesNotExist, ValueError, TypeError):
        raise NotFound(_("Aucune ristourne pour ce membre.")) from None


# --------------------------------------------------------------------------- holders' books
# The holder's app authorises the reader first (e.g. health.selectors.scheme_books_get) and
# passes the book it returned: these read that one book only.


def holder_book_find(*, holder: str, holder_id: int) -> HolderBook | None:
    return HolderBook.objects.filter(holder=holder, holder_id=holder_id).first()


def holder_trial_balance(*, book: HolderBook | None, date_from=None, date_to=None) -> list[dict]:
    """As :func:`trial_balance`, for a holder's book (no book yet: no rows)."""
    if book is None:
        return []
    lines = HolderLine.objects.filter(book=book)
    if date_from:
        lines = lines.filter(date__gte=date_from)
    if date_to:
        lines = lines.filter(date__lte=date_to)
    rows = (
        lines.values("account__code", "account__label")
        .annotate(d=Sum("debit"), c=Sum("credit"))
        .order_by("account__code")
    )
    return [
        {
            "account": r["account__code"],
            "label": r["account__label"],
            "debit": r["d"] or 0,
            "credit": r["c"] or 0,
            "balance": (r["d"] or 0) - (r["c"] or 0),
        }
        for r in rows
    ]


def holder_entry_list(
    *, book: HolderBook | None, date_from=None, date_to=None
) -> QuerySet[HolderEntry]:
    """The book's entries with their lines and accounts, newest first."""
    if book is None:
        return HolderEntry.objects.none()
    entries = HolderEntry.objects.filter(book=book)
    if date_from:
        entries = entries.filter(date__gte=date_from)
    if date_to:
        entries = entries.filter(date__lte=date_to)
    return entries.prefetch_related(
        Prefetch("lines", queryset=HolderLine.objects.select_related("account"))
    ).order_by("-date", "-id")


def holder_year_state(*, book: HolderBook | None, year: int) -> dict:
    """The locked months of ``year`` in a holder's book and its closing record (None while
    open), for a book the owning app has already authorised."""
    from ledger.models import HolderFiscalYear, HolderPeriodLock

    if book is None:
        return {"locked": set(), "fiscal": None, "closed_years": []}
    locked = set(
        HolderPeriodLock.objects.filter(book=book, year=year).values_list("month", flat=True)
    )
    years = list(HolderFiscalYear.objects.filter(book=book).order_by("year"))
    fiscal = next((y for y in years if y.year == year), None)
    return {"locked": locked, "fiscal": fiscal, "closed_years": [y.year for y in years]}
