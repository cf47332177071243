"""Online payments in the admin: read-only, like the dossiers; a refund of a fee paid at the
counter is marked handed back here (through the service, so it is audited)."""

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from egov.common.admin import ReadOnlyAdminMixin
from egov.common.errors import DomainError

from . import services
from .models import Refund, Transaction


@admin.register(Transaction)
class TransactionAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["reference", "payment", "provider", "amount", "status", "created_at", "settled_at"]
    list_filter = ["status", "provider"]
    search_fields = ["reference", "gateway_reference", "payment__dossier__code"]


@admin.register(Refund)
class RefundAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["payment", "provider", "amount", "reason", "status", "attempts", "created_at", "done_at"]
    list_filter = ["status", "reason", "provider"]
    actions = ["handed_back"]

    @admin.action(description=_("Handed back at the desk"))
    def handed_back(self, request, queryset):
        for refund in queryset:
            try:
                services.hand_back_at_counter(request.user, refund)
            except DomainError as exc:
                messages.error(request, f"{refund}: {exc.message}")
