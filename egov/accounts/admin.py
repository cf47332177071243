from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from egov.audit.admin_changes import HIDDEN, AuditedAdmin
from egov.audit.services import record
from egov.common.admin import ReadOnlyAdminMixin

from .models import Organization, OrganizationMember, RoleAssignment, User


class RoleAssignmentInline(admin.TabularInline):
    model = RoleAssignment
    extra = 0
    autocomplete_fields = ["agency"]


@admin.register(User)
class UserAdmin(AuditedAdmin, BaseUserAdmin):
    list_display = ["username", "full_name", "kind", "personal_id", "email", "phone", "is_active"]
    # A person's data and the password hash are recorded as changed, never copied.
    audit_hidden = ("password", "full_name", "first_name", "last_name", "personal_id", "date_of_birth", "email",
                    "phone", "address", "eid_subject", "passport_number")  # fmt: skip
    audit_ignored = ("last_login",)
    list_filter = ["kind", "is_active", "is_staff", "role_assignments__role"]
    search_fields = ["username", "full_name", "personal_id", "email", "phone"]
    inlines = [RoleAssignmentInline]
    fieldsets = (
        (None, {"fields": ("username", "password", "kind")}),
        (
            _("Person"),
            {
                "fields": (
                    "full_name",
                    "personal_id",
                    "date_of_birth",
                    "email",
                    "phone",
                    "address",
                    "preferred_language",
                    "passport_number",
                    "nationality",
                )
            },
        ),
        (_("Permissions"), {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")}),
        (_("Important dates"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (None, {"classes": ("wide",), "fields": ("username", "kind", "full_name", "password1", "password2")}),
    )

    def user_change_password(self, request, id, form_url=""):
        # The password page saves its own form, past save_model: record it here (as changed).
        answer = super().user_change_password(request, id, form_url)
        if request.method == "POST" and answer.status_code == 302:
            record(request.user, "admin.change", self.get_object(request, id),
                   before={"password": HIDDEN}, after={"password": HIDDEN})  # fmt: skip
        return answer


class OrganizationMemberInline(admin.TabularInline):
    model = OrganizationMember
    fk_name = "organization"
    extra = 0
    autocomplete_fields = ["user"]
    readonly_fields = ["added_by", "added_at"]


@admin.register(Organization)
class OrganizationAdmin(AuditedAdmin, admin.ModelAdmin):
    """Organisations are registered at a desk (backoffice "Register an organisation"); here an
    administrator corrects one or closes it (active)."""

    list_display = ["name", "tax_code", "legal_representative", "active", "registered_at"]
    list_filter = ["active"]
    search_fields = ["name", "tax_code", "legal_representative__full_name"]
    autocomplete_fields = ["legal_representative"]
    readonly_fields = ["registered_by", "registered_at"]
    inlines = [OrganizationMemberInline]


@admin.register(RoleAssignment)
class RoleAssignmentAdmin(AuditedAdmin, admin.ModelAdmin):
    list_display = ["user", "role", "agency", "active", "granted_at"]
    list_filter = ["role", "active"]
    search_fields = ["user__username", "user__full_name", "agency__code", "agency__name"]
    autocomplete_fields = ["user", "agency"]



from .models import Consent  # noqa: E402


@admin.register(Consent)
class ConsentAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["user", "purpose", "language", "given_at"]
    readonly_fields = ["user", "purpose", "text", "language", "given_at"]


# Security settings kept by the libraries' own admin pages, audited like ours: permission
# groups, second-factor devices (their keys and codes recorded as changed, never copied), and
# the login-failure records (deleting one unlocks an account).
from axes.admin import AccessAttemptAdmin, AccessFailureLogAdmin, AccessLogAdmin  # noqa: E402
from axes.models import AccessAttempt, AccessFailureLog, AccessLog  # noqa: E402
from django.contrib.auth.admin import GroupAdmin  # noqa: E402
from django.contrib.auth.models import Group  # noqa: E402
from django_otp.plugins.otp_static.admin import StaticDeviceAdmin  # noqa: E402
from django_otp.plugins.otp_static.models import StaticDevice  # noqa: E402
from django_otp.plugins.otp_totp.admin import TOTPDeviceAdmin  # noqa: E402
from django_otp.plugins.otp_totp.models import TOTPDevice  # noqa: E402

LOGIN_RECORD_FIELDS = ("username", "ip_address", "user_agent", "get_data", "post_data", "http_accept", "path_info",
                       "session_hash")  # fmt: skip

for model in (Group, TOTPDevice, StaticDevice, AccessAttempt, AccessLog, AccessFailureLog):
    if admin.site.is_registered(model):
        admin.site.unregister(model)


@admin.register(Group)
class AuditedGroupAdmin(AuditedAdmin, GroupAdmin):
    pass


@admin.register(TOTPDevice)
class AuditedTOTPDeviceAdmin(AuditedAdmin, TOTPDeviceAdmin):
    audit_hidden = ("key",)


@admin.register(StaticDevice)
class AuditedStaticDeviceAdmin(AuditedAdmin, StaticDeviceAdmin):
    audit_hidden = ("token",)


@admin.register(AccessAttempt)
class AuditedAccessAttemptAdmin(AuditedAdmin, AccessAttemptAdmin):
    audit_hidden = LOGIN_RECORD_FIELDS


@admin.register(AccessLog)
class AuditedAccessLogAdmin(AuditedAdmin, AccessLogAdmin):
    audit_hidden = LOGIN_RECORD_FIELDS


@admin.register(AccessFailureLog)
class AuditedAccessFailureLogAdmin(AuditedAdmin, AccessFailureLogAdmin):
    audit_hidden = LOGIN_RECORD_FIELDS
