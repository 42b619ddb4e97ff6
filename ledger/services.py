"""Every write to the books. Entries are balanced, numbered without gaps, append-only.

Other apps post through :func:`entry_post` (or the named postings of ledger/postings.py);
see docs/ledger.md for the contract.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.conf import settings
from django.db.models import Q, Sum
from django.utils.translation import gettext_lazy as _

from core import dates
from core.errors import Conflict, ValidationFailed
from core.money import check_amount
from core.services import service
from core.text import fold
from geo.changes import areas_touch
from ledger import chart
from ledger.allocation import AllocationPlan, compute_allocation
from ledger.errors import Code
from ledger.models import (
    Account,
    EntryKind,
    FiscalYear,
    HolderBook,
    HolderEntry,
    HolderFiscalYear,
    HolderLine,
    HolderPeriodLock,
    Journal,
    JournalEntry,
    JournalLine,
    JournalSequence,
    MemberAllocation,
    MemberTransaction,
    PeriodLock,
    SurplusAllocation,
)
from ledger.rules import require_poster
from registry.models import Membership

# Postings whose ``source`` starts with one of these come from another app's service,
# which has already checked its own actor's permission (a lender recording a repayment,
# say). Everything else (the API, the forms) needs an officer of the cooperative.
TRUSTED_SOURCES = frozenset(
    {"capital", "credit", "governance", "training", "payments", "purchasing", "valuechain"}
)
# Entries posted by these apps mirror their operational data (one source of truth): they
# are cancelled by cancelling the operation, never by reversing the entry by hand.
AUTOMATIC_SOURCES = frozenset({"capital", "credit", "purchasing", "valuechain"})

# Interest on paid-up shares is capped by "the central bank's discount rate" (AUSCOOP art.
# 209). The BCEAO no longer publishes a rate of that name; the nearest is the rate of its
# marginal lending window (taux du guichet de prêt marginal). A dated table, newest last:
# (in force from, rate as a fraction, source). TO BE CONFIRMED (docs/ledger.md): the
# figures come from press reports of the BCEAO's monetary policy committee, and which BCEAO
# rate stands for the "taux d'escompte" is an interpretation. Override the whole table with
# settings.SUNUCOOP_SHARE_INTEREST_CAPS (same shape), or pin one value with
# settings.SUNUCOOP_SHARE_INTEREST_CAP.
SHARE_INTEREST_CAPS: tuple[tuple[datetime.date, Decimal, str], ...] = (
    (
        datetime.date(2023, 12, 16),
        Decimal("0.055"),
        "BCEAO, guichet de prêt marginal 5,50 % depuis le 16/12/2023 (presse, à confirmer)",
    ),
    (
        datetime.date(2025, 6, 16),
        Decimal("0.0525"),
        "BCEAO, CPM de juin 2025 : guichet de prêt marginal 5,25 % (presse, à confirmer)",
    ),
    (
        datetime.date(2026, 3, 16),
        Decimal("0.05"),
        "BCEAO, CPM du 04/03/2026 : guichet de prêt marginal 5,00 % (presse, à confirmer)",
    ),
)
# Before the first dated row (old years): the first row's rate.
DEFAULT_SHARE_INTEREST_CAP = SHARE_INTEREST_CAPS[0][1]


def share_interest_cap_row(on: datetime.date | None = None) -> tuple[datetime.date, Decimal, str]:
    """The cap in force on ``on`` (default today): (in force from, rate, source)."""
    on = on or dates.today()
    pinned = getattr(settings, "SUNUCOOP_SHARE_INTEREST_CAP", None)
    if pinned is not None:
        return (datetime.date.min, Decimal(str(pinned)), "settings.SUNUCOOP_SHARE_INTEREST_CAP")
    rows = []
    for d, rate, *source in getattr(settings, "SUNUCOOP_SHARE_INTEREST_CAPS", SHARE_INTEREST_CAPS):
        day = d if isinstance(d, datetime.date) else datetime.date.fromisoformat(d)
        rows.append((day, Decimal(str(rate)), str(source[0]) if source else ""))
    rows.sort()
    current = rows[0]
    for row in rows:
        if row[0] <= on:
            current = row
    return current


def share_interest_cap(on: datetime.date | None = None) -> Decimal:
    """Highest rate of interest on paid-up shares on ``on`` (a fraction: 0.05 = 5 %)."""
    return share_interest_cap_row(on)[1]


# --- journals, numbering, locks ----------------------------------------------------------


def journals_open(cooperative) -> dict[str, Journal]:
    """The cooperative's four journals (CA, BQ, MM, OD), created on first use."""
    specs = [*chart.TREASURY_JOURNALS.values(), chart.OPERATIONS_JOURNAL]
    journals = {j.code: j for j in Journal.objects.filter(cooperative=cooperative)}
    if all(code in journals for code, *_rest in specs):
        return journals  # one query once they exist
    accounts = {
        a.code: a
        for a in Account.objects.filter(code__in=[chart.CASH, chart.BANK, chart.MOBILE_MONEY])
    }
    for code, label, kind, account in specs:
        if code in journals:
            continue
        journal, _created = Journal.objects.get_or_create(
            cooperative=cooperative,
            code=code,
            defaults={"label": str(label), "kind": kind, "account": accounts.get(account)},
        )
        journals[code] = journal
    return journals


def journal_for_channel(channel: str) -> str:
    try:
        return chart.TREASURY_JOURNALS[channel][0]
    except KeyError:
        raise ValidationFailed(
            _("Moyen de paiement inconnu."), code=Code.UNKNOWN_CHANNEL, field="channel"
        ) from None


def treasury_account(channel: str) -> str:
    journal_for_channel(channel)
    return chart.TREASURY_JOURNALS[channel][3]


