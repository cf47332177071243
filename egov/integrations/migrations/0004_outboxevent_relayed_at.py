"""The outbox relay (egov/integrations/relay.py): each event records when a relay queued it.
A migration of its own, so that the index that follows (built without locking, outside a
transaction) can fail and run again without finding the column half-added."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("integrations", "0003_apiclient_apikey_webhooksubscription_webhookdelivery"),
    ]

    operations = [
        migrations.AddField(
            model_name="outboxevent",
            name="relayed_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="relayed at"),
        ),
    ]
