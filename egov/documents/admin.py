from django import forms
from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from egov.audit.admin_changes import AuditedAdmin
from egov.common.admin import ReadOnlyAdminMixin
from egov.common.sandbox import check_template

from .models import Document, DocumentTemplate


class DocumentTemplateForm(forms.ModelForm):
    class Meta:
        model = DocumentTemplate
        fields = ["slug", "name", "body", "active"]
        widgets = {"body": forms.Textarea(attrs={"rows": 20, "cols": 100, "spellcheck": "false"})}

    def clean_body(self):
        body = self.cleaned_data["body"]
        check_template(body)  # refuses tags that reach outside the template
        return body


@admin.register(DocumentTemplate)
class DocumentTemplateAdmin(AuditedAdmin, admin.ModelAdmin):
    form = DocumentTemplateForm
    list_display = ["slug", "name", "active", "updated_at"]
    search_fields = ["slug", "name"]


@admin.register(Document)
class DocumentAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Staff see every document, failures with their error, and can make one again."""

    list_display = ["created_at", "kind", "dossier", "status", "verification_code", "attempts", "signer"]
    list_filter = ["status", "kind"]
    search_fields = ["verification_code", "dossier__code", "sha256"]
    list_select_related = ["dossier"]
    readonly_fields = [f.name for f in Document._meta.fields]
    actions = ["render_again"]
    show_full_result_count = False

    @admin.action(description=_("Render the selected failed documents again"))
    def render_again(self, request, queryset):
        from .tasks import render_document_task

        failed = queryset.filter(status=Document.Status.FAILED)
        for document in failed:
            render_document_task.delay(str(document.pk))
        self.message_user(request, _("%(n)d documents queued.") % {"n": failed.count()}, messages.SUCCESS)

    def has_change_permission(self, request, obj=None):
        # The change list must allow the action; the form stays read-only.
        return request.user.is_superuser and obj is None
