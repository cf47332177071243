import logging

from celery import shared_task

logger = logging.getLogger(__name__)


@shared_task(name="egov.integrations.tasks.dispatch_events", ignore_result=True)
def dispatch_events(event_ids):
    """Events a relay claimed, in order (egov/integrations/relay.py). An event whose consumers
    fail stays undispatched and holds up none of the others; the minute's sweep gives it
    back to the relay."""
    from .dispatch import dispatch

    for event_id in event_ids:
        try:
            dispatch(event_id)
        except Exception:
            logger.warning("event %s failed; the relay takes it again within a minute", event_id, exc_info=True)


@shared_task(name="egov.integrations.tasks.redispatch_events", ignore_result=True)
def redispatch_events():
    """Every minute: claims that did not end in a dispatch (a lost message, a worker that
    died, consumers that failed) go back to the relay."""
    from .relay import give_back_stalled

    give_back_stalled()


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
