"""The match counters of 0006 filled from the committed matches (each fund's total and one
tally per fund and campaign of the fund). Reversible: the counters are derived data, so
going back forgets them (0006's reversal drops them)."""

from django.db import migrations
from django.db.models import Sum


def fill(apps, schema_editor):
    MatchFund = apps.get_model("network", "MatchFund")
    MatchTally = apps.get_model("network", "MatchTally")
    Match = apps.get_model("network", "Match")
    for fund in MatchFund.objects.all():
        sums = dict(
            Match.objects.filter(fund=fund, status="committed")
            .values_list("campaign")
            .annotate(total=Sum("amount"))
            .values_list("campaign", "total")
        )
        campaigns = set(fund.campaigns.values_list("pk", flat=True)) | set(sums)
        for campaign_id in campaigns:
            MatchTally.objects.update_or_create(
                fund=fund, campaign_id=campaign_id,
                defaults={"committed": sums.get(campaign_id, 0)},
            )  # fmt: skip
        MatchFund.objects.filter(pk=fund.pk).update(committed=sum(sums.values()))


class Migration(migrations.Migration):
    dependencies = [("network", "0006_match_counters")]
    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]
