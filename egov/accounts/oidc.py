"""Logging in with the national e-ID (VNeID) through OpenID Connect.

mozilla-django-oidc does the protocol (state, nonce, code exchange, token checks); this
backend decides who the person is: a citizen is recognised by the personal
identification number the identity provider vouches for, and an account is created on
their first visit. Nothing happens until ``OIDC_RP_CLIENT_ID`` is configured.
"""

from django.conf import settings
from django.contrib import messages
from django.http import Http404
from django.utils.crypto import get_random_string
from django.utils.translation import gettext as _
from mozilla_django_oidc.auth import OIDCAuthenticationBackend
from mozilla_django_oidc.views import OIDCAuthenticationCallbackView, OIDCAuthenticationRequestView

from .models import User
from .services import create_citizen
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
        users = self.filter_users_by_claims(claims)
        if len(users) == 1:
            return self.update_user(users[0], claims)
        return self.create_user(claims)

    def filter_users_by_claims(self, claims):
        return User.objects.filter(personal_id=personal_id_of(claims), kind=User.Kind.CITIZEN, is_active=True)

    def create_user(self, claims):
        return create_citizen(
            f"eid-{personal_id_of(claims)}-{get_random_string(4).lower()}",
            full_name=claims.get("name") or claims.get("full_name") or "",
            personal_id=personal_id_of(claims),
            email=claims.get("email") or "",
            phone=claims.get("phone_number") or "",
        )

    def update_user(self, user, claims):
        # The identity provider is authoritative for the name; contact details stay the user's.
        if claims.get("name") and claims["name"] != user.full_name:
            user.full_name = claims["name"]
            user.save(update_fields=["full_name"])
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
