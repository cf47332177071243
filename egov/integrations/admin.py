from django.contrib import admin

from egov.audit.admin_changes import AuditedAdmin
from egov.common.admin import ReadOnlyAdminMixin

from .models import OutboxEvent


@admin.register(OutboxEvent)
class OutboxEventAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["occurred_at", "type", "dossier", "actor"]
    list_filter = ["type"]
    search_fields = ["dossier__code", "type"]
    date_hierarchy = "occurred_at"
    # When the relay took it and when its consumers were done: where a stuck event stands.
    readonly_fields = ["id", "type", "occurred_at", "dossier", "actor", "data", "relayed_at", "dispatched_at"]
    show_full_result_count = False


from django import forms  # noqa: E402
from django.contrib import messages  # noqa: E402
from django.db import models  # noqa: E402
from django.utils.translation import gettext_lazy as _  # noqa: E402

from .clients import issue_key, register_client, revoke_keys  # noqa: E402
from .models import ApiClient, Scope, WebhookDelivery, WebhookSubscription  # noqa: E402
from .webhooks import redeliver  # noqa: E402


class ApiClientForm(forms.ModelForm):
    scopes = forms.MultipleChoiceField(choices=Scope.choices, widget=forms.CheckboxSelectMultiple, required=False)

    class Meta:
        model = ApiClient
        fields = ["name", "contact", "contact_email", "scopes", "procedures", "agencies", "rate", "active"]


class SubscriptionInline(admin.TabularInline):
    model = WebhookSubscription
    extra = 0
    # Webhooks go over https only (WebhookSubscription.clean): a URL typed without a scheme is https.
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    fields = ["url", "event_types", "procedures", "agencies", "active", "consecutive_failures", "disabled_at"]
    readonly_fields = ["consecutive_failures", "disabled_at"]


@admin.register(ApiClient)
class ApiClientAdmin(AuditedAdmin, admin.ModelAdmin):
    """Register an external app, choose its scopes, issue and revoke its keys."""

    form = ApiClientForm
    list_display = ["name", "active", "rate", "created_at"]
    filter_horizontal = ["agencies"]
    inlines = [SubscriptionInline]
    actions = ["new_key", "revoke_old_keys"]
    audit_hidden = ("contact_email",)

    def save_model(self, request, obj, form, change):
        if change:
            return super().save_model(request, obj, form, change)
        created = register_client(obj.name, form.cleaned_data["scopes"], actor=request.user, contact=obj.contact,
                                  contact_email=obj.contact_email, procedures=obj.procedures)  # fmt: skip
        obj.pk, obj.service_user = created.pk, created.service_user
        obj._state.adding = False
        ApiClient.objects.filter(pk=obj.pk).update(rate=obj.rate, active=obj.active)
        self.message_user(request, _("API key (shown once, store it now): %(key)s") % {
            "key": issue_key(created, actor=request.user)}, messages.WARNING)  # fmt: skip

    @admin.action(description=_("Issue a new key (the old ones stay valid until revoked)"))
    def new_key(self, request, queryset):
        for client in queryset:
            self.message_user(request, _("New key for %(client)s (shown once): %(key)s") % {
                "client": client, "key": issue_key(client, actor=request.user)}, messages.WARNING)  # fmt: skip

    @admin.action(description=_("Revoke every key except the newest"))
    def revoke_old_keys(self, request, queryset):
        for client in queryset:
            newest = client.keys.filter(revoked_at__isnull=True).first()
            revoke_keys(client, keep_prefix=newest.prefix if newest else None, actor=request.user)


@admin.register(WebhookDelivery)
class WebhookDeliveryAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """The delivery log; a delivery can be sent again."""

    list_display = ["created_at", "event", "subscription", "status", "attempts", "last_status_code", "delivered_at"]
    list_filter = ["status"]
    list_select_related = ["event", "subscription"]
    readonly_fields = [f.name for f in WebhookDelivery._meta.fields]
    actions = ["send_again"]
    show_full_result_count = False

    @admin.action(description=_("Send the selected deliveries again"))
    def send_again(self, request, queryset):
        for delivery in queryset:
            redeliver(delivery)
        self.message_user(request, _("%(n)d deliveries queued.") % {"n": queryset.count()})

    def has_change_permission(self, request, obj=None):
        return request.user.is_superuser and obj is None
