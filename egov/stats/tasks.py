from celery import shared_task
from django.utils import timezone

from .reports import make_report, periods_ended_on


@shared_task
def make_periodic_reports():
    """On the first of a month: the province's report of the month before, and of the
    quarter and the year that month closes."""
    for period in periods_ended_on(timezone.localdate()):
        make_report(period)
