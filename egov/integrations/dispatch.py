"""Handing outbox events to their consumers. Every consumer is idempotent on the event.

Each app that reacts to events registers its consumer when it is ready (this app's webhooks,
documents, notifications, the statistics): the outbox never imports the apps above it. No
consumer depends on another having run. A plug-in declares its own (egov/common/plugins.py).
"""

import logging

from django.utils import timezone
from django.utils.module_loading import import_string

from egov.common.plugins import event_consumers

from .models import OutboxEvent

logger = logging.getLogger(__name__)

_consumers = []


def register_consumer(function):
    """``function(event)`` is called with every event; running it twice changes nothing."""
    if function not in _consumers:
        _consumers.append(function)
    return function


def consumers():
    return [*_consumers, *(import_string(path) for path in event_consumers())]


def dispatch(event_id):
    event = OutboxEvent.objects.select_related("dossier").filter(pk=event_id).first()
    if event is None or event.dispatched_at:
        return False
    for consumer in consumers():
        consumer(event)
    OutboxEvent.objects.filter(pk=event.pk, dispatched_at__isnull=True).update(dispatched_at=timezone.now())
    return True
