"""API clients: external apps with scopes, keys and rate limits.

A client acts through its own service account (``User.kind == service``), so everything
it does goes through the same services, permission checks and audit trail as a person.
Keys are shown once and stored hashed; rotating issues a new key and keeps the old one
valid until it is revoked, so a client can switch without downtime.
"""

import hashlib
import secrets

from django.conf import settings
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Scope(models.TextChoices):
    CATALOGUE_READ = "catalogue:read", _("Read the catalogue")
    DOSSIERS_SUBMIT = "dossiers:submit", _("Submit dossiers on behalf of citizens")
    DOSSIERS_READ = "dossiers:read", _("Read dossiers (of the procedures and agencies listed)")
    EVENTS_RECEIVE = "events:receive", _("Receive events by webhook")
    STATS_READ = "stats:read", _("Read the statistics (operations centre)")


class ApiClient(models.Model):
    name = models.CharField(_("name"), max_length=150, unique=True)
    contact = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        verbose_name=_("contact person"), help_text=_("Told by e-mail when a webhook is disabled."),
    )  # fmt: skip
    contact_email = models.EmailField(_("contact e-mail"), blank=True)
    service_user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="api_client", editable=False
    )
    scopes = models.JSONField(_("scopes"), default=list, blank=True)
    procedures = models.JSONField(_("procedure codes"), default=list, blank=True,
                                  help_text=_("Empty: all procedures."))  # fmt: skip
    agencies = models.ManyToManyField("agencies.Agency", blank=True, verbose_name=_("agencies"),
                                      help_text=_("Empty: all agencies."))  # fmt: skip
    rate = models.CharField(_("rate limit"), max_length=20, default="600/minute")
    active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("API client")
        verbose_name_plural = _("API clients")
        ordering = ["name"]

    def __str__(self):
        return self.name

    def has_scope(self, scope):
        return self.active and scope in self.scopes


class ApiKey(models.Model):
    client = models.ForeignKey(ApiClient, on_delete=models.CASCADE, related_name="keys")
    prefix = models.CharField(_("prefix"), max_length=12, unique=True)
    digest = models.CharField(max_length=64, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True)

    class Meta:
        verbose_name = _("API key")
        verbose_name_plural = _("API keys")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.client} {self.prefix}…"


def _digest(secret):
    return hashlib.sha256(secret.encode()).hexdigest()


@transaction.atomic
def register_client(name, scopes, actor=None, contact=None, contact_email="", procedures=(), agencies=()):
    from egov.accounts.models import User
    from egov.audit.services import record

    unknown = set(scopes) - set(Scope.values)
    if unknown:
        from egov.common.errors import InvalidInput

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
    from egov.audit.services import record

    prefix = secrets.token_hex(4)
    secret = secrets.token_urlsafe(32)
    ApiKey.objects.create(client=client, prefix=prefix, digest=_digest(secret))
    record(actor, "api_client.issue_key", client, after={"prefix": prefix})
    return f"{prefix}.{secret}"


@transaction.atomic
def revoke_keys(client, keep_prefix=None, actor=None):
    from egov.audit.services import record

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