def period_is_locked(cooperative, on: datetime.date) -> bool:
    return (
        FiscalYear.objects.filter(cooperative=cooperative, year=on.year).exists()
        or PeriodLock.objects.filter(cooperative=cooperative, year=on.year, month=on.month).exists()
    )


def _check_open(cooperative, on: datetime.date) -> None:
    if period_is_locked(cooperative, on):
        raise Conflict(
            _(
                "La période du %(month)02d/%(year)d est verrouillée : "
                "aucune écriture ne peut y être passée."
            )
            % {"month": on.month, "year": on.year},
            code=Code.PERIOD_LOCKED,
            field="date",
        )


def _normalise_lines(lines) -> list[tuple[Account, int, int, int | None]]:
    if not lines:
        raise ValidationFailed(
            _("Une écriture a au moins deux lignes."), code=Code.EMPTY_ENTRY, field="lines"
        )
    parsed = []
    for raw in lines:
        if len(raw) not in (3, 4):
            raise ValidationFailed(
                _("Ligne d'écriture mal formée."), code=Code.INVALID_LINE, field="lines"
            )
        code, debit, credit = raw[0], raw[1], raw[2]
        person_id = raw[3] if len(raw) == 4 else None
        for amount in (debit, credit):
            if isinstance(amount, bool) or not isinstance(amount, int) or amount < 0:
                raise ValidationFailed(
                    _("Les montants sont des nombres entiers positifs de francs CFA."),
                    code=Code.INVALID_AMOUNT,
                    field="lines",
                )
            check_amount(amount, field="lines")
        if (debit > 0) == (credit > 0):
            raise ValidationFailed(
                _("Chaque ligne porte soit un débit, soit un crédit, non nul (compte %(code)s).")
                % {"code": code},
                code=Code.INVALID_LINE,
                field="lines",
            )
        parsed.append((str(code), debit, credit, person_id))
    codes = {p[0] for p in parsed}
    accounts = {a.code: a for a in Account.objects.filter(code__in=codes, active=True)}
    missing = sorted(codes - accounts.keys())
    if missing:
        raise ValidationFailed(
            _("Compte inconnu du plan comptable : %(codes)s.") % {"codes": ", ".join(missing)},
            code=Code.UNKNOWN_ACCOUNT,
            field="lines",
        )
    total_debit = sum(p[1] for p in parsed)
    total_credit = sum(p[2] for p in parsed)
    if total_debit != total_credit:
        raise ValidationFailed(
            _("Écriture déséquilibrée : débit %(d)s, crédit %(c)s.")
            % {"d": total_debit, "c": total_credit},
            code=Code.UNBALANCED,
            field="lines",
        )
    return [(accounts[c], d, cr, p) for c, d, cr, p in parsed]


def _already_posted(cooperative, journal, on, source, source_ref, parsed):
    """The entry already posted under ``source_ref`` (a retried call posts nothing twice),
    or None; ``Conflict`` when the reference was used for another content."""
    existing = JournalEntry.objects.filter(
        cooperative=cooperative, source=source, source_ref=source_ref
    ).first()
    if existing is None:
        return None
    same = sorted(
        (ln.account.code, ln.debit, ln.credit, ln.person_id)
        for ln in existing.lines.select_related("account")
    ) == sorted((a.code, d, c, p) for a, d, c, p in parsed)
    if not same or existing.journal_id != journal.pk or existing.date != on:
        raise Conflict(
            _("Cette référence a déjà été passée avec un autre contenu."),
            code=Code.SOURCE_REF_REUSED,
        )
    return existing


def _post(
    *,
    actor,
    cooperative,
    journal: str,
    on: datetime.date,
    label: str,
    lines,
    source: str = "",
    source_ref: str = "",
    kind: str = EntryKind.NORMAL,
    reverses: JournalEntry | None = None,
    check_period: bool = True,
) -> JournalEntry:
    """Post one entry (already inside a transaction; permission already checked)."""
    if not isinstance(on, datetime.date):
        raise ValidationFailed(_("Date invalide."), code=Code.INVALID_DATE, field="date")
    label = (label or "").strip()
    if not label:
        raise ValidationFailed(
            _("Le libellé est obligatoire."), code=Code.LABEL_REQUIRED, field="label"
        )
    parsed = _normalise_lines(lines)
    journals = journals_open(cooperative)
    if journal not in journals:
        raise ValidationFailed(
            _("Journal inconnu : %(code)s.") % {"code": journal},
            code=Code.UNKNOWN_JOURNAL,
            field="journal",
        )
    # The journal row lock serialises numbering, idempotency and period checks.
    locked = Journal.objects.select_for_update().get(pk=journals[journal].pk)
    if source_ref:
        existing = _already_posted(cooperative, locked, on, source, source_ref, parsed)
        if existing is not None:
            return existing
    if check_period:
        _check_open(cooperative, on)
    seq, _created = JournalSequence.objects.select_for_update().get_or_create(
        journal=locked, year=on.year
    )
    seq.last_number += 1
    seq.save(update_fields=["last_number"])
    entry = JournalEntry.objects.create(
        cooperative=cooperative,
        journal=locked,
        fiscal_year=on.year,
        number=seq.last_number,
        date=on,
        label=label[:200],
        kind=kind,
        source=source,
        source_ref=source_ref,
        reverses=reverses,
        search_text=fold(label, source_ref)[:300],
        created_by=actor if getattr(actor, "pk", None) else None,
    )
    JournalLine.objects.bulk_create(
        [
            JournalLine(
                entry=entry,
                cooperative=cooperative,
                account=account,
                date=on,
                debit=debit,
                credit=credit,
                person_id=person_id,
            )
            for account, debit, credit, person_id in parsed
        ]
    )
    # Monitoring's freshness mark: the cooperative's figures (sales...) changed.
    areas_touch([cooperative.commune_id], on=on)
    return entry


# --- the stable posting interface --------------------------------------------------------


