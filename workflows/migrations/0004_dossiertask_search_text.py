"""Tasks carry their dossier's search_text, so that a queue search reads only the tasks."""

from django.db import migrations, models
from django.db.models import OuterRef, Subquery


def fill(apps, schema_editor):
    Dossier = apps.get_model("dossiers", "Dossier")
    DossierTask = apps.get_model("workflows", "DossierTask")
    of_dossier = Dossier.objects.filter(pk=OuterRef("dossier_id")).values("search_text")[:1]
    DossierTask.objects.update(search_text=Subquery(of_dossier))


class Migration(migrations.Migration):
    dependencies = [("workflows", "0003_fold_gateways"), ("dossiers", "0004_dossier_search_text")]

    operations = [
        migrations.AddField(
            model_name="dossiertask",
            name="search_text",
            field=models.CharField(blank=True, db_default="", default="", max_length=300),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]
