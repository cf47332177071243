"""Dossiers in the admin: read-only. Every change goes through the service layer (and so
through the audit trail and the outbox); the admin is for looking, not for editing."""

from django.contrib import admin
from django.urls import path

from egov.common.admin import ReadOnlyAdminMixin, ReadOnlyInline

from . import version_moves
from .models import Attachment, ClockPause, Dossier, Handover, Payment, SupplementRequest, VersionMove


class AttachmentInline(ReadOnlyInline):
    model = Attachment
    fields = ["document_key", "original_name", "content_type", "size", "sha256", "uploaded_at", "replaced_at"]
    readonly_fields = fields


class HandoverInline(ReadOnlyInline):
    model = Handover
    fields = ["handed_at", "step_key", "agency", "giver", "receiver_role", "receiver_agency", "timeliness",
              "outcome", "note"]  # fmt: skip
    readonly_fields = fields


class SupplementInline(ReadOnlyInline):
    model = SupplementRequest
    fields = ["stage", "step_key", "documents", "fields", "reason", "requested_by", "requested_at", "answered_at"]
    readonly_fields = fields


class PauseInline(ReadOnlyInline):
    model = ClockPause
    fields = ["started_at", "ended_at", "reason"]
    readonly_fields = fields


class PaymentInline(ReadOnlyInline):
    model = Payment
    fields = ["amount", "provider", "status", "reference", "paid_at", "confirmed_by"]
    readonly_fields = fields


@admin.register(Dossier)
class DossierAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["code", "procedure", "applicant", "status", "receiving_agency", "submitted_at", "due_at",
                    "timeliness"]  # fmt: skip
    list_filter = ["status", "channel", "timeliness", "payment_status", "receiving_agency"]
    search_fields = ["code", "applicant__full_name", "applicant__personal_id", "procedure__code"]
    list_select_related = ["procedure", "applicant", "receiving_agency"]
    date_hierarchy = "submitted_at"
    readonly_fields = [f.name for f in Dossier._meta.fields if f.name != "lookup_key"]
    exclude = ["lookup_key"]
    inlines = [AttachmentInline, SupplementInline, PauseInline, PaymentInline, HandoverInline]
    show_full_result_count = False  # a million rows: no COUNT(*) on every page

    def get_urls(self):
        # Moving open dossiers to a newer version of their procedure (the catalogue's editor
        # links here from a published version).
        site = self.admin_site
        return [
            path("move-to-version/<int:version_id>/",
                 site.admin_view(lambda request, version_id: version_moves.plan(request, site, version_id)),
                 name="dossiers-version-plan"),
            path("version-moves/<int:move_id>/revert/",
                 site.admin_view(lambda request, move_id: version_moves.revert(request, site, move_id)),
                 name="dossiers-version-revert"),
            *super().get_urls(),
        ]  # fmt: skip


@admin.register(VersionMove)
class VersionMoveAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Moves of open dossiers to a newer version; made and put back from the plan page
    (admin:dossiers-version-plan), which the catalogue's editor links to."""

    list_display = ["dossier", "from_version", "to_version", "moved_by", "moved_at", "reverted_at"]
    list_select_related = ["dossier", "from_version__procedure", "to_version__procedure", "moved_by"]
    search_fields = ["dossier__code"]
