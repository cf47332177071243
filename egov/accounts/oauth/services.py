"""Writing: what a citizen allowed, a use of an app's token, and taking an app's access away."""

from django.db import transaction
from django.utils import timezone
from oauth2_provider.models import AccessToken, Grant, IDToken, RefreshToken

from egov.audit.services import record

from .scopes import granted

# A token's last use is written at most this often (seconds), as for personal tokens.
USE_RESOLUTION = 60


def record_allowed(user, application, scopes):
    """The citizen allowed ``application`` what ``scopes`` say (called with the code's grant)."""
    allowed = [scope.value for scope in granted(" ".join(scopes))]
    record(user, "account.app_allowed", application, after={"client_id": application.client_id, "scopes": allowed})


def note_use(token):
    """The app called the API with ``token`` now: what the account page shows as last use."""
    now = timezone.now()
    if (now - token.updated).total_seconds() > USE_RESOLUTION:
        AccessToken.objects.filter(pk=token.pk).update(updated=now)
        token.updated = now


@transaction.atomic
def revoke_app(user, application, actor=None):
    """Everything ``application`` holds to act as ``user`` ends now: its refresh tokens are
    revoked (kept as revoked, so a replayed one is recognised), its access tokens and unused
    codes deleted. Returns how many tokens and codes went."""
    now = timezone.now()
    mine = {"user": user, "application": application}
    refreshed = RefreshToken.objects.filter(**mine, revoked__isnull=True).update(revoked=now, updated=now)
    accessed = AccessToken.objects.filter(**mine).delete()[0]
    codes = Grant.objects.filter(**mine).delete()[0] + IDToken.objects.filter(**mine).delete()[0]
    record(actor or user, "account.app_revoked", application, after={
        "client_id": application.client_id, "refresh_tokens": refreshed, "access_tokens": accessed,
    })  # fmt: skip
    return refreshed + accessed + codes
