"""AreaChange gets the first business day a change counts on: one row per (area, day).

The marks are a technical journal: the table is recreated empty (after this migration,
``manage.py monitoring_refresh --rebuild`` recomputes every stored figure).
"""

import datetime

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("geo", "0003_area_change")]

    operations = [
        migrations.DeleteModel(name="AreaChange"),
        migrations.CreateModel(
            name="AreaChange",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("affects_from", models.DateField(default=datetime.date(1, 1, 1))),
                ("changed_at", models.DateTimeField(db_index=True)),
                (
                    "area",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE, related_name="+", to="geo.area"
                    ),
                ),
            ],
            options={
                "verbose_name": "changement de données d'une zone",
                "verbose_name_plural": "changements de données des zones",
                "constraints": [
                    models.UniqueConstraint(
                        fields=("area", "affects_from"), name="area_change_unique"
                    )
                ],
            },
        ),
    ]
