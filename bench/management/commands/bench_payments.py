"""``manage.py bench_payments setup --intents N | check | reconcile --lines N``: the
database side of the payments bench (bench/payments.py). Prints one JSON line last."""

from __future__ import annotations

import datetime as dt
import io
import json
import time

from django.core.management.base import BaseCommand
from django.db import connection
from django.db.models import Count, Q
from django.utils import timezone

from core import bulk, dates
from payments.models import PaymentIntent, WebhookEvent

PURPOSE = "bench_payment"


def _intents(start: int, count: int, *, status: str, refs, **fields) -> None:
    """``count`` payments as tuples (core.bulk.insert_rows: COPY on PostgreSQL)."""
    names = ["purpose", "target_id", "target_label", "amount", "phone", "provider", "status"]
    extra = list(fields)
    ref_names = list(refs(start))

    def rows():
        for n in range(start, start + count):
            amount = 1000 + n % 997 if status == "succeeded" else 1000
            yield (
                PURPOSE,
                n + 1,
                f"Banc {n}",
                amount,
                f"+22177{n % 10_000_000:07d}",
                "wave",
                status,
                *refs(n).values(),
                *fields.values(),
            )

    bulk.insert_rows(PaymentIntent, names + ref_names + extra, rows())
    if connection.vendor == "postgresql":  # the planner's statistics, as autovacuum keeps them
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE payments_paymentintent")


def _raw_delete(qs) -> None:
    sql, params = qs.values("pk").query.sql_with_params()
    table = connection.ops.quote_name(qs.model._meta.db_table)
    pk = connection.ops.quote_name(qs.model._meta.pk.column)
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {table} WHERE {pk} IN ({sql})", params)  # noqa: S608


class Command(BaseCommand):
    help = "Banc de mesure des paiements (bench/payments.py)."

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["setup", "check", "reconcile"])
        parser.add_argument("--intents", type=int, default=12_000)
        parser.add_argument("--lines", type=int, default=100_000)

    def handle(self, *args, action, intents, lines, **options):
        result = getattr(self, f"do_{action}")(intents=intents, lines=lines)
        self.stdout.write(json.dumps(result))

    def do_setup(self, *, intents, lines):
        """N pending payments, references BN00000000…, sessions cos-bench-N (a previous
        run's rows removed first)."""
        from payments.models import StatementImport, StatementLine

        # The bench's own rows, deleted by the database (a model delete would write a
        # history row per payment: minutes for 100,000).
        lines = StatementLine.objects.filter(
            Q(intent__purpose=PURPOSE) | Q(statement__source="bench.csv")
        )
        for qs in (
            StatementLine.history.model.objects.filter(id__in=lines.values("id")),
            lines,
            StatementImport.objects.filter(source="bench.csv"),
            WebhookEvent.objects.filter(event_id__startswith="AE_BENCH_"),
            PaymentIntent.objects.filter(purpose=PURPOSE),
            PaymentIntent.history.model.objects.filter(purpose=PURPOSE),
        ):
            _raw_delete(qs)
        _intents(
            0,
            intents,
            status="pending",
            refs=lambda n: {"reference": f"BN{n:08d}", "provider_session_id": f"cos-bench-{n}"},
        )
        return {"intents": intents}

    def do_check(self, *, intents, lines):
        """Lost and doubly applied, read from the database."""
        history = PaymentIntent.history.model.objects.filter(
            purpose=PURPOSE, history_change_reason__endswith=": applied"
        )
        per_intent = history.values("id").annotate(n=Count("history_id"))
        mine = PaymentIntent.objects.filter(purpose=PURPOSE, reference__startswith="BN")
        applied = mine.filter(applied_at__isnull=False).count()
        events = WebhookEvent.objects.filter(event_id__startswith="AE_BENCH_")
        answered = events.exclude(applied_at__isnull=True).count()
        return {
            "events_stored": events.count(),
            "events_answered": answered,
            "applied": applied,
            "lost": intents - applied,  # every payment's event was sent (some twice)
            "doubly_applied": per_intent.filter(n__gt=1).count(),
            "events_outcomes": dict(
                events.values_list("outcome").annotate(n=Count("id")).order_by()
            ),
        }

    def do_reconcile(self, *, intents, lines):
        """A statement of N lines (60 % by reference, 20 % by transaction id, 10 % by
        amount + day + phone, 10 % unknown) against N payments received; read and
        imported, timed."""
        from accounts.models import User
        from accounts.services import role_assign
        from payments.reconciliation import statement_rows
        from payments.services import statement_import

        actor, _ = User.objects.get_or_create(username="bench-national")
        role_assign(user=actor, role="national", actor=actor)
        day = dates.today() - dt.timedelta(days=1)
        at = timezone.make_aware(dt.datetime.combine(day, dt.time(10, 0)))
        base = 10_000_000
        _intents(
            base,
            lines,
            status="succeeded",
            applied_at=at,
            paid_at=at,
            created_at=at,
            refs=lambda n: {"reference": f"RC{n:08d}", "provider_transaction_id": f"TR{n:08d}"},
        )
        text = io.StringIO()
        text.write("date;transaction_id;montant;frais;reference;telephone\n")
        stamp = at.strftime("%Y-%m-%dT%H:%M:%SZ")
        for i in range(lines):
            n = base + i
            amount, phone = 1000 + n % 997, f"+22177{n % 10_000_000:07d}"
            kind = i % 10
            ref = f"RC{n:08d}" if kind < 6 else ""
            tx = f"TR{n:08d}" if kind in (6, 7) else f"TX{n:08d}"
            if kind == 9:
                phone = "+221700000000"
            text.write(f"{stamp};{tx};{amount};{amount // 100};{ref};{phone}\n")
        data = text.getvalue().encode()
        started = time.perf_counter()
        rows = statement_rows(io.BytesIO(data), filename="bench.csv")
        read = time.perf_counter() - started
        stmt = statement_import(provider="wave", rows=rows, source="bench.csv", actor=actor)
        total = time.perf_counter() - started
        counts = dict(stmt.lines.values_list("rule").annotate(n=Count("id")).order_by())
        return {
            "lines": lines,
            "bytes": len(data),
            "read_seconds": round(read, 2),
            "import_seconds": round(total - read, 2),
            "total_seconds": round(total, 2),
            "by_rule": {k or "unmatched": v for k, v in counts.items()},
        }
