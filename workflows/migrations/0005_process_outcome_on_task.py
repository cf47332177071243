"""The flow routes on the outcome written on the completing task; the process kept a copy
that cost a write on every hand-over.

Expand, then contract: this release forgets the field and gives its column a database
default, so that the code of the previous release (which still writes it) and this one (which
no longer does) both work against the schema while a province upgrades server by server. A
later release drops the column."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("workflows", "0004_dossiertask_search_text"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[
                migrations.AlterField(
                    model_name="dossierprocess",
                    name="outcome",
                    field=models.CharField(blank=True, max_length=30, db_default=""),
                ),
            ],
            state_operations=[
                migrations.RemoveField(model_name="dossierprocess", name="outcome"),
            ],
        ),
    ]
