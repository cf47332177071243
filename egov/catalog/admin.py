"""The catalogue in the admin, for procedure administrators (superusers or holders of the
``procedure_admin`` role): sectors, procedures with their versions, blank forms, and the
structured editor for drafts (egov/catalog/editor/). A published version never changes: its
pages are read-only, and new versions come from "copy into a new draft"."""

from django.contrib import admin
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from egov.accounts.selectors import is_procedure_admin
from egov.audit.admin_changes import AuditedAdmin

from .editor import views as editor
from .models import Procedure, ProcedureFile, ProcedureVersion, Sector


class ProcedureAdminAccess:
    """Only procedure administrators see the catalogue; writes go through the editor."""

    def has_module_permission(self, request):
        return is_procedure_admin(request.user)

    def has_view_permission(self, request, obj=None):
        return is_procedure_admin(request.user)

    def has_add_permission(self, request):
        return False  # through the editor ("New procedure")

    def has_change_permission(self, request, obj=None):
        return False  # through the editor; published versions never change

    def has_delete_permission(self, request, obj=None):
        return False


def editor_link(obj):
    label = _("Edit") if obj.is_draft else _("View")
    return format_html('<a href="{}">{}</a>', reverse("admin:catalog-edit", args=[obj.pk]), label)


@admin.register(Sector)
class SectorAdmin(AuditedAdmin, ProcedureAdminAccess, admin.ModelAdmin):
    list_display = ["code", "name", "name_en"]
    search_fields = ["code", "name", "name_en"]

    def has_change_permission(self, request, obj=None):
        return is_procedure_admin(request.user)  # names only; the code is what definitions refer to

    def get_readonly_fields(self, request, obj=None):
        return ["code"] if obj else []


class VersionInline(admin.TabularInline):
    model = ProcedureVersion
    fields = ["number", "status", "state", "effective_from", "effective_to", "published_at", "open"]
    readonly_fields = fields
    ordering = ["-number"]
    extra = 0
    can_delete = False
    show_change_link = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_view_permission(self, request, obj=None):
        return is_procedure_admin(request.user)

    @admin.display(description=_("State"))
    def state(self, obj):
        return obj.state_label()

    @admin.display(description=_("Open"))
    def open(self, obj):
        return editor_link(obj)


@admin.register(Procedure)
class ProcedureAdmin(AuditedAdmin, ProcedureAdminAccess, admin.ModelAdmin):
    list_display = ["code", "__str__", "retention_years", "created_at"]
    search_fields = ["code", "versions__name", "versions__search_text"]
    inlines = [VersionInline]
    # The definition changes only through versions in the editor; the retention period is
    # records management and is set here.
    fields = ["code", "retention_years"]
    readonly_fields = ["code"]

    def has_change_permission(self, request, obj=None):
        return is_procedure_admin(request.user)

    def get_urls(self):
        wrap = self.admin_site.admin_view
        return [
            path("new/", wrap(editor.create), name="catalog-create"),
            path("import/", wrap(editor.import_file), name="catalog-import"),
            path("version/<int:pk>/export/", wrap(editor.export_file), name="catalog-export"),
            path("version/<int:pk>/bpmn/", wrap(editor.export_bpmn), name="catalog-bpmn"),
            path("version/<int:pk>/edit/", wrap(editor.edit), name="catalog-edit"),
            path("version/<int:pk>/preview/", wrap(editor.preview), name="catalog-preview"),
            path("version/<int:pk>/publish/", wrap(editor.publish), name="catalog-publish"),
            path("version/<int:pk>/copy/", wrap(editor.copy), name="catalog-copy"),
            path("version/<int:pk>/compare/", wrap(editor.compare), name="catalog-compare"),
            path("version/<int:pk>/retire/", wrap(editor.retire), name="catalog-retire"),
            path("version/<int:pk>/delete/", wrap(editor.delete_draft), name="catalog-delete-draft"),
            *super().get_urls(),
        ]

    def changelist_view(self, request, extra_context=None):
        extra_context = {**(extra_context or {}), "create_url": reverse("admin:catalog-create"),
                         "import_url": reverse("admin:catalog-import")}  # fmt: skip
        return super().changelist_view(request, extra_context)


@admin.register(ProcedureVersion)
class ProcedureVersionAdmin(AuditedAdmin, ProcedureAdminAccess, admin.ModelAdmin):
    list_display = ["procedure", "number", "name", "status", "state", "effective_from", "effective_to", "open"]
    list_filter = ["status", "level", "online_level", "sector"]
    search_fields = ["procedure__code", "name", "search_text"]
    list_select_related = ["procedure"]
    list_display_links = None

    @admin.display(description=_("State"))
    def state(self, obj):
        return obj.state_label()

    @admin.display(description=_("Open"))
    def open(self, obj):
        return editor_link(obj)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        """A version opens in the structured editor (read-only unless it is a draft)."""
        if is_procedure_admin(request.user) and str(object_id).isdigit():
            return redirect("admin:catalog-edit", pk=int(object_id))
        return super().change_view(request, object_id, form_url, extra_context)


@admin.register(ProcedureFile)
class ProcedureFileAdmin(AuditedAdmin, admin.ModelAdmin):
    """Blank forms the applicant downloads (``documents[].template`` names them)."""

    list_display = ["procedure", "filename", "uploaded_at"]
    search_fields = ["procedure__code", "filename"]
    list_select_related = ["procedure"]
    autocomplete_fields = ["procedure"]

    def has_module_permission(self, request):
        return is_procedure_admin(request.user)

    def has_view_permission(self, request, obj=None):
        return is_procedure_admin(request.user)

    def has_add_permission(self, request):
        return is_procedure_admin(request.user)

    def has_change_permission(self, request, obj=None):
        return is_procedure_admin(request.user)

    def has_delete_permission(self, request, obj=None):
        return is_procedure_admin(request.user)
