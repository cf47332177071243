"""API clients: external apps with scopes, keys and rate limits.

A client acts through its own service account (``User.kind == service``), so everything
it does goes through the same services, permission checks and audit trail as a person.
Keys are shown once and stored hashed; rotating issues a new key and keeps the old one
valid until it is revoked, so a client can switch without downtime.
"""

import hashlib
import secrets

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from egov.accounts.models import User
from egov.audit.services import record
from egov.common.errors import InvalidInput

from .models import ApiClient, ApiKey, Scope


def _digest(secret):
    return hashlib.sha256(secret.encode()).hexdigest()


@transaction.atomic
def register_client(name, scopes, actor=None, contact=None, contact_email="", procedures=(), agencies=()):
    unknown = set(scopes) - set(Scope.values)
    if unknown:
        raise InvalidInput(errors={"scopes": [_("Unknown scopes: %(s)s") % {"s": ", ".join(sorted(unknown))}]})
    user = User(username=f"client-{secrets.token_hex(4)}", kind=User.Kind.SERVICE, full_name=name)
    user.set_unusable_password()
    user.save()
    client = ApiClient.objects.create(
        name=name, service_user=user, scopes=list(scopes), contact=contact, contact_email=contact_email,
        procedures=list(procedures),
    )  # fmt: skip
    if agencies:
        client.agencies.set(agencies)
    record(actor, "api_client.register", client, after={"scopes": list(scopes)})
    return client


@transaction.atomic
def issue_key(client, actor=None):
    """A new key for ``client``; returns the full key, shown once. Older keys stay valid."""

    prefix = secrets.token_hex(4)
    secret = secrets.token_urlsafe(32)
    ApiKey.objects.create(client=client, prefix=prefix, digest=_digest(secret))
    record(actor, "api_client.issue_key", client, after={"prefix": prefix})
    return f"{prefix}.{secret}"


@transaction.atomic
def revoke_keys(client, keep_prefix=None, actor=None):
    keys = client.keys.filter(revoked_at__isnull=True)
    if keep_prefix:
        keys = keys.exclude(prefix=keep_prefix)
    count = keys.update(revoked_at=timezone.now())
    record(actor, "api_client.revoke_keys", client, after={"revoked": count})
    return count


def client_for_key(raw):
    """The active client a presented key belongs to, or None."""
    prefix, _sep, secret = (raw or "").partition(".")
    if not prefix or not secret:
        return None
    key = ApiKey.objects.select_related("client__service_user").filter(prefix=prefix, revoked_at__isnull=True).first()
    if key is None or not secrets.compare_digest(key.digest, _digest(secret)) or not key.client.active:
        return None
    if key.last_used_at is None or (timezone.now() - key.last_used_at).total_seconds() > 60:
        ApiKey.objects.filter(pk=key.pk).update(last_used_at=timezone.now())
    return key.client


def dossiers_readable_by(user, prefix=""):
    """What the client acting through the service account ``user`` may read, as a condition
    on a dossier's fields (:meth:`ApiClient.dossier_condition`, the one rule); a service
    account without a client reads only what it filed."""
    client = ApiClient.objects.filter(service_user=user).prefetch_related("agencies").first()
    if client is None:
        return Q(**{f"{prefix}created_by": user})
    return client.dossier_condition(prefix)
