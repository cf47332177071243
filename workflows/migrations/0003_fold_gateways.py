"""Tasks route on themselves since the gateways after intake and after a step were folded
into them (workflows/nodes.py). The gateways' done task rows name nodes that no longer
exist: remove them, linking what followed each one to what preceded it."""

from django.db import migrations

FOLDED = (".after_intake", ".after_step")


def fold(apps, schema_editor):
    Task = apps.get_model("workflows", "DossierTask")
    Link = Task.previous.through
    gateways = list(
        Task.objects.filter(flow_task_type="SWITCH")
        .extra(where=["flow_task LIKE %s OR flow_task LIKE %s"], params=[f"%{name}" for name in FOLDED])
        .values_list("pk", flat=True)
    )
    for gateway in gateways:
        before = list(Link.objects.filter(from_dossiertask_id=gateway).values_list("to_dossiertask_id", flat=True))
        after = list(Link.objects.filter(to_dossiertask_id=gateway).values_list("from_dossiertask_id", flat=True))
        Link.objects.bulk_create(
            [Link(from_dossiertask_id=a, to_dossiertask_id=b) for a in after for b in before], ignore_conflicts=True
        )
        Link.objects.filter(from_dossiertask_id=gateway).delete()
        Link.objects.filter(to_dossiertask_id=gateway).delete()
    Task.objects.filter(pk__in=gateways).delete()


class Migration(migrations.Migration):
    dependencies = [("workflows", "0002_task_dossier_due_at")]

    operations = [migrations.RunPython(fold, migrations.RunPython.noop)]
