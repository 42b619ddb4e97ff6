"""``manage.py bench_payments setup --intents N | check | reconcile --lines N``: the
database side of the payments bench (bench/payments.py). Prints one JSON line last."""

from __future__ import annotations

import datetime as dt
import io
import json
import time

from django.core.management.base import BaseCommand
from django.db.models import Count
from django.utils import timezone

from core import dates
from payments.models import PaymentIntent, WebhookEvent

PURPOSE = "bench_payment"


def _intents(start: int, count: int, **fields) -> None:
    batch = []
    for n in range(start, start + count):
        batch.append(
            PaymentIntent(
                purpose=PURPOSE,
                target_id=n + 1,
                target_label=f"Banc {n}",
                amount=1000 + n % 997 if fields.get("status") == "succeeded" else 1000,
                phone=f"+22177{n % 10_000_000:07d}",
                provider="wave",
                **fields.get("refs", lambda n: {})(n),
                **{k: v for k, v in fields.items() if k != "refs"},
            )
        )
        if len(batch) == 5000:
            PaymentIntent.objects.bulk_create(batch)
            batch = []
    PaymentIntent.objects.bulk_create(batch)


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

        StatementLine.objects.filter(intent__purpose=PURPOSE).delete()
        StatementLine.objects.filter(statement__source="bench.csv").delete()
        StatementImport.objects.filter(source="bench.csv").delete()
        WebhookEvent.objects.filter(event_id__startswith="AE_BENCH_").delete()
        PaymentIntent.objects.filter(purpose=PURPOSE).delete()
        PaymentIntent.history.model.objects.filter(purpose=PURPOSE).delete()
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
            refs=lambda n: {"reference": f"RC{n:08d}", "provider_transaction_id": f"TR{n:08d}"},
        )
        PaymentIntent.objects.filter(reference__startswith="RC").update(created_at=at)
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
