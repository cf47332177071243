from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from viewflow.workflow.models import Process, Task

from egov.common.admin import ReadOnlyAdminMixin
from egov.common.vocabulary import Role

from .models import DossierTask

# viewflow's own pages edit processes and tasks by hand, around the engine and the audit
# trail; the product's tasks are shown read-only below, and the dossiers in the back office.
for model in (Process, Task):
    if admin.site.is_registered(model):
        admin.site.unregister(model)


class RoleFilter(admin.SimpleListFilter):
    """The role column holds codes; the filter offers the roles by name."""

    title = _("role")
    parameter_name = "role"

    def lookups(self, request, model_admin):
        return Role.choices

    def queryset(self, request, queryset):
        return queryset.filter(role=self.value()) if self.value() else queryset


@admin.register(DossierTask)
class DossierTaskAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Tasks are moved by officers through the service layer; here they can be inspected."""

    list_display = ["id", "dossier", "kind", "step", "role_name", "agency", "status", "owner", "created", "due_at",
                    "flagged_at"]  # fmt: skip
    list_filter = ["status", "kind", RoleFilter, "agency"]
    search_fields = ["dossier__code", "step_key"]
    list_select_related = ["dossier", "agency", "owner"]
    show_full_result_count = False
    readonly_fields = [f.name for f in DossierTask._meta.fields]

    @admin.display(description=_("step"), ordering="step_key")
    def step(self, task):
        return task.step_name

    @admin.display(description=_("role"), ordering="role")
    def role_name(self, task):
        return task.role_label
