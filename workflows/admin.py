from django.contrib import admin
from viewflow.workflow.models import Process, Task

from egov.common.admin import ReadOnlyAdminMixin

from .models import DossierTask

# viewflow's own pages edit processes and tasks by hand, around the engine and the audit
# trail; the product's tasks are shown read-only below, and the dossiers in the back office.
for model in (Process, Task):
    if admin.site.is_registered(model):
        admin.site.unregister(model)


@admin.register(DossierTask)
class DossierTaskAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Tasks are moved by officers through the service layer; here they can be inspected."""

    list_display = ["id", "dossier", "kind", "step_key", "role", "agency", "status", "owner", "created", "due_at",
                    "flagged_at"]  # fmt: skip
    list_filter = ["status", "kind", "role", "agency"]
    search_fields = ["dossier__code", "step_key"]
    list_select_related = ["dossier", "agency", "owner"]
    show_full_result_count = False
    readonly_fields = [f.name for f in DossierTask._meta.fields]
