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
from dataclasses import dataclass

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from core.bulk import chunks
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
    if timezone.is_naive(when):
        when = timezone.make_aware(when)
    return when


def statement_rows(source, *, filename: str | None = None) -> list[StatementRow]:
    """Every line of a statement file (CSV or XLSX, core.tabular's size and zip limits;
    at most settings.PAYMENTS_STATEMENT_MAX_ROWS lines). A bad cell refuses the file,
    saying which row and column."""
    table = read_table(source, columns=COLUMNS, filename=filename, allow_unknown=True)
    most = int(getattr(settings, "PAYMENTS_STATEMENT_MAX_ROWS", 200_000))
    rows, pos = [], table.positions
    for number, raw in table.raw_rows:
        if number - table.header_row > most:
            raise too_many_rows(most)
        cells = {name: cell_text(raw[i]) if i < len(raw) else "" for name, i in pos.items()}
        if not any(cells.values()):
            continue
        rows.append(_row(number, cells))
    if not rows:
        raise file_error(_("Le relevé ne contient aucune ligne."), row=table.header_row)
    return rows


def _row(number: int, cells: dict) -> StatementRow:
    when = _when(cells["date"])
    amount = _signed_francs(cells["montant"])
    fee = _signed_francs(cells.get("frais") or "0")
    tx = cells["transaction_id"]
    for ok, column, message in (
        (when is not None, "date", _("date illisible")),
        (amount not in (None, 0), "montant", _("montant en francs entiers attendu")),
        (fee is not None, "frais", _("frais en francs entiers attendus")),
        (0 < len(tx) <= 80 and "\x00" not in tx, "transaction_id", _("identifiant manquant")),
    ):
        if not ok:
            raise file_error(message, row=number, column=column)
    return StatementRow(
        transaction_id=tx,
        when=when,
        amount=amount,
        fee=abs(fee),
        reference=cells.get("reference", "")[:40].replace("\x00", ""),
        phone=cells.get("telephone", "")[:16].replace("\x00", ""),
    )


@dataclass
class Match:
    row: StatementRow
    rule: str = ""
    intent_id: int | None = None
    payout_id: int | None = None


def match_rows(provider: str, rows: list[StatementRow], taken: set[int]) -> list[Match]:
    """Each row's match (rule, intent or payout); ``taken``: intents already matched."""
    matches = [Match(row) for row in rows]
    refs = sorted({r.reference for r in rows if r.reference})
    txs = sorted({r.transaction_id for r in rows})
    by_ref, by_tx, payouts = {}, {}, {}
    fields = ("pk", "reference", "provider_transaction_id", "amount", "refund_status")
    intents = PaymentIntent.objects.filter(provider=provider).exclude(
        status__in=[IntentStatus.FAILED]
    )
    for chunk in chunks(refs):
        for i in intents.filter(reference__in=chunk).only(*fields):
            by_ref[i.reference] = i
        for p in Payout.objects.filter(provider=provider, reference__in=chunk).only(
            "pk", "reference", "amount"
        ):
            payouts[p.reference] = p
    for chunk in chunks(txs):
        for i in intents.filter(provider_transaction_id__in=chunk).only(*fields):
            by_tx[i.provider_transaction_id] = i
    for m in matches:
        _match_one(m, by_ref.get(m.row.reference), by_tx, payouts, taken)
        if m.intent_id:
            taken.add(m.intent_id)
    _match_by_amount_day_phone(provider, [m for m in matches if not m.rule], taken)
    return matches


def _match_one(m: Match, by_ref, by_tx: dict, payouts: dict, taken: set[int]) -> None:
    """Rules 1 and 2 for one line. A money-out line naming a payment we refunded through
    the provider's refund API (Wave) is that refund (rule ``refund``, no link: the payment
    keeps its money-in line)."""
    if by_ref is not None and m.row.amount == by_ref.amount and by_ref.pk not in taken:
        m.rule, m.intent_id = "reference", by_ref.pk
        return
    if by_ref is not None and m.row.amount == -by_ref.amount and by_ref.refund_status:
        m.rule = "refund"
        return
    intent = by_tx.get(m.row.transaction_id)
    if intent is not None and intent.pk not in taken:
        if m.row.amount == intent.amount:
            m.rule, m.intent_id = "transaction_id", intent.pk
        return
    p = payouts.get(m.row.reference)
    if p is not None and m.row.amount == -p.amount:
        m.rule, m.payout_id = "reference", p.pk


def _match_by_amount_day_phone(provider: str, pending: list[Match], taken: set[int]) -> None:
    money_in = [m for m in pending if m.row.amount > 0 and m.row.phone]
    if not money_in:
        return
    days = sorted({timezone.localdate(m.row.when) for m in money_in})
    start = timezone.make_aware(dt.datetime.combine(days[0], dt.time.min))
    end = timezone.make_aware(dt.datetime.combine(days[-1] + dt.timedelta(days=1), dt.time.min))
    candidates = defaultdict(list)
    rows = (
        PaymentIntent.objects.filter(provider=provider, statement_line__isnull=True)
        .filter(created_at__gte=start - dt.timedelta(days=1), created_at__lt=end)
        .exclude(status=IntentStatus.FAILED)
        .values_list("pk", "amount", "phone", "created_at")
    )
    for pk, amount, phone, created in rows:
        candidates[(amount, phone, timezone.localdate(created))].append(pk)
    for m in money_in:
        key = (m.row.amount, m.row.phone, timezone.localdate(m.row.when))
        free = [pk for pk in candidates.get(key, []) if pk not in taken]
        if len(free) == 1:
            m.rule, m.intent_id = "amount_day_phone", free[0]
            taken.add(free[0])
