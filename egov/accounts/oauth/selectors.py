"""Reading who may allow apps, and which apps a citizen has allowed."""

import dataclasses
import datetime
import hashlib

from django.db.models import Q
from django.utils import timezone
from oauth2_provider.models import AccessToken, refresh_token_expire_timedelta

from ..two_factor import needs_second_factor
from .scopes import granted


def may_authorise(user):
    """Only a citizen lets an app act as them. Staff, superusers and anyone holding a role use
    their own tokens, minted with their second factor (egov/accounts/tokens.py); an app's
    service account has its API key (egov/integrations/clients.py)."""
    return (
        getattr(user, "is_authenticated", False)
        and user.is_active
        and user.kind == "citizen"
        and not needs_second_factor(user)
    )


@dataclasses.dataclass
class AllowedApp:
    application: object
    scopes: list  # AppScope members, in the vocabulary's order
    allowed_at: datetime.datetime  # the oldest live token's issue
    last_used_at: datetime.datetime  # the latest use of any of its access tokens (or their issue)


def live_tokens(user, application=None):
    """The access tokens of ``user`` still in force: unexpired, or renewable by a refresh
    token that is neither revoked nor past its lifetime."""
    now = timezone.now()
    renewable = Q(refresh_token__revoked__isnull=True, refresh_token__isnull=False)
    lifetime = refresh_token_expire_timedelta()
    if lifetime:
        renewable &= Q(expires__gt=now - lifetime)
    tokens = AccessToken.objects.filter(user=user, application__isnull=False).filter(Q(expires__gt=now) | renewable)
    if application is not None:
        tokens = tokens.filter(application=application)
    return tokens


def allowed_apps(user):
    """The apps ``user`` has allowed and not revoked, most recently used first; one query."""
    apps = {}
    for token in live_tokens(user).select_related("application").order_by("created"):
        entry = apps.get(token.application_id)
        if entry is None:
            entry = apps[token.application_id] = AllowedApp(token.application, [], token.created, token.updated)
        entry.scopes = granted(" ".join([*(scope.value for scope in entry.scopes), token.scope]))
        entry.last_used_at = max(entry.last_used_at, token.updated)
    return sorted(apps.values(), key=lambda entry: entry.last_used_at, reverse=True)


def token_of(application, raw):
    """The access token ``raw`` if ``application`` holds it, in force, for a citizen; else None."""
    if not raw:
        return None
    checksum = hashlib.sha256(raw.encode()).hexdigest()
    token = AccessToken.objects.select_related("user").filter(token_checksum=checksum, application=application).first()
    if token is None or token.is_expired() or not may_authorise(token.user):
        return None
    return token
