"""Logging in with the national e-ID (VNeID) through OpenID Connect.

mozilla-django-oidc does the protocol (state, nonce, code exchange, token checks); this
backend decides who the person is (egov/accounts/identity.py): the account bound to the
provider's subject (``sub``); on a first visit, the account whose personal ID number an
officer verified at the desk, else a new account whose number the e-ID verifies. Never an
account where someone only typed the number, and no account is renamed. Nothing happens
until ``OIDC_RP_CLIENT_ID`` is configured.
"""

from django.conf import settings
from django.contrib import messages
from django.http import Http404
from django.utils.translation import gettext as _
from mozilla_django_oidc.auth import OIDCAuthenticationBackend
from mozilla_django_oidc.views import OIDCAuthenticationCallbackView, OIDCAuthenticationRequestView

from .identity import IdentityMismatch, account_for_eid
from .validators import validate_personal_id


def enabled():
    return bool(settings.OIDC_RP_CLIENT_ID and settings.OIDC_OP_AUTHORIZATION_ENDPOINT)


def personal_id_of(claims):
    return str(claims.get(settings.EGOV_OIDC_PERSONAL_ID_CLAIM) or "").strip()


class NationalEIDBackend(OIDCAuthenticationBackend):
    def authenticate(self, request, **kwargs):
        if not enabled():
            return None
        return super().authenticate(request, **kwargs)

    def verify_claims(self, claims):
        personal_id = personal_id_of(claims)
        try:
            validate_personal_id(personal_id)
        except Exception:
            return False
        return bool(claims.get("sub"))

    def get_or_create_user(self, access_token, id_token, payload):
        claims = self.get_userinfo(access_token, id_token, payload)
        if not self.verify_claims(claims):
            # Back to the login page with a message, not a bare "400 Bad Request".
            messages.error(self.request, _("The e-ID did not give a valid personal identification number."))
            return None
        try:
            user = account_for_eid(
                str(claims["sub"]), personal_id_of(claims), claims.get("name") or claims.get("full_name") or "",
                email=claims.get("email") or "", phone=claims.get("phone_number") or "",
            )  # fmt: skip
        except IdentityMismatch:
            user = None
        if user is None:
            messages.error(self.request, _("This e-ID does not match the account registered with this personal "
                                           "identification number. Please come to the one-stop desk."))  # fmt: skip
        return user


class EIDLoginView(OIDCAuthenticationRequestView):
    def get(self, request):
        if not enabled():
            raise Http404()
        return super().get(request)


class EIDCallbackView(OIDCAuthenticationCallbackView):
    def get(self, request):
        if not enabled():
            raise Http404()
        return super().get(request)