@service(texts=(JournalEntry,), event_dates=(("on", "date"),))
def entry_post(
    *,
    actor,
    cooperative,
    journal: str,
    on: datetime.date,
    label: str,
    lines: list[tuple],
    source: str = "",
    source_ref: str = "",
) -> JournalEntry:
    """Post a balanced entry. ``lines``: ``(account code, debit, credit)`` or
    ``(account code, debit, credit, person_id)`` with whole francs.

    Idempotent per (cooperative, source, source_ref) when ``source_ref`` is given: a retry
    returns the first entry; the same reference with other content is a 409.
    """
    if source.split(".")[0] not in TRUSTED_SOURCES:
        require_poster(actor, cooperative)
    return _post(
        actor=actor,
        cooperative=cooperative,
        journal=journal,
        on=on,
        label=label,
        lines=lines,
        source=source,
        source_ref=source_ref,
    )


@service(texts=(JournalEntry,), event_dates=("on",))
def entry_reverse(
    *, actor, entry: JournalEntry, on: datetime.date | None = None, label: str = ""
) -> JournalEntry:
    """Cancel ``entry`` by an opposite entry in the same journal (the original stays)."""
    require_poster(actor, entry.cooperative)
    entry = JournalEntry.objects.select_for_update().get(pk=entry.pk)
    if entry.source.split(".")[0] in AUTOMATIC_SOURCES:
        raise Conflict(
            _(
                "Cette écriture a été passée automatiquement par une opération sur le capital "
                "ou un prêt : annulez l'opération elle-même (annulation du remboursement...), "
                "l'écriture sera contre-passée en même temps."
            ),
            code=Code.AUTOMATIC_ENTRY,
        )
    if entry.kind != EntryKind.NORMAL:
        raise Conflict(
            _("Seule une écriture courante peut être contre-passée."), code=Code.NOT_REVERSIBLE
        )
    if JournalEntry.objects.filter(reverses=entry).exists():
        raise Conflict(_("Cette écriture a déjà été contre-passée."), code=Code.ALREADY_REVERSED)
    on = on or entry.date
    if on < entry.date:
        raise ValidationFailed(
            _("La contre-passation ne peut être antérieure à l'écriture."),
            code=Code.REVERSAL_BEFORE_ENTRY,
            field="date",
        )
    lines = [
        (ln.account.code, ln.credit, ln.debit, ln.person_id)
        for ln in entry.lines.select_related("account")
    ]
    return _post(
        actor=actor,
        cooperative=entry.cooperative,
        journal=entry.journal.code,
        on=on,
        label=label or f"Contre-passation de {entry.reference} : {entry.label}",
        lines=lines,
        kind=EntryKind.REVERSAL,
        reverses=entry,
    )


@service
def source_entry_reverse(
    *,
    actor,
    cooperative,
    source: str,
    source_ref: str,
    on: datetime.date,
    reversal_source: str,
    reversal_ref: str,
    label: str = "",
) -> JournalEntry | None:
    """Reverse the entry another app posted for (``source``, ``source_ref``), on ``on``, as
    part of cancelling its operation; the reversal carries (``reversal_source``,
    ``reversal_ref``) and is idempotent on them. Returns None when no entry was posted for
    the operation (operations recorded before the automatic postings existed)."""
    if reversal_source.split(".")[0] not in TRUSTED_SOURCES:
        require_poster(actor, cooperative)
    original = JournalEntry.objects.filter(
        cooperative=cooperative, source=source, source_ref=source_ref
    ).first()
    if original is None:
        return None
    done = JournalEntry.objects.filter(
        cooperative=cooperative, source=reversal_source, source_ref=reversal_ref
    ).first()
    if done is not None:
        return done
    original = JournalEntry.objects.select_for_update().get(pk=original.pk)
    if JournalEntry.objects.filter(reverses=original).exists():
        raise Conflict(_("Cette écriture a déjà été contre-passée."), code=Code.ALREADY_REVERSED)
    if on < original.date:
        raise ValidationFailed(
            _("La contre-passation ne peut être antérieure à l'écriture."),
            code=Code.REVERSAL_BEFORE_ENTRY,
            field="date",
        )
    return _post(
        actor=actor,
        cooperative=cooperative,
        journal=original.journal.code,
        on=on,
        label=label or f"Contre-passation de {original.reference} : {original.label}",
        lines=[
            (ln.account.code, ln.credit, ln.debit, ln.person_id)
            for ln in original.lines.select_related("account")
        ],
        source=reversal_source,
        source_ref=reversal_ref,
        kind=EntryKind.REVERSAL,
        reverses=original,
    )


# --- simple mode ------------------------------------------------------------------------


def _simple_amount(amount) -> int:
    if isinstance(amount, bool) or not isinstance(amount, int) or amount <= 0:
        raise ValidationFailed(
            _("Le montant doit être un nombre entier de francs supérieur à zéro."),
            code=Code.INVALID_AMOUNT,
            field="amount",
        )
    return amount


@service(texts=(JournalEntry,), event_dates=("on",), amounts=("amount",))
def receipt_record(
    *,
    actor,
    cooperative,
    category: str,
    amount: int,
    on: datetime.date,
    channel: str,
    label: str = "",
    source_ref: str = "",
) -> JournalEntry:
    """A receipt in simple mode: debit the treasury of ``channel``, credit the category."""
    return _simple_movement(
        "receipt",
        actor=actor,
        cooperative=cooperative,
        category=category,
        amount=amount,
        on=on,
        channel=channel,
        label=label,
        source_ref=source_ref,
    )


@service(texts=(JournalEntry,), event_dates=("on",), amounts=("amount",))
def payment_record(
    *,
    actor,
    cooperative,
    category: str,
    amount: int,
    on: datetime.date,
    channel: str,
    label: str = "",
    source_ref: str = "",
) -> JournalEntry:
    """A payment in simple mode: debit the category's account, credit the treasury."""
    return _simple_movement(
        "payment",
        actor=actor,
        cooperative=cooperative,
        category=category,
        amount=amount,
        on=on,
        channel=channel,
        label=label,
        source_ref=source_ref,
    )


