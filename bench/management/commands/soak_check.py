"""After ``make soak``: check, from the database, that nothing was lost, doubled or left
half-written (bench/soak.py). Reads the client's record of what it was answered (a JSON
file) and prints the checks as JSON; each has ``ok``.

- **books**: every journal entry of every book (cooperatives' and holders') balances, and
  the totals of debits and credits are equal;
- **repayments**: each Idempotency-Key answered 201 holds exactly one repayment, and the
  repayments whose reference the soak made are exactly those keys (a retried key is one);
- **sales**: one sale per client UUID answered 200 or 201, none for a UUID never answered;
- **payments**: each payment the sandbox approved succeeded and posted one repayment;
- **sync**: each record answered ``applied`` exists once;
- **rollups**: the dashboard's stored figures equal a recomputation from scratch, nationally
  and for every region.
"""

import json

from django.core.management.base import BaseCommand
from django.db.models import Count, F, Q, Sum

from core import dates


def books() -> dict:
    from ledger.models import HolderLine, JournalLine

    unbalanced = 0
    totals = {}
    for name, lines, key in (
        ("cooperatives", JournalLine, "entry"),
        ("holders", HolderLine, "entry"),
    ):
        per_entry = lines.objects.values(key).annotate(d=Sum("debit"), c=Sum("credit"))
        unbalanced += per_entry.exclude(d=F("c")).count()
        total = lines.objects.aggregate(d=Sum("debit"), c=Sum("credit"))
        totals[name] = {"debit": total["d"] or 0, "credit": total["c"] or 0}
    even = all(t["debit"] == t["credit"] for t in totals.values())
    return {"ok": unbalanced == 0 and even, "unbalanced_entries": unbalanced, "totals": totals}


def repayments(sent: list[dict]) -> dict:
    from credit.models import IdempotencyRecord, Repayment

    answered = {(r["user"], r["key"]) for r in sent if r["status"] == 201}
    records = IdempotencyRecord.objects.filter(key__startswith="soak-")
    by_key = records.values("user__username", "key").annotate(n=Count("id"))
    held = {(r["user__username"], r["key"]): r["n"] for r in by_key}
    made = Repayment.objects.filter(reference__startswith="SOAK-").count()
    missing = [k for k in answered if held.get(k) != 1]
    extra = [k for k in held if k not in answered and held[k]]
    return {
        "ok": not missing and made == len(held),
        "answered_201": len(answered),
        "keys_held": len(held),
        "repayments_made": made,
        "missing": len(missing),
        "held_without_a_201": len(extra),  # answered by a retry after a lost reply: fine
    }


def sales(uuids: list[str]) -> dict:
    from valuechain.models import Sale

    wanted = set(uuids)
    rows = Sale.objects.filter(client_uuid__in=wanted)
    per_uuid = rows.values("client_uuid").annotate(n=Count("id")).filter(n__gt=1).count()
    found = rows.count()
    return {"ok": per_uuid == 0 and found == len(wanted), "answered": len(wanted), "rows": found}


def payments(approved: list[int]) -> dict:
    from credit.models import Repayment
    from payments.models import PaymentIntent

    intents = PaymentIntent.objects.filter(pk__in=approved)
    succeeded = intents.filter(status="succeeded").count()
    references = list(intents.values_list("reference", flat=True))
    posted = (
        Repayment.objects.filter(reference__in=references)
        .values("reference")
        .annotate(n=Count("id"))
    )
    doubled = sum(1 for r in posted if r["n"] > 1)
    return {
        "ok": succeeded == len(approved) and len(posted) == len(approved) and not doubled,
        "approved": len(approved),
        "succeeded": succeeded,
        "posted": len(posted),
        "doubled": doubled,
    }


def synced(applied: list[str]) -> dict:
    from sync.models import PushedRecord

    rows = PushedRecord.objects.filter(uuid__in=applied, status="applied")
    doubled = rows.values("uuid").annotate(n=Count("id")).filter(n__gt=1).count()
    found = rows.values("uuid").distinct().count()
    return {"ok": found == len(set(applied)) and not doubled, "applied": len(set(applied))}


def rollups() -> dict:
    from accounts.models import User
    from geo.models import Area
    from monitoring import rollups
    from monitoring.selectors import indicator_values, indicator_values_from_scratch

    actor = User.objects.get(username="national")
    today = dates.today()
    areas = Area.objects.filter(Q(code="SN") | Q(level="region", parent__code="SN"))
    areas = areas.order_by("code")
    # Served figures may lag by a minute (MONITORING_FIGURES_LAG): what is checked is that
    # the stored rows, once refreshed, equal a recomputation.
    rollups.figures([(area, today.year, today) for area in areas], lag=0)
    differ = []
    for area in areas:
        args = {"actor": actor, "area": area, "year": today.year, "as_of": today}
        stored = {r["code"]: r["value"] for r in indicator_values(**args)}
        scratch = {r["code"]: r["value"] for r in indicator_values_from_scratch(**args)}
        differ += [f"{area.code}:{code}" for code in scratch if stored.get(code) != scratch[code]]
    return {"ok": not differ, "areas": areas.count(), "differ": differ[:20]}


class Command(BaseCommand):
    help = "Vérifie après `make soak` : livres équilibrés, rien de perdu ni de doublé."

    def add_arguments(self, parser):
        parser.add_argument("record", help="le fichier JSON de ce que le client a reçu")

    def handle(self, *args, **options):
        with open(options["record"], encoding="utf-8") as f:
            record = json.load(f)
        checks = {
            "books": books(),
            "repayments": repayments(record.get("repayments", [])),
            "sales": sales(record.get("sales", [])),
            "payments": payments(record.get("payments", [])),
            "sync": synced(record.get("synced", [])),
            "rollups": rollups(),
        }
        checks["ok"] = all(c["ok"] for c in checks.values())
        self.stdout.write(json.dumps(checks))
