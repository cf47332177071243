from django import forms
from django.contrib import admin
from django.utils.html import format_html_join
from django.utils.translation import gettext_lazy as _

from egov.audit.admin_changes import AuditedAdmin
from egov.common.admin import ReadOnlyAdminMixin
from egov.common.sandbox import check_template, render_sandboxed
from egov.integrations.events import TYPES

from .models import MessageTemplate, Notification, NotificationRule, Preference

SAMPLE = {"code": "000.17.22.H56-261124-0001", "procedure": "Đăng ký thành lập hộ kinh doanh", "name": "Nguyễn Văn An",
          "due": "17:00 27/11/2026", "new_due": "17:00 04/12/2026", "reason": "Ảnh chụp giấy tờ bị mờ",
          "step": "Thẩm định", "link": "https://motcua.example.gov.vn/my/dossiers/…"}  # fmt: skip
EVENT_CHOICES = [(name, f"{declared.label} ({name})") for name, declared in TYPES.items()]


class RuleForm(forms.ModelForm):
    event_type = forms.ChoiceField(choices=EVENT_CHOICES)
    channels = forms.MultipleChoiceField(choices=[("email", _("E-mail")), ("sms", _("SMS")), ("in_app", _("In-app"))],
                                         widget=forms.CheckboxSelectMultiple)  # fmt: skip

    class Meta:
        model = NotificationRule
        fields = ["event_type", "audience", "channels", "active"]


@admin.register(NotificationRule)
class NotificationRuleAdmin(AuditedAdmin, admin.ModelAdmin):
    """Which event notifies whom; while none is set for an event, the defaults apply."""

    form = RuleForm
    list_display = ["event_type", "audience", "channels", "active"]
    list_filter = ["event_type", "audience"]


class TemplateForm(forms.ModelForm):
    event_type = forms.ChoiceField(choices=EVENT_CHOICES)

    class Meta:
        model = MessageTemplate
        fields = ["event_type", "channel", "language", "subject", "body"]

    def clean_subject(self):
        check_template(self.cleaned_data["subject"])
        return self.cleaned_data["subject"]

    def clean_body(self):
        check_template(self.cleaned_data["body"])
        return self.cleaned_data["body"]


@admin.register(MessageTemplate)
class MessageTemplateAdmin(AuditedAdmin, admin.ModelAdmin):
    form = TemplateForm
    list_display = ["event_type", "channel", "language", "subject", "updated_at"]
    list_filter = ["channel", "language", "event_type"]
    readonly_fields = ["preview"]

    @admin.display(description=_("Preview with sample data"))
    def preview(self, obj):
        if obj is None or not obj.pk:
            return "—"
        lines = [render_sandboxed(obj.subject, SAMPLE), *render_sandboxed(obj.body, SAMPLE).splitlines()]
        return format_html_join("", "<div>{}</div>", ((line,) for line in lines))


@admin.register(Notification)
class NotificationAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """The delivery log."""

    list_display = ["created_at", "channel", "recipient", "subject", "status", "attempts", "sent_at"]
    list_filter = ["status", "channel"]
    search_fields = ["recipient__username", "address", "subject"]
    readonly_fields = [f.name for f in Notification._meta.fields]
    show_full_result_count = False


@admin.register(Preference)
class PreferenceAdmin(AuditedAdmin, admin.ModelAdmin):
    pass
