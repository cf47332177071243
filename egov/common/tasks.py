"""Queue Celery work only once the surrounding transaction has committed.

A task queued inside a transaction could run before the data it needs is visible, or
for data that is later rolled back. Every side effect goes through here. Each message
names a durable row (a document to render, a notification, a webhook delivery): if the
broker cannot take it, the failure is logged and the periodic sweep of that row's app
sends it later (egov/celery.py), so the change that committed is never undone by it.
"""

import logging
from functools import partial

from django.db import transaction

logger = logging.getLogger(__name__)


def enqueue_after_commit(task, *args, **kwargs):
    transaction.on_commit(partial(_send, task, args, kwargs), robust=True)


def _send(task, args, kwargs):
    try:
        task.apply_async(args=args, kwargs=kwargs)
    except Exception:  # the broker is away: the sweep picks the row up
        logger.warning("could not queue %s; the periodic sweep will retry", task.name, exc_info=True)
