"""The rollups per commune, lender and bucket of the days already stored, summed from the
rows per product and sector: their stamps say they are fresh, so without this the reads
without a product or sector filter would find no coarse rows until the nightly job."""

from django.db import migrations
from django.db.models import Max, Sum

SUMS = ("count", "outstanding", "arrears", "par1", "par30", "par90", "due", "collected")


def fill(apps, schema_editor):
    Detailed = apps.get_model("credit", "PortfolioRollup")
    Coarse = apps.get_model("credit", "PortfolioRollupLender")
    groups = (
        Detailed.objects.values("as_of", "area_id", "lender_id", "bucket")
        .annotate(**{f"sum_{f}": Sum(f) for f in SUMS}, at=Max("computed_at"))
        .order_by("as_of", "area_id", "lender_id", "bucket")
    )
    Coarse.objects.bulk_create(
        [
            Coarse(
                as_of=g["as_of"],
                area_id=g["area_id"],
                lender_id=g["lender_id"],
                bucket=g["bucket"],
                computed_at=g["at"],
                **{f: g[f"sum_{f}"] for f in SUMS},
            )
            for g in groups.iterator()
        ],
        batch_size=1000,
    )


def empty(apps, schema_editor):
    apps.get_model("credit", "PortfolioRollupLender").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("credit", "0010_portfolio_rollup_by_lender")]
    operations = [migrations.RunPython(fill, empty)]
