from django.contrib import admin
from django.contrib import messages as admin_messages
from django.utils.translation import gettext_lazy as _

from egov.accounts.models import ErasureRequest

from .services import anonymise


@admin.register(ErasureRequest)
class ErasureRequestAdmin(admin.ModelAdmin):
    """The staff queue of erasure requests, oldest deadline first."""

    list_display = ["user", "requested_at", "due_at", "status", "handled_by"]
    list_filter = ["status"]
    readonly_fields = ["user", "requested_at", "due_at", "reason", "handled_by", "handled_at"]
    actions = ["anonymise_selected"]

    @admin.action(description=_("Anonymise the selected accounts"))
    def anonymise_selected(self, request, queryset):
        done = 0
        for erasure in queryset.filter(status=ErasureRequest.Status.OPEN):
            anonymise(erasure, request.user)
            done += 1
        self.message_user(request, _("%(n)d accounts anonymised.") % {"n": done}, admin_messages.SUCCESS)
