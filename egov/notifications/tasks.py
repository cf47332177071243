from celery import shared_task


@shared_task(name="egov.notifications.tasks.send_notification", ignore_result=True)
def send_notification(notification_id):
    from .services import send

    send(notification_id)


@shared_task(name="egov.notifications.tasks.send_due_notifications", ignore_result=True)
def send_due_notifications():
    """Every minute: retries whose time has come, and whatever a dead worker left."""
    from .services import due, send

    for notification_id in due().values_list("pk", flat=True)[:500]:
        send(notification_id)


@shared_task(name="egov.notifications.tasks.send_digests", ignore_result=True)
def send_digests():
    from .services import send_digests as run

    return run()