def _simple_movement(
    kind: str, *, actor, cooperative, category, amount, on, channel, label, source_ref
) -> JournalEntry:
    """The one body of ``receipt_record`` and ``payment_record``: the category's account
    against the treasury of ``channel`` (a receipt debits the treasury, a payment credits
    it), labelled by the category unless a label is given."""
    require_poster(actor, cooperative)
    account = chart.category_account(kind, category)
    if account is None:
        message = (
            _("Choisissez la nature de la recette.")
            if kind == "receipt"
            else _("Choisissez la nature de la dépense.")
        )
        raise ValidationFailed(message, code=Code.UNKNOWN_CATEGORY, field="category")
    amount = _simple_amount(amount)
    categories = chart.RECEIPT_CATEGORIES if kind == "receipt" else chart.PAYMENT_CATEGORIES
    label = label.strip() or str(dict((c, lbl) for c, lbl, _a in categories)[category])
    treasury = treasury_account(channel)
    lines = (
        [(treasury, amount, 0), (account, 0, amount)]
        if kind == "receipt"
        else [(account, amount, 0), (treasury, 0, amount)]
    )
    return _post(
        actor=actor,
        cooperative=cooperative,
        journal=journal_for_channel(channel),
        on=on,
        label=label,
        lines=lines,
        source="ledger.simple" if source_ref else "",
        source_ref=source_ref,
    )


@service(texts=(JournalEntry,), event_dates=("on",), amounts=("amount",))
def transfer_record(
    *,
    actor,
    cooperative,
    amount: int,
    on: datetime.date,
    from_channel: str,
    to_channel: str,
    label: str = "",
    source_ref: str = "",
) -> JournalEntry:
    """Money moved between cash, bank and mobile money (a deposit, a withdrawal)."""
    require_poster(actor, cooperative)
    amount = _simple_amount(amount)
    if from_channel == to_channel:
        raise ValidationFailed(
            _("Choisissez deux moyens différents."), code=Code.SAME_CHANNEL, field="to_channel"
        )
    return _post(
        actor=actor,
        cooperative=cooperative,
        journal=journal_for_channel(from_channel),
        on=on,
        label=label.strip() or str(_("Virement de fonds")),
        lines=[
            (treasury_account(to_channel), amount, 0),
            (treasury_account(from_channel), 0, amount),
        ],
        source="ledger.simple" if source_ref else "",
        source_ref=source_ref,
    )


# --- periods and year end ---------------------------------------------------------------


def _validate_month(year: int, month: int) -> None:
    if not (1 <= int(month) <= 12) or not (2000 <= int(year) <= 2100):
        raise ValidationFailed(_("Période invalide."), code=Code.INVALID_PERIOD, field="month")


def _lock_journals(cooperative) -> None:
    journals_open(cooperative)
    list(
        Journal.objects.select_for_update()
        .filter(cooperative=cooperative)
        .values_list("pk", flat=True)
    )


@service
def period_lock(*, actor, cooperative, year: int, month: int) -> PeriodLock:
    require_poster(actor, cooperative)
    _validate_month(year, month)
    _lock_journals(cooperative)
    lock, _created = PeriodLock.objects.get_or_create(
        cooperative=cooperative, year=year, month=month, defaults={"locked_by": actor}
    )
    return lock


@service
def period_unlock(*, actor, cooperative, year: int, month: int) -> None:
    require_poster(actor, cooperative)
    _validate_month(year, month)
    if FiscalYear.objects.filter(cooperative=cooperative, year=year).exists():
        raise Conflict(
            _("L'exercice %(year)d est clôturé : ses périodes restent verrouillées.")
            % {"year": year},
            code=Code.YEAR_CLOSED,
        )
    PeriodLock.objects.filter(cooperative=cooperative, year=year, month=month).delete()


def books_start(cooperative, on: datetime.date) -> datetime.date | None:
    """First day whose lines make up balances at ``on``: the day after the last closed year
    before ``on``'s year (its carried-forward entry sums everything before), else the start."""
    last = (
        FiscalYear.objects.filter(cooperative=cooperative, year__lt=on.year)
        .order_by("-year")
        .values_list("year", flat=True)
        .first()
    )
    return datetime.date(last + 1, 1, 1) if last else None


def balances_at(
    cooperative, on: datetime.date, *, classes=None, by_person=False, account_codes=None
) -> dict:
    """{account code (or (code, person_id)): debit − credit} at the end of ``on``."""
    lines = JournalLine.objects.filter(cooperative=cooperative, date__lte=on)
    start = books_start(cooperative, on)
    if start:
        lines = lines.filter(date__gte=start)
    if classes:
        lines = lines.filter(account__account_class__in=classes)
    if account_codes:
        q = Q()
        for code in account_codes:
            q |= Q(account__code__startswith=code)
        lines = lines.filter(q)
    keys = ["account__code", "person_id"] if by_person else ["account__code"]
    out = {}
    for row in lines.values(*keys).annotate(d=Sum("debit"), c=Sum("credit")).order_by(*keys):
        key = (row["account__code"], row["person_id"]) if by_person else row["account__code"]
        out[key] = (row["d"] or 0) - (row["c"] or 0)
    return out


