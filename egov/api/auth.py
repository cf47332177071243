"""How callers authenticate: external apps with ``Authorization: Api-Key <key>`` (what their
scopes allow, how fast they may call); people with their session or a personal token
(``Authorization: Token <token>``, egov/accounts/tokens.py); apps a citizen allowed to act for
them with ``Authorization: Bearer <token>`` (OAuth 2.0, egov/accounts/oauth/), which is the
citizen's own power, limited like a personal token of the matching scope."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from oauth2_provider.contrib.rest_framework import OAuth2Authentication
from oauth2_provider.models import AccessToken
from rest_framework import authentication, exceptions, permissions, throttling

from egov.accounts import tokens
from egov.accounts.models import PersonalToken
from egov.accounts.oauth import scopes as app_scopes
from egov.accounts.oauth.selectors import may_authorise
from egov.accounts.oauth.services import note_use
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


class BearerAuthentication(OAuth2Authentication):
    """``Authorization: Bearer <token>``: an access token a citizen gave an app (egov/accounts/oauth/).
    The request is the citizen's; a token that is unknown, expired, revoked, or whose holder is
    no longer a plain citizen is refused outright (401), never passed on to the next scheme."""

    keyword = "Bearer"

    def authenticate(self, request):
        header = authentication.get_authorization_header(request).decode("latin-1")
        if not header.startswith(self.keyword + " "):
            return None
        found = super().authenticate(request)
        if found is None or not may_authorise(found[0]):
            raise exceptions.AuthenticationFailed(_("Invalid, expired or revoked token."))
        note_use(found[1])
        return found


class TokenScope(permissions.BasePermission):
    """A read-only token reads: a personal token of scope read, an app's token without
    ``dossiers:write`` (egov/accounts/oauth/scopes.py)."""

    message = _("This token may only read.")

    def has_permission(self, request, view):
        token = getattr(request, "auth", None)
        if isinstance(token, PersonalToken) and token.scope == PersonalToken.Scope.READ:
            return request.method in permissions.SAFE_METHODS
        if isinstance(token, AccessToken):
            if request.method in permissions.SAFE_METHODS:
                return app_scopes.may_read(token.scope)
            return app_scopes.may_write(token.scope)
        return True


class TokenScheme(OpenApiAuthenticationExtension):
    """Describes ``Authorization: Token <token>`` in the OpenAPI schema."""

    target_class = "egov.api.auth.TokenAuthentication"
    name = "personalToken"

    def get_security_definition(self, auto_schema):
        return {"type": "apiKey", "in": "header", "name": "Authorization",
                "description": "`Token <prefix>.<secret>`: a person's API token (the account page, or "
                               "`manage.py issue_token`)"}  # fmt: skip


class BearerScheme(OpenApiAuthenticationExtension):
    """Describes ``Authorization: Bearer <token>`` (OAuth 2.0 authorisation code with PKCE)."""

    target_class = "egov.api.auth.BearerAuthentication"
    name = "citizenApp"

    def get_security_definition(self, auto_schema):
        return {"type": "oauth2", "description": "An app acting as a citizen, with their consent (docs/oauth.md)",
                "flows": {"authorizationCode": {
                    "authorizationUrl": "/o/authorize/", "tokenUrl": "/o/token/", "refreshUrl": "/o/token/",
                    "scopes": {scope.value: str(scope.label) for scope in app_scopes.AppScope},
                }}}  # fmt: skip
