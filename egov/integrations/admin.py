from django.contrib import admin

from egov.common.admin import ReadOnlyAdminMixin

from .models import OutboxEvent


@admin.register(OutboxEvent)
class OutboxEventAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["occurred_at", "type", "dossier", "actor"]
    list_filter = ["type"]
    search_fields = ["dossier__code", "type"]
    date_hierarchy = "occurred_at"
    readonly_fields = ["id", "type", "occurred_at", "dossier", "actor", "data"]
    show_full_result_count = False
