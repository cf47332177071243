from celery import shared_task

from . import services
from .models import Refund


@shared_task
def send_refund(refund_id):
    services.send_refund(refund_id)


@shared_task
def reconcile_payments():
    """Every few minutes: transactions the gateway left unanswered, and refunds still to send."""
    counts = services.reconcile()
    for refund_id in Refund.objects.filter(status=Refund.Status.QUEUED, transaction__isnull=False).values_list(
        "pk", flat=True
    ):
        services.send_refund(refund_id)
    return counts
