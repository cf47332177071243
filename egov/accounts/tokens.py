"""Personal API tokens: ``Authorization: Token <prefix>.<secret>``.

Shown once, stored as a SHA-256 digest, read-only or read-write, valid for a number of days
(``EGOV_TOKEN_DAYS``), revocable. Whoever must confirm a second factor to use the site
(every holder of a role, staff and superusers) gets a token only with a fresh code of
their authenticator: a token is no way around the second factor.
"""

import datetime
import hashlib
import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from django_otp import match_token

from egov.audit.services import record

from .models import PersonalToken
from .two_factor import needs_second_factor


def _digest(secret):
    return hashlib.sha256(secret.encode()).hexdigest()


def mint(user, *, days=None, scope=PersonalToken.Scope.WRITE, name="", otp=None, verified=False):
    """A new token for ``user``; returns the full token (shown once). ``verified``: the caller
    has the user's second factor confirmed in this session; else ``otp`` must be a valid code."""
    proof_needed = settings.EGOV_STAFF_2FA and needs_second_factor(user) and not verified
    if proof_needed and (not otp or match_token(user, str(otp).strip()) is None):
        raise ValidationError({"otp": [_("Give a current code of your authenticator app.")]},
                              code="second_factor_required")  # fmt: skip
    days = days or settings.EGOV_TOKEN_DAYS
    prefix, secret = secrets.token_hex(4), secrets.token_urlsafe(32)
    PersonalToken.objects.create(
        user=user, prefix=prefix, digest=_digest(secret), scope=scope, name=name[:100],
        expires_at=timezone.now() + datetime.timedelta(days=days),
    )  # fmt: skip
    record(user, "account.token_issued", user, after={"prefix": prefix, "scope": scope, "days": days})
    return f"{prefix}.{secret}"


def revoke(token, actor):
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at"])
    record(actor, "account.token_revoked", token.user, after={"prefix": token.prefix})


def user_for_token(raw):
    """The active token a presented value is, or None."""
    prefix, _sep, secret = (raw or "").partition(".")
    if not prefix or not secret:
        return None
    token = PersonalToken.objects.select_related("user").filter(prefix=prefix, revoked_at__isnull=True).first()
    if token is None or not secrets.compare_digest(token.digest, _digest(secret)):
        return None
    if token.expires_at <= timezone.now() or not token.user.is_active:
        return None
    if token.last_used_at is None or (timezone.now() - token.last_used_at).total_seconds() > 60:
        PersonalToken.objects.filter(pk=token.pk).update(last_used_at=timezone.now())
    return token
