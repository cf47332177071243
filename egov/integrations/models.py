"""The event outbox: what happened, written in the same transaction as the change.

Consumers (documents, notifications, webhooks, statistics) read from here after commit,
so nothing is lost when a worker dies and every consumer can be idempotent on ``id``.
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


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


# The other models of the app live in their own modules, by topic.
from .clients import ApiClient, ApiKey  # noqa: E402, F401
from .webhooks import WebhookDelivery, WebhookSubscription  # noqa: E402, F401
