from django.contrib import admin

from egov.audit.admin_changes import AuditedAdmin

from .models import Agency, AgencyCodeChange


class CodeChangeInline(admin.TabularInline):
    model = AgencyCodeChange
    extra = 0
    readonly_fields = ["old_code", "new_code", "old_name", "changed_at", "reason"]
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Agency)
class AgencyAdmin(AuditedAdmin, admin.ModelAdmin):
    list_display = ["code", "name", "level", "parent", "service_centre", "active"]
    list_filter = ["level", "service_centre", "active"]
    search_fields = ["code", "name", "name_en"]
    autocomplete_fields = ["parent", "merged_into"]
    inlines = [CodeChangeInline]

    def save_model(self, request, obj, form, change):
        if change and "code" in form.changed_data:
            old = Agency.objects.get(pk=obj.pk)
            super().save_model(request, obj, form, change)
            AgencyCodeChange.objects.create(agency=obj, old_code=old.code, new_code=obj.code, old_name=old.name)
            return
        super().save_model(request, obj, form, change)


@admin.register(AgencyCodeChange)
class AgencyCodeChangeAdmin(AuditedAdmin, admin.ModelAdmin):
    list_display = ["old_code", "new_code", "agency", "changed_at", "reason"]
    search_fields = ["old_code", "new_code", "agency__name"]
    readonly_fields = ["agency", "old_code", "new_code", "old_name", "changed_at", "reason"]

    def has_add_permission(self, request):
        return False
