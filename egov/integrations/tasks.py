import logging

from celery import shared_task

logger = logging.getLogger(__name__)


@shared_task(name="egov.integrations.tasks.dispatch_event", autoretry_for=(Exception,), retry_backoff=10,
             max_retries=8, ignore_result=True)  # fmt: skip
def dispatch_event(event_id):
    """One event (messages queued by versions before dispatch_events; the sweep uses it too)."""
    from .dispatch import dispatch

    dispatch(event_id)


# merge_lists: the publisher folds the messages of several commits into one (publisher.py).
@shared_task(name="egov.integrations.tasks.dispatch_events", ignore_result=True, merge_lists=True)
def dispatch_events(event_ids):
    """Events in order: a relay's claim (egov/integrations/relay.py), or the events of one or
    more transactions that queued their own (egov.integrations.events.one_dispatch). An event
    whose consumers fail is retried on its own, so it holds up none of the others."""
    from egov.common.tasks import enqueue_after_commit

    from .dispatch import dispatch

    for event_id in event_ids:
        try:
            dispatch(event_id)
        except Exception:
            logger.warning("event %s failed; retried on its own", event_id, exc_info=True)
            enqueue_after_commit(dispatch_event, event_id)


@shared_task(name="egov.integrations.tasks.redispatch_events", ignore_result=True)
def redispatch_events():
    """Every minute: events whose message was lost or whose consumers failed."""
    from django.conf import settings

    from .dispatch import dispatch, undispatched

    if settings.EGOV_OUTBOX_RELAY and (unrelayed := undispatched().filter(relayed_at__isnull=True).count()):
        # Taken here, so not lost; but events should reach the consumers within a second.
        logger.error(
            "%d events waited over a minute for the outbox relay: is a Celery worker running, "
            "and what does its log say? (egov/integrations/relay.py)",
            unrelayed,
        )
    for event_id in undispatched().order_by("occurred_at").values_list("pk", flat=True)[:500]:
        dispatch(event_id)


@shared_task(name="egov.integrations.tasks.deliver_webhook", ignore_result=True)
def deliver_webhook(delivery_id):
    from .webhooks import deliver

    deliver(delivery_id)


@shared_task(name="egov.integrations.tasks.deliver_due_webhooks", ignore_result=True)
def deliver_due_webhooks():
    """Every minute: retries whose time has come, and anything a dead worker left behind."""
    from .webhooks import deliver, due_deliveries

    for delivery_id in due_deliveries().values_list("pk", flat=True)[:500]:
        deliver(delivery_id)
