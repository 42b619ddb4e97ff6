"""The value chain bench's data and checks (bench/valuechains.py), printed as JSON:

- ``setup``: every cooperative producing weekly for a year (once per size; reused);
- ``targets``: the shop, its tills and lot, the users, lots 6 steps deep;
- ``check``: sales doubled (by ``client_uuid``) and gaps in the tills' receipt numbers."""

import datetime
import json
import random

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.db.models import Count, Max
from django.utils import timezone

from bench.scales import SCALES
from bench.synthetic import copy_or_bulk, generate_communes, next_id, reset_sequences
from core.text import fold
from geo.models import Area
from purchasing.models import Product
from registry.models import Cooperative, Sector
from valuechain.models import (
    Lot,
    ProductionRun,
    RunInput,
    Sale,
    Site,
    StockLevel,
    StockMovement,
    Till,
    ValueChain,
)

PREFIX = "Banc filière"
PASSWORD = "bench-filiere-pass"  # noqa: S105 - the bench's throwaway users
CHUNK = 100  # cooperatives written at a time (a national year does not fit in memory)


class Command(BaseCommand):
    help = "Données, cibles et contrôles du banc de la chaîne de valeur (JSON)."

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["setup", "targets", "check"])
        parser.add_argument("--cooperatives", type=int, default=3000)
        parser.add_argument("--weeks", type=int, default=52)

    def handle(self, *args, action, cooperatives, weeks, **options):
        out = {"setup": setup, "targets": targets, "check": check}[action](cooperatives, weeks)
        self.stdout.write(json.dumps(out))


def _size(cooperatives: int, weeks: int) -> str:
    return f"{cooperatives} × {weeks}"


def setup(cooperatives: int, weeks: int) -> dict:
    made = ValueChain.objects.filter(name__startswith=PREFIX).first()
    if made is not None:
        if made.description != _size(cooperatives, weeks):
            raise CommandError(f"autre taille en base ({made.description}) : BENCH_VC_FRESH=1")
        return {"reused": True, "lots": Lot.objects.count(), "runs": ProductionRun.objects.count()}
    started = timezone.now()
    with transaction.atomic():
        shape = _shape(cooperatives, weeks)
    for first in range(0, cooperatives, CHUNK):
        with transaction.atomic():
            _year(shape, shape["coops"][first : first + CHUNK], weeks)
    reset_sequences([Lot, ProductionRun, RunInput, StockMovement, StockLevel])
    analyze([Lot, ProductionRun, RunInput, StockMovement, StockLevel])
    seconds = (timezone.now() - started).total_seconds()
    return {
        "reused": False,
        "lots": Lot.objects.count(),
        "runs": ProductionRun.objects.count(),
        "seconds": round(seconds, 1),
    }


def analyze(models) -> None:
    """Fresh planner statistics after the bulk load (PostgreSQL): without them the
    planner still believes the tables nearly empty and walks a 6-step trace by hash
    joins over every lot (5.5 s measured at national scale, 0.2 ms after ANALYZE)."""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        for model in models:
            cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")


def _shape(cooperatives: int, weeks: int) -> dict:
    """Communes, cooperatives with a production site each, a chain per region, the shop
    with 4 tills and a lot in stock, the users."""
    from accounts.models import User
    from accounts.services import role_assign

    rng = random.Random(17)
    communes = list(Area.objects.filter(level="commune").order_by("pk"))
    if not communes:
        communes = generate_communes(SCALES["small"], rng)
    now = timezone.now()
    sector = Sector.objects.order_by("pk").first()
    region_of = {c.pk: c.path.split("/")[1] for c in communes}
    chains = {}
    for region in Area.objects.filter(level="region").order_by("code"):
        chains[region.code] = ValueChain.objects.create(
            name=f"{PREFIX} {region.name}",
            sector=sector,
            area=region,
            description=_size(cooperatives, weeks),
            search_text=fold(PREFIX, region.name),
        )
    pk = next_id(Cooperative)
    coops = []
    for i in range(cooperatives + 1):  # the last one runs the shop
        commune = communes[i % len(communes)]
        name = f"Coopérative de production {i + 1} ({commune.name})"
        coops.append(
            Cooperative(
                pk=pk + i,
                name=name,
                legal_form="SCOOPS",
                commune=commune,
                sector=sector,
                value_chain_stage="production",
                stage="en_activite",
                founded_on=datetime.date(2020, 1, 1),
                stage_changed_on=datetime.date(2020, 1, 1),
                search_text=fold(name),
                created_at=now,
            )
        )
    copy_or_bulk(Cooperative, coops)
    reset_sequences([Cooperative])
    shop_coop = coops.pop()
    sites = Site.objects.bulk_create(
        [
            Site(
                name=f"Unité {c.pk}",
                kind="production",
                commune=c.commune,
                cooperative=c,
                value_chain=chains[region_of[c.commune_id]],
            )
            for c in coops
        ],
        batch_size=2000,
    )
    millet, _ = Product.objects.get_or_create(name="Mil (banc)", unit="kg")
    flour, _ = Product.objects.get_or_create(name="Farine de mil (banc)", unit="kg")
    shop = Site.objects.create(
        name="Boutique témoin (banc)",
        kind="temoin",
        commune=shop_coop.commune,
        cooperative=shop_coop,
        value_chain=chains[region_of[shop_coop.commune_id]],
        commission_pct=10,
    )
    Till.objects.bulk_create([Till(site=shop, name=f"Caisse {n}") for n in range(1, 5)])
    day = datetime.date(dates_year() - 1, 12, 31)
    lot = Lot.objects.create(
        product=flour, quantity=10**9, site=shop, cooperative=shop_coop, on=day, origin="other"
    )
    Lot.objects.filter(pk=lot.pk).update(code=f"LSHOP{lot.pk:07d}")
    StockMovement.objects.create(
        site=shop, lot=lot, cooperative=shop_coop, kind="entry", quantity=10**9, on=day
    )
    StockLevel.objects.create(site=shop, lot=lot, quantity=10**9)
    cashier = User.objects.create_user("bench-caissier", password=PASSWORD)
    role_assign(user=cashier, role="officer", cooperative=shop_coop)
    reader = User.objects.create_user("bench-filiere-national", password=PASSWORD)
    role_assign(user=reader, role="national")
    return {"coops": list(zip(coops, sites, strict=True)), "millet": millet, "flour": flour}


