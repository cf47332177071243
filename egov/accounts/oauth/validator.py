"""The rules django-oauth-toolkit applies to every authorisation and token request
(``OAUTH2_PROVIDER["OAUTH2_VALIDATOR_CLASS"]``).

On top of the toolkit's own (exact redirect URIs, PKCE required, hashed tokens, rotating
refresh tokens with replay detection, all set in egov/settings/base.py):

* only the authorisation-code grant and its refresh: no implicit, password, client
  credentials or device flows, whatever an application is registered for;
* PKCE with S256 only;
* only a citizen (:func:`.selectors.may_authorise`) gets a code, exchanges it or refreshes:
  an account that became staff, was given a role or closed stops working for its apps.
"""

from oauth2_provider.oauth2_validators import OAuth2Validator
from oauthlib.oauth2.rfc6749 import errors

from . import services
from .selectors import may_authorise

GRANTS = ("authorization_code", "refresh_token")
S256 = "S256"


class Validator(OAuth2Validator):
    def validate_response_type(self, client_id, response_type, client, request, *args, **kwargs):
        return response_type == "code" and super().validate_response_type(
            client_id, response_type, client, request, *args, **kwargs
        )

    def validate_grant_type(self, client_id, grant_type, client, request, *args, **kwargs):
        return grant_type in GRANTS and super().validate_grant_type(
            client_id, grant_type, client, request, *args, **kwargs
        )

    def save_authorization_code(self, client_id, code, request, *args, **kwargs):
        if request.code_challenge_method != S256:
            raise errors.InvalidRequestError(description="code_challenge_method must be S256.", request=request)
        if not may_authorise(request.user):
            raise errors.AccessDeniedError(request=request)
        super().save_authorization_code(client_id, code, request, *args, **kwargs)
        services.record_allowed(request.user, request.client, request.scopes)

    def validate_code(self, client_id, code, client, request, *args, **kwargs):
        valid = super().validate_code(client_id, code, client, request, *args, **kwargs)
        return valid and may_authorise(request.user)

    def validate_refresh_token(self, refresh_token, client, request, *args, **kwargs):
        valid = super().validate_refresh_token(refresh_token, client, request, *args, **kwargs)
        return valid and may_authorise(request.user)
