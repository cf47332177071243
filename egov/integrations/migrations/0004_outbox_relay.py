"""The outbox relay (egov/integrations/relay.py): each event records when a relay queued it,
and the relay polls a partial index of the events none has taken yet. Events written before
this migration and not dispatched are relayed once; the others are not in the index."""

from django.db import migrations, models

from egov.common.migration_operations import AddIndexWithoutLocking


class Migration(migrations.Migration):
    atomic = False  # the index is built without blocking writes on PostgreSQL

    dependencies = [
        ("integrations", "0003_apiclient_apikey_webhooksubscription_webhookdelivery"),
    ]

    operations = [
        migrations.AddField(
            model_name="outboxevent",
            name="relayed_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="relayed at"),
        ),
        AddIndexWithoutLocking(
            model_name="outboxevent",
            index=models.Index(
                condition=models.Q(("dispatched_at__isnull", True), ("relayed_at__isnull", True)),
                fields=["occurred_at"],
                name="event_unrelayed_idx",
            ),
        ),
    ]
