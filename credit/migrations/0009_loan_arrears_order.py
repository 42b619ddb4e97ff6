# The arrears list's order over the late loans only (credit.selectors.arrears_list).

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("credit", "0008_portfolio_rollups"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="loan",
            index=models.Index(
                condition=models.Q(("days_past_due__gt", 0), ("status", "active")),
                fields=["-days_past_due", "-arrears_amount", "id", "area"],
                name="loan_arrears_order",
            ),
        ),
    ]
