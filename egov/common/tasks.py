"""Queue Celery work only once the surrounding transaction has committed.

A task queued inside a transaction could run before the data it needs is visible, or
for data that is later rolled back. Every side effect goes through here. At commit the
message goes to the process's publisher (egov/common/publisher.py), which sends it from a
background thread so that the request does not wait for the broker.
"""

from functools import partial

from django.db import transaction

from .publisher import publish


def enqueue_after_commit(task, *args, **kwargs):
    transaction.on_commit(partial(publish, task, args, kwargs))


def _send(task, args, kwargs):
    try:
        task.apply_async(args=args, kwargs=kwargs)
    except Exception:  # a broker outage must not fail the request; the sweeps pick it up
        import logging

        logging.getLogger(__name__).warning(
            "could not queue %s; the periodic sweep will retry", task.name, exc_info=True
        )
