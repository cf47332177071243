"""Tasks route on themselves since the gateways after intake and after a step were folded
into them (workflows/nodes.py). The gateways' done task rows name nodes that no longer
exist: remove them, linking what followed each one to what preceded it. Set-based (a few
statements whatever the number of dossiers)."""

from django.db import migrations

GATEWAYS = (
    "SELECT id FROM workflows_dossiertask WHERE flow_task_type = 'SWITCH' "
    "AND (flow_task LIKE '%.after_intake' OR flow_task LIKE '%.after_step')"
)


def fold(apps, schema_editor):
    insert = "INSERT OR IGNORE INTO" if schema_editor.connection.vendor == "sqlite" else "INSERT INTO"
    conflict = "" if schema_editor.connection.vendor == "sqlite" else " ON CONFLICT DO NOTHING"
    with schema_editor.connection.cursor() as cursor:
        # link (from N, to G) and (from G, to P) become (from N, to P): N's previous is P
        cursor.execute(
            f"{insert} workflows_dossiertask_previous (from_dossiertask_id, to_dossiertask_id) "
            "SELECT nxt.from_dossiertask_id, prv.to_dossiertask_id "
            "FROM workflows_dossiertask_previous nxt "
            "JOIN workflows_dossiertask_previous prv ON prv.from_dossiertask_id = nxt.to_dossiertask_id "
            f"WHERE nxt.to_dossiertask_id IN ({GATEWAYS}){conflict}"
        )
        cursor.execute(
            f"DELETE FROM workflows_dossiertask_previous WHERE from_dossiertask_id IN ({GATEWAYS}) "
            f"OR to_dossiertask_id IN ({GATEWAYS})"
        )
        cursor.execute(f"DELETE FROM workflows_dossiertask WHERE id IN ({GATEWAYS})")


class Migration(migrations.Migration):
    dependencies = [("workflows", "0002_task_dossier_due_at")]

    operations = [migrations.RunPython(fold, migrations.RunPython.noop)]
