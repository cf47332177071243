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


from django.contrib import messages as admin_messages  # noqa: E402

from .models import Consent, ErasureRequest  # noqa: E402


@admin.register(ErasureRequest)
class ErasureRequestAdmin(admin.ModelAdmin):
    """The staff queue of erasure requests, oldest deadline first."""

    list_display = ["user", "requested_at", "due_at", "status", "handled_by"]
    list_filter = ["status"]
    readonly_fields = ["user", "requested_at", "due_at", "reason", "handled_by", "handled_at"]
    actions = ["anonymise_selected"]

    @admin.action(description=_("Anonymise the selected accounts"))
    def anonymise_selected(self, request, queryset):
        from .privacy import anonymise

        done = 0
        for erasure in queryset.filter(status=ErasureRequest.Status.OPEN):
            anonymise(erasure, request.user)
            done += 1
        self.message_user(request, _("%(n)d accounts anonymised.") % {"n": done}, admin_messages.SUCCESS)


@admin.register(Consent)
class ConsentAdmin(admin.ModelAdmin):
    list_display = ["user", "purpose", "language", "given_at"]
    readonly_fields = ["user", "purpose", "text", "language", "given_at"]
