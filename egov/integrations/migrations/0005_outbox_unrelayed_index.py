"""The relay polls a partial index of the events no relay has taken yet. Events written
before the relay and not dispatched are relayed once; the others are not in the index."""

from django.db import migrations, models

from egov.common.migration_operations import AddIndexWithoutLocking


class Migration(migrations.Migration):
    atomic = False  # the index is built without blocking writes on PostgreSQL

    dependencies = [
        ("integrations", "0004_outboxevent_relayed_at"),
    ]

    operations = [
        AddIndexWithoutLocking(
            model_name="outboxevent",
            index=models.Index(
                condition=models.Q(("dispatched_at__isnull", True), ("relayed_at__isnull", True)),
                fields=["occurred_at"],
                name="event_unrelayed_idx",
            ),
        ),
    ]
