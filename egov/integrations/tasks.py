from celery import shared_task


@shared_task(name="egov.integrations.tasks.dispatch_event", autoretry_for=(Exception,), retry_backoff=10,
             max_retries=8, ignore_result=True)  # fmt: skip
def dispatch_event(event_id):
    from .dispatch import dispatch

    dispatch(event_id)


@shared_task(name="egov.integrations.tasks.redispatch_events", ignore_result=True)
def redispatch_events():
    from .dispatch import dispatch, undispatched

    for event_id in undispatched().order_by("occurred_at").values_list("pk", flat=True)[:500]:
        dispatch(event_id)
