"""The queues search a folded copy of the code and the applicant's name (Dossier.search_text,
copied onto the tasks by workflows 0004)."""

from django.db import migrations, models

from egov.common.text_search import fold


def fill(apps, schema_editor):
    Dossier = apps.get_model("dossiers", "Dossier")
    rows = Dossier.objects.filter(code__isnull=False).values_list("pk", "code", "applicant__full_name", "purged_at")
    batch = []
    for pk, code, name, purged_at in rows.iterator(chunk_size=2000):
        text = fold(code if purged_at else f"{code} {name or ''}")[:300]
        batch.append(Dossier(pk=pk, search_text=text))
        if len(batch) >= 2000:
            Dossier.objects.bulk_update(batch, ["search_text"])
            batch = []
    Dossier.objects.bulk_update(batch, ["search_text"])


class Migration(migrations.Migration):
    dependencies = [("dossiers", "0003_dossier_purged_at")]

    operations = [
        migrations.AddField(
            model_name="dossier",
            name="search_text",
            field=models.CharField(blank=True, db_default="", default="", editable=False, max_length=300),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]
