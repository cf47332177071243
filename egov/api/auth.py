"""How callers authenticate: external apps with ``Authorization: Api-Key <key>`` (what their
scopes allow, how fast they may call); people with their session or a personal token
(``Authorization: Token <token>``, egov/accounts/tokens.py)."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions, permissions, throttling

from egov.accounts import tokens
from egov.accounts.models import PersonalToken
from egov.integrations.clients import client_for_key
from egov.integrations.models import ApiClient


class ApiKeyAuthentication(authentication.BaseAuthentication):
    keyword = "Api-Key"

    def authenticate(self, request):
        header = authentication.get_authorization_header(request).decode("latin-1")
        if not header.startswith(self.keyword + " "):
            return None
        client = client_for_key(header[len(self.keyword) + 1 :].strip())
        if client is None:
            raise exceptions.AuthenticationFailed(_("Invalid or revoked API key."))
        request._request.api_client = client  # for the audit middleware
        return client.service_user, client

    def authenticate_header(self, request):
        return self.keyword


def client_of(request):
    return getattr(request._request, "api_client", None) or getattr(request.user, "api_client", None)


class ScopeRequired(permissions.BasePermission):
    """API clients need the view's scope; people are checked by the services as usual."""

    message = _("This API client does not have the scope for this call.")

    def has_permission(self, request, view):
        if getattr(request.user, "kind", None) != "service":
            return True
        client = client_of(request)
        scope = getattr(view, "required_scopes", {}).get(getattr(view, "action", None) or request.method.lower())
        return client is not None and client.active and (scope is None or client.has_scope(scope))


class ClientRateThrottle(throttling.SimpleRateThrottle):
    """Each API client has its own rate (``ApiClient.rate``); people are not limited here."""

    scope = "api_client"

    def get_rate(self):
        return None  # set per request in allow_request

    def allow_request(self, request, view):
        client = getattr(request, "auth", None)

        if not isinstance(client, ApiClient):
            return True
        self.rate = client.rate
        self.num_requests, self.duration = self.parse_rate(self.rate)
        return super().allow_request(request, view)

    def get_cache_key(self, request, view):
        return self.cache_format % {"scope": self.scope, "ident": request.auth.pk}


class ApiKeyScheme(OpenApiAuthenticationExtension):
    """Describes ``Authorization: Api-Key <key>`` in the OpenAPI schema."""

    target_class = "egov.api.auth.ApiKeyAuthentication"
    name = "apiKey"

    def get_security_definition(self, auto_schema):
        return {"type": "apiKey", "in": "header", "name": "Authorization",
                "description": "`Api-Key <prefix>.<secret>` for registered apps (see docs/webhooks.md)"}  # fmt: skip


class TokenAuthentication(authentication.BaseAuthentication):
    keyword = "Token"

    def authenticate(self, request):
        header = authentication.get_authorization_header(request).decode("latin-1")
        if not header.startswith(self.keyword + " "):
            return None
        token = tokens.user_for_token(header[len(self.keyword) + 1 :].strip())
        if token is None:
            raise exceptions.AuthenticationFailed(_("Invalid, expired or revoked token."))
        return token.user, token

    def authenticate_header(self, request):
        return self.keyword


class TokenScope(permissions.BasePermission):
    """A read-only token reads."""

    message = _("This token may only read.")

    def has_permission(self, request, view):
        token = getattr(request, "auth", None)
        if isinstance(token, PersonalToken) and token.scope == PersonalToken.Scope.READ:
            return request.method in permissions.SAFE_METHODS
        return True


class TokenScheme(OpenApiAuthenticationExtension):
    """Describes ``Authorization: Token <token>`` in the OpenAPI schema."""

    target_class = "egov.api.auth.TokenAuthentication"
    name = "personalToken"

    def get_security_definition(self, auto_schema):
        return {"type": "apiKey", "in": "header", "name": "Authorization",
                "description": "`Token <prefix>.<secret>`: a person's API token (the account page, or "
                               "`manage.py issue_token`)"}  # fmt: skip
