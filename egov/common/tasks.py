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

