"""Attachments keep the size and SHA-256 of the bytes received beside those of the stored copy,
which for a PDF is now a rewrite without active content (uploads.passive_pdf). Until now the
stored file was the upload itself, so for existing rows the two are the same."""

from django.db import migrations, models
from django.db.models import F


def received_is_stored(apps, schema_editor):
    Attachment = apps.get_model("dossiers", "Attachment")
    Attachment.objects.update(original_size=F("size"), original_sha256=F("sha256"))


class Migration(migrations.Migration):
    dependencies = [
        ("dossiers", "0005_overdue_index"),
    ]

    operations = [
        migrations.AddField(
            model_name="attachment",
            name="original_size",
            field=models.PositiveBigIntegerField(default=0, verbose_name="size as received"),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="attachment",
            name="original_sha256",
            field=models.CharField(default="", max_length=64, verbose_name="SHA-256 as received"),
            preserve_default=False,
        ),
        migrations.RunPython(received_is_stored, migrations.RunPython.noop),
    ]