@service
def year_close(*, actor, cooperative, year: int) -> FiscalYear:
    """Close ``year``: income and expenses into the result (131 profit / 139 loss) on 31/12,
    the balance-sheet balances carried forward on 01/01 of the next year, every month locked."""
    require_poster(actor, cooperative)
    _lock_journals(cooperative)
    if FiscalYear.objects.filter(cooperative=cooperative, year=year).exists():
        raise Conflict(
            _("L'exercice %(year)d est déjà clôturé.") % {"year": year}, code=Code.ALREADY_CLOSED
        )
    earlier = (
        JournalLine.objects.filter(cooperative=cooperative, date__year__lt=year)
        .values_list("date__year", flat=True)
        .distinct()
    )
    closed = set(FiscalYear.objects.filter(cooperative=cooperative).values_list("year", flat=True))
    if set(earlier) - closed:
        raise Conflict(
            _("Clôturez d'abord les exercices précédents."), code=Code.PREVIOUS_YEAR_OPEN
        )
    end = datetime.date(year, 12, 31)
    income = {
        code: b
        for code, b in JournalLine.objects.filter(
            cooperative=cooperative, date__year=year, account__account_class__in=[6, 7, 8]
        )
        .values_list("account__code")
        .annotate(b=Sum("debit") - Sum("credit"))
        if b
    }
    result = -sum(income.values())
    closing = None
    if income:
        lines = [(code, 0, b) if b > 0 else (code, -b, 0) for code, b in sorted(income.items())]
        if result > 0:
            lines.append((chart.PROFIT, 0, result))
        elif result < 0:
            lines.append((chart.LOSS, -result, 0))
        closing = _post(
            actor=actor,
            cooperative=cooperative,
            journal="OD",
            on=end,
            label=f"Clôture de l'exercice {year} : détermination du résultat",
            lines=lines,
            kind=EntryKind.CLOSING,
            check_period=False,
        )
    carried = balances_at(cooperative, end, classes=[1, 2, 3, 4, 5], by_person=True)
    opening = None
    opening_lines = [
        (code, b, 0, person) if b > 0 else (code, 0, -b, person)
        for (code, person), b in sorted(carried.items(), key=lambda kv: (kv[0][0], kv[0][1] or 0))
        if b
    ]
    if opening_lines:
        opening = _post(
            actor=actor,
            cooperative=cooperative,
            journal="OD",
            on=datetime.date(year + 1, 1, 1),
            label=f"À-nouveaux de l'exercice {year}",
            lines=opening_lines,
            kind=EntryKind.OPENING,
            check_period=False,
        )
    for month in range(1, 13):
        PeriodLock.objects.get_or_create(
            cooperative=cooperative, year=year, month=month, defaults={"locked_by": actor}
        )
    return FiscalYear.objects.create(
        cooperative=cooperative,
        year=year,
        result=result,
        closed_on=end,
        closed_by=actor,
        closing_entry=closing,
        opening_entry=opening,
    )


# --- member transactions and the surplus -----------------------------------------------


@service(texts=(MemberTransaction,), event_dates=("on",))
def member_transaction_record(
    *,
    actor,
    cooperative,
    person_id: int,
    on: datetime.date,
    amount: int,
    label: str = "",
    source: str = "",
    source_ref: str = "",
) -> MemberTransaction:
    """Record a member's business with the cooperative (the basis of patronage refunds).
    Idempotent per (cooperative, source, source_ref) when ``source_ref`` is given."""
    if source.split(".")[0] not in TRUSTED_SOURCES:
        require_poster(actor, cooperative)
    if isinstance(amount, bool) or not isinstance(amount, int) or amount <= 0:
        raise ValidationFailed(
            _("Le montant doit être un nombre entier de francs supérieur à zéro."),
            code=Code.INVALID_AMOUNT,
            field="amount",
        )
    if not Membership.objects.filter(cooperative=cooperative, person_id=person_id).exists():
        raise ValidationFailed(
            _("Cette personne n'est pas membre de la coopérative."),
            code=Code.NOT_A_MEMBER,
            field="person",
        )
    if FiscalYear.objects.filter(cooperative=cooperative, year=on.year).exists():
        raise Conflict(
            _("L'exercice %(year)d est clôturé.") % {"year": on.year},
            code=Code.PERIOD_LOCKED,
            field="on",
        )
    if source_ref:
        existing = MemberTransaction.objects.filter(
            cooperative=cooperative, source=source, source_ref=source_ref
        ).first()
        if existing:
            return existing
    return MemberTransaction.objects.create(
        cooperative=cooperative,
        person_id=person_id,
        on=on,
        amount=amount,
        label=label.strip()[:200],
        source=source,
        source_ref=source_ref,
    )


@service(event_dates=("on",), amounts=("patronage_pool",))
def surplus_allocate(
    *,
    actor,
    cooperative,
    year: int,
    on: datetime.date,
    general_reserve_rate: Decimal = Decimal("0.20"),
    training_reserve_rate: Decimal = Decimal("0.20"),
    optional_reserve_rate: Decimal = Decimal("0"),
    share_interest_rate: Decimal = Decimal("0"),
    patronage_pool: int | None = None,
) -> SurplusAllocation:
    """Allocate the closed year's result as the assembly decided (see ledger/allocation.py),
    posted in one OD entry dated ``on`` (the assembly). A loss is carried forward (1291)."""
    require_poster(actor, cooperative)
    _lock_journals(cooperative)
    fy = _year_to_allocate(cooperative, year, on)
    end = datetime.date(year, 12, 31)
    rates = {
        "general_reserve_rate": Decimal(general_reserve_rate),
        "training_reserve_rate": Decimal(training_reserve_rate),
        "optional_reserve_rate": Decimal(optional_reserve_rate),
        "share_interest_rate": Decimal(share_interest_rate),
    }
    balances = balances_at(cooperative, end, classes=[1])
    capital = -sum(b for code, b in balances.items() if code.startswith("101"))
    label = f"Affectation du résultat de l'exercice {year}"
    if fy.result < 0:  # a loss is carried forward, nothing is shared
        plan, paid_up, volumes = AllocationPlan(surplus=fy.result, retained=fy.result), {}, {}
        label += " (perte reportée)"
        lines = [(chart.RETAINED_LOSSES, -fy.result, 0), (chart.LOSS, 0, -fy.result)]
    else:
        paid_up, volumes = _paid_up_and_volumes(cooperative, year)
        plan = compute_allocation(
            surplus=fy.result,
            capital=capital,
            general_reserve_balance=-balances.get(chart.GENERAL_RESERVE, 0),
            training_reserve_balance=-balances.get(chart.TRAINING_RESERVE, 0),
            share_interest_cap=share_interest_cap(on),
            paid_up=paid_up,
            volumes=volumes,
            patronage_pool=patronage_pool,
            **rates,
        )
        lines = _allocation_lines(fy.result, plan)
    entry = _post(
        actor=actor,
        cooperative=cooperative,
        journal="OD",
        on=on,
        label=label,
        lines=lines,
        kind=EntryKind.ALLOCATION,
    )
    allocation = SurplusAllocation.objects.create(
        cooperative=cooperative,
        year=year,
        decided_on=on,
        result=fy.result,
        capital=capital,
        general_reserve=plan.general_reserve,
        training_reserve=plan.training_reserve,
        optional_reserve=plan.optional_reserve,
        share_interest=plan.share_interest,
        patronage=plan.patronage,
        retained=plan.retained,
        entry=entry,
        created_by=actor,
        **rates,
    )
    _member_allocations_record(allocation, plan, paid_up, volumes)
    return allocation


