"""The pages and endpoints of apps acting as a citizen: the consent page (``/o/authorize/``),
introspection for confidential apps (``/o/introspect/``), and the account page's revoke
button. The token and revocation endpoints are django-oauth-toolkit's own (urls.py)."""

import calendar
from urllib.parse import urlencode, urlsplit

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import JsonResponse
from django.shortcuts import redirect
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST
from django.views.generic import View
from oauth2_provider.exceptions import OAuthToolkitError
from oauth2_provider.models import Application
from oauth2_provider.views import AuthorizationView
from oauth2_provider.views.mixins import OAuthLibMixin
from oauthlib.common import Request as OAuthRequest
from oauthlib.oauth2.rfc6749.errors import InvalidRequestError

from egov.common.security import strict_policy

from . import selectors, services
from .scopes import granted
from .validator import S256


def _form_target(redirect_uri):
    """The Content-Security-Policy source of the app's redirect URI: the consent form is answered
    by a redirect there, which form-action must allow."""
    parts = urlsplit(redirect_uri)
    return f"{parts.scheme}://{parts.netloc}" if parts.netloc else f"{parts.scheme}:"


class AuthorizeView(AuthorizationView):
    """The citizen reads which app asks, for what, and allows or denies. Always asked: an
    application's ``skip_authorization`` and ``approval_prompt=auto`` are not honoured."""

    template_name = "accounts/oauth_authorize.html"

    def refusal(self):
        return self.render_to_response({"refused": True}, status=403)

    def get(self, request, *args, **kwargs):
        if not selectors.may_authorise(request.user):
            return self.refusal()
        try:
            scopes, credentials = self.validate_authorization_request(request)
        except OAuthToolkitError as error:
            return self.error_response(error, application=None)
        application = Application.objects.get(client_id=credentials["client_id"])
        if credentials.get("code_challenge_method") != S256:
            error = InvalidRequestError(description="code_challenge_method must be S256.", state=credentials["state"])
            return self.error_response(OAuthToolkitError(error, credentials["redirect_uri"]), application)
        asked = ("client_id", "redirect_uri", "response_type", "state", "code_challenge", "code_challenge_method")
        self.oauth2_data = {key: credentials.get(key) for key in asked}
        self.oauth2_data["scope"] = scopes
        response = self.render_to_response(self.get_context_data(
            form=self.get_form(), application=application, scopes=granted(" ".join(scopes)),
        ))  # fmt: skip
        response["Content-Security-Policy"] = strict_policy([_form_target(credentials["redirect_uri"])])
        return response

    def post(self, request, *args, **kwargs):
        if not selectors.may_authorise(request.user):
            return self.refusal()
        return super().post(request, *args, **kwargs)

    def form_valid(self, form):
        # The app and its redirect URI are checked again before anything, Deny included: the
        # answer goes only to an address registered for the app.
        application = Application.objects.filter(client_id=form.cleaned_data["client_id"]).first()
        if application is None or not application.redirect_uri_allowed(form.cleaned_data["redirect_uri"]):
            return self.form_invalid(form)
        return super().form_valid(form)

    def form_invalid(self, form):
        return self.render_to_response({"broken": True}, status=400)


@method_decorator(csrf_exempt, name="dispatch")
class IntrospectView(OAuthLibMixin, View):
    """RFC 7662 for confidential apps (HTTP Basic with their client secret), about their own
    tokens only: any other token is ``{"active": false}``."""

    def post(self, request, *args, **kwargs):
        core = self.get_oauthlib_core()
        asking = OAuthRequest(request.build_absolute_uri(), "POST", urlencode(list(request.POST.items())),
                              core.extract_headers(request))  # fmt: skip
        validator = self.get_server().request_validator
        if not validator.authenticate_client(asking) or asking.client.client_type != Application.CLIENT_CONFIDENTIAL:
            return JsonResponse({"error": "invalid_client"}, status=401, headers={"WWW-Authenticate": "Basic"})
        token = selectors.token_of(asking.client, request.POST.get("token", ""))
        if token is None:
            return JsonResponse({"active": False})
        return JsonResponse({
            "active": True, "scope": token.scope, "client_id": asking.client.client_id, "token_type": "Bearer",
            "exp": calendar.timegm(token.expires.utctimetuple()), "iat": calendar.timegm(token.created.utctimetuple()),
        })  # fmt: skip


@login_required
@require_POST
def revoke(request, client_id):
    """The account page's Revoke: the app loses every token it holds for this person."""
    application = Application.objects.filter(client_id=client_id).first()
    if application is not None and services.revoke_app(request.user, application):
        messages.success(request, _("%(app)s can no longer act for you.") % {"app": application.name})
    return redirect("accounts:tokens")
