"""The Celery application.

Periodic work lives here in one place so an operator sees every beat entry at once.
Tasks run after commit (see egov.common.tasks.enqueue_after_commit); the periodic sweeps
catch anything a dead worker or a lost message left behind.
"""

import os

from celery import Celery
from celery.schedules import crontab
from celery.signals import worker_ready, worker_shutdown

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "egov.settings.base")

app = Celery("egov")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@worker_ready.connect
def _start_outbox_relay(**kwargs):
    """Every worker relays the outbox's new events to their consumers
    (egov/integrations/relay.py); web processes only write them."""
    from egov.integrations.relay import start_relay

    start_relay()


@worker_shutdown.connect
def _stop_outbox_relay(**kwargs):
    from egov.integrations.relay import stop_relay

    stop_relay()


app.conf.beat_schedule = {
    # viewflow timers (step budgets) and the dossier deadline sweep
    "fire-due-timers": {"task": "egov.dossiers.tasks.fire_due_timers", "schedule": 60.0},
    # claims of the outbox relay that did not end in a dispatch go back to it
    "redispatch-events": {"task": "egov.integrations.tasks.redispatch_events", "schedule": 60.0},
    "deliver-due-webhooks": {"task": "egov.integrations.tasks.deliver_due_webhooks", "schedule": 60.0},
    # this year's and next year's holidays, before a due date needs them
    "seed-calendar": {"task": "egov.calendar.tasks.seed_coming_years", "schedule": crontab(hour=1, minute=0)},
    "render-stalled-documents": {"task": "egov.documents.tasks.render_stalled_documents", "schedule": 300.0},
    "seal-audit-trail": {"task": "egov.audit.tasks.seal_audit_trail", "schedule": 60.0},
    # the head of the audit chain, signed, outside the database
    "anchor-audit-trail": {"task": "egov.audit.tasks.anchor_audit_trail", "schedule": crontab(minute=5)},
    "send-due-notifications": {"task": "egov.notifications.tasks.send_due_notifications", "schedule": 60.0},
    # officers who chose a digest get it at the start of the working day (07:00 Asia/Ho_Chi_Minh)
    # retention periods of the personal data law, at night
    "enforce-retention": {"task": "egov.privacy.tasks.enforce_retention", "schedule": crontab(hour=2, minute=30)},
    "send-digests": {"task": "egov.notifications.tasks.send_digests", "schedule": crontab(hour=7, minute=0)},
    # online payments the gateway left unanswered, and refunds still to send
    "reconcile-payments": {"task": "egov.payments.tasks.reconcile_payments", "schedule": 300.0},
    "periodic-reports": {"task": "egov.stats.tasks.make_periodic_reports",
                         "schedule": crontab(day_of_month=1, hour=3, minute=0)},
}