def dates_year() -> int:
    from core import dates

    return dates.today().year


def _year(shape: dict, chunk, weeks: int) -> None:
    """Each cooperative of ``chunk``, each week of last year: 100 kg of millet harvested,
    milled (with 10 kg of the week before's flour, but every 6th week) into 90 kg of
    flour: a production run, 2 lots, 4 or 5 movements."""
    now = timezone.now()
    year = dates_year() - 1
    start = datetime.date(year, 1, 1)
    ids = {m: next_id(m) for m in (Lot, ProductionRun, RunInput, StockMovement)}
    lots, runs, inputs, moves, levels = [], [], [], [], []

    def new(model) -> int:
        ids[model] += 1
        return ids[model] - 1

    def move(site, lot_id, coop, kind, q, on, run=None):
        moves.append(
            StockMovement(
                pk=new(StockMovement),
                site_id=site.pk,
                lot_id=lot_id,
                cooperative_id=coop.pk,
                kind=kind,
                quantity=q,
                on=on,
                run_id=run,
                note="",
                created_at=now,
            )
        )

    for coop, site in chunk:
        previous = None
        for w in range(weeks):
            on = start + datetime.timedelta(days=7 * w)
            harvest, flour, run = new(Lot), new(Lot), new(ProductionRun)
            for pk, product, q, origin, made_by in (
                (harvest, shape["millet"], 100, "harvest", None),
                (flour, shape["flour"], 90, "production", run),
            ):
                lots.append(
                    Lot(
                        pk=pk,
                        code=f"L{on:%y}{pk:07d}",
                        product_id=product.pk,
                        quantity=q,
                        site_id=site.pk,
                        cooperative_id=coop.pk,
                        on=on,
                        origin=origin,
                        origin_note="",
                        run_id=made_by,
                        created_at=now,
                    )
                )
            runs.append(
                ProductionRun(
                    pk=run,
                    site_id=site.pk,
                    cooperative_id=coop.pk,
                    on=on,
                    work_days=3,
                    quality_ok=True,
                    quality_note="",
                    gain_reason="",
                    created_at=now,
                )
            )
            move(site, harvest, coop, "entry", 100, on)
            inputs.append(RunInput(pk=new(RunInput), run_id=run, lot_id=harvest, quantity=100))
            move(site, harvest, coop, "consumed", -100, on, run)
            levels.append(StockLevel(site_id=site.pk, lot_id=harvest, quantity=0))
            if previous is not None and w % 6:
                inputs.append(RunInput(pk=new(RunInput), run_id=run, lot_id=previous, quantity=10))
                move(site, previous, coop, "consumed", -10, on, run)
                levels[-2].quantity = 80
            move(site, flour, coop, "produced", 90, on, run)
            levels.append(StockLevel(site_id=site.pk, lot_id=flour, quantity=90))
            previous = flour
    for model, rows in (
        (Lot, lots),
        (ProductionRun, runs),
        (RunInput, inputs),
        (StockMovement, moves),
    ):
        copy_or_bulk(model, rows)
    StockLevel.objects.bulk_create(levels, batch_size=5000)


def targets(cooperatives: int, weeks: int) -> dict:
    """The shop's till ids and lot, the users, and lots 6 steps deep: a week-5 flour lot
    (6 runs upstream) and a week-0 harvest (6 runs downstream) of cooperatives spread out."""
    shop = Site.objects.get(name="Boutique témoin (banc)")
    year = dates_year() - 1
    week = lambda n: datetime.date(year, 1, 1) + datetime.timedelta(days=7 * n)  # noqa: E731
    deep = []
    for on, origin in ((week(5), "production"), (week(0), "harvest")):
        ids = list(
            Lot.objects.filter(on=on, origin=origin, site__kind="production")
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        deep += ids[:: max(1, len(ids) // 100)][:100]
    return {
        "shop": shop.pk,
        "tills": list(shop.tills.order_by("pk").values_list("pk", flat=True)),
        "shop_lot": Lot.objects.get(site=shop, origin="other").pk,
        "cashier": "bench-caissier",
        "reader": "bench-filiere-national",
        "password": PASSWORD,
        "deep_lots": deep,
    }


def check(cooperatives: int, weeks: int) -> dict:
    shop = Site.objects.get(name="Boutique témoin (banc)")
    sales = Sale.objects.filter(site=shop)
    doubled = sales.values("client_uuid").annotate(n=Count("id")).filter(n__gt=1).count()
    gaps = 0
    for till in shop.tills.all():
        agg = Sale.objects.filter(till=till).aggregate(n=Count("id"), top=Max("receipt_number"))
        gaps += (agg["top"] or 0) - agg["n"]
    return {"sales": sales.count(), "doubled": doubled, "receipt_gaps": gaps}
