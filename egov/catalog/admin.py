"""The catalogue in the admin, for procedure administrators: a structured editor for drafts
(egov/catalog/editor/), read-only published versions, publish and copy-to-draft."""

from django.contrib import admin
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from egov.accounts.selectors import is_procedure_admin

from .editor import views as editor
from .models import Procedure, ProcedureFile, ProcedureVersion, Sector


class ProcedureAdminAccess:
    def has_module_permission(self, request):
        return is_procedure_admin(request.user)

    def has_view_permission(self, request, obj=None):
        return is_procedure_admin(request.user)

    def has_add_permission(self, request):
        return False  # through the editor

    def has_change_permission(self, request, obj=None):
        return False  # through the editor; published versions never change

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Sector)
class SectorAdmin(ProcedureAdminAccess, admin.ModelAdmin):
    list_display = ["code", "name", "name_en"]
    search_fields = ["code", "name"]


class VersionInline(admin.TabularInline):
    model = ProcedureVersion
    fields = ["number", "status", "effective_from", "effective_to", "editor_link"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = False

    def has_add_permission(self, request, obj=None):
        return False

    @admin.display(description=_("Open"))
    def editor_link(self, obj):
        return format_html('<a href="{}">{}</a>', reverse("admin:catalog-edit", args=[obj.pk]),
                           _("Edit") if obj.is_draft else _("View"))  # fmt: skip


@admin.register(Procedure)
class ProcedureAdmin(ProcedureAdminAccess, admin.ModelAdmin):
    list_display = ["code", "__str__"]
    search_fields = ["code", "versions__name"]
    inlines = [VersionInline]

    def get_urls(self):
        wrap = self.admin_site.admin_view
        return [
            path("new/", wrap(editor.create), name="catalog-create"),
            path("version/<int:pk>/edit/", wrap(editor.edit), name="catalog-edit"),
            path("version/<int:pk>/preview/", wrap(editor.preview), name="catalog-preview"),
            path("version/<int:pk>/publish/", wrap(editor.publish), name="catalog-publish"),
            path("version/<int:pk>/copy/", wrap(editor.copy), name="catalog-copy"),
            *super().get_urls(),
        ]

    def changelist_view(self, request, extra_context=None):
        extra_context = {**(extra_context or {}), "create_url": reverse("admin:catalog-create")}
        return super().changelist_view(request, extra_context)


@admin.register(ProcedureVersion)
class ProcedureVersionAdmin(ProcedureAdminAccess, admin.ModelAdmin):
    list_display = ["procedure", "number", "name", "status", "effective_from", "effective_to", "editor_link"]
    list_filter = ["status", "level", "online_level", "sector"]
    search_fields = ["procedure__code", "name"]
    list_select_related = ["procedure"]

    @admin.display(description=_("Open"))
    def editor_link(self, obj):
        return format_html('<a href="{}">{}</a>', reverse("admin:catalog-edit", args=[obj.pk]),
                           _("Edit") if obj.is_draft else _("View"))  # fmt: skip


@admin.register(ProcedureFile)
class ProcedureFileAdmin(admin.ModelAdmin):
    list_display = ["procedure", "filename", "uploaded_at"]

    def has_module_permission(self, request):
        return is_procedure_admin(request.user)

    has_view_permission = has_add_permission = has_change_permission = has_delete_permission = (
        lambda self, request, obj=None: is_procedure_admin(request.user)
    )
