"""Reading a provider's statement and matching its lines (docs/payments.md,
"Reconciliation"). Pure reads and plain values; the writes are in payments.services.

Matching, in this order, each payment or payout matched at most once:
1. by our reference (Wave's ``client_reference``), the amount equal;
2. by the provider's transaction id;
3. money in only: by amount + day + payer phone, when exactly one payment fits.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from typing import NamedTuple

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from core.bulk import by_values
from core.tabular import Column, cell_text, file_error, read_table, too_many_rows
from payments.models import IntentStatus, PaymentIntent, Payout
from payments.providers.base import StatementRow
from payments.providers.wave import parse_time, whole_francs

COLUMNS = [
    Column("date", aliases=("timestamp", "horodatage", "date et heure")),
    Column("transaction_id", aliases=("transaction", "id transaction", "identifiant")),
    Column("montant", aliases=("amount",)),
    Column("frais", required=False, aliases=("fee", "fees")),
    Column("reference", required=False, aliases=("client_reference", "référence")),
    Column("telephone", required=False, aliases=("mobile", "counterparty_mobile", "téléphone")),
]


def _signed_francs(text: str) -> int | None:
    if text.isdigit() and text.isascii() and len(text) <= 12:  # the common case, first
        return int(text)
    text = text.replace(" ", "").replace("\u202f", "").replace("\xa0", "")
    negative = text.startswith("-")
    value = whole_francs(text.lstrip("-+"))
    if value is None or value > 10**12:
        return None
    return -value if negative else value


def _when(text: str) -> dt.datetime | None:
    when = parse_time(text)
    if when is None:
        try:
            when = dt.datetime.strptime(text, "%d/%m/%Y %H:%M")
        except ValueError:
            return None
    if when.tzinfo is None:
        when = timezone.make_aware(when)
    return when


def statement_rows(source, *, filename: str | None = None) -> list[StatementRow]:
    """Every line of a statement file (CSV or XLSX, core.tabular's size and zip limits;
    at most settings.PAYMENTS_STATEMENT_MAX_ROWS lines). A bad cell refuses the file,
    saying which row and column. Plain Python per line (no query, no translation unless a
    cell is bad): 100 000 lines are read in about a second."""
    table = read_table(source, columns=COLUMNS, filename=filename, allow_unknown=True)
    most = int(getattr(settings, "PAYMENTS_STATEMENT_MAX_ROWS", 200_000))
    last = table.header_row + most
    names = [name for name in ORDER if name in table.positions]
    where = [table.positions[name] for name in names]
    absent = dict.fromkeys(name for name in ORDER if name not in table.positions)
    rows = []
    for number, raw in table.raw_rows:
        if number > last:
            raise too_many_rows(most)
        width = len(raw)
        texts = [_text(raw[i]) if i < width else "" for i in where]
        if not any(texts):
            continue
        cells = dict(zip(names, texts, strict=True))
        if absent:
            cells.update((name, "") for name in absent)
        rows.append(_row(number, cells))
    if not rows:
        raise file_error(_("Le relevé ne contient aucune ligne."), row=table.header_row)
    return rows


ORDER = ("date", "transaction_id", "montant", "frais", "reference", "telephone")


def _text(value) -> str:
    """core.tabular.cell_text, its common case (a plain CSV cell) first."""
    if type(value) is str and "\n" not in value:
        text = value.strip()
        if text[:1] != "'":
            return text
    return cell_text(value)


def _row(number: int, cells: dict) -> StatementRow:
    when = _when(cells["date"])
    if when is None:
        raise file_error(_("date illisible"), row=number, column="date")
    amount = _signed_francs(cells["montant"])
    if amount in (None, 0):
        raise file_error(_("montant en francs entiers attendu"), row=number, column="montant")
    fee = _signed_francs(cells["frais"] or "0")
    if fee is None:
        raise file_error(_("frais en francs entiers attendus"), row=number, column="frais")
    tx = cells["transaction_id"]
    if not 0 < len(tx) <= 80 or "\x00" in tx:
        raise file_error(_("identifiant manquant"), row=number, column="transaction_id")
    reference, phone = cells["reference"], cells["telephone"]
    return StatementRow(
        transaction_id=tx,
        when=when,
        amount=amount,
        fee=abs(fee),
        reference=reference[:40].replace("\x00", "") if reference else "",
        phone=phone[:16].replace("\x00", "") if phone else "",
    )


class Known(NamedTuple):
    """A payment as the matching needs it (one tuple, no model instance)."""

    pk: int
    reference: str
    transaction_id: str
    amount: int
    refund_status: str
    status: str
    currency: str
    line_id: int | None  # its statement line, if an earlier statement matched it


KNOWN_FIELDS = (
    "pk",
    "reference",
    "provider_transaction_id",
    "amount",
    "refund_status",
    "status",
    "currency",
    "statement_line",
)


@dataclass(slots=True)
class Match:
    row: StatementRow
    rule: str = ""
    intent_id: int | None = None
    payout_id: int | None = None
    intent: Known | None = None  # the matched payment (its status: applied late if pending)


def _known(provider: str, field: str, values: list) -> Iterator[Known]:
    """Our payments of ``provider`` (failed ones excepted) whose ``field`` is one of
    ``values``, as tuples (one query on PostgreSQL, core.bulk.by_values)."""
    intents = (
        PaymentIntent.objects.filter(provider=provider)
        .exclude(status=IntentStatus.FAILED)
        .values_list(*KNOWN_FIELDS)
        .order_by()
    )
    for qs in by_values(intents, field, values):
        for row in qs:
            yield Known(*row)


def match_rows(provider: str, rows: list[StatementRow]) -> list[Match]:
    """Each row's match (rule, intent or payout), in set-based queries: the references,
    the transaction ids and the day's candidates by amount + phone are each looked up in
    one query on PostgreSQL (by chunks elsewhere), never one per line; the rules run on
    the answers in memory, in the lines' order, each payment or payout taken once (by
    this statement or an earlier one). Transaction ids are looked up only for the lines
    their reference does not settle; should a payment taken earlier in the file send
    another line to rule 2, its transaction id is looked up and the lines matched again."""
    refs = sorted({r.reference for r in rows if r.reference})
    by_ref = {k.reference: k for k in _known(provider, "reference", refs)}
    payouts: dict[str, tuple[int, int, bool]] = {}
    found = Payout.objects.filter(provider=provider).order_by()
    found = found.values_list("pk", "reference", "amount", "statement_line")
    for qs in by_values(found, "reference", refs):
        for pk, reference, amount, line in qs:
            payouts[reference] = (pk, amount, line is not None)
    by_tx: dict[str, Known] = {}
    asked: set[str] = set()
    wanted = {r.transaction_id for r in rows if not _settled(r, by_ref.get(r.reference))}
    while True:
        new = sorted(wanted - asked)
        for k in _known(provider, "provider_transaction_id", new):
            by_tx[k.transaction_id] = k
        asked.update(new)
        matches, wanted = [Match(row) for row in rows], set()
        sets = (set(), set(), asked, wanted)
        for m in matches:
            _match_one(m, by_ref.get(m.row.reference), by_tx, payouts, sets)
        if not wanted:
            break
    _match_by_amount_day_phone(provider, [m for m in matches if not m.rule], sets[0])
    return matches


def _settled(row: StatementRow, by_ref: Known | None) -> bool:
    """Whether rule 1 (or a refund) settles the line by itself, the file aside."""
    if by_ref is None:
        return False
    if row.amount == by_ref.amount and by_ref.line_id is None:
        return True
    return row.amount == -by_ref.amount and bool(by_ref.refund_status)


def _free(intent: Known | None, taken: set[int]) -> bool:
    return intent is not None and intent.line_id is None and intent.pk not in taken


def _take(m: Match, rule: str, intent: Known, taken: set[int]) -> None:
    m.rule, m.intent_id, m.intent = rule, intent.pk, intent
    taken.add(intent.pk)


def _match_one(m: Match, by_ref, by_tx: dict, payouts: dict, sets: tuple) -> None:
    """Rules 1 and 2 for one line. A money-out line naming a payment we refunded through
    the provider's refund API (Wave) is that refund (rule ``refund``, no link: the payment
    keeps its money-in line). A line reaching rule 2 whose transaction id was not looked
    up yet is put in ``wanted`` (the lines are then matched again)."""
    taken, paid_out, asked, wanted = sets
    if _free(by_ref, taken) and m.row.amount == by_ref.amount:
        _take(m, "reference", by_ref, taken)
        return
    if by_ref is not None and m.row.amount == -by_ref.amount and by_ref.refund_status:
        m.rule = "refund"
        return
    if m.row.transaction_id not in asked:
        wanted.add(m.row.transaction_id)
        return
    intent = by_tx.get(m.row.transaction_id)
    if _free(intent, taken):
        if m.row.amount == intent.amount:
            _take(m, "transaction_id", intent, taken)
        return
    p = payouts.get(m.row.reference)
    if p is not None and m.row.amount == -p[1] and not p[2] and p[0] not in paid_out:
        m.rule, m.payout_id = "reference", p[0]
        paid_out.add(p[0])


def _match_by_amount_day_phone(provider: str, pending: list[Match], taken: set[int]) -> None:
    """Rule 3 (money in): the payments not matched yet of the same amount, payer phone and
    day, when exactly one fits. Candidates fetched by the lines' phones (core.bulk.by_values)."""
    money_in = [m for m in pending if m.row.amount > 0 and m.row.phone]
    if not money_in:
        return
    localdate = _localdate_function()
    days = sorted({localdate(m.row.when) for m in money_in})
    start = timezone.make_aware(dt.datetime.combine(days[0], dt.time.min))
    end = timezone.make_aware(dt.datetime.combine(days[-1] + dt.timedelta(days=1), dt.time.min))
    candidates: dict[tuple, list[Known]] = defaultdict(list)
    phones = sorted({m.row.phone for m in money_in})
    intents = (
        PaymentIntent.objects.filter(
            provider=provider,
            statement_line__isnull=True,
            created_at__gte=start - dt.timedelta(days=1),
            created_at__lt=end,
        )
        .exclude(status=IntentStatus.FAILED)
        .order_by()
        .values_list(*KNOWN_FIELDS, "phone", "created_at")
    )
    for qs in by_values(intents, "phone", phones):
        for *known, phone, created in qs:
            k = Known(*known)
            candidates[(k.amount, phone, localdate(created))].append(k)
    for m in money_in:
        key = (m.row.amount, m.row.phone, localdate(m.row.when))
        free = [k for k in candidates.get(key, ()) if k.pk not in taken]
        if len(free) == 1:
            _take(m, "amount_day_phone", free[0], taken)


def _localdate_function():
    """``timezone.localdate`` for many datetimes: the zone looked up once (the same day as
    ``timezone.localdate`` gives, tested)."""
    zone = timezone.get_current_timezone()
    return lambda when: when.astimezone(zone).date()