def _year_to_allocate(cooperative, year: int, on: datetime.date) -> FiscalYear:
    """The closed year ``year``, not yet allocated, the decision taken after its end."""
    fy = FiscalYear.objects.filter(cooperative=cooperative, year=year).first()
    if fy is None:
        raise Conflict(
            _("Clôturez d'abord l'exercice %(year)d.") % {"year": year}, code=Code.YEAR_NOT_CLOSED
        )
    if SurplusAllocation.objects.filter(cooperative=cooperative, year=year).exists():
        raise Conflict(
            _("Le résultat de %(year)d est déjà affecté.") % {"year": year},
            code=Code.ALREADY_ALLOCATED,
        )
    if on <= datetime.date(year, 12, 31):
        raise ValidationFailed(
            _("L'affectation est décidée après la fin de l'exercice."),
            code=Code.ALLOCATION_BEFORE_YEAR_END,
            field="on",
        )
    return fy


def _paid_up_and_volumes(cooperative, year: int) -> tuple[dict[int, int], dict[int, int]]:
    """Each member's paid-up shares at the year's end and business with the cooperative
    during the year (the bases of share interest and patronage refunds)."""
    end = datetime.date(year, 12, 31)
    paid_up = {
        person: -b
        for (code, person), b in balances_at(
            cooperative, end, by_person=True, account_codes=[chart.CAPITAL_PAID]
        ).items()
        if person and b < 0
    }
    volumes = dict(
        MemberTransaction.objects.filter(cooperative=cooperative, on__year=year)
        .values_list("person_id")
        .annotate(v=Sum("amount"))
        .order_by()
    )
    return paid_up, volumes


def _allocation_lines(result: int, plan: AllocationPlan) -> list[tuple]:
    """The OD entry of a surplus: the result debited, reserves, members' interest and
    refunds (payable), and what is carried forward, credited."""
    lines = [(chart.PROFIT, result, 0)]
    for code, amount in [
        (chart.GENERAL_RESERVE, plan.general_reserve),
        (chart.TRAINING_RESERVE, plan.training_reserve),
        (chart.OPTIONAL_RESERVE, plan.optional_reserve),
    ]:
        if amount:
            lines.append((code, 0, amount))
    for person, amount in sorted(plan.interest.items()):
        lines.append((chart.MEMBERS_PAYABLE, 0, amount, person))
    for person, amount in sorted(plan.refunds.items()):
        lines.append((chart.MEMBERS_PAYABLE, 0, amount, person))
    if plan.retained:
        lines.append((chart.RETAINED_EARNINGS, 0, plan.retained))
    return lines


def _member_allocations_record(allocation, plan: AllocationPlan, paid_up, volumes) -> None:
    """One line per member with shares or business: what the allocation gave them."""
    people = sorted(set(paid_up) | set(volumes))
    MemberAllocation.objects.bulk_create(
        [
            MemberAllocation(
                allocation=allocation,
                cooperative=allocation.cooperative,
                person_id=pid,
                paid_up_shares=paid_up.get(pid, 0),
                share_interest=plan.interest.get(pid, 0),
                volume=volumes.get(pid, 0),
                refund=plan.refunds.get(pid, 0),
            )
            for pid in people
        ]
    )


__all__ = [
    "entry_post",
    "entry_reverse",
    "source_entry_reverse",
    "receipt_record",
    "payment_record",
    "transfer_record",
    "period_lock",
    "period_unlock",
    "year_close",
    "member_transaction_record",
    "surplus_allocate",
]


# --- person merge (registry.merge_hooks) -------------------------------------------------


@service
def books_merge_person(*, keep, duplicate, actor, reason: str) -> None:
    """The duplicate's lines in the books, business with the cooperative and shares of
    surplus allocations become ``keep``'s (hook of :func:`registry.services.person_merge`):
    only whose they are changes, never an amount. Both with a share of one allocation: one
    line, the sum of both (interest, refund, shares, volume)."""
    JournalLine.objects.filter(person=duplicate).update(person=keep)
    for tx in MemberTransaction.objects.select_for_update().filter(person=duplicate):
        tx.person = keep
        tx._change_reason = reason
        tx.save(update_fields=["person"])
    kept = {
        a.allocation_id: a for a in MemberAllocation.objects.select_for_update().filter(person=keep)
    }
    for line in MemberAllocation.objects.select_for_update().filter(person=duplicate):
        other = kept.get(line.allocation_id)
        if other is None:
            line.person = keep
            line.save(update_fields=["person"])
            continue
        for f in ("paid_up_shares", "share_interest", "volume", "refund"):
            setattr(other, f, getattr(other, f) + getattr(line, f))
        other.save(update_fields=["paid_up_shares", "share_interest", "volume", "refund"])
        line.delete()


