"""The operations centre's overdue list reads open, unissued dossiers in due-date order from a
partial index (bench/README.md), built without blocking writes on PostgreSQL."""

from django.db import migrations, models

from egov.common.migration_operations import AddIndexWithoutLocking


class Migration(migrations.Migration):
    atomic = False

    dependencies = [
        ("dossiers", "0004_dossier_search_text"),
    ]

    operations = [
        AddIndexWithoutLocking(
            model_name="dossier",
            index=models.Index(
                condition=models.Q(
                    ("issued_at__isnull", True),
                    ("status__in", ("submitted", "supplement_requested", "in_progress", "awaiting_partner",
                                    "awaiting_approval", "awaiting_payment", "ready_for_return")),
                ),  # fmt: skip
                fields=["due_at"],
                name="dossier_overdue_idx",
            ),
        ),
    ]
