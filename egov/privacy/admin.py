from django.contrib import admin
from django.contrib import messages as admin_messages
from django.utils.translation import gettext_lazy as _

from egov.accounts.models import ErasureRequest
from egov.audit.admin_changes import AuditedAdmin

from .services import ErasureMustWait, anonymise


@admin.register(ErasureRequest)
class ErasureRequestAdmin(AuditedAdmin, admin.ModelAdmin):
    """The staff queue of erasure requests, oldest deadline first."""

    list_display = ["user", "requested_at", "due_at", "status", "handled_by"]
    list_filter = ["status"]
    readonly_fields = ["user", "requested_at", "due_at", "reason", "handled_by", "handled_at", "answer"]
    actions = ["anonymise_selected"]

    @admin.action(description=_("Anonymise the selected accounts"))
    def anonymise_selected(self, request, queryset):
        done = 0
        for erasure in queryset.filter(status=ErasureRequest.Status.OPEN).select_related("user"):
            try:
                anonymise(erasure, request.user)
            except ErasureMustWait as waiting:
                self.message_user(request, _("Request %(id)s waits: %(why)s") % {"id": erasure.pk, "why": waiting},
                                  admin_messages.WARNING)  # fmt: skip
                continue
            done += 1
        self.message_user(request, _("%(n)d accounts anonymised.") % {"n": done}, admin_messages.SUCCESS)
