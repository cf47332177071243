from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from .models import RoleAssignment, User


class RoleAssignmentInline(admin.TabularInline):
    model = RoleAssignment
    extra = 0
    autocomplete_fields = ["agency"]


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ["username", "full_name", "kind", "personal_id", "email", "phone", "is_active"]
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
                )
            },
        ),
        (_("Permissions"), {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")}),
        (_("Important dates"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (None, {"classes": ("wide",), "fields": ("username", "kind", "full_name", "password1", "password2")}),
    )


@admin.register(RoleAssignment)
class RoleAssignmentAdmin(admin.ModelAdmin):
    list_display = ["user", "role", "agency", "active", "granted_at"]
    list_filter = ["role", "active"]
    search_fields = ["user__username", "user__full_name", "agency__code", "agency__name"]
    autocomplete_fields = ["user", "agency"]



from .models import Consent  # noqa: E402


@admin.register(Consent)
class ConsentAdmin(admin.ModelAdmin):
    list_display = ["user", "purpose", "language", "given_at"]
    readonly_fields = ["user", "purpose", "text", "language", "given_at"]