# --------------------------------------------------------------------------- holders' books
# Books of holders that are not cooperatives (a mutuelle de santé): the same chart, the same
# balance rule, append-only, each entry posted once per (source, source_ref). The app that
# owns the holder checks who may post before calling (docs/ledger.md, "Holders' books").


def holder_book_open(*, holder: str, holder_id: int, name: str) -> HolderBook:
    """The books of ``(holder, holder_id)``, opened on first use (its name kept fresh)."""
    book, _created = HolderBook.objects.get_or_create(
        holder=holder, holder_id=holder_id, defaults={"name": str(name)[:160]}
    )
    if book.name != str(name)[:160]:
        book.name = str(name)[:160]
        book.save(update_fields=["name"])
    return book


def _holder_lines(lines) -> list[tuple[Account, int, int]]:
    codes = {code for code, _d, _c in lines}
    accounts = {a.code: a for a in Account.objects.filter(code__in=codes, active=True)}
    parsed = []
    for code, debit, credit in lines:
        if code not in accounts:
            raise ValidationFailed(
                _("Compte inconnu : %(code)s.") % {"code": code}, code=Code.UNKNOWN_ACCOUNT
            )
        debit = check_amount(debit or 0, field="debit")
        credit = check_amount(credit or 0, field="credit")
        if debit and credit:
            raise ValidationFailed(
                _("Une ligne est au débit ou au crédit."), code=Code.INVALID_LINE
            )
        if debit or credit:
            parsed.append((accounts[code], debit, credit))
    if not parsed or sum(d for _a, d, _c in parsed) != sum(c for _a, _d, c in parsed):
        raise ValidationFailed(_("L'écriture n'est pas équilibrée."), code=Code.UNBALANCED)
    return parsed


def holder_period_is_locked(book: HolderBook, on: datetime.date) -> bool:
    return (
        HolderFiscalYear.objects.filter(book=book, year=on.year).exists()
        or HolderPeriodLock.objects.filter(book=book, year=on.year, month=on.month).exists()
    )


def _holder_check_open(book: HolderBook, on: datetime.date) -> None:
    if holder_period_is_locked(book, on):
        raise Conflict(
            _(
                "La période du %(month)02d/%(year)d est verrouillée : "
                "aucune écriture ne peut y être passée."
            )
            % {"month": on.month, "year": on.year},
            code=Code.PERIOD_LOCKED,
            field="date",
        )


def _holder_write(*, actor, book, on, label, source, source_ref, parsed) -> HolderEntry:
    entry = HolderEntry.objects.create(
        book=book,
        date=on,
        label=str(label)[:200],
        source=source,
        source_ref=source_ref,
        created_by=actor if getattr(actor, "pk", None) else None,
    )
    HolderLine.objects.bulk_create(
        HolderLine(entry=entry, book=book, account=a, date=on, debit=d, credit=c)
        for a, d, c in parsed
    )
    return entry


@service(texts=((HolderEntry, {"label": "label", "source": "source", "source_ref": "source_ref"}),))
def holder_entry_post(
    *, actor, book: HolderBook, on: datetime.date, label: str, source: str, source_ref: str, lines
) -> HolderEntry | None:
    """Post one balanced entry (``lines``: ``(account code, debit, credit)``) in ``book``,
    once: the same ``(source, source_ref)`` again posts nothing and returns None. Nothing
    is posted into a locked month or a closed year (409 ``period_locked``)."""
    parsed = _holder_lines(lines)
    if not source or not source_ref:
        raise ValidationFailed(_("Origine obligatoire."), code=Code.INVALID_LINE, field="source")
    book = HolderBook.objects.select_for_update().get(pk=book.pk)  # one poster at a time
    if HolderEntry.objects.filter(book=book, source=source, source_ref=source_ref).exists():
        return None
    _holder_check_open(book, on)
    return _holder_write(
        actor=actor,
        book=book,
        on=on,
        label=label,
        source=source,
        source_ref=source_ref,
        parsed=parsed,
    )


# --- holders' periods, year end and the result's allocation -----------------------------


@service
def holder_period_lock(*, actor, book: HolderBook, year: int, month: int) -> HolderPeriodLock:
    """Lock a month of a holder's books (the owning app has checked ``actor``)."""
    _validate_month(year, month)
    book = HolderBook.objects.select_for_update().get(pk=book.pk)
    lock, _created = HolderPeriodLock.objects.get_or_create(
        book=book, year=year, month=month, defaults={"locked_by": actor}
    )
    return lock


@service
def holder_period_unlock(*, actor, book: HolderBook, year: int, month: int) -> None:
    """Reopen a month; never one of a closed year (409 ``year_closed``)."""
    _validate_month(year, month)
    book = HolderBook.objects.select_for_update().get(pk=book.pk)
    if HolderFiscalYear.objects.filter(book=book, year=year).exists():
        raise Conflict(
            _("L'exercice %(year)d est clôturé : ses périodes restent verrouillées.")
            % {"year": year},
            code=Code.YEAR_CLOSED,
        )
    HolderPeriodLock.objects.filter(book=book, year=year, month=month).delete()


def _holder_year_checks(book: HolderBook, year: int) -> None:
    _validate_month(year, 12)
    if year >= dates.today().year:
        raise Conflict(_("Un exercice se clôture une fois terminé."), code=Code.YEAR_NOT_OVER)
    if HolderFiscalYear.objects.filter(book=book, year=year).exists():
        raise Conflict(
            _("L'exercice %(year)d est déjà clôturé.") % {"year": year}, code=Code.ALREADY_CLOSED
        )
    earlier = set(
        HolderLine.objects.filter(book=book, date__year__lt=year)
        .values_list("date__year", flat=True)
        .distinct()
    )
    closed = set(HolderFiscalYear.objects.filter(book=book).values_list("year", flat=True))
    if earlier - closed:
        raise Conflict(
            _("Clôturez d'abord les exercices précédents."), code=Code.PREVIOUS_YEAR_OPEN
        )


