"""The event outbox: what happened, written in the same transaction as the change.

Consumers (documents, notifications, webhooks, statistics) read from here after commit,
so nothing is lost when a worker dies and every consumer can be idempotent on ``id``.
"""

import secrets
import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .outbound import UnsafeURL, check_url


class OutboxEvent(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    type = models.CharField(_("type"), max_length=80, db_index=True)
    occurred_at = models.DateTimeField(_("occurred at"), default=timezone.now, db_index=True)
    dossier = models.ForeignKey(
        "dossiers.Dossier",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="events",
        verbose_name=_("dossier"),
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    data = models.JSONField(_("data"), default=dict, blank=True)
    # Set once every consumer (documents, …) has handled the event; the sweep re-sends the rest.
    dispatched_at = models.DateTimeField(_("dispatched at"), null=True, blank=True, db_index=True)
    # Set when the outbox relay queued the event for its consumers (egov/integrations/relay.py).
    relayed_at = models.DateTimeField(_("relayed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("event")
        verbose_name_plural = _("events")
        ordering = ["occurred_at"]
        indexes = [
            models.Index(fields=["dossier", "occurred_at"], name="event_dossier_idx"),
            # What the relay polls for: only the events no relay has taken yet, a handful.
            models.Index(
                fields=["occurred_at"],
                name="event_unrelayed_idx",
                condition=models.Q(relayed_at__isnull=True, dispatched_at__isnull=True),
            ),
        ]

    def __str__(self):
        return f"{self.type} {self.occurred_at:%Y-%m-%d %H:%M}"

# --- API clients: external apps with scopes, keys and rate limits (clients.py) ---------------


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

    def dossier_condition(self, prefix=""):
        """The dossiers this client may read, as a condition on a dossier's fields: those it
        filed, and with ``dossiers:read`` the submitted ones of its procedures and agencies.

        The one rule for what a client reads, through the API (egov/dossiers/selectors.py)
        and by webhook (webhooks.py): this app sits below the dossiers and cannot name their
        model, so the rule is a ``Q``; ``prefix`` reaches the dossier through a relation
        (``"dossier__"`` from an event). Call with ``agencies`` prefetched when in a loop.
        """

        def q(**lookups):
            return Q(**{f"{prefix}{field}": value for field, value in lookups.items()})

        condition = q(created_by=self.service_user_id)
        if self.has_scope(Scope.DOSSIERS_READ):
            readable = ~q(status="draft")  # a draft is its applicant's until submitted
            if self.procedures:
                readable &= q(procedure__code__in=self.procedures)
            agency_ids = [agency.pk for agency in self.agencies.all()]
            if agency_ids:
                readable &= q(receiving_agency__in=agency_ids) | q(deciding_agency__in=agency_ids)
            condition |= readable
        return condition


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


# --- Webhooks: signed CloudEvents posted to subscribers (webhooks.py) -----------------------


def new_secret():
    return secrets.token_urlsafe(32)


class WebhookSubscription(models.Model):
    client = models.ForeignKey("integrations.ApiClient", on_delete=models.CASCADE, related_name="subscriptions")
    url = models.URLField(_("URL"), max_length=500)
    secret = models.CharField(_("signing secret"), max_length=100, default=new_secret)
    event_types = models.JSONField(_("event types"), default=list, blank=True, help_text=_("Empty: all events."))
    procedures = models.JSONField(_("procedure codes"), default=list, blank=True, help_text=_("Empty: all."))
    agencies = models.JSONField(_("agency codes"), default=list, blank=True, help_text=_("Empty: all."))
    active = models.BooleanField(_("active"), default=True)
    consecutive_failures = models.PositiveIntegerField(_("consecutive failures"), default=0)
    disabled_at = models.DateTimeField(_("disabled at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("webhook subscription")
        verbose_name_plural = _("webhook subscriptions")

    def __str__(self):
        return f"{self.client} → {self.url}"

    def clean(self):
        # https to a public address only (outbound.py); checked again before every POST.
        if not self.url:
            return  # the field's own check says it is required
        try:
            check_url(self.url)
        except UnsafeURL as refusal:
            raise ValidationError({"url": refusal.message}) from None

    def matches(self, event):
        """The subscription's own filters. They narrow what its client may read (webhooks.py),
        never widen it."""
        if self.event_types and event.type not in self.event_types:
            return False
        dossier = event.dossier
        if self.procedures and (dossier is None or dossier.procedure.code not in self.procedures):
            return False
        if not self.agencies:
            return True
        if dossier is None:
            return False
        codes = {getattr(dossier.receiving_agency, "code", None), getattr(dossier.deciding_agency, "code", None)}
        return bool(codes & set(self.agencies))


class WebhookDelivery(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        DELIVERED = "delivered", _("Delivered")
        DEAD = "dead", _("Gave up")

    subscription = models.ForeignKey(WebhookSubscription, on_delete=models.CASCADE, related_name="deliveries")
    event = models.ForeignKey("integrations.OutboxEvent", on_delete=models.CASCADE, related_name="deliveries")
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt at"), default=timezone.now)
    last_status_code = models.PositiveSmallIntegerField(_("last HTTP status"), null=True, blank=True)
    last_error = models.CharField(_("last error"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    delivered_at = models.DateTimeField(_("delivered at"), null=True, blank=True)

    class Meta:
        verbose_name = _("webhook delivery")
        verbose_name_plural = _("webhook deliveries")
        ordering = ["created_at"]
        constraints = [models.UniqueConstraint(fields=["subscription", "event"], name="delivery_once_per_event")]
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="delivery_due_idx")]

    def __str__(self):
        return f"{self.event.type} → {self.subscription.url} ({self.status})"
