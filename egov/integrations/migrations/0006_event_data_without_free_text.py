"""Events carry no free text any more: the reason of a withdrawal or of an apology written
before is taken out of the events' data (a webhook sent again from the admin would carry
it). Nothing is lost: the same text is on the dossier (decision_note, apology_reason) and
in the audit trail."""

from django.db import migrations


def strip_reasons(apps, schema_editor):
    OutboxEvent = apps.get_model("integrations", "OutboxEvent")
    events = OutboxEvent.objects.filter(type__in=["dossier.withdrawn", "dossier.apologised"]).only("pk", "data")
    batch = []
    for event in events.iterator(chunk_size=2000):
        if isinstance(event.data, dict) and "reason" in event.data:
            event.data = {key: value for key, value in event.data.items() if key != "reason"}
            batch.append(event)
        if len(batch) >= 2000:
            OutboxEvent.objects.bulk_update(batch, ["data"])
            batch = []
    OutboxEvent.objects.bulk_update(batch, ["data"])


class Migration(migrations.Migration):
    dependencies = [("integrations", "0005_outbox_unrelayed_index")]

    operations = [migrations.RunPython(strip_reasons, migrations.RunPython.noop)]
