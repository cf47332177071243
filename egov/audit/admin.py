from django.apps import apps
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from egov.common.admin import ReadOnlyAdminMixin

from .models import AuditRecord


@admin.register(AuditRecord)
class AuditRecordAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Read-only: the trail can be searched and read, never edited or deleted here. Records
    hold keys; the names of people and objects are looked up as the page is shown (an
    erased person shows as anonymised)."""

    list_display = ["at", "actor_name", "action", "object_type", "object_name"]
    list_filter = ["action", "object_type"]
    search_fields = ["action", "object_repr", "object_id", "actor__username"]
    date_hierarchy = "at"
    readonly_fields = [f.name for f in AuditRecord._meta.fields]
    list_select_related = ["actor"]

    @admin.display(description=_("actor"))
    def actor_name(self, record):
        return str(record.actor) if record.actor_id and record.actor else record.actor_repr or "system"

    @admin.display(description=_("object"))
    def object_name(self, record):
        if record.object_repr:
            return record.object_repr
        try:
            model = apps.get_model(record.object_type)
            return str(model._default_manager.filter(pk=record.object_id).first() or record.object_id)
        except (LookupError, ValueError):
            return record.object_id

