"""``manage.py tenancy``: every table and how it reaches its cooperative (ops/tenancy.py)."""

from django.core.management.base import BaseCommand

from ops.tenancy import tables


class Command(BaseCommand):
    help = "Liste les tables et leur clé de distribution par coopérative (docs/scale-out.md)."

    def handle(self, *args, **options):
        rows = tables()
        self.stdout.write("| Table | Modèle | Clé |")
        self.stdout.write("| --- | --- | --- |")
        for t in rows:
            self.stdout.write(f"| `{t.db_table}` | {t.app}.{t.model} | {t.key} |")
        counts: dict[str, int] = {}
        for t in rows:
            kind = t.key.split(" ")[0]
            counts[kind] = counts.get(kind, 0) + 1
        summary = ", ".join(f"{k}: {v}" for k, v in sorted(counts.items()))
        self.stdout.write(f"\n{len(rows)} tables ({summary})")
