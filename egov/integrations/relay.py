"""The outbox relay: events go from the outbox to their consumers without the web process.

A change writes its events into the outbox in its own transaction (events.emit) and is done:
no message to queue at commit, no broker on the request's path. Each Celery worker runs one
relay thread (started in egov/celery.py), which looks for events no relay has taken yet,
marks them taken and queues them for their consumers in one ``dispatch_events`` message.

Several workers may run relays at once: taking events is a claim in one transaction (rows
locked and skipped by the others on PostgreSQL; SQLite lets one writer in at a time), so an
event is queued by one of them. An idle relay only reads. If a relay dies after its claim
and before the message left, or the message is lost, the minute's sweep dispatches what is
still undispatched (tasks.redispatch_events); every consumer is idempotent.

With tasks run eagerly (the tests) or ``EGOV_OUTBOX_RELAY`` off, a transaction queues its
own events at commit instead (events.one_dispatch).
"""

import logging
import threading

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from egov.common.publisher import MAX_MERGED
from egov.common.tasks import enqueue_after_commit

from .models import OutboxEvent

logger = logging.getLogger(__name__)

# Longest wait between tries while the database cannot be reached.
MAX_BACKOFF = 5.0


def active():
    """Whether events reach their consumers through the relay rather than a message queued by
    the transaction that wrote them."""
    return settings.EGOV_OUTBOX_RELAY and not getattr(settings, "CELERY_TASK_ALWAYS_EAGER", False)


def relay_once(limit=MAX_MERGED):
    """Claim up to ``limit`` events no relay has taken, oldest first, and queue them for their
    consumers after the claim commits. Returns how many were claimed."""
    from .tasks import dispatch_events

    waiting = OutboxEvent.objects.filter(relayed_at__isnull=True, dispatched_at__isnull=True)
    if not waiting.exists():  # a read: an idle relay never takes SQLite's write lock
        return 0
    with transaction.atomic():
        ids = list(
            waiting.order_by("occurred_at", "pk")
            .select_for_update(skip_locked=True)  # another relay's claim is skipped, not awaited
            .values_list("pk", flat=True)[:limit]
        )
        if ids:
            OutboxEvent.objects.filter(pk__in=ids).update(relayed_at=timezone.now())
            enqueue_after_commit(dispatch_events, [str(pk) for pk in ids])
    return len(ids)


class Relay:
    """The thread that runs :func:`relay_once` while its worker runs."""

    def __init__(self, poll=None):
        self.poll = settings.EGOV_OUTBOX_RELAY_POLL if poll is None else poll
        self._stop = threading.Event()
        self._thread = None

    def start(self):
        self._stop.clear()
        self._thread = threading.Thread(target=self._run, name="egov-outbox-relay", daemon=True)
        self._thread.start()
        return self

    def stop(self, timeout=5.0):
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout)

    def _run(self):
        failures = 0
        try:
            while not self._stop.is_set():
                try:
                    claimed = relay_once()
                except Exception:
                    # The database is away (a restart, a failover): say so once, then retry
                    # with a growing pause on a fresh connection.
                    if not failures:
                        logger.warning("the outbox relay cannot take events; retrying", exc_info=True)
                    failures += 1
                    connection.close()
                    self._stop.wait(min(MAX_BACKOFF, self.poll * 2**failures))
                    continue
                if failures:
                    logger.warning("the outbox relay takes events again")
                    failures = 0
                if claimed < MAX_MERGED:  # a full batch means more are waiting: go on at once
                    self._stop.wait(self.poll)
        finally:
            connection.close()  # this thread's own connection


_relay = None


def start_relay():
    """Start this process's relay (a Celery worker at start; see egov/celery.py)."""
    global _relay
    if settings.EGOV_OUTBOX_RELAY and _relay is None:
        _relay = Relay().start()


def stop_relay():
    global _relay
    if _relay is not None:
        _relay.stop()
        _relay = None