@service
def holder_year_close(*, actor, book: HolderBook, year: int) -> HolderFiscalYear:
    """Close ``year`` of a holder's books: every class 6-8 balance of the year cleared into
    the result (131 surplus / 139 deficit) by one entry on 31/12, the twelve months locked.
    Balance-sheet accounts need no carried-forward entry: a holder's balances are the sum
    of its lines since the book opened."""
    book = HolderBook.objects.select_for_update().get(pk=book.pk)
    _holder_year_checks(book, year)
    income = {
        code: b
        for code, b in HolderLine.objects.filter(
            book=book, date__year=year, account__account_class__in=[6, 7, 8]
        )
        .values_list("account__code")
        .annotate(b=Sum("debit") - Sum("credit"))
        if b
    }
    result = -sum(income.values())
    closing = None
    if income:
        lines = [(code, 0, b) if b > 0 else (code, -b, 0) for code, b in sorted(income.items())]
        lines.append((chart.PROFIT, 0, result) if result > 0 else (chart.LOSS, -result, 0))
        closing = _holder_write(
            actor=actor,
            book=book,
            on=datetime.date(year, 12, 31),
            label=_("Clôture de l'exercice %(year)s : détermination du résultat") % {"year": year},
            source="ledger.holder_close",
            source_ref=str(year),
            parsed=_holder_lines([line for line in lines if line[1] or line[2]]),
        )
    for month in range(1, 13):
        HolderPeriodLock.objects.get_or_create(
            book=book, year=year, month=month, defaults={"locked_by": actor}
        )
    return HolderFiscalYear.objects.create(
        book=book,
        year=year,
        result=result,
        closed_on=datetime.date(year, 12, 31),
        closed_by=actor if getattr(actor, "pk", None) else None,
        closing_entry=closing,
    )


def holder_reserves_balance(book: HolderBook, on: datetime.date) -> int:
    """The credit balance of the reserve (111) at the end of ``on``."""
    totals = HolderLine.objects.filter(
        book=book, account__code=chart.GENERAL_RESERVE, date__lte=on
    ).aggregate(d=Sum("debit"), c=Sum("credit"))
    return (totals["c"] or 0) - (totals["d"] or 0)


def holder_allocation_lines(result: int, reserve_rate: Decimal, reserves: int) -> list:
    """The allocation of a closed year's result (plain integers). A surplus: ``reserve_rate``
    of it (rounded up) to the reserve (111), the rest carried forward (121). A deficit: the
    reserve absorbs it up to its balance, the rest is carried forward as a loss (1291)."""
    if result > 0:
        num, den = reserve_rate.as_integer_ratio()
        to_reserve = min(result, -(-result * num // den))
        return [
            (chart.PROFIT, result, 0),
            (chart.GENERAL_RESERVE, 0, to_reserve),
            (chart.RETAINED_EARNINGS, 0, result - to_reserve),
        ]
    absorbed = min(-result, max(reserves, 0))
    return [
        (chart.GENERAL_RESERVE, absorbed, 0),
        (chart.RETAINED_LOSSES, -result - absorbed, 0),
        (chart.LOSS, 0, -result),
    ]


@service(event_dates=("on",))
def holder_result_allocate(
    *, actor, book: HolderBook, year: int, on: datetime.date, reserve_rate: Decimal = Decimal(1)
) -> HolderFiscalYear:
    """Post the decision on a closed year's result (:func:`holder_allocation_lines`), dated
    ``on`` (after the year's end, in an open month), once."""
    book = HolderBook.objects.select_for_update().get(pk=book.pk)
    fiscal = HolderFiscalYear.objects.select_for_update().filter(book=book, year=year).first()
    if fiscal is None:
        raise Conflict(
            _("Clôturez d'abord l'exercice %(year)d.") % {"year": year},
            code=Code.YEAR_NOT_CLOSED,
        )
    if fiscal.allocation_entry_id:
        raise Conflict(_("Ce résultat est déjà affecté."), code=Code.ALREADY_ALLOCATED)
    if on <= fiscal.closed_on:
        raise ValidationFailed(
            _("L'affectation est datée après la fin de l'exercice."),
            code=Code.ALLOCATION_BEFORE_YEAR_END,
            field="on",
        )
    rate = Decimal(str(reserve_rate))
    if not rate.is_finite() or not (0 <= rate <= 1):
        raise ValidationFailed(
            _("Le taux de mise en réserve est compris entre 0 et 100 %."),
            code=Code.INVALID_RATE,
            field="reserve_rate",
        )
    if not fiscal.result:
        raise Conflict(_("L'exercice n'a pas de résultat à affecter."), code=Code.NO_SURPLUS)
    _holder_check_open(book, on)
    lines = holder_allocation_lines(fiscal.result, rate, holder_reserves_balance(book, on))
    fiscal.allocation_entry = _holder_write(
        actor=actor,
        book=book,
        on=on,
        label=_("Affectation du résultat de l'exercice %(year)s") % {"year": year},
        source="ledger.holder_allocation",
        source_ref=str(year),
        parsed=_holder_lines(lines),
    )
    fiscal.reserves = sum(c - d for code, d, c in lines if code == chart.GENERAL_RESERVE)
    fiscal.carried_forward = sum(
        c - d for code, d, c in lines if code in (chart.RETAINED_EARNINGS, chart.RETAINED_LOSSES)
    )
    fiscal.allocated_on = on
    fiscal.save()
    return fiscal
