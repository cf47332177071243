from django.contrib import admin

from egov.common.admin import ReadOnlyAdminMixin

from .models import DossierTask


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
