"""Rollups keyed by the deciding unit too, and the count of satisfied ratings (the national
index counts the share of ratings that are satisfied, not their average)."""

import django.db.models.deletion
from django.db import migrations, models
from django.db.models import F


def fill(apps, schema_editor):
    """Rows counted before: the deciding unit from the dossiers is unknown per row, so the
    receiving unit (what the figures meant until now); ``check_rollups`` shows where that differs."""
    apps.get_model("stats", "DailyFigure").objects.update(deciding_agency=F("agency"))


class Migration(migrations.Migration):
    dependencies = [
        ("agencies", "0001_initial"),
        ("stats", "0002_periodic_report"),
    ]

    operations = [
        migrations.AddField(
            model_name="dailyfigure",
            name="deciding_agency",
            field=models.ForeignKey(
                null=True, on_delete=django.db.models.deletion.CASCADE, related_name="+", to="agencies.agency"
            ),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="dailyfigure",
            name="deciding_agency",
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="+", to="agencies.agency"),
        ),
        migrations.AddField(
            model_name="dailyfigure", name="rating_satisfied", field=models.PositiveIntegerField(default=0)
        ),
        migrations.RemoveConstraint(model_name="dailyfigure", name="daily_figure_unique"),
        migrations.AddConstraint(
            model_name="dailyfigure",
            constraint=models.UniqueConstraint(
                fields=("day", "agency", "deciding_agency", "procedure"), name="daily_figure_key"
            ),
        ),
        migrations.AddIndex(
            model_name="dailyfigure",
            index=models.Index(fields=["deciding_agency", "day"], name="figure_deciding_day_idx"),
        ),
    ]
