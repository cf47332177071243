"""Handing outbox events to their consumers. Every consumer is idempotent on the event."""

import datetime
import logging

from django.utils import timezone
from django.utils.module_loading import import_string

from .models import OutboxEvent

logger = logging.getLogger(__name__)

# Consumers, in order. Each takes the event; running one twice for an event changes nothing.
CONSUMERS = [
    "egov.documents.consumers.on_event",
    "egov.notifications.services.on_event",
    "egov.stats.rollups.on_event",
    "egov.integrations.webhooks.on_event",
]


def dispatch(event_id):
    event = OutboxEvent.objects.select_related("dossier").filter(pk=event_id).first()
    if event is None or event.dispatched_at:
        return False
    from egov.common.plugins import event_consumers

    for path in CONSUMERS + event_consumers():
        import_string(path)(event)
    OutboxEvent.objects.filter(pk=event.pk, dispatched_at__isnull=True).update(dispatched_at=timezone.now())
    return True


def undispatched(older_than=datetime.timedelta(minutes=1)):
    return OutboxEvent.objects.filter(dispatched_at__isnull=True, occurred_at__lt=timezone.now() - older_than)
