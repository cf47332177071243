"""The toolkit's admin pages, as this product needs them (``OAUTH2_PROVIDER["*_ADMIN_CLASS"]``,
registered by oauth2_provider/admin.py): applications are registered and changed by
superusers only, every change audited (the client secret recorded as changed, never its
value); codes and tokens are read-only records, for superusers only too."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from oauth2_provider import admin as toolkit
from oauth2_provider.forms import ApplicationForm as ToolkitApplicationForm
from oauth2_provider.models import Application

from egov.audit.admin_changes import AuditedAdmin
from egov.common.admin import ReadOnlyAdminMixin


class SuperusersOnly:
    def has_module_permission(self, request):
        return request.user.is_active and request.user.is_superuser

    def has_view_permission(self, request, obj=None):
        return request.user.is_active and request.user.is_superuser

    def has_add_permission(self, request, *args):
        return request.user.is_active and request.user.is_superuser and super().has_add_permission(request, *args)

    def has_change_permission(self, request, obj=None):
        return request.user.is_active and request.user.is_superuser and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return request.user.is_active and request.user.is_superuser and super().has_delete_permission(request, obj)


class ApplicationForm(ToolkitApplicationForm):
    """Name, client id, kind and exact redirect URIs; the rest is fixed: the authorisation-code
    grant only, the citizen always asked (egov/accounts/oauth/views.py), no ID tokens, the
    secret stored hashed."""

    class Meta:
        model = Application
        fields = ["name", "client_id", "client_type", "redirect_uris", "client_secret"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("name", "redirect_uris"):
            if name in self.fields:
                self.fields[name].required = True

    def _post_clean(self):
        self.instance.authorization_grant_type = Application.GRANT_AUTHORIZATION_CODE
        self.instance.skip_authorization = False
        self.instance.algorithm = Application.NO_ALGORITHM
        self.instance.hash_client_secret = True
        super()._post_clean()


class ApplicationAdmin(SuperusersOnly, AuditedAdmin, toolkit.ApplicationAdmin):
    """An app that acts as citizens: its name (shown on the consent page), its exact redirect
    URIs, public (a mobile app: no secret, PKCE only) or confidential (a server: a secret too)."""

    form = ApplicationForm
    audit_hidden = ("client_secret",)
    list_display = ("name", "client_id", "client_type", "redirect_uris", "created")
    list_filter = ("client_type",)
    radio_fields = {"client_type": admin.HORIZONTAL}
    fieldsets = [
        (None, {"fields": ["name", "client_id", "client_type", "redirect_uris"]}),
        (_("Client secret (confidential apps; copy it before saving, it is stored hashed)"),
         {"fields": ["client_secret"]}),
    ]  # fmt: skip
    readonly_fields = ()


class ReadOnlyRecords(SuperusersOnly, ReadOnlyAdminMixin):
    actions = None


class AccessTokenAdmin(ReadOnlyRecords, toolkit.AccessTokenAdmin):
    list_display = ("pk", "user", "application", "scope", "expires", "updated")


class RefreshTokenAdmin(ReadOnlyRecords, toolkit.RefreshTokenAdmin):
    list_display = ("pk", "user", "application", "created", "revoked")


class GrantAdmin(ReadOnlyRecords, toolkit.GrantAdmin):
    pass


class IDTokenAdmin(ReadOnlyRecords, toolkit.IDTokenAdmin):
    pass
